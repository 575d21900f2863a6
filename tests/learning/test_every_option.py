"""Every option of every partnership's menu can be started and completed (issue 13 acceptance): an
option added to a profile without a flow (``learning_options[].review``) fails here."""

from __future__ import annotations

import pytest

from cases import stages
from deadlines.rules import load_profile_dir
from documents.models import Recommendation
from learning.flows import flow_of
from learning.models import LearningReview
from partnerships.profiles import PROFILES_DIR
from tests.learning.helpers import run_to_the_end
from tests.states import D, a_case_with_learning_chosen, anchor, travel

pytestmark = pytest.mark.django_db

PROFILES = load_profile_dir(PROFILES_DIR)
OPTIONS = [
    (slug, str(o["key"])) for slug, p in sorted(PROFILES.items()) for o in p.sections["learning_options"]
]


def test_the_five_profiles_are_all_here():
    assert {slug for slug, _ in OPTIONS} == {
        "bradford",
        "cambridgeshire-peterborough",
        "darlington",
        "dorset",
        "north-east-lincolnshire",
    }


@pytest.mark.parametrize(("slug", "option"), OPTIONS, ids=[f"{s}-{o}" for s, o in OPTIONS])
def test_every_option_of_every_menu_can_be_started_and_completed(world, people, profiled_as, slug, option):
    entry = next(o for o in PROFILES[slug].sections["learning_options"] if o["key"] == option)
    flow = flow_of(entry)
    assert flow is not None, f"{slug}: learning option '{option}' has no flow ('review:' entry)"
    with travel(D):
        case = a_case_with_learning_chosen(world, people, profiled_as, slug, option)
    if flow.route == "close":
        assert case.stage == stages.CLOSED
        assert not LearningReview.objects.filter(case=case).exists()
        return
    if flow.route == "practice_review":
        # The practice review stage opens these (cspr); no learning review is opened for them.
        assert not LearningReview.objects.filter(case=case).exists()
        return
    review = LearningReview.objects.get(case=case)
    assert (review.option, review.status, review.decided_on) == (option, "setting_up", D)
    assert [s.key for s in review.steps.order_by("order")] == [s.key for s in flow.steps]
    with travel(D):
        review = run_to_the_end(review, world, people, on=D)
    assert review.status == LearningReview.Status.COMPLETED and review.completed_on == D
    if "learning_review_completed" in PROFILES[slug].anchors:
        assert anchor(case, "learning_review_completed") == D
    kinds = {s.kind for s in review.steps.all()}
    if "recommendations" in kinds:
        assert Recommendation.objects.filter(
            case=case, source="learning_review", source_id=review.pk
        ).exists()
    if "document" in kinds:
        assert all(s.document.versions.count() == 1 for s in review.steps.filter(kind="document"))
