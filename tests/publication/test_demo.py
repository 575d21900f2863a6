"""The publication demo: a Dorset and a Darlington case in their practice review with a report waiting
for approval, made through the services; loading again makes nothing new."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from documents.models import Document
from publication.models import Approval, ApprovalStep

pytestmark = pytest.mark.django_db


def test_load_demo_gives_dorset_and_darlington_a_report_waiting_for_approval():
    call_command("load_demo", "--quiet")
    approvals = Approval.objects.select_related("case", "partnership")
    assert sorted(a.partnership.slug for a in approvals) == ["darlington", "dorset"]
    for approval in approvals:
        assert approval.case.stage == "lcspr"
        step = ApprovalStep.objects.get(approval=approval)
        assert (
            step.status == ApprovalStep.Status.OPEN
            and step.signoff_request.content["sha256"] == approval.version.sha256
        )
    call_command("load_demo", "--quiet")
    assert Document.objects.filter(kind="practice_review_report").count() == 2
