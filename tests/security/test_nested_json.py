"""Deeply nested JSON gets a 400 with a message, never a 500 (issue 16), and changes nothing."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from cases.models import Referral
from config.parsers import MAX_DEPTH, _depth_exceeds
from partnerships.roles import Role


def _nested(levels: int) -> str:
    return "[" * levels + "]" * levels


@pytest.mark.parametrize("levels", [100_000, 5_000, MAX_DEPTH + 1])
@pytest.mark.django_db
def test_nested_arrays_posted_to_the_referral_api_get_a_400(profiled, client, levels):
    client.force_login(profiled.user(Role.PRACTITIONER))
    url = reverse("api-referral-list", kwargs={"slug": profiled.partnership.slug})
    r = client.post(url, _nested(levels), content_type="application/json")
    assert r.status_code == 400
    assert "nests more than" in r.json()["detail"]
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_nested_objects_in_a_section_save_get_a_400(profiled, client):
    client.force_login(profiled.user(Role.PRACTITIONER))
    create = client.post(
        reverse("api-referral-list", kwargs={"slug": profiled.partnership.slug}),
        {"start_token": str(uuid.uuid4())},
        content_type="application/json",
    )
    assert create.status_code == 201, create.content
    referral = Referral.objects.get()
    body = '{"answers": ' + '{"a": ' * 50_000 + "1" + "}" * 50_000 + "}"
    url = reverse(
        "api-referral-section",
        kwargs={"slug": profiled.partnership.slug, "pk": referral.pk, "section_key": "child"},
    )
    before = Referral.objects.get().__dict__.copy()
    r = client.patch(url, body, content_type="application/json")
    assert r.status_code == 400 and "nests more than" in r.json()["detail"]
    after = Referral.objects.get().__dict__
    assert {k: v for k, v in after.items() if k != "_state"} == {
        k: v for k, v in before.items() if k != "_state"
    }


def test_depth_check_allows_ordinary_bodies():
    assert not _depth_exceeds({"answers": {"child": {"names": ["A", "B"]}}}, MAX_DEPTH)
    assert _depth_exceeds(eval(_nested(MAX_DEPTH + 1)), MAX_DEPTH)  # noqa: S307 - a literal we built
    assert not _depth_exceeds(eval(_nested(MAX_DEPTH)), MAX_DEPTH)  # noqa: S307
