"""The demo: a case at the practice review stage in Dorset and in Cambridgeshire and Peterborough,
with the demo reviewer granted that case only; loading twice adds nothing."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from cases.access import cases_visible_to
from cspr.models import PracticeReview
from partnerships.models import Partnership, User

pytestmark = pytest.mark.django_db


def test_load_demo_puts_a_case_at_the_practice_review_stage_in_dorset_and_cambridgeshire():
    call_command("load_demo", "--quiet")
    # The practice review's own demo cases (publication's demo adds reports to review in others).
    reviews = PracticeReview.objects.select_related("case", "partnership").filter(
        case__facts__demo_practice_review=True
    )
    assert sorted(r.partnership.slug for r in reviews) == ["cambridgeshire-peterborough", "dorset"]
    for review in reviews:
        assert review.case.stage == "lcspr" and review.status == "in_progress"
        assert review.chronology.count() == 3 and review.tor_agreed_on is not None
        reviewer = User.objects.get(email=f"reviewer.{review.partnership.slug}@example.org")
        assert list(cases_visible_to(reviewer, review.partnership)) == [review.case]
    before = PracticeReview.objects.count()
    call_command("load_demo", "--quiet")
    assert PracticeReview.objects.count() == before
    assert Partnership.objects.count() == 5
