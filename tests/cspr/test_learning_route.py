"""A practice review chosen on the learning route (Dorset and Bradford "local CSPR", Bradford
"national CSPR", North East Lincolnshire "LCSPR pathway") enters the same stage with the six-month
clock; the profiles mark those options ``opens: lcspr`` and cspr registers exactly those routes."""

from __future__ import annotations

import datetime as dt

import pytest

from cases import stages
from cases.services import learning_approve, learning_decide
from cspr.models import PracticeReview
from cspr.receivers import LCSPR_STAGE, LEARNING_ROUTE_OUTCOMES
from deadlines.models import Deadline
from partnerships.profiles import read_seed_profile
from tests.states import a_referred_case, partners_decide, travel

pytestmark = pytest.mark.django_db

SLUGS = ["bradford", "cambridgeshire-peterborough", "darlington", "dorset", "north-east-lincolnshire"]


def test_the_profiles_options_marked_opens_lcspr_are_the_routes_cspr_registers():
    marked = set()
    for slug in SLUGS:
        for option in read_seed_profile(slug).get("learning_options", []):
            if option.get("opens"):
                assert option["opens"] == LCSPR_STAGE
                marked.add(option["key"])
    assert marked == set(LEARNING_ROUTE_OUTCOMES)
    for outcome in LEARNING_ROUTE_OUTCOMES:
        for stage in (stages.LEARNING_CONSIDERATION, stages.LEARNING_PENDING_APPROVAL):
            assert stages.stage_for_outcome(outcome, stage) == LCSPR_STAGE
    assert stages.stage_for_outcome("practitioner_learning_brief", stages.LEARNING_CONSIDERATION) is None


def test_dorset_local_cspr_on_the_learning_route_enters_the_practice_review_with_the_six_month_clock(
    world, people, profiled_as
):
    profiled_as("dorset")
    case = a_referred_case(world, people)
    partners_decide(case, people, "learning")
    with travel(dt.date(2025, 4, 30)):
        learning_decide(
            case=case,
            by=people.bu,
            option="local_cspr",
            rationale="Multi-agency learning",
            decided_on=dt.date(2025, 4, 30),
        )
    case.refresh_from_db()
    assert case.stage == stages.LEARNING_PENDING_APPROVAL  # Dorset: the partners approve (003 App A)
    with travel(dt.date(2025, 5, 2)):
        learning_approve(case=case, by=people.la_rep, approve=True, comment="")
    case.refresh_from_db()
    assert case.stage == LCSPR_STAGE and case.facts["review_route"] == "local_cspr"
    practice = PracticeReview.objects.get(case=case)
    assert (practice.kind, practice.decided_on) == ("lcspr", dt.date(2025, 4, 30))
    deadline = Deadline.objects.get(case=case, rule_key="cspr_publication")
    assert deadline.due == dt.date(2025, 10, 30)


@pytest.mark.parametrize("slug", SLUGS)
def test_each_partnership_names_its_reviewer_route_vetting_and_one_default_methodology(slug):
    section = read_seed_profile(slug)["practice_review"]
    assert section["sourcing_route"] and section["appointed_by"] and section["tor_agreed_by"]
    assert [m["key"] for m in section["methodologies"] if m.get("default")] != []
    assert sum(1 for m in section["methodologies"] if m.get("default")) == 1
    assert all("default:" not in m["label"] for m in section["methodologies"])
    assert {"recommended_improvements", "systemic_analysis"} <= {c["key"] for c in section["content"]}
