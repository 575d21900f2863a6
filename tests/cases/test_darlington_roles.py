"""Darlington's roles in the referral stage (000): the Learning and Development sub-group Chair, not
the business unit, records the sub-group's decision (§5.5, §10.6)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cases.models import LearningDecision
from tests.cases.helpers import d
from tests.states import D, a_referred_case, partners_decide, travel

pytestmark = pytest.mark.django_db


def test_the_subgroup_chair_records_the_subgroup_decision_not_the_business_unit(
    client, world, people, profiled_as
):
    profiled_as("darlington")
    case = a_referred_case(world, people)
    partners_decide(case, people, "learning")
    url = reverse("case_learning", args=[world.partnership.slug, case.pk])
    page_url = reverse("case_detail", args=[world.partnership.slug, case.pk])
    client.force_login(people.bu)
    assert client.get(url).status_code == 403
    assert "Record the learning decision" not in client.get(page_url).content.decode()
    client.force_login(people.chair)
    assert "Record the learning decision" in client.get(page_url).content.decode()
    with travel(D):
        r = client.post(
            url,
            {
                "option": "multi_agency_audit",
                "rationale": "Several agencies missed the same sign.",
                **d("decided_on", D),
            },
        )
    assert r.status_code == 302, r.content.decode()[:2000]
    assert LearningDecision.objects.get(case=case).option == "multi_agency_audit"


def test_elsewhere_the_business_unit_may_still_record_it(client, world, people, profiled_as):
    profiled_as("dorset")
    case = a_referred_case(world, people)
    partners_decide(case, people, "learning")
    client.force_login(people.bu)
    assert client.get(reverse("case_learning", args=[world.partnership.slug, case.pk])).status_code == 200


def test_every_notification_decision_is_shared_with_the_learning_and_development_chair(
    world, people, profiled_as
):
    from notifications.models import OutboxMessage

    profiled_as("darlington")
    case = a_referred_case(world, people)
    decision = partners_decide(case, people, "notify")
    told = OutboxMessage.objects.filter(event_key__startswith=f"decision:{decision.pk}:chair")
    assert set(told.values_list("recipient_id", flat=True)) == {people.chair.pk}


def test_elsewhere_a_decision_to_notify_is_not_sent_to_the_chair(world, people, profiled_as):
    from notifications.models import OutboxMessage

    profiled_as("dorset")
    case = a_referred_case(world, people)
    decision = partners_decide(case, people, "notify")
    assert not OutboxMessage.objects.filter(event_key__startswith=f"decision:{decision.pk}:chair").exists()


def test_appendix_1_item_32_records_each_siblings_child_protection_plan(client, world, people, draft):
    import datetime as dt

    from tests.cases.helpers import VALID, fill_all_sections

    client.force_login(people.practitioner)
    plan = {
        "siblings_cpp-rows": "1",
        "siblings_cpp-0-name": "Jo Example",
        **d("siblings_cpp-0-start", dt.date(2024, 1, 8)),
        "siblings_cpp-0-category": "Neglect",
    }
    fill_all_sections(client, draft, {"child_protection": {**VALID["child_protection"], **plan}})
    draft.refresh_from_db()
    assert draft.answers["child_protection"]["siblings_cpp-0-name"] == "Jo Example"
    page = client.get(reverse("referral_check", args=[world.partnership.slug, draft.pk])).content.decode()
    assert (
        "Siblings&#x27; child protection plans" in page and "Jo Example" in page and "8 January 2024" in page
    )


def test_the_local_authority_gets_the_feedback_reminder_and_may_send_the_feedback(
    client, world, people, profiled_as
):
    profiled_as("darlington")
    case = a_referred_case(world, people)
    partners_decide(case, people, "notify")
    url = reverse("case_feedback", args=[world.partnership.slug, case.pk])
    client.force_login(people.la_rep)
    assert client.get(url).status_code == 200
    client.force_login(people.police_rep)
    assert client.get(url).status_code == 403
