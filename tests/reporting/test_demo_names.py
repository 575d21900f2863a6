"""The demo cases name synthetic children, so the README's "search by a child's name" step finds one."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from cases.models import Case, Referral
from partnerships import demo
from partnerships.models import Partnership, User
from reporting.demo import DEMO_CHILDREN, DEMO_FACTS
from reporting.search import Criteria, search_cases

pytestmark = pytest.mark.django_db


def test_every_demo_case_names_a_synthetic_child_and_search_finds_it():
    call_command("load_demo", "--quiet")
    dorset = Partnership.objects.get(slug="dorset")
    demo_cases = [c for c in Case.objects.filter(partnership=dorset) if set(c.facts) & set(DEMO_FACTS)]
    assert len(demo_cases) >= 3
    made_up = {f"{first} {last}" for first, last in DEMO_CHILDREN}
    for case in demo_cases:
        labels = [r.child_label for r in Referral.objects.filter(case=case) if r.child_label]
        assert labels, case.reference
    bu = User.objects.get(email=demo.demo_email("business-unit", "dorset"))
    case = demo_cases[0]
    [label] = [r.child_label for r in Referral.objects.filter(case=case) if r.child_label]
    assert label in made_up
    found = search_cases(bu, dorset, Criteria(q=label.split()[1]))
    assert case in found
    # Loading again names nobody twice.
    before = Referral.objects.count()
    call_command("load_demo", "--quiet")
    assert Referral.objects.count() == before
