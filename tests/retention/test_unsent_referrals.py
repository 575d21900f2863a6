"""The second record type: referrals never sent to the business unit (drafts, withdrawn). Queued a
year after their last change (the default), deleted only when the business unit confirms, with
their comments; a referral sent since is refused."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from cases.models import Referral, ReferralComment
from cases.referral_services import referral_start, referral_withdraw
from partnerships.roles import Role
from retention.models import ReviewItem, Tombstone
from retention.services import RetentionError, confirm_deletion, queue_due_reviews


def _old(referral: Referral, days: int = 400) -> Referral:
    Referral.objects.filter(pk=referral.pk).update(updated_at=timezone.now() - dt.timedelta(days=days))
    referral.refresh_from_db()
    return referral


@pytest.fixture
def practitioner(world):
    return world.user(Role.PRACTITIONER)


def _start(world, practitioner) -> Referral:
    return referral_start(
        partnership=world.partnership, agency=world.provider, by=practitioner, token=uuid.uuid4()
    )


def test_old_drafts_and_withdrawn_referrals_are_queued_and_deleted_on_confirmation(
    client, world, practitioner
):
    draft = _old(_start(world, practitioner))
    withdrawn = _start(world, practitioner)
    withdrawn = _old(referral_withdraw(referral=withdrawn, by=practitioner, reason="Sent by phone instead"))
    recent = _start(world, practitioner)
    sent = _old(_start(world, practitioner))
    Referral.objects.filter(pk=sent.pk).update(status=Referral.Status.AUTHORISED)
    assert queue_due_reviews() == 2
    items = {i.referral_id: i for i in ReviewItem.objects.filter(record_type="unsent_referral")}
    assert set(items) == {draft.pk, withdrawn.pk}
    assert items[draft.pk].reference == f"Referral {draft.pk}" and "1 year" in items[draft.pk].rule

    bu = world.user(Role.BUSINESS_UNIT)
    client.force_login(bu)
    url = f"/p/{world.partnership.slug}/retention/reviews/{items[withdrawn.pk].pk}/"
    page = client.get(url)
    assert page.status_code == 200 and b"Delete or keep this referral" in page.content
    assert b"Sent by phone instead" not in page.content  # the business unit never reads it
    assert client.post(url, {"decision": "delete", "reason": "Never sent; past a year"}).status_code == 302
    assert not Referral.objects.filter(pk=withdrawn.pk).exists()
    assert not ReferralComment.objects.filter(referral_id=withdrawn.pk).exists()
    tombstone = Tombstone.objects.get()
    assert (tombstone.record_type, tombstone.record_id) == ("cases.referral", str(withdrawn.pk))
    assert Referral.objects.filter(pk__in=[draft.pk, recent.pk, sent.pk]).count() == 3


def test_a_referral_sent_since_it_was_queued_is_not_deleted(world, practitioner):
    draft = _old(_start(world, practitioner))
    queue_due_reviews()
    item = ReviewItem.objects.get(referral=draft)
    Referral.objects.filter(pk=draft.pk).update(status=Referral.Status.AWAITING_AUTHORISATION)
    with pytest.raises(RetentionError, match="sent since"):
        confirm_deletion(item=item, reason="Past its date", by=world.user(Role.BUSINESS_UNIT))
    assert Referral.objects.filter(pk=draft.pk).exists()
