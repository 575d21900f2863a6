"""Browser checks for issue 16: the rapid review pack's status region follows the background job
without reloading the page (no meta refresh), announces the result politely, and the page keeps to
the Content-Security-Policy (the conftest fails any test Chromium reports a violation in)."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import expect

from rapidreview.models import RapidReview
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.rapid_review_steps import BU, SLUG, case_in_its_rapid_review


def test_pack_status_region_announces_the_ready_pack_without_a_reload(demo, live_server, page):
    case, _ = case_in_its_rapid_review()
    reviews = RapidReview.objects.filter(case=case)
    reviews.update(pack_status=RapidReview.PackStatus.QUEUED, pack_requested_at=timezone.now())
    sign_in(page, live_server.url, BU)
    page.goto(f"{live_server.url}/p/{SLUG}/cases/{case.pk}/rapid-review/")
    region = page.locator("#pack-status")
    expect(region).to_have_attribute("aria-live", "polite")
    expect(region).to_contain_text("The pack is being generated")
    expect(region.get_by_role("link", name="Check again")).to_be_visible()  # the no-JavaScript way
    assert not page.locator("meta[http-equiv='refresh']").count()
    assert_accessible(page, "rapid-review-pack-queued")
    page.evaluate("window.notReloaded = true")

    reviews.update(pack_status=RapidReview.PackStatus.READY, pack_generated_at=timezone.now(), pack_pages=7)
    expect(region.get_by_role("link", name="Download the pack (PDF)")).to_be_visible(timeout=15_000)
    expect(region).to_contain_text("The pack is ready")
    assert page.evaluate("window.notReloaded") is True
    assert_accessible(page, "rapid-review-pack-ready-announced")
