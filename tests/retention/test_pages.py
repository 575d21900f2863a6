"""The retention and privacy pages: the business unit decides through the review page; bad input and
a legal hold change nothing; a partnership sees only its own queue, holds and decisions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Case
from partnerships.roles import Role
from privacy.models import LegalHold, SharingDecision
from privacy.services import place_legal_hold
from retention.models import RetentionRule, ReviewItem, Tombstone
from tests.retention.helpers import close_long_ago, queued


@pytest.fixture
def bu(profiled):
    return profiled.user(Role.BUSINESS_UNIT)


def test_business_unit_confirms_a_deletion_on_the_review_page(client, open_case, bu):
    case = close_long_ago(open_case)
    item = queued(case)
    client.force_login(bu)
    url = f"/p/{case.partnership.slug}/retention/reviews/{item.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert b"What would be deleted" in page.content and b"Case events" in page.content
    answer = client.post(url, {"decision": "delete", "reason": "Past its date, nothing open"})
    assert answer.status_code == 302
    assert not Case.objects.filter(pk=case.pk).exists()
    listing = client.get(f"/p/{case.partnership.slug}/retention/reviews/")
    assert case.reference.encode() in listing.content and b"No case has been deleted" not in listing.content
    assert Tombstone.objects.get().reference == case.reference
    assert client.get(url).status_code == 200  # the decided review says so


def test_the_review_page_refuses_under_a_legal_hold_and_changes_nothing(client, open_case, bu):
    case = close_long_ago(open_case)
    place_legal_hold(case=case, kind="coroner", reason="Inquest opened", by=bu)
    item = queued(case)
    client.force_login(bu)
    url = f"/p/{case.partnership.slug}/retention/reviews/{item.pk}/"
    assert b"legal hold is active" in client.get(url).content
    answer = client.post(url, {"decision": "delete", "reason": "Past its date"})
    assert answer.status_code == 400 and b"legal hold is active" in answer.content
    assert Case.objects.filter(pk=case.pk).exists()
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.WAITING


def test_bad_input_on_the_review_page_changes_nothing(client, open_case, bu):
    item = queued(close_long_ago(open_case))
    client.force_login(bu)
    url = f"/p/{open_case.partnership.slug}/retention/reviews/{item.pk}/"
    for data in (
        {},
        {"decision": "delete"},
        {"decision": "defer", "reason": "Complaint open"},
        {
            "decision": "defer",
            "reason": "x",
            "review_again_on_day": "1",
            "review_again_on_month": "1",
            "review_again_on_year": "2001",
        },
    ):
        assert client.post(url, data).status_code == 400, data
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.WAITING
    later = timezone.localdate() + dt.timedelta(days=90)
    answer = client.post(
        url,
        {
            "decision": "defer",
            "reason": "Complaint open",
            "review_again_on_day": later.day,
            "review_again_on_month": later.month,
            "review_again_on_year": later.year,
        },
    )
    assert answer.status_code == 302
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.DEFERRED and item.review_again_on == later


def test_the_administrator_sets_the_schedule_and_bad_input_changes_nothing(client, profiled):
    admin = profiled.user(Role.PARTNERSHIP_ADMIN)
    client.force_login(admin)
    url = f"/p/{profiled.partnership.slug}/retention/"
    page = client.get(url)
    assert b"Limitation Act 1980" in page.content and b"12 months" in page.content
    for data in (
        {"years_closed_case": "abc", "years_unsent_referral": "1", "reason": "x"},
        {"years_closed_case": "0", "years_unsent_referral": "1", "reason": "x"},
        {"years_closed_case": "10", "years_unsent_referral": "1", "reason": ""},
        {"years_closed_case": "10", "years_unsent_referral": "", "reason": "x"},
        {"years_closed_case": "10", "years_unsent_referral": "1", "reason": "a\x00b"},
    ):
        assert client.post(url, data).status_code == 400, data
    assert not RetentionRule.objects.exists()
    assert (
        client.post(
            url, {"years_closed_case": "10", "years_unsent_referral": "1", "reason": "Agreed by the partners"}
        ).status_code
        == 302
    )
    assert RetentionRule.objects.get().keep_years == 10


def test_holds_and_sharing_decisions_through_the_pages_and_the_case_panel(client, open_case, profiled):
    partner = profiled.user(Role.PARTNER_REP)
    client.force_login(partner)
    base = f"/p/{open_case.partnership.slug}/cases/{open_case.pk}"
    assert client.post(f"{base}/legal-holds/new/", {"kind": "criminal"}).status_code == 400
    assert (
        client.post(f"{base}/legal-holds/new/", {"kind": "criminal", "reason": "Trial listed"}).status_code
        == 302
    )
    hold = LegalHold.objects.get()
    assert (
        client.post(f"{base}/sharing-decisions/new/", {"shared": "yes", "shared_with": "Coroner"}).status_code
        == 400
    )
    answer = client.post(
        f"{base}/sharing-decisions/new/",
        {
            "shared": "no",
            "shared_with": "A newspaper",
            "what": "The chronology",
            "reason": "No lawful basis",
            "decided_on_day": "1",
            "decided_on_month": "3",
            "decided_on_year": "2026",
        },
    )
    assert answer.status_code == 302
    decision = SharingDecision.objects.get()
    assert not decision.shared and decision.basis == SharingDecision.Basis.NOT_SHARED
    panel = client.get(f"{base}/").content
    assert b"Criminal proceedings" in panel and b"A newspaper" in panel and b"Not shared" in panel
    assert client.post(f"{base}/legal-holds/{hold.pk}/lift/", {"reason": "Verdict given"}).status_code == 302
    hold.refresh_from_db()
    assert not hold.is_active
    assert client.post(f"{base}/legal-holds/{hold.pk}/lift/", {"reason": "Again"}).status_code == 400


def test_another_partnership_sees_nothing_of_this_one(client, open_case, profiled, bu):
    item = queued(close_long_ago(open_case))
    hold = place_legal_hold(case=open_case, kind="coroner", reason="Inquest", by=bu)
    own, other = profiled.partnership.slug, profiled.other_partnership.slug
    outsider = profiled.outsider(Role.BUSINESS_UNIT)
    client.force_login(outsider)
    for url in (
        f"/p/{own}/retention/",
        f"/p/{own}/retention/reviews/",
        f"/p/{own}/retention/reviews/{item.pk}/",
        f"/p/{own}/cases/{open_case.pk}/legal-holds/new/",
        f"/p/{own}/cases/{open_case.pk}/legal-holds/{hold.pk}/lift/",
        f"/p/{own}/cases/{open_case.pk}/sharing-decisions/new/",
        # Through the outsider's own partnership's address, with this partnership's ids.
        f"/p/{other}/retention/reviews/{item.pk}/",
        f"/p/{other}/cases/{open_case.pk}/legal-holds/{hold.pk}/lift/",
    ):
        assert client.get(url).status_code == 404, url
        if not url.endswith("/retention/reviews/"):
            answer = client.post(url, {"decision": "delete", "reason": "x", "kind": "other"})
            assert answer.status_code == 404, url
    assert Case.objects.filter(pk=open_case.pk).exists() and LegalHold.objects.get().is_active
    assert b"Nothing is waiting" in client.get(f"/p/{other}/retention/reviews/").content


def test_a_panel_member_reads_the_holds_in_the_case_panel_but_cannot_change_them(
    client, open_case, profiled, bu
):
    place_legal_hold(case=open_case, kind="coroner", reason="Inquest about the family", by=bu)
    client.force_login(profiled.user(Role.PANEL_MEMBER))
    page = client.get(f"/p/{open_case.partnership.slug}/cases/{open_case.pk}/").content
    assert b"Inquest about the family" in page and b"Place a legal hold" not in page


def test_the_business_unit_exports_a_whole_case_and_the_export_is_recorded(client, open_case, profiled, bu):
    import io
    import json
    import zipfile

    from audit.models import AccessEvent

    client.force_login(bu)
    url = f"/p/{open_case.partnership.slug}/cases/{open_case.pk}/export/"
    assert client.get(url).status_code == 200
    assert client.post(url, {"purpose": "Subject access request"}).status_code == 400
    assert not AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT).exists()
    answer = client.post(url, {"purpose": "Subject access request", "reference": "SAR-2026-17"})
    assert answer.status_code == 200 and answer["Content-Type"] == "application/zip"
    assert answer["Content-Disposition"] == f'attachment; filename="case-{open_case.reference}.zip"'
    with zipfile.ZipFile(io.BytesIO(answer.content)) as z:
        assert json.loads(z.read("manifest.json"))["reason"] == "Subject access request SAR-2026-17"
    event = AccessEvent.objects.get(kind=AccessEvent.Kind.EXPORT)
    assert event.user == bu and event.object_id == str(open_case.pk) and "SAR-2026-17" in event.detail
    client.force_login(profiled.user(Role.PARTNER_REP))
    assert client.post(url, {"purpose": "Subject access request", "reference": "x"}).status_code == 403


@pytest.mark.django_db
def test_demo_gives_two_partnerships_a_review_queue_with_one_case_on_hold(client, settings):
    from django.core.management import call_command

    from partnerships.demo import demo_email
    from partnerships.models import User

    settings.DEMO_DATA = True
    call_command("load_demo", quiet=True)
    call_command("load_demo", quiet=True)  # idempotent
    for slug in ("darlington", "dorset"):
        waiting = ReviewItem.objects.filter(partnership__slug=slug, status=ReviewItem.Status.WAITING)
        assert waiting.count() == 2
        assert LegalHold.objects.filter(partnership__slug=slug, lifted_at__isnull=True).count() == 1
        client.force_login(User.objects.get(email=demo_email("business-unit", slug)))
        page = client.get(f"/p/{slug}/retention/reviews/")
        assert page.status_code == 200 and page.content.count(b"Decide") >= 2
