"""Darlington (000 §6.10, §7.4): the Statutory Safeguarding Partners and the Independent Scrutineer
make the final decision on the level of review, so the decision is signed only once the Independent
Scrutineer has co-signed it; the other partnerships' decisions are signed by the partners alone.
D = Wed 16 Apr 2025."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from deadlines.models import Anchor
from deadlines.rules import ProfileError, load_profile
from notifications.models import OutboxMessage
from partnerships.profiles import read_seed_profile
from partnerships.roles import Role
from rapidreview.selectors import decision_signoff, submission_blockers
from signoffs.models import RequiredRole
from tests.states import (
    a_case_in_its_rapid_review,
    a_case_with_rapid_review_decided,
    co_sign_request,
    sign_all,
)

pytestmark = pytest.mark.django_db
ON = dt.date(2025, 5, 7)


def test_darlington_decision_is_not_signed_until_the_scrutineer_signs(world, people, profiled_as, client):
    scrutineer = world.user(Role.INDEPENDENT_SCRUTINEER)
    review = a_case_in_its_rapid_review(world, people, profiled_as, "darlington")
    decision = a_case_with_rapid_review_decided(review, world, people, on=ON)
    request = decision.signoff_request
    assert list(RequiredRole.objects.filter(request=request).values_list("role", flat=True)) == [
        "independent_scrutineer"
    ]
    # The Independent Scrutineer is asked to sign, with the partners.
    asked = OutboxMessage.objects.filter(
        kind="signoff_requested", event_key=f"rr-decision:{review.pk}:v1:signoff"
    ).values_list("recipient", flat=True)
    assert scrutineer.pk in set(asked)

    sign_all(decision, world, people, co_sign=False)
    signoff = decision_signoff(review, decision)
    assert signoff is not None and not signoff.signed and not signoff.disagreed
    assert submission_blockers(review) == ["Not every statutory partner has signed the decision yet."]
    assert not Anchor.objects.filter(case=review.case, key="rr_decision_signed").exists()
    client.force_login(people.bu)
    page = client.get(reverse("rr_decision", args=[world.partnership.slug, review.case_id])).content.decode()
    assert "Independent Scrutineer (co-signs the decision)" in page and "Not signed yet" in page

    co_sign_request(request.pk, world)
    signoff = decision_signoff(review, decision)
    assert signoff.signed
    assert submission_blockers(review) == []
    assert Anchor.objects.filter(case=review.case, key="rr_decision_signed").exists()
    page = client.get(reverse("rr_decision", args=[world.partnership.slug, review.case_id])).content.decode()
    assert "Every statutory partner and the Independent Scrutineer has signed and agrees" in page


def test_a_scrutineer_who_disagrees_sends_the_decision_back(world, people, profiled_as):
    world.user(Role.INDEPENDENT_SCRUTINEER)
    review = a_case_in_its_rapid_review(world, people, profiled_as, "darlington")
    decision = a_case_with_rapid_review_decided(review, world, people, on=ON)
    sign_all(decision, world, people, co_sign=False)
    co_sign_request(decision.signoff_request_id, world, "disagree", "A national review should be considered.")
    signoff = decision_signoff(review, decision)
    assert signoff.disagreed and not signoff.signed
    assert "disagrees" in submission_blockers(review)[0]


@pytest.mark.parametrize("slug", ["dorset", "north-east-lincolnshire"])
def test_other_partnerships_are_signed_by_the_partners_alone(world, people, profiled_as, slug):
    world.user(Role.INDEPENDENT_SCRUTINEER)
    review = a_case_in_its_rapid_review(world, people, profiled_as, slug)
    decision = a_case_with_rapid_review_decided(review, world, people, on=ON)
    assert not RequiredRole.objects.filter(request=decision.signoff_request).exists()
    sign_all(decision, world, people, co_sign=False)
    assert decision_signoff(review, decision).signed


def test_the_profile_names_only_known_co_signing_roles():
    data = read_seed_profile("darlington")
    assert data["rapid_review"]["decision_co_signatories"] == ["independent_scrutineer"]
    for bad in (
        ["partner_rep"],
        ["independent_scrutineer", "independent_scrutineer"],
        "independent_scrutineer",
    ):
        broken = {**data, "rapid_review": {**data["rapid_review"], "decision_co_signatories": bad}}
        with pytest.raises(ProfileError, match="decision_co_signatories"):
            load_profile(broken)
