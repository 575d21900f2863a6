"""Who may see a referral, at each step (issue 5 acceptance; STYLE's three personas)."""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from cases.access import referrals_visible_to
from cases.models import Referral
from cases.services import referral_authorise, referral_start, referral_submit
from partnerships.roles import Role
from tests.cases.helpers import fill_all_sections


def view(referral):
    return reverse("referral_view", args=[referral.partnership.slug, referral.pk])


@pytest.mark.django_db
def test_who_sees_a_referral_at_each_step(client, world, people, draft):
    colleague = world.user(Role.PRACTITIONER)  # same agency as the referrer
    bu = people.bu

    def sees(user) -> bool:
        client.force_login(user)
        status = client.get(view(draft)).status_code
        assert status in (200, 404), status
        return status == 200

    # A draft: the referrer only.
    assert sees(people.practitioner)
    assert not sees(colleague) and not sees(people.lead) and not sees(people.other_lead) and not sees(bu)
    client.force_login(people.practitioner)
    fill_all_sections(client, draft)
    referral_submit(referral=draft, by=people.practitioner)
    # Waiting for authorisation: the lead of the referrer's agency too — not another agency's lead,
    # not the business unit yet.
    assert sees(people.lead)
    assert not sees(people.other_lead) and not sees(bu) and not sees(colleague)
    referral_authorise(referral=Referral.objects.get(pk=draft.pk), by=people.lead, raw={"officer": "Lead"})
    # With the business unit: partnership-wide roles too; still not the other agency's lead.
    assert sees(bu) and sees(people.la_rep)
    assert not sees(people.other_lead) and not sees(colleague)
    # Another partnership sees nothing, whatever its role.
    assert not sees(people.outsider)
    assert not sees(world.outsider(Role.PARTNERSHIP_ADMIN))


@pytest.mark.django_db
def test_practitioner_lists_only_their_own_referrals(client, world, people, draft):
    mine_too = referral_start(
        partnership=world.partnership, agency=world.provider, by=people.practitioner, token=uuid.uuid4()
    )
    colleague = world.user(Role.PRACTITIONER)
    theirs = referral_start(
        partnership=world.partnership, agency=world.provider, by=colleague, token=uuid.uuid4()
    )
    visible = set(referrals_visible_to(people.practitioner, world.partnership))
    assert visible == {draft, mine_too}
    client.force_login(people.practitioner)
    page = client.get(reverse("referral_list", args=[world.partnership.slug])).content.decode()
    assert f"Referral {draft.pk}" in page and f"Referral {theirs.pk}" not in page


@pytest.mark.django_db
def test_only_the_referrer_edits_and_only_the_agency_lead_authorises(client, world, people, draft):
    section = reverse("referral_section", args=[world.partnership.slug, draft.pk, "child"])
    client.force_login(people.lead)
    assert client.get(section).status_code == 404  # a draft is invisible to the lead
    client.force_login(people.practitioner)
    fill_all_sections(client, draft)
    referral_submit(referral=draft, by=people.practitioner)
    client.force_login(people.lead)
    assert client.get(section).status_code == 403  # visible now, but not theirs to change
    authorise = reverse("referral_authorise", args=[world.partnership.slug, draft.pk])
    client.force_login(people.other_lead)
    assert client.get(authorise).status_code == 404
    client.force_login(people.practitioner)
    assert client.get(authorise).status_code == 403
    client.force_login(people.lead)
    assert client.get(authorise).status_code == 200
    # The lead must give reasons to return it.
    r = client.post(authorise, {"decision": "return", "comments": ""})
    assert r.status_code == 400 and "Say what the referrer needs to change" in r.content.decode()
    assert Referral.objects.get(pk=draft.pk).status == Referral.Status.AWAITING_AUTHORISATION


@pytest.mark.django_db
def test_referrer_does_not_see_the_case_page(client, world, people, draft):
    import datetime as dt

    from cases.services import referral_acknowledge

    client.force_login(people.practitioner)
    fill_all_sections(client, draft)
    referral_submit(referral=draft, by=people.practitioner)
    referral_authorise(referral=draft, by=people.lead, raw={"officer": "Lead"})
    case = referral_acknowledge(
        referral=draft,
        by=people.bu,
        received_on=dt.date(2025, 4, 16),
        became_aware_on=dt.date(2025, 4, 16),
        kind="serious_incident",
    )
    client.force_login(people.practitioner)
    assert client.get(reverse("case_detail", args=[world.partnership.slug, case.pk])).status_code == 404
    page = client.get(view(draft)).content.decode()
    assert case.reference in page  # they are told the reference, not shown the case
