"""Valid answers for every referral section, posted through the real pages."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from cases.referral_form import form_spec


def d(name: str, value: dt.date) -> dict[str, str]:
    return {f"{name}_day": str(value.day), f"{name}_month": str(value.month), f"{name}_year": str(value.year)}


INCIDENT = dt.date(2025, 4, 14)
BIRTH = dt.date(2019, 6, 2)

VALID: dict[str, dict[str, object]] = {
    "reporting": {
        "referral_type": "serious_incident",
        **d("incident_date", INCIDENT),
        "child_died": "no",
        "staff_conduct": "no",
        "reported_to": "Designated nurse",
    },
    "criteria": {"must_notify": ["life_threatening"]},
    "referrer": {"job_title": "Health visitor", "phone": "01632 960 001"},
    "child": {"last_name": "Example", "first_name": "Sam", **d("date_of_birth", BIRTH), "gender": "Male"},
    "parents": {
        "parents-rows": "1",
        "parents-0-last_name": "Example",
        "parents-0-first_name": "Alex",
        "parents-0-relationship": "Mother",
    },
    "siblings": {"siblings-rows": "1"},
    "others": {"others-rows": "1"},
    "case_details": {
        "outline": "A synthetic outline of a serious incident for testing.",
        "characteristics": ["physical_abuse"],
    },
    "child_protection": {"cpp_at_time": "no", "cpp_before": "no"},
    "legal_status": {"legal_status": "not-looked-after", "looked_after": "no", "care_leaver": "no"},
    "disability": {"has_disability": "no"},
    "setting": {},
    "education": {"attends": "yes", "establishment": "Example Primary School"},
    "agencies": {"known_before": "yes", "agencies-rows": "1", "agencies-0-agency": "Children's social care"},
    "criminal": {"complex_abuse": "no", "proceedings": "dont_know", "alleged-rows": "1", "charged-rows": "1"},
    "recommendation": {"recommendation": "Consider a rapid review."},
}


def fill_all_sections(client, referral, overrides: dict[str, dict[str, object]] | None = None) -> None:
    spec = form_spec(referral.partnership.profile.data)
    for section in spec.referrer_sections:
        data = {**VALID.get(section.key, {}), **(overrides or {}).get(section.key, {}), "action": "continue"}
        url = reverse("referral_section", args=[referral.partnership.slug, referral.pk, section.key])
        response = client.post(url, data)
        assert response.status_code == 302, (section.key, response.content.decode()[:3000])
