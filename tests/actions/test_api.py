"""The action API's completion and approval: the owning agency sends its evidence (others 403,
outsiders 404), the business unit or sub-group chair approves it or sends it back with a reason;
bad input is 400 and writes nothing; a completion not waiting (or an action not open) is 409."""

from __future__ import annotations

import datetime as dt

import pytest

from actions.models import Action
from audit.models import AuditEvent
from tests.actions.conftest import ORIGINAL_DUE
from tests.actions.helpers import action_of, an_active_plan

pytestmark = pytest.mark.django_db

EVIDENCE = {
    "completion_evidence": "Training delivered to 30 health visitors; register attached to the plan.",
    "impact_evidence": "Audit of 20 records: every one now records the child's voice.",
    "completed_on": "2025-05-01",
}


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def urls(world, a: Action) -> tuple[str, str]:
    base = f"/api/partnerships/{world.partnership.slug}/actions/{a.pk}"
    return f"{base}/completion/", f"{base}/approval/"


def test_the_owning_agency_completes_and_the_chair_approves(world, darlington, folk, client):
    plan = an_active_plan(world, folk, ORIGINAL_DUE)
    mine, theirs = action_of(plan, world.provider), action_of(plan, world.school)
    completion, approval = urls(world, mine)

    client.force_login(folk.lead)
    assert post(client, urls(world, theirs)[0], EVIDENCE).status_code == 403  # another agency's action
    assert post(client, approval, {"decision": "approve"}).status_code == 403  # not the sub-group
    r = post(client, completion, EVIDENCE)
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == Action.Status.AWAITING_APPROVAL
    assert post(client, completion, EVIDENCE).status_code == 409  # already sent
    assert AuditEvent.objects.filter(action="actions.action.completion_submitted").count() == 1

    client.force_login(folk.chair)
    r = post(client, approval, {"decision": "refuse"})
    assert r.status_code == 400 and "note" in r.json()  # a refusal needs its reason
    mine.refresh_from_db()
    assert mine.status == Action.Status.AWAITING_APPROVAL
    r = post(client, approval, {"decision": "approve", "note": "Evidence seen."})
    assert r.status_code == 200, r.json()
    mine.refresh_from_db()
    assert mine.status == Action.Status.COMPLETE
    assert mine.completed_on == dt.date(2025, 5, 1)
    assert post(client, approval, {"decision": "approve"}).status_code == 409  # nothing waiting now

    client.force_login(folk.outsider)
    assert post(client, approval, {"decision": "approve"}).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**EVIDENCE, "completion_evidence": ""}, "completion_evidence"),
        ({**EVIDENCE, "impact_evidence": "   "}, "impact_evidence"),
        ({**EVIDENCE, "completed_on": "2999-01-01"}, "completed_on"),
        ({**EVIDENCE, "completed_on": "yesterday"}, "completed_on"),
    ],
)
def test_bad_evidence_is_400_on_its_field_and_changes_nothing(world, darlington, folk, client, body, field):
    plan = an_active_plan(world, folk, ORIGINAL_DUE)
    mine = action_of(plan, world.provider)
    before = mine.status
    client.force_login(folk.lead)
    r = post(client, urls(world, mine)[0], body)
    assert r.status_code == 400 and field in r.json(), r.json()
    mine.refresh_from_db()
    assert (mine.status, mine.completion_evidence) == (before, "")


def test_extension_asked_by_the_chief_officer_and_decided_by_the_sub_group(world, darlington, folk, client):
    plan = an_active_plan(world, folk, ORIGINAL_DUE)
    mine = action_of(plan, world.provider)
    base = f"/api/partnerships/{world.partnership.slug}/actions/{mine.pk}"
    ask = {"new_due": "2025-03-31", "justification": "The training provider cancelled twice in January."}

    client.force_login(folk.lead)
    assert post(client, f"{base}/extension/", ask).status_code == 403  # only the chief officer asks
    client.force_login(folk.chair)
    assert (
        post(client, f"{base}/extension-decision/", {"decision": "approve"}).status_code == 409
    )  # none waiting

    client.force_login(folk.chief)
    short = post(client, f"{base}/extension/", {**ask, "justification": "Busy."})
    assert short.status_code == 400 and "justification" in short.json()
    early = post(client, f"{base}/extension/", {**ask, "new_due": "2025-01-01"})
    assert early.status_code == 400 and "new_due" in early.json()
    assert not mine.extensions.exists()
    assert post(client, f"{base}/extension/", ask).status_code == 200
    again = post(client, f"{base}/extension/", ask)
    assert again.status_code == 409 and "already waiting" in again.json()["detail"]

    client.force_login(folk.bu)
    assert post(client, f"{base}/extension-decision/", {"decision": "refuse"}).status_code == 400  # no reason
    r = post(client, f"{base}/extension-decision/", {"decision": "approve", "note": "Exceptional: agreed."})
    assert r.status_code == 200, r.json()
    assert r.json()["current_due"] == "2025-03-31" and r.json()["original_due"] == ORIGINAL_DUE.isoformat()


def test_not_implemented_needs_a_reason_and_closes_the_action(world, darlington, folk, client):
    plan = an_active_plan(world, folk, ORIGINAL_DUE)
    mine = action_of(plan, world.provider)
    url = f"/api/partnerships/{world.partnership.slug}/actions/{mine.pk}/not-implemented/"
    client.force_login(folk.chief)
    assert post(client, url, {"reason": "Superseded by the national programme."}).status_code == 403
    client.force_login(folk.chair)
    assert post(client, url, {"reason": "Too short"}).status_code == 400
    r = post(client, url, {"reason": "Superseded by the national programme."})
    assert r.status_code == 200 and r.json()["status"] == Action.Status.NOT_IMPLEMENTED
    assert post(client, url, {"reason": "Superseded by the national programme."}).status_code == 409
