"""No "Being generated" for ever (issue 17): a pack whose task was lost with a worker is queued again
by beat, and the business unit can try again from the page once it is late; a request while the pack
is still on its way is not silently ignored. Tasks are really published to the test Redis."""

from __future__ import annotations

import datetime as dt

import pytest
from celery.signals import after_task_publish
from django.urls import reverse
from django.utils import timezone

from rapidreview.models import RapidReview
from rapidreview.pack import PACK_STUCK_AFTER, pack_request
from rapidreview.tasks import requeue_stale_packs

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker():
    """The build_pack tasks published to the real broker during the test, as Celery reports them
    once the broker has taken each message (``after_task_publish``). Read from the signal rather
    than from the Redis list: other tests clear the shared Redis database between their steps."""
    published: list[int] = []

    def record(sender=None, headers=None, body=None, **kwargs):  # type: ignore[no-untyped-def]
        if sender == "rapidreview.build_pack":
            args, _kwargs, _embed = body
            published.extend(args)

    after_task_publish.connect(record, weak=False)
    yield published
    after_task_publish.disconnect(record)


def queued_packs(published: list[int], review_id: int) -> int:
    """How many build_pack tasks for this review went to the broker."""
    return published.count(review_id)


def stuck(review: RapidReview, ago: dt.timedelta) -> RapidReview:
    RapidReview.objects.filter(pk=review.pk).update(
        pack_status=RapidReview.PackStatus.QUEUED, pack_requested_at=timezone.now() - ago
    )
    review.refresh_from_db()
    return review


def test_a_second_request_while_the_pack_is_on_its_way_changes_nothing(
    review_for, people, broker, django_capture_on_commit_callbacks
):
    review = review_for("darlington")
    with django_capture_on_commit_callbacks(execute=True):
        assert pack_request(review=review, by=people.bu) is True
    asked = RapidReview.objects.get(pk=review.pk).pack_requested_at
    with django_capture_on_commit_callbacks(execute=True):
        assert pack_request(review=review, by=people.bu) is False
    assert RapidReview.objects.get(pk=review.pk).pack_requested_at == asked
    assert queued_packs(broker, review.pk) == 1


def test_a_late_pack_can_be_asked_for_again(review_for, people, broker, django_capture_on_commit_callbacks):
    review = stuck(review_for("darlington"), PACK_STUCK_AFTER + dt.timedelta(seconds=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert pack_request(review=review, by=people.bu) is True
    review.refresh_from_db()
    assert timezone.now() - review.pack_requested_at < dt.timedelta(seconds=30)
    assert queued_packs(broker, review.pk) == 1


def test_beat_queues_again_only_the_packs_that_are_late_and_only_once(review_for, broker):
    late = stuck(review_for("darlington"), PACK_STUCK_AFTER + dt.timedelta(minutes=1))
    assert requeue_stale_packs() == 1
    assert requeue_stale_packs() == 0  # claimed: asked-for time moved to now
    assert queued_packs(broker, late.pk) == 1
    RapidReview.objects.filter(pk=late.pk).update(pack_requested_at=timezone.now() - dt.timedelta(seconds=30))
    assert requeue_stale_packs() == 0


def test_the_page_says_a_late_pack_is_late_and_offers_to_try_again(client, review_for, people, world):
    review = review_for("darlington")
    url = reverse("rapid_review", args=[world.partnership.slug, review.case_id])
    client.force_login(people.bu)
    stuck(review, dt.timedelta(seconds=20))
    page = client.get(url).content.decode()
    assert "The pack is being generated." in page and "Try again" not in page
    stuck(review, PACK_STUCK_AFTER + dt.timedelta(minutes=3))
    page = client.get(url).content.decode()
    assert "taking longer than expected" in page and "Try again" in page


def test_pressing_generate_again_too_soon_says_so(client, review_for, people, world, broker):
    review = stuck(review_for("darlington"), dt.timedelta(seconds=20))
    client.force_login(people.bu)
    response = client.post(
        reverse("rapid_review_pack", args=[world.partnership.slug, review.case_id]), follow=True
    )
    assert "already being generated" in response.content.decode()
    assert queued_packs(broker, review.pk) == 0
