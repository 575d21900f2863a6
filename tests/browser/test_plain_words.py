"""The checker every browser page goes through (``assert_accessible`` calls it): it finds the codes
people must never read, and lets ordinary words through."""

from __future__ import annotations

import pytest

from tests.browser.conftest import raw_codes

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "text",
    [
        "Why: notification_decision is notify",
        "Subject request:6 is overdue",
        "Due 2026-12-04",
        "Stage: rapid_review",
        "Stage lcspr",
    ],
)
def test_codes_are_found(text):
    assert raw_codes(text)


@pytest.mark.parametrize(
    "text",
    [
        "Due Fri 4 December 2026 (Day 20)",
        "Sign in as business-unit.dorset@example.org",
        "See /p/dorset/cases/1/ for the case",
        "2 agree, 1 disagrees",
        "Local child safeguarding practice review (LCSPR)",
    ],
)
def test_plain_words_pass(text):
    assert not raw_codes(text)
