"""Media (issue 12; coverage A11 "Media strategy"): the strategy approved at the start and the media
log, every entry copied to the head of service where the profile says (Cambridgeshire and
Peterborough, 001 App 4; AS-50)."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from notifications.models import OutboxMessage
from partnerships.roles import Role
from publication.errors import PublicationError
from publication.models import MediaLogEntry
from publication.services.media import kinds, media_log_add, media_strategy_record
from tests.states import a_case_with_panel_notified

pytestmark = pytest.mark.django_db


def test_as_50_every_media_entry_is_logged_and_copied_to_the_head_of_service(world, people, profiled_as):
    case = a_case_with_panel_notified(world, people, profiled_as, "cambridgeshire-peterborough")
    head = world.user(Role.HEAD_OF_SERVICE, world.business_unit_agency)
    assert [k for k, _ in kinds(case)] == [
        "communication",
        "partner_tells_comms",
        "comms_tells_chair",
        "leads_tell_operational",
        "media_leads_meet",
    ]
    for kind in ("partner_tells_comms", "communication"):
        media_log_add(
            case=case,
            by=people.bu,
            on=dt.date(2025, 5, 2),
            kind=kind,
            outlet="Local paper",
            summary="Enquiry answered",
        )
    entries = list(MediaLogEntry.objects.filter(case=case))
    assert len(entries) == 2
    assert all(e.copied_to == [head.full_name] for e in entries)
    assert OutboxMessage.objects.filter(recipient=head, case=case).count() == 2
    assert AuditEvent.objects.filter(action="publication.media.logged").count() == 2


def test_a_partnership_without_the_rule_copies_nobody_and_bad_input_changes_nothing(
    world, people, profiled_as
):
    case = a_case_with_panel_notified(world, people, profiled_as, "darlington")
    world.user(Role.HEAD_OF_SERVICE, world.business_unit_agency)
    entry = media_log_add(
        case=case, by=people.bu, on=dt.date(2025, 5, 2), kind="communication", summary="Statement"
    )
    assert entry.copied_to == []
    with pytest.raises(PublicationError, match="kind of media contact"):
        media_log_add(case=case, by=people.bu, on=dt.date(2025, 5, 2), kind="media_leads_meet", summary="x")
    with pytest.raises(PublicationError, match="what was communicated"):
        media_log_add(case=case, by=people.bu, on=dt.date(2025, 5, 2), kind="communication", summary=" ")
    assert MediaLogEntry.objects.filter(case=case).count() == 1
    strategy = media_strategy_record(
        case=case,
        by=people.bu,
        summary="Darlington Borough Council Communications coordinates.",
        approved_on=dt.date(2025, 5, 1),
        approved_by="Statutory Safeguarding Partners",
    )
    assert strategy.approved_by == "Statutory Safeguarding Partners"


def test_the_local_side_of_a_national_review_is_recorded_and_bad_input_changes_nothing(
    world, people, profiled_as, client
):
    from publication.models import NationalReviewLocal
    from publication.services.media import national_review_local_record

    case = a_case_with_panel_notified(world, people, profiled_as, "darlington")
    with pytest.raises(PublicationError, match="Enter the scope"):
        national_review_local_record(
            case=case,
            by=people.bu,
            scope_agreed_on=dt.date(2025, 5, 1),
            scope_and_engagement="",
            staff_support="x",
            local_learning="y",
        )
    assert not NationalReviewLocal.objects.filter(case=case).exists()
    client.force_login(people.bu)
    url = f"/p/{case.partnership.slug}/cases/{case.pk}/national-review/"
    response = client.post(
        url,
        {
            "scope_agreed_on_day": "1",
            "scope_agreed_on_month": "5",
            "scope_agreed_on_year": "2025",
            "scope_and_engagement": "Agreed with the Panel: practitioner interviews through the Panel's reviewers.",
            "staff_support": "Staff offered supervision and the employee assistance programme.",
            "local_learning": "Multi-agency audit of neglect cases continues.",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "1 May 2025" in page and "Multi-agency audit of neglect cases continues." in page


def test_the_media_page_logs_an_entry_and_refuses_an_empty_one(world, people, profiled_as, client):
    case = a_case_with_panel_notified(world, people, profiled_as, "cambridgeshire-peterborough")
    client.force_login(people.bu)
    url = f"/p/{case.partnership.slug}/cases/{case.pk}/media/"
    assert client.post(url, {"form": "log"}).status_code == 400
    assert not MediaLogEntry.objects.filter(case=case).exists()
    response = client.post(
        url,
        {
            "form": "log",
            "log-kind": "communication",
            "log-on_day": "2",
            "log-on_month": "5",
            "log-on_year": "2025",
            "log-summary": "Holding statement sent to the local paper.",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert (
        "Holding statement sent to the local paper." in page and page.count('id="id_strategy-summary"') == 1
    )
