"""The demo: a Darlington plan with an overdue action up the ladder, a Dorset plan in impact review."""

from __future__ import annotations

import pytest

from actions.demo import load_demo_actions
from actions.models import ActionPlan
from cases.demo import load_demo_cases
from deadlines.models import Deadline
from partnerships import demo

pytestmark = pytest.mark.django_db


def test_demo_plans_are_built_once():
    demo.load_partnerships()
    load_demo_cases()
    assert load_demo_actions() == 2
    assert load_demo_actions() == 0
    darlington = ActionPlan.objects.get(partnership__slug="darlington")
    assert darlington.status == ActionPlan.Status.ACTIVE
    late = darlington.actions.get(reference="R1")
    hos = Deadline.objects.get(subject=late.subject, rule_key="action_escalation_head_of_service")
    assert hos.status == Deadline.Status.MISSED  # the head of service's rung has passed
    dorset = ActionPlan.objects.get(partnership__slug="dorset")
    assert dorset.status == ActionPlan.Status.IMPACT_REVIEW
    assert Deadline.objects.filter(case=dorset.case, rule_key="impact_follow_up", status="open").exists()
