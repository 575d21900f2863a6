"""Darlington Appendix 2 (000 §5.5, §10.1): when the partners decide the criteria for notification
are not met, the record sent to the Chair of the Learning and Development sub-group says what
information was shared to make that decision (with agency details)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import NotificationDecision
from notifications.models import OutboxMessage
from tests.cases.helpers import d
from tests.states import D, a_referred_case, travel

pytestmark = pytest.mark.django_db
SHARED = "Police incident log of 2 April; the school's attendance record; the health visitor's notes."


def post_decision(client, world, case, outcome, **extra):
    with travel(D):
        return client.post(
            reverse("case_decision", args=[world.partnership.slug, case.pk]),
            {
                "outcome": outcome,
                "rationale": "No abuse or neglect is suspected.",
                **d("decided_on", D),
                "decided_by_name": "The three safeguarding partners",
                **extra,
            },
        )


def test_information_shared_is_required_when_the_criteria_are_not_met(client, world, people, profiled_as):
    profiled_as("darlington")
    case = a_referred_case(world, people)
    client.force_login(people.bu)
    page = client.get(reverse("case_decision", args=[world.partnership.slug, case.pk])).content.decode()
    assert "What information was shared so the partners could decide the criteria were not met?" in page
    r = post_decision(client, world, case, "learning")
    assert r.status_code == 400
    assert "Enter what information was shared" in r.content.decode()
    assert not NotificationDecision.objects.filter(case=case).exists()

    r = post_decision(client, world, case, "learning", information_shared=SHARED)
    assert r.status_code == 302
    decision = NotificationDecision.objects.get(case=case)
    assert decision.information_shared == SHARED
    # The record for the Learning and Development sub-group Chair carries it.
    message = OutboxMessage.objects.get(event_key=f"decision:{decision.pk}:chair", recipient=people.chair)
    assert SHARED in message.context["summary"]
    client.force_login(people.bu)  # the session of the time-travelled post has expired
    r = client.get(reverse("case_detail", args=[world.partnership.slug, case.pk]))
    assert r.status_code == 200, r.status_code
    case_page = r.content.decode()
    assert (
        "Information shared to make the decision" in case_page
        and "Police incident log of 2 April" in case_page
    )


def test_not_needed_when_the_partners_decide_to_notify(client, world, people, profiled_as):
    profiled_as("darlington")
    case = a_referred_case(world, people)
    client.force_login(people.bu)
    assert post_decision(client, world, case, "notify").status_code == 302
    assert NotificationDecision.objects.get(case=case).information_shared == ""


def test_other_partnerships_are_not_asked(client, world, people, profiled_as):
    profiled_as("dorset")
    case = a_referred_case(world, people)
    client.force_login(people.bu)
    page = client.get(reverse("case_decision", args=[world.partnership.slug, case.pk])).content.decode()
    assert "What information was shared" not in page
