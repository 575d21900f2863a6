"""``load_demo`` leaves learning reviews a newcomer can walk: Dorset and NEL in progress (issue 13)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from learning.models import LearningReview
from learning.services import current_step

pytestmark = pytest.mark.django_db


def test_load_demo_leaves_learning_reviews_in_progress_in_dorset_nel_and_darlington(settings):
    settings.DEMO_DATA = True
    call_command("load_demo", "--quiet")
    call_command("load_demo", "--quiet")  # idempotent
    reviews = {
        (r.partnership.slug, r.option): r for r in LearningReview.objects.select_related("partnership")
    }
    assert set(reviews) == {
        ("dorset", "practitioner_learning_brief"),
        ("dorset", "single_agency_review"),
        ("north-east-lincolnshire", "local_learning_review"),
        ("darlington", "multi_agency_practice_review"),
    }
    assert all(r.status == "in_progress" for r in reviews.values())
    brief = reviews[("dorset", "practitioner_learning_brief")]
    assert (
        current_step(brief).key == "approval"
        and brief.steps.get(key="briefing").document.versions.count() == 1
    )
    single = reviews[("dorset", "single_agency_review")]
    assert current_step(single).key == "due_date" and single.lead_agency is not None
    llr = reviews[("north-east-lincolnshire", "local_learning_review")]
    assert llr.steps.get(key="endorsement").status == "awaiting_signatures"
