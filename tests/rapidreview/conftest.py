from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from cases.models import CaseKind
from rapidreview.return_form import return_spec
from rapidreview.services import rapid_review_start
from tests.cases.conftest import people, profiled_as  # noqa: F401 - shared fixtures
from tests.cases.helpers import d
from tests.states import a_referred_case

D = dt.date(2025, 4, 16)


@pytest.fixture
def review_for(world, people, profiled_as):  # noqa: F811
    """A case of Testshire under a seed profile, acknowledged on D, with its rapid review started."""

    def _make(slug: str):
        profiled_as(slug)
        case = a_referred_case(world, people, kind=CaseKind.SERIOUS_INCIDENT)
        return rapid_review_start(case=case, by=people.bu)

    return _make


VALID_RETURN: dict[str, dict[str, object]] = {
    "app4_involvement": {
        "involvement_with": "Sam",
        "dates": "2023 to now",
        "completed_by": "A Named Nurse",
        "nature": "Health visiting contacts.",
        "facts": "Seen in A&E on the day.",
    },
    "igt_child": {"name": "Sam Example"},
    "igt_incident": {},
    "igt_synopsis": {
        "trigger": "Police referral.",
        "incident_involvement": "None on the day.",
        "analysis": "Good contact.",
        "immediate_action": "None needed.",
    },
    "igt_recommendation": {"review_type": "local"},
    "appb_personal": {"child": "Sam, 2 Jun 2019", "incident": "Serious injury."},
    "appb_summary": {"summary": "Universal services only."},
    "appb_analysis": {},
    "appb_safety": {"actions": "Safeguarding referral made."},
    "core_involvement": {
        "current": "Open to health visiting.",
        "analysis": "Regular contact, no concerns noted.",
        "immediate_action": "None needed.",
    },
    "chronology": {
        "chronology-rows": "2",
        **{f"chronology-0-{k}": v for k, v in {"event": "Home visit", "people": "Mother"}.items()},
        **{k.replace("x", "chronology-0-date"): v for k, v in d("x", dt.date(2024, 11, 5)).items()},
        "chronology-1-event": "A&E attendance",
        **{k.replace("x", "chronology-1-date"): v for k, v in d("x", dt.date(2025, 4, 14)).items()},
    },
}


def complete_return(client, request_obj) -> None:
    spec = return_spec(request_obj.review.case.profile.data)
    slug = request_obj.review.partnership.slug
    for section in spec.sections:
        url = reverse("request_section", args=[slug, request_obj.pk, section.key])
        r = client.post(url, {**VALID_RETURN.get(section.key, {}), "action": "continue"})
        assert r.status_code == 302, (section.key, r.content.decode()[:3000])
