"""Publication (issue 12; coverage A11): the decision, pre-publication copies at least seven working
days before, the press statement, publication with date, link and reviewer, kept at least a year."""

from __future__ import annotations

import datetime as dt

import pytest

from audit.models import AuditEvent
from publication.errors import PublicationError
from publication.models import Publication
from publication.services.anonymisation import anonymisation_run
from publication.services.approval import approval_new_version
from publication.services.publishing import (
    prepublication_copy_record,
    press_statement_record,
    publication_decide,
    publish,
    task_done,
    unpublish,
)
from tests.publication.helpers import an_approved_report, docx_upload
from tests.states import anchor

pytestmark = pytest.mark.django_db

MON_12_MAY = dt.date(2025, 5, 12)
WED_30_APR = dt.date(2025, 4, 30)
LINK = "https://example.org/reports/cspr-1"


def planned(document, people, decision="full", on=MON_12_MAY):
    return publication_decide(
        document=document, by=people.bu, decision=decision, decided_on=dt.date(2025, 4, 1), planned_on=on
    )


def with_statement(publication, people):
    press_statement_record(
        publication=publication,
        by=people.bu,
        reason_for_review="A child was seriously harmed and agencies had been involved.",
        key_findings="Information was not shared between agencies.",
        required_actions="Agencies will share information at the first concern.",
    )


def send_all(publication, people, on):
    from publication.services.publishing import required_recipients

    for key, _label in required_recipients(publication):
        prepublication_copy_record(publication=publication, by=people.bu, recipient=key, sent_on=on)


def test_as_03_published_is_refused_unless_every_copy_went_seven_working_days_before(
    world, people, profiled_as
):
    document = an_approved_report(world, people, profiled_as, "darlington")
    publication = planned(document, people)
    with_statement(publication, people)
    # Panel and SoS on the last day allowed (30 April: seven working days back, skipping 5 May);
    # Ofsted a day late.
    prepublication_copy_record(publication=publication, by=people.bu, recipient="panel", sent_on=WED_30_APR)
    prepublication_copy_record(
        publication=publication, by=people.bu, recipient="secretary_of_state", sent_on=WED_30_APR
    )
    prepublication_copy_record(
        publication=publication, by=people.bu, recipient="ofsted", sent_on=dt.date(2025, 5, 1)
    )
    with pytest.raises(PublicationError, match="Ofsted was not recorded as sent by 30 April 2025"):
        publish(
            publication=publication,
            by=people.bu,
            published_on=MON_12_MAY,
            link=LINK,
            reviewer_name="R. Reviewer",
        )
    publication.refresh_from_db()
    assert publication.status == Publication.Status.PLANNING
    done = publish(
        publication=publication,
        by=people.bu,
        published_on=MON_12_MAY,
        link=LINK,
        reviewer_name="R. Reviewer",
        override_reason="Ofsted agreed to receive it late by telephone.",
    )
    assert done.status == Publication.Status.PUBLISHED and done.copy_override_reason
    event = AuditEvent.objects.filter(action="publication.published").latest("id")
    assert event.reason == "Ofsted agreed to receive it late by telephone."
    assert anchor(document.case, "published") == MON_12_MAY
    assert anchor(document.case, "pre_publication_copy_sent") == dt.date(2025, 5, 1)


def test_as_03_copies_in_time_publish_without_an_override(world, people, profiled_as):
    document = an_approved_report(world, people, profiled_as, "dorset")
    publication = planned(document, people)
    # Dorset: the full report goes to the Panel and the SoS; Ofsted only for the improvements-only version.
    from publication.services.publishing import required_recipients

    assert [k for k, _ in required_recipients(publication)] == ["panel", "secretary_of_state"]
    with_statement(publication, people)
    send_all(publication, people, WED_30_APR)
    done = publish(
        publication=publication, by=people.bu, published_on=MON_12_MAY, link=LINK, reviewer_name="R. Reviewer"
    )
    assert done.copy_override_reason == "" and done.reviewer_name == "R. Reviewer" and done.link == LINK


def test_as_05_a_report_published_on_12_november_2025_stays_up_until_12_november_2026(
    world, people, profiled_as
):
    document = an_approved_report(world, people, profiled_as, "dorset")
    published_on = dt.date(2025, 11, 12)
    publication = planned(document, people, on=published_on)
    with_statement(publication, people)
    send_all(publication, people, dt.date(2025, 11, 1))
    with pytest.raises(PublicationError, match="more than six months after the decision"):
        publish(
            publication=publication,
            by=people.bu,
            published_on=published_on,
            link=LINK,
            reviewer_name="R. Reviewer",
        )
    publication = publish(
        publication=publication,
        by=people.bu,
        published_on=published_on,
        link=LINK,
        reviewer_name="R. Reviewer",
        delay_reason="Criminal proceedings delayed publication.",
    )
    assert publication.keep_until == dt.date(2026, 11, 12)
    with pytest.raises(PublicationError, match="must stay published until 12 November 2026"):
        unpublish(publication=publication, by=people.bu, on=dt.date(2026, 11, 11), reason="Family request")
    publication.refresh_from_db()
    assert publication.status == Publication.Status.PUBLISHED
    early = unpublish(
        publication=publication,
        by=people.bu,
        on=dt.date(2026, 11, 11),
        reason="Family request",
        override_reason="Court order to remove it.",
    )
    assert early.status == Publication.Status.UNPUBLISHED and early.unpublish_override_reason


def test_as_05_on_the_anniversary_no_override_is_needed_and_bradford_gets_the_default_year(
    world, people, profiled_as
):
    from publication import rules

    document = an_approved_report(world, people, profiled_as, "north-east-lincolnshire")
    assert rules.keep_months(document.case) == 12  # NEL's profile sets none: the product default
    publication = planned(document, people)
    with_statement(publication, people)
    send_all(publication, people, WED_30_APR)
    publication = publish(
        publication=publication, by=people.bu, published_on=MON_12_MAY, link=LINK, reviewer_name="R"
    )
    assert publication.keep_until == dt.date(2026, 5, 12)
    assert unpublish(
        publication=publication, by=people.bu, on=dt.date(2026, 5, 12), reason="Archived"
    ).status == (Publication.Status.UNPUBLISHED)


def test_as_19_not_publishing_needs_a_justification_and_makes_the_tasks(world, people, profiled_as):
    document = an_approved_report(world, people, profiled_as, "darlington")
    with pytest.raises(PublicationError, match="justification"):
        publication_decide(
            document=document, by=people.bu, decision="not_published", decided_on=dt.date(2025, 4, 1)
        )
    assert not Publication.objects.filter(document=document).exists()
    publication = publication_decide(
        document=document,
        by=people.bu,
        decision="not_published",
        decided_on=dt.date(2025, 4, 1),
        justification="Publishing would identify the siblings, who live locally.",
    )
    assert publication.status == Publication.Status.NOT_PUBLISHED
    keys = set(publication.tasks.values_list("key", flat=True))
    assert {"justification_sent", "improvements_published"} <= keys
    task = publication.tasks.get(key="justification_sent")
    assert "Panel and the Secretary of State" in task.label
    task_done(task=task, by=people.bu, on=dt.date(2025, 4, 2), note="E-mailed")
    with pytest.raises(PublicationError, match="Only a report whose publication is being planned"):
        publish(publication=publication, by=people.bu, published_on=MON_12_MAY, link=LINK, reviewer_name="R")


def test_as_20_published_needs_a_press_statement_with_its_three_parts(world, people, profiled_as):
    document = an_approved_report(world, people, profiled_as, "darlington")
    publication = planned(document, people)
    send_all(publication, people, WED_30_APR)
    with pytest.raises(PublicationError, match="press statement"):
        publish(publication=publication, by=people.bu, published_on=MON_12_MAY, link=LINK, reviewer_name="R")
    with pytest.raises(PublicationError, match="the key findings, the required actions"):
        press_statement_record(
            publication=publication,
            by=people.bu,
            reason_for_review="Why",
            key_findings=" ",
            required_actions="",
        )
    with_statement(publication, people)
    statement = publication.press_statement
    assert statement.issued_by == "Darlington Borough Council Communications"
    assert publish(
        publication=publication, by=people.bu, published_on=MON_12_MAY, link=LINK, reviewer_name="R"
    ).status == ("published")


def test_publication_is_refused_while_an_anonymisation_hit_is_open_or_the_version_changed(
    world, people, profiled_as
):
    document = an_approved_report(world, people, profiled_as, "north-east-lincolnshire")
    publication = planned(document, people)
    with_statement(publication, people)
    send_all(publication, people, WED_30_APR)
    approval_new_version(
        document=document, by=people.bu, uploaded=docx_upload(["Sam was at home."]), note="Typo"
    )
    with pytest.raises(PublicationError, match="approval chain is not complete"):
        publish(publication=publication, by=people.bu, published_on=MON_12_MAY, link=LINK, reviewer_name="R")
    from tests.publication.helpers import sign_step

    sign_step(document.approval, world, people)
    anonymisation_run(document=document, by=people.bu)
    with pytest.raises(PublicationError, match="1 to fix or accept"):
        publish(publication=publication, by=people.bu, published_on=MON_12_MAY, link=LINK, reviewer_name="R")


def test_a_copy_of_an_earlier_version_does_not_count(world, people, profiled_as):
    from publication.services.publishing import copies_late_or_missing
    from tests.publication.helpers import sign_step

    document = an_approved_report(world, people, profiled_as, "north-east-lincolnshire")
    publication = planned(document, people)
    send_all(publication, people, WED_30_APR)
    assert copies_late_or_missing(publication, MON_12_MAY) == []
    approval_new_version(document=document, by=people.bu, uploaded=docx_upload(["Child A."]), note="Final")
    sign_step(document.approval, world, people)
    assert len(copies_late_or_missing(publication, MON_12_MAY)) == 3
    send_all(publication, people, WED_30_APR)
    assert copies_late_or_missing(publication, MON_12_MAY) == []
