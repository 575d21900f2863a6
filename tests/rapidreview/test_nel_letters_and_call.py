"""North East Lincolnshire's own letters and call (issue 10; seed 004 F1-F2):

* the SRG is sent SCSI-3 when the partners get SCSI-2, to whoever holds the role the profile maps to
  the SRG; with nobody in it, the business unit is told;
* SCSI-4, SRG-8 and Letter-9 are produced as PDFs kept as ``documents`` versions, each once its step
  allows, and downloaded only through the door;
* the partners' telephone conference on Working Day Fourteen is arranged with a calendar invitation.

D = Wed 16 Apr 2025 (notification received); Working Day Fourteen = Fri 9 May 2025 (AS-43)."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from cases.models import CaseLetter
from cases.services import partners_inform
from deadlines.rules import ProfileError, load_profile
from documents.models import Document, DocumentVersion, StoredFile
from notifications.models import OutboxMessage
from partnerships.profiles import read_seed_profile
from partnerships.roles import Role
from rapidreview.conference import conference_schedule
from rapidreview.letters import letter_facts, letter_produce, letter_spec, render_letter_html
from rapidreview.models import PartnersConference
from rapidreview.services import RapidReviewError
from tests.states import (
    a_case_in_its_rapid_review,
    a_case_with_rapid_review_decided,
    a_referred_case,
    at,
    sign_all,
    travel,
)

pytestmark = pytest.mark.django_db

SLUG = "north-east-lincolnshire"
WD14 = dt.date(2025, 5, 9)
TEXTS = {
    "scsi4": {"What the safeguarding partners are asked to do": "Keep the dates free."},
    "srg8": {
        "The SRG's recommendation": "The SRG recommends a local review.",
        "The safeguarding partners' agreed response": "We agree with the SRG.",
    },
    "letter9": {"The decision of the rapid review": "A local review will follow."},
}


def _url(name: str, review, *args) -> str:
    return reverse(name, args=[review.partnership.slug, review.case_id, *args])


# ------------------------------------------------------------------------------------------------
# SCSI-3 to the SRG with SCSI-2
# ------------------------------------------------------------------------------------------------


def test_the_srg_is_sent_scsi3_when_the_partners_get_scsi2(world, people, profiled_as):
    profiled_as(SLUG)
    srg_member = world.user(Role.PANEL_MEMBER)
    case = a_referred_case(world, people)
    partners_inform(
        case=case,
        by=people.bu,
        subject="Case notified",
        body="Dear partners",
        group_letters={"srg": ("SRG subject", "Dear SRG members")},
    )
    partners = CaseLetter.objects.get(case=case, kind=CaseLetter.Kind.PARTNERS_INFORMED)
    srg = CaseLetter.objects.get(case=case, kind=CaseLetter.Kind.GROUP_INFORMED)
    assert partners.name.startswith("SCSI-2 Letter to Safeguarding Partners")
    assert srg.name.startswith("SCSI-3 Letter to SRG") and srg.body == "Dear SRG members"
    assert list(srg.recipients.all()) == [srg_member]
    assert set(partners.recipients.all()) == {people.la_rep, people.police_rep, people.health_rep}
    row = OutboxMessage.objects.get(event_key=f"letter:{srg.pk}")
    assert row.recipient == srg_member and "SCSI-3" in row.context["summary"]
    assert AuditEvent.objects.filter(action="cases.group.informed").count() == 1


def test_with_nobody_in_the_srg_the_business_unit_is_told_it_reached_nobody(
    world, people, profiled_as, client
):
    profiled_as(SLUG)
    case = a_referred_case(world, people)
    client.force_login(people.bu)
    url = reverse("case_inform_partners", args=[world.partnership.slug, case.pk])
    page = client.get(url).content.decode()
    assert "Nobody in the system is a member of the Child Safeguarding Practice Review Group (SRG)" in page
    r = client.post(
        url,
        {
            "subject": "Case notified",
            "body": "Dear partners",
            "srg_subject": "For the SRG",
            "srg_body": "Dear SRG",
        },
        follow=True,
    )
    assert r.status_code == 200 and "reached nobody" in r.content.decode()
    srg = CaseLetter.objects.get(case=case, kind=CaseLetter.Kind.GROUP_INFORMED)
    assert not srg.recipients.exists()
    told = OutboxMessage.objects.get(event_key=f"letter:{srg.pk}:nobody")
    assert told.recipient == people.bu and "reached nobody" in told.context["summary"]


def test_a_missing_srg_letter_is_refused_and_nothing_is_sent(world, people, profiled_as, client):
    profiled_as(SLUG)
    case = a_referred_case(world, people)
    client.force_login(people.bu)
    url = reverse("case_inform_partners", args=[world.partnership.slug, case.pk])
    r = client.post(
        url, {"subject": "Case notified", "body": "Dear partners", "srg_subject": "", "srg_body": ""}
    )
    assert r.status_code == 400
    assert "Enter the subject of the SCSI-3 Letter to SRG" in r.content.decode()
    assert not CaseLetter.objects.filter(case=case).exists()


def test_a_profile_without_the_section_sends_only_the_partners_letter(world, people, profiled_as):
    profiled_as("darlington")
    world.user(Role.PANEL_MEMBER)
    case = a_referred_case(world, people)
    partners_inform(case=case, by=people.bu, subject="Case notified", body="Dear partners")
    assert list(CaseLetter.objects.filter(case=case).values_list("kind", flat=True)) == ["partners_informed"]


@pytest.mark.parametrize(
    "section, change, message",
    [
        ("inform_partners", lambda s: s["also_inform"][0].update(roles=["chairman"]), "roles"),
        ("inform_partners", lambda s: s["also_inform"][0].update(body="committee"), "body"),
        ("rapid_review", lambda s: s["partners_conference"].update(rule="no_such_rule"), "rule"),
        ("rapid_review", lambda s: s["documents"][0].update(page="nowhere"), "page"),
        ("rapid_review", lambda s: s["documents"][1].update(sections=[]), "sections"),
    ],
)
def test_the_profile_sections_refuse_mistakes(section, change, message):
    data = copy.deepcopy(read_seed_profile(SLUG))
    change(data[section])
    with pytest.raises(ProfileError, match=message):
        load_profile(data)


# ------------------------------------------------------------------------------------------------
# The partners' telephone conference on Working Day Fourteen
# ------------------------------------------------------------------------------------------------


def test_the_partners_call_on_day_14_invites_the_partners_with_a_calendar_event(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, SLUG)
    with travel(dt.date(2025, 4, 17)):
        call, count, warnings = conference_schedule(
            review=review, by=people.bu, scheduled_for=at(WD14, 14), location="Telephone"
        )
    assert warnings == [] and count == 4
    rows = OutboxMessage.objects.filter(event_key=f"rr-conference:{call.pk}:invite:0")
    assert {r.recipient for r in rows} == {people.la_rep, people.police_rep, people.health_rep, people.bu}
    event = rows.first().context["calendar_event"]
    assert event["uid"] == f"partners-conference-{call.pk}" and event["sequence"] == 0
    assert event["summary"] == "Safeguarding partners' telephone conference"
    assert "Friday 9 May 2025 at 14:00" in rows.first().context["summary"]


def test_a_call_off_day_14_is_warned_and_moving_it_updates_the_same_event(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, SLUG)
    with travel(dt.date(2025, 4, 17)):
        call, _, warnings = conference_schedule(
            review=review, by=people.bu, scheduled_for=at(dt.date(2025, 5, 10), 10), location="Telephone"
        )
        assert warnings == [
            "Saturday 10 May 2025 is not a working day (Saturday).",
            "The procedure holds the call on Friday 9 May 2025, not Saturday 10 May 2025.",
        ]
        call, _, warnings = conference_schedule(
            review=review, by=people.bu, scheduled_for=at(WD14, 14), location="Telephone"
        )
    assert warnings == [] and call.invitation_sequence == 1
    moved = OutboxMessage.objects.get(event_key=f"rr-conference:{call.pk}:invite:1", recipient=people.la_rep)
    assert moved.context["calendar_event"]["uid"] == f"partners-conference-{call.pk}"
    assert moved.context["summary"].startswith("The safeguarding partners' telephone conference has moved.")
    with pytest.raises(RapidReviewError, match="already set"):
        conference_schedule(review=review, by=people.bu, scheduled_for=at(WD14, 14), location="Telephone")


def test_the_call_page_bad_input_changes_nothing_and_only_the_business_unit_arranges(
    world, people, profiled_as, client
):
    review = a_case_in_its_rapid_review(world, people, profiled_as, SLUG)
    url = _url("rr_conference", review)
    client.force_login(people.bu)
    page = client.get(url)
    assert page.status_code == 200 and "Friday 9 May 2025" in page.content.decode()
    r = client.post(
        url, {"date_day": "9", "date_month": "5", "date_year": "2025", "time": "2pm", "location": ""}
    )
    assert r.status_code == 400 and "govuk-error-summary" in r.content.decode()
    assert not PartnersConference.objects.exists()
    r = client.post(
        url,
        {"date_day": "9", "date_month": "5", "date_year": "2025", "time": "14:00", "location": "Telephone"},
    )
    assert r.status_code == 302 and PartnersConference.objects.get().location == "Telephone"
    client.force_login(people.la_rep)
    assert client.get(url).status_code == 200
    assert client.post(url, {"time": "15:00"}).status_code == 403
    client.force_login(people.other_lead)
    assert client.get(url).status_code == 404


def test_a_partnership_without_the_call_has_no_call_page(world, people, profiled_as, client):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "darlington")
    client.force_login(people.bu)
    assert client.get(_url("rr_conference", review)).status_code == 404
    assert client.get(_url("rr_letter", review, "scsi4")).status_code == 404


# ------------------------------------------------------------------------------------------------
# SCSI-4, SRG-8 and Letter-9
# ------------------------------------------------------------------------------------------------


def test_scsi4_holds_the_working_day_timetable_and_each_production_is_a_new_version(
    world, people, profiled_as
):
    review = a_case_in_its_rapid_review(world, people, profiled_as, SLUG)
    spec = letter_spec(review, "scsi4")
    html = render_letter_html(review, spec, list(TEXTS["scsi4"].items()))
    assert "SCSI-4 Rapid Review letter" in html
    assert "Friday 9 May 2025" in html and "Monday 12 May 2025" in html  # WD14 and WD15 (AS-43)
    first = letter_produce(review=review, key="scsi4", by=people.bu, texts=TEXTS["scsi4"])
    second = letter_produce(
        review=review, key="scsi4", by=people.bu, texts=TEXTS["scsi4"], note="Dates moved"
    )
    document = Document.objects.get(case=review.case, kind="rr_scsi4")
    assert (first.number, second.number, second.document_id) == (1, 2, document.pk)
    assert document.owner_kind == "rr_letter" and document.owner_id == review.pk
    with second.file.blob.open("rb") as fh:
        assert fh.read(4) == b"%PDF"
    assert AuditEvent.objects.filter(action="rapidreview.letter.produced").count() == 2


def test_srg8_needs_the_recommendation_and_letter9_the_partners_signatures(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, SLUG)
    with pytest.raises(RapidReviewError, match="Record the SRG's recommendation"):
        letter_produce(review=review, key="srg8", by=people.bu, texts=TEXTS["srg8"])
    with travel(dt.date(2025, 5, 6)):
        decision = a_case_with_rapid_review_decided(review, world, people, on=dt.date(2025, 5, 6))
    letter_produce(review=review, key="srg8", by=people.bu, texts=TEXTS["srg8"])
    with pytest.raises(RapidReviewError, match="not all signed"):
        letter_produce(review=review, key="letter9", by=people.bu, texts=TEXTS["letter9"])
    with travel(WD14):
        sign_all(decision, world, people)
    srg8 = dict(letter_facts(review, letter_spec(review, "srg8")))
    assert srg8["The SRG's recommendation"] == "Local CSPR is appropriate"
    assert srg8[world.police.name].startswith("Agrees. Signed electronically by")
    assert "Friday 9 May 2025" in srg8[world.police.name]
    letter_produce(review=review, key="letter9", by=people.bu, texts=TEXTS["letter9"])
    letter9 = dict(letter_facts(review, letter_spec(review, "letter9")))
    assert letter9["To"] == "Child Safeguarding Practice Review Panel"
    assert letter9["Signed by the safeguarding partners"] == "Friday 9 May 2025"
    assert letter9["Enclosed"].endswith("Decision Record, version 1")
    assert letter9["Panel notified"].endswith("reference PANEL-1")


def test_the_document_page_refuses_empty_text_and_the_download_goes_through_the_door(
    world, people, profiled_as, client
):
    review = a_case_in_its_rapid_review(world, people, profiled_as, SLUG)
    url = _url("rr_letter", review, "scsi4")
    client.force_login(people.bu)
    r = client.post(url, {"section_0": "   "})
    assert (
        r.status_code == 400 and "Enter what the safeguarding partners are asked to do" in r.content.decode()
    )
    assert not DocumentVersion.objects.exists()
    assert client.post(url, {"section_0": "Keep the dates free."}).status_code == 302
    stored = StoredFile.objects.get(owner_kind="rr_letter", owner_id=review.pk)
    download = reverse("file_download", args=[world.partnership.slug, stored.pk])
    assert f'href="{download}"' in client.get(url).content.decode()
    assert client.get(download).status_code == 200
    client.force_login(people.la_rep)
    assert client.get(download).status_code == 200 and client.get(url).status_code == 200
    assert client.post(url, {"section_0": "x"}).status_code == 403
    other_practitioner = world.user(Role.PRACTITIONER, world.school)
    for who in (people.other_lead, other_practitioner, people.outsider):
        client.force_login(who)
        assert client.get(download).status_code == 404
        assert client.get(url).status_code == 404
