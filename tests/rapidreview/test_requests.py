"""Information requests and agency returns (issue 6): AS-14, AS-22 (returns due), AS-24, AS-32,
AS-36 (App B authorisation), AS-43/AS-44; agency isolation in pages and the pack."""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from deadlines.models import Deadline
from partnerships.roles import Role
from rapidreview.models import ChronologyEntry, InformationRequest
from rapidreview.pack import PackNotReady, pack_build, pack_request, render_pack_pdf
from rapidreview.services import (
    RapidReviewError,
    requests_issue,
    return_authorise,
    return_send_back,
    return_submit,
)
from tests.cases.helpers import d
from tests.rapidreview.conftest import VALID_RETURN, complete_return


def issue(review, people, agencies, on=dt.date(2025, 4, 22)):
    return requests_issue(
        review=review,
        by=people.bu,
        agencies=agencies,
        period_from=dt.date(2022, 4, 14),
        period_to=dt.date(2025, 4, 16),
        on=on,
    )


def detail(r):
    return reverse("request_detail", args=[r.review.partnership.slug, r.pk])


@pytest.mark.django_db
def test_as22_each_agency_return_is_due_5_working_days_after_its_request(world, people, review_for):
    review = review_for("cambridgeshire-peterborough")
    [request] = issue(review, people, [world.provider], on=dt.date(2025, 4, 22))  # Tue 22 Apr
    row = Deadline.objects.get(case=review.case, rule_key="agency_returns", subject=request.subject_key)
    assert row.due == dt.date(2025, 4, 29)  # Tue 29 Apr 2025


@pytest.mark.django_db
def test_agency_completes_lead_authorises_chronology_built_and_deadline_met(
    client, world, people, review_for
):
    review = review_for("north-east-lincolnshire")
    [request] = issue(review, people, [world.provider])
    author = world.user(Role.PRACTITIONER)  # provider agency
    client.force_login(author)
    complete_return(client, request)
    client.post(reverse("request_submit", args=[world.partnership.slug, request.pk]), {"nil": "no"})
    request.refresh_from_db()
    assert request.status == InformationRequest.Status.AWAITING_AUTHORISATION
    client.force_login(people.lead)
    r = client.post(
        reverse("request_authorise", args=[world.partnership.slug, request.pk]),
        {"authoriser_name": "A Lead", "authoriser_role": "Named nurse", "confirm": "on"},
    )
    assert r.status_code == 302
    request.refresh_from_db()
    assert request.status == InformationRequest.Status.AUTHORISED
    assert [e.event for e in ChronologyEntry.objects.filter(review=review)] == [
        "Home visit",
        "A&E attendance",
    ]
    row = Deadline.objects.get(case=review.case, rule_key="agency_returns", subject=request.subject_key)
    assert row.status == "met"


@pytest.mark.django_db
def test_as24_business_unit_sends_a_return_back_with_a_reason(world, people, review_for):
    review = review_for("cambridgeshire-peterborough")
    [request] = issue(review, people, [world.provider])
    return_submit(request=request, by=people.lead, nil=True, nil_reason="Not known to us.")
    return_authorise(request=request, by=people.lead, authoriser_name="A Lead", authoriser_role="Named nurse")
    with pytest.raises(RapidReviewError, match="Say what"):
        return_send_back(request=request, by=people.bu, reason=" ")
    return_send_back(request=request, by=people.bu, reason="Insufficient analysis")
    request.refresh_from_db()
    assert request.status == InformationRequest.Status.SENT_BACK and request.sent_back_at is not None
    assert request.sent_back_reason == "Insufficient analysis" and request.sent_back_count == 1
    event = AuditEvent.objects.get(action="rapidreview.return.sent_back")
    assert event.reason == "Insufficient analysis"


@pytest.mark.django_db
def test_as32_bradford_tool_needs_one_recommended_review_type_and_the_board_counts_them(
    client, world, people, review_for
):
    review = review_for("bradford")
    [request] = issue(review, people, [world.provider])
    client.force_login(world.user(Role.PRACTITIONER))
    url = reverse("request_section", args=[world.partnership.slug, request.pk, "igt_recommendation"])
    r = client.post(url, {"action": "continue"})
    assert r.status_code == 400 and "Select an answer" in r.content.decode()
    r = client.post(url, {"review_type": ["local", "national"], "action": "continue"})
    assert r.status_code == 302  # a radio sends one value: the first is kept
    complete_return(client, request)
    return_submit(request=request, by=people.lead)
    return_authorise(request=request, by=people.lead, authoriser_name="A Lead", authoriser_role="Named nurse")
    client.force_login(people.bu)
    page = client.get(reverse("rapid_review", args=[world.partnership.slug, review.case_id])).content.decode()
    assert (
        "Local child safeguarding practice review (issues to be dealt with at a local level): <strong>1</strong>"
        in page
    )


@pytest.mark.django_db
def test_as36_dorset_briefing_report_needs_the_authorisers_name_and_role(world, people, review_for):
    review = review_for("dorset")
    [request] = issue(review, people, [world.provider])
    return_submit(request=request, by=people.lead, nil=True, nil_reason="Not known.")
    with pytest.raises(RapidReviewError, match="name and role"):
        return_authorise(request=request, by=people.lead, authoriser_name="", authoriser_role="")
    return_authorise(
        request=request, by=people.lead, authoriser_name="A Lead", authoriser_role="Senior manager"
    )
    request.refresh_from_db()
    assert request.status == InformationRequest.Status.NIL
    assert (
        request.agency_return.authoriser_role == "A Lead, Senior manager"
        and request.agency_return.authorised_at
    )


@pytest.mark.django_db
def test_as44_nel_pack_waits_for_every_return_or_nil_return(world, people, review_for):
    review = review_for("north-east-lincolnshire")
    first, second = issue(review, people, [world.provider, world.school])
    return_submit(request=first, by=people.lead, nil=True, nil_reason="Not known.")
    return_authorise(request=first, by=people.lead, authoriser_name="A", authoriser_role="B")
    with pytest.raises(PackNotReady, match="Testshire schools"):
        pack_request(review=review, by=people.bu)
    school_lead = world.user(Role.AGENCY_LEAD, world.school)
    return_submit(request=second, by=school_lead, nil=True, nil_reason="Not known.")
    return_authorise(request=second, by=school_lead, authoriser_name="A", authoriser_role="B")
    pack_request(review=review, by=people.bu)
    review.refresh_from_db()
    assert review.pack_status == "queued"


@pytest.mark.django_db
def test_as43_nel_asks_perpetrator_agencies_too(client, world, people, review_for):
    review = review_for("north-east-lincolnshire")
    client.force_login(people.bu)
    url = reverse("requests_new", args=[world.partnership.slug, review.case_id])
    page = client.get(url).content.decode()
    assert "involved with the suspected perpetrator" in page
    data = {
        "agencies": [str(world.provider.pk)],
        "perpetrator_agencies": [str(world.police.pk)],
        "period_from_day": "16",
        "period_from_month": "4",
        "period_from_year": "2024",
        "period_to_day": "16",
        "period_to_month": "4",
        "period_to_year": "2025",
    }
    assert client.post(url, data).status_code == 302
    police = InformationRequest.objects.get(agency=world.police)
    assert police.reasons == ["perpetrator"]


@pytest.mark.django_db
def test_as14_default_period_is_three_years_before_the_incident_in_darlington(
    client, world, people, review_for
):
    review = review_for("darlington")
    client.force_login(people.bu)
    page = client.get(reverse("requests_new", args=[world.partnership.slug, review.case_id])).content.decode()
    # The referral's incident date is Mon 14 Apr 2025; 36 months earlier is Fri 14 Apr 2022.
    assert 'id="id_period_from_day" name="period_from_day" type="text" inputmode="numeric" value="14"' in page
    assert 'name="period_from_year" type="text" inputmode="numeric" value="2022"' in page


@pytest.mark.django_db
def test_as14_an_entry_before_the_period_is_allowed_but_flagged_outside_the_standard_range(
    client, world, people, review_for
):
    review = review_for("darlington")
    [request] = issue(review, people, [world.provider])  # period from Thu 14 Apr 2022
    client.force_login(world.user(Role.PRACTITIONER))
    complete_return(client, request)
    old = {k.replace("x", "chronology-2-date"): v for k, v in d("x", dt.date(2021, 1, 11)).items()}
    url = reverse("request_section", args=[world.partnership.slug, request.pk, "chronology"])
    r = client.post(
        url,
        {**VALID_RETURN["chronology"], "chronology-rows": "3", "chronology-2-event": "Old referral", **old}
        | {"action": "continue"},
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    client.post(reverse("request_submit", args=[world.partnership.slug, request.pk]), {"nil": "no"})
    client.force_login(people.lead)
    client.post(
        reverse("request_authorise", args=[world.partnership.slug, request.pk]),
        {"authoriser_name": "A Lead", "authoriser_role": "Named nurse", "confirm": "on"},
    )
    client.force_login(people.bu)
    page = client.get(reverse("rapid_review", args=[world.partnership.slug, review.case_id])).content.decode()
    assert "Old referral" in page and page.count("Before the standard period") == 1


@pytest.mark.django_db
def test_look_back_is_chosen_by_the_business_unit_where_the_procedure_sets_none(
    client, world, people, review_for
):
    review = review_for("dorset")  # 003 sets no look-back period
    client.force_login(people.bu)
    url = reverse("requests_new", args=[world.partnership.slug, review.case_id])
    page = client.get(url).content.decode()
    assert "does not set a look-back period" in page
    assert 'name="period_from_year" type="text" inputmode="numeric" value=""' in page  # no silent 36 months
    assert 'name="period_to_year" type="text" inputmode="numeric" value=' in page
    r = client.post(url, {"agencies": [str(world.provider.pk)], **d("period_to", dt.date(2025, 4, 16))})
    assert r.status_code == 400 and not InformationRequest.objects.exists()
    r = client.post(
        url,
        {
            "agencies": [str(world.provider.pk)],
            **d("period_from", dt.date(2023, 1, 1)),
            **d("period_to", dt.date(2025, 4, 16)),
        },
    )
    assert r.status_code == 302
    assert InformationRequest.objects.get().period_from == dt.date(2023, 1, 1)


@pytest.mark.django_db
def test_agencies_see_only_their_own_request_and_return(client, world, people, review_for):
    review = review_for("dorset")
    mine, theirs = issue(review, people, [world.provider, world.school])
    school_author = world.user(Role.PRACTITIONER, world.school)
    client.force_login(school_author)
    complete_return(client, theirs)
    assert client.get(detail(theirs)).status_code == 200
    client.force_login(world.user(Role.PRACTITIONER))  # the provider agency
    assert client.get(detail(theirs)).status_code == 404
    assert (
        client.get(
            reverse("request_section", args=[world.partnership.slug, theirs.pk, "appb_summary"])
        ).status_code
        == 404
    )
    listing = client.get(reverse("request_list", args=[world.partnership.slug])).content.decode()
    assert f"Request {mine.pk}" in listing and f"Request {theirs.pk}" not in listing
    assert (
        client.get(reverse("rapid_review", args=[world.partnership.slug, review.case_id])).status_code == 404
    )
    # The business unit does not see a return's contents before the agency's lead authorises it.
    client.force_login(people.bu)
    page = client.get(detail(theirs)).content.decode()
    assert "Universal services only." not in page and "once the agency" in page


@pytest.mark.django_db
def test_pack_contains_every_return_and_the_integrated_chronology(client, world, people, review_for):
    review = review_for("north-east-lincolnshire")
    [request] = issue(review, people, [world.provider])
    client.force_login(world.user(Role.PRACTITIONER))
    complete_return(client, request)
    return_submit(request=request, by=people.lead)
    return_authorise(request=request, by=people.lead, authoriser_name="A", authoriser_role="B")
    pdf, pages = render_pack_pdf(review)
    assert pdf.startswith(b"%PDF") and pages >= 3
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", f.name, "-"], capture_output=True, text=True, check=True
        ).stdout
    per_page = text.split("\f")
    assert all("CONFIDENTIAL" in p for p in per_page if p.strip())
    assert "Open to health visiting." in text and "Integrated chronology" in text
    assert text.index("Home visit") < text.index("A&E attendance")  # sorted by date
    pack_build(review.pk)
    review.refresh_from_db()
    assert review.pack_status == "ready" and review.pack_pages == pages
    client.force_login(people.bu)
    r = client.get(reverse("rapid_review_pack_pdf", args=[world.partnership.slug, review.case_id]))
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"%PDF")
    client.force_login(people.lead)  # an agency user: no pack
    assert (
        client.get(
            reverse("rapid_review_pack_pdf", args=[world.partnership.slug, review.case_id])
        ).status_code
        == 404
    )


@pytest.mark.django_db
def test_bradford_information_gathering_tool_has_its_child_family_incident_and_agencies_sections(
    client, world, people, review_for
):
    review = review_for("bradford")
    [request] = issue(review, people, [world.provider])
    client.force_login(world.user(Role.PRACTITIONER))
    complete_return(client, request)
    slug = world.partnership.slug
    r = client.post(
        reverse("request_section", args=[slug, request.pk, "igt_family"]),
        {
            "family-rows": "1",
            "family-0-name_address": "Alex Example, 1 Synthetic Street",
            "family-0-relationship": "Mother",
            "action": "continue",
        },
    )
    assert r.status_code == 302
    r = client.post(
        reverse("request_section", args=[slug, request.pk, "igt_agencies"]),
        {
            "other_agencies-rows": "1",
            "other_agencies-0-agency": "Example housing association",
            "other_agencies-0-reason": "Current tenancy support",
            "action": "continue",
        },
    )
    assert r.status_code == 302
    page = client.get(detail(request)).content.decode()
    for title in (
        "Child or children subject of the review",
        "Family details",
        "Incident details",
        "Other agencies known to be involved",
    ):
        assert title in page, title
    page = client.get(reverse("request_section", args=[slug, request.pk, "igt_incident"])).content.decode()
    assert "Date of the incident" in page and "Carer at the time of the incident, if known" in page
