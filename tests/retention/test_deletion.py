"""Retention: the nightly job only queues; the business unit confirms each deletion; a legal hold
refuses it; a deletion removes the case and everything of it (files too), all or nothing, and
leaves a tombstone while the audit chain still verifies (issue 16, privacy by design)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEvent
from cases.models import Case, CaseEvent
from cases.services import case_open
from documents.models import Document, DocumentVersion, StoredFile
from documents.services import add_recommendation
from partnerships.roles import Role
from privacy.models import LegalHold, SharingDecision
from privacy.services import lift_legal_hold, place_legal_hold
from retention.models import RetentionRule, ReviewItem, Tombstone
from retention.services import (
    RetentionError,
    confirm_deletion,
    defer_review,
    queue_due_reviews,
    schedule_set,
)
from tests.retention.helpers import close_long_ago, queued, with_records


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


@pytest.fixture
def bu(profiled):
    return profiled.user(Role.BUSINESS_UNIT)


def _verify_audit() -> str:
    out = StringIO()
    call_command("verify_audit", stdout=out)
    return out.getvalue()


def test_nightly_job_queues_records_past_their_date_once_and_deletes_nothing(open_case, profiled):
    young = close_long_ago(case_open(partnership=profiled.partnership, by=None, facts={}), years=1)
    old = close_long_ago(open_case)
    assert queue_due_reviews() == 1
    assert queue_due_reviews() == 0  # not twice while it waits
    item = ReviewItem.objects.get()
    assert item.case == old and item.status == ReviewItem.Status.WAITING
    assert "25 years" in item.rule
    assert Case.objects.filter(pk__in=[old.pk, young.pk]).count() == 2  # nothing deleted
    assert AuditEvent.objects.filter(action="retention.review.queued", object_id=str(item.pk)).exists()


def test_the_partnerships_own_period_decides_what_is_due(open_case, profiled):
    admin = profiled.user(Role.PARTNERSHIP_ADMIN)
    close_long_ago(open_case, years=3)
    assert queue_due_reviews() == 0
    schedule_set(
        partnership=profiled.partnership, years={"closed_case": 2}, reason="Partners agreed", by=admin
    )
    assert RetentionRule.objects.get().keep_years == 2
    assert AuditEvent.objects.filter(action="retention.schedule.changed", reason="Partners agreed").exists()
    assert queue_due_reviews() == 1
    with pytest.raises(RetentionError):
        schedule_set(partnership=profiled.partnership, years={"closed_case": 0}, reason="x", by=admin)
    with pytest.raises(RetentionError):
        schedule_set(partnership=profiled.partnership, years={"closed_case": 5}, reason=" ", by=admin)
    assert RetentionRule.objects.get().keep_years == 2


def test_deletion_refused_while_a_legal_hold_is_active(open_case, bu, media):
    case = close_long_ago(open_case)
    with_records(case, bu)
    hold = place_legal_hold(case=case, kind="coroner", reason="Inquest opened", by=bu)
    item = queued(case)
    with pytest.raises(RetentionError, match="legal hold is active"):
        confirm_deletion(item=item, reason="Past its date", by=bu)
    assert Case.objects.filter(pk=case.pk).exists()
    assert StoredFile.objects.filter(case=case).count() == 2
    assert not Tombstone.objects.exists()
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.WAITING
    lift_legal_hold(hold=hold, reason="Inquest concluded", by=bu)
    confirm_deletion(item=item, reason="Past its date; inquest concluded", by=bu)
    assert not Case.objects.filter(pk=case.pk).exists()


def test_deletion_removes_the_case_and_everything_of_it_and_leaves_a_tombstone(
    open_case, profiled, bu, media, django_capture_on_commit_callbacks
):
    other = case_open(partnership=profiled.partnership, by=None, facts={})
    case = close_long_ago(open_case)
    made = with_records(case, bu)
    hold = place_legal_hold(case=case, kind="criminal", reason="Trial", by=bu)
    lift_legal_hold(hold=hold, reason="Verdict given", by=bu)
    blobs = [Path(media) / f.blob.name for f in StoredFile.objects.filter(case=case)]
    assert all(b.exists() for b in blobs) and len(blobs) == 2
    item = queued(case)
    case_id, reference = case.pk, case.reference

    with django_capture_on_commit_callbacks(execute=True):
        tombstone = confirm_deletion(item=item, reason="Past its date, no proceedings open", by=bu)

    assert not Case.objects.filter(pk=case_id).exists()
    assert not CaseEvent.objects.filter(case_id=case_id).exists()
    assert not StoredFile.objects.filter(pk=made["loose"].pk).exists()
    assert not Document.objects.filter(pk=made["document"].pk).exists()
    assert not DocumentVersion.objects.filter(pk=made["version"].pk).exists()
    assert not SharingDecision.objects.filter(case_id=case_id).exists()
    assert not LegalHold.objects.filter(case_id=case_id).exists()
    assert not any(b.exists() for b in blobs)  # the files on disk went too
    assert Case.objects.filter(pk=other.pk).exists()  # another case is untouched

    assert (tombstone.record_type, tombstone.record_id, tombstone.reference) == (
        "cases.case",
        str(case_id),
        reference,
    )
    assert tombstone.deleted_by == bu and tombstone.files == 2
    assert tombstone.records["cases.case"] == 1 and tombstone.records["documents.storedfile"] == 2
    assert "25 years" in tombstone.rule
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.DELETED and item.case is None and item.reference == reference
    event = AuditEvent.objects.get(action="retention.case.deleted")
    assert (event.object_type, event.object_id) == ("cases.case", str(case_id))
    assert event.actor == bu and event.reason == "Past its date, no proceedings open"
    assert AuditEvent.objects.filter(
        action="retention.tombstone.written", object_id=str(tombstone.pk)
    ).exists()
    # The audit trail about the case is kept (append-only) and its hash chain still verifies.
    assert AuditEvent.objects.filter(object_type="cases.case", object_id=str(case_id)).count() > 1
    assert _verify_audit().count("rows intact") == 2  # raises CommandError if a row was broken


def test_nothing_is_deleted_without_a_confirmed_review(open_case, bu):
    case = close_long_ago(open_case)
    item = queued(case)
    future = timezone.localdate() + dt.timedelta(days=365)
    defer_review(item=item, reason="A complaint is open", review_again_on=future, by=bu)
    with pytest.raises(RetentionError, match="already been decided"):
        confirm_deletion(item=item, reason="Changed my mind", by=bu)
    assert queue_due_reviews() == 0  # deferred: not back before its date
    assert Case.objects.filter(pk=case.pk).exists()
    with pytest.raises(RetentionError, match="Enter the reason"):
        defer_review(item=item, reason=" ", review_again_on=future, by=bu)
    # After the date it is queued again, and still waits for a person.
    assert queue_due_reviews(today=future + dt.timedelta(days=1)) == 1
    assert Case.objects.filter(pk=case.pk).exists()


def test_an_open_case_is_never_deleted(open_case, bu):
    item = ReviewItem.objects.create(
        partnership=open_case.partnership,
        record_type="closed_case",
        case=open_case,
        reference=open_case.reference,
        due_on=timezone.localdate(),
        rule="test",
    )
    with pytest.raises(RetentionError, match="not closed"):
        confirm_deletion(item=item, reason="Past its date", by=bu)
    assert Case.objects.filter(pk=open_case.pk).exists()


def test_a_record_of_another_case_pointing_in_stops_the_whole_deletion(open_case, profiled, bu, media):
    case = close_long_ago(open_case)
    made = with_records(case, bu)
    other = case_open(partnership=profiled.partnership, by=None, facts={})
    add_recommendation(
        case=other,
        source="rapid_review",
        reference="R1",
        text="Cite the briefing",
        by=bu,
        document=made["document"],
    )
    item = queued(case)
    with pytest.raises(RetentionError, match="another case"):
        confirm_deletion(item=item, reason="Past its date", by=bu)
    assert Case.objects.filter(pk=case.pk).exists()
    assert Document.objects.filter(pk=made["document"].pk).exists()
    assert not Tombstone.objects.exists()
    assert not AuditEvent.objects.filter(action="retention.case.deleted").exists()


def test_a_sign_off_request_about_the_case_goes_with_it(open_case, bu):
    """Sign-off requests name their record by type and id, not by a foreign key: the plan finds them
    (tests/retention/test_signed_records.py has the signed decision and report approval)."""
    from signoffs.models import SignoffRequest

    case = close_long_ago(open_case)
    item = queued(case)
    request = SignoffRequest.objects.create(
        partnership=case.partnership,
        record_type="cases.case",
        record_id=str(case.pk),
        version=1,
        title="Decision",
        content={"a": 1},
        content_hash="0" * 64,
    )
    tombstone = confirm_deletion(item=item, reason="Past its date", by=bu)
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not SignoffRequest.objects.filter(pk=request.pk).exists()
    assert tombstone.records["signoffs.signoffrequest"] == 1


def test_a_stage_apps_records_go_with_the_case_without_being_named(
    open_case, profiled, bu, media, django_capture_on_commit_callbacks
):
    """The purge follows relations to the case: the rapid review's records (review, information
    requests, its pack file) go although retention names none of them; later stages' the same way."""
    import datetime as dt

    from django.core.files.base import ContentFile

    from rapidreview.models import InformationRequest, RapidReview
    from rapidreview.services import rapid_review_start, requests_issue

    review = rapid_review_start(case=open_case, by=bu)
    requests_issue(
        review=review,
        by=bu,
        agencies=[profiled.provider, profiled.school],
        period_from=dt.date(2024, 1, 1),
        period_to=dt.date(2025, 4, 16),
    )
    review.pack_file.save("pack.pdf", ContentFile(b"%PDF-1.4 pack"), save=True)
    pack = Path(media) / review.pack_file.name
    case = close_long_ago(Case.objects.get(pk=open_case.pk))
    item = queued(case)
    with django_capture_on_commit_callbacks(execute=True):
        tombstone = confirm_deletion(item=item, reason="Past its date", by=bu)
    assert not RapidReview.objects.filter(pk=review.pk).exists()
    assert not InformationRequest.objects.filter(review_id=review.pk).exists()
    assert tombstone.records["rapidreview.rapidreview"] == 1
    assert tombstone.records["rapidreview.informationrequest"] == 2
    assert not pack.exists()
    assert _verify_audit().count("rows intact") == 2


def test_the_nightly_task_is_on_the_beat_and_only_queues(open_case):
    from config.celery import app
    from retention.tasks import queue_due

    case = close_long_ago(open_case)
    entry = app.conf.beat_schedule["retention-queue-due"]
    assert entry["task"] == "retention.queue_due" == queue_due.name
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({1}, {15})
    assert queue_due() == 1
    assert Case.objects.filter(pk=case.pk).exists()
    assert ReviewItem.objects.get().status == ReviewItem.Status.WAITING
