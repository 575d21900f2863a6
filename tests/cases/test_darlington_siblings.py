"""Darlington Appendix 1 item 4 (000): each sibling's ethnicity, and their "other ethnicity"
described whenever the ethnicity is Other."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.cases.helpers import fill_all_sections

pytestmark = pytest.mark.django_db

SIBLING = {
    "siblings-rows": "1",
    "siblings-0-last_name": "Example",
    "siblings-0-first_name": "Sam",
    "siblings-0-relationship": "Brother",
    "siblings-0-ethnicity": "Other",
}


def test_a_sibling_of_other_ethnicity_needs_it_described(client, world, people, draft):
    client.force_login(people.practitioner)
    url = reverse("referral_section", args=[world.partnership.slug, draft.pk, "siblings"])
    page = client.get(url).content.decode()
    assert "Other ethnicity" in page
    r = client.post(url, {**SIBLING, "action": "continue"})
    assert r.status_code == 400
    assert "Enter the other ethnicity of sibling 1" in r.content.decode()
    assert 'class="govuk-error-summary' in r.content.decode()


def test_the_other_ethnicity_is_kept_and_shown_on_check_your_answers(client, world, people, draft):
    client.force_login(people.practitioner)
    fill_all_sections(client, draft, {"siblings": {**SIBLING, "siblings-0-other_ethnicity": "Roma"}})
    draft.refresh_from_db()
    assert draft.answers["siblings"]["siblings-0-other_ethnicity"] == "Roma"
    page = client.get(reverse("referral_check", args=[world.partnership.slug, draft.pk])).content.decode()
    assert "Other ethnicity" in page and "Roma" in page


def test_no_other_ethnicity_is_asked_for_when_the_ethnicity_is_given(client, world, people, draft):
    client.force_login(people.practitioner)
    fill_all_sections(client, draft, {"siblings": {**SIBLING, "siblings-0-ethnicity": "White British"}})
    draft.refresh_from_db()
    assert "siblings-0-other_ethnicity" not in draft.answers["siblings"]
