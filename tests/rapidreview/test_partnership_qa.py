"""The Panel submission's quality checks follow each partnership's own rules: counted from the anchor
each profile names (Dorset: the local authority became aware; North East Lincolnshire: the SCSI-1
received), labelled in its own words, and an on-time case is never "Not met".
D = Wed 16 Apr 2025 (referral received, local authority aware and the Panel notified)."""

from __future__ import annotations

import datetime as dt

import pytest

from deadlines.services import anchor_record
from rapidreview.panel import panel_submit
from rapidreview.qa import qa_checks
from tests.states import D, a_case_in_its_rapid_review, a_case_with_rapid_review_decided, sign_all, travel

pytestmark = pytest.mark.django_db


def _on_time(review, world, people):
    with travel(dt.date(2025, 4, 29)):
        decision = a_case_with_rapid_review_decided(review, world, people, on=dt.date(2025, 4, 29))
    with travel(dt.date(2025, 4, 30)):
        sign_all(decision, world, people)
    with travel(dt.date(2025, 5, 1)):
        return panel_submit(review=review, by=people.bu, submitted_on=dt.date(2025, 5, 1))


def test_dorset_counts_the_notification_from_awareness_not_an_earlier_incident(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "dorset")
    # The incident happened weeks before the local authority became aware of it.
    anchor_record(
        case=review.case, key="incident_occurred", value=dt.date(2025, 3, 3), by=people.bu, reason="Corrected"
    )
    first, second, _third = qa_checks(review)
    assert first.key == "qa_panel_notification"
    assert first.start == D and first.start_label == "Local Authority became aware of the serious incident"
    assert first.label.startswith("Dorset Council notifies the National Panel")
    assert "incident" not in first.label.split(":")[-1]
    assert first.status == "pass"
    assert second.start_label.startswith("Serious Incident Notification (SiN) submitted")
    submission = _on_time(review, world, people)
    assert [c["status"] for c in submission.qa["checks"]] == ["pass", "pass", "pass"]


def test_nel_counts_from_the_scsi1_received_in_its_own_words(world, people, profiled_as):
    review = a_case_in_its_rapid_review(world, people, profiled_as, "north-east-lincolnshire")
    checks = qa_checks(review)
    assert all(c.start_label.startswith("SCSI-1 notification received") for c in checks)
    assert checks[0].status == "pass" and "5 working days" in checks[0].label
    assert "CSPRG-8 with Letter-9" in checks[2].label
    assert not any(
        "Darlington" in c.label or "within 5 working days of the incident" in c.label for c in checks
    )
    submission = _on_time(review, world, people)
    assert "fail" not in [c["status"] for c in submission.qa["checks"]]


@pytest.mark.parametrize("slug", ["dorset", "north-east-lincolnshire"])
def test_an_on_time_case_is_never_not_met(world, people, profiled_as, slug):
    review = a_case_in_its_rapid_review(world, people, profiled_as, slug)
    submission = _on_time(review, world, people)
    assert "fail" not in [c["status"] for c in submission.qa["checks"]], submission.qa
