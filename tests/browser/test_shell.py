"""Foundation journeys: every role signs in and sees its home page; the shell is accessible."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from partnerships import demo as demo_data
from partnerships.roles import Role
from tests.browser.conftest import assert_accessible, screenshot, sign_in

ROLE_USERS = {
    role: local for local, role, _ in demo_data.USERS if local not in ("partner-police", "partner-health")
}


def test_every_role_signs_in_sees_its_home_page_and_it_is_accessible(demo, live_server, page):
    assert set(ROLE_USERS) == set(Role.values)
    page.goto(f"{live_server.url}/accounts/sign-in/")
    assert_accessible(page, "sign-in")
    for role, local in ROLE_USERS.items():
        page.context.clear_cookies()
        sign_in(page, live_server.url, demo_data.demo_email(local, "darlington"))
        expect(page.get_by_role("heading", name="What needs you")).to_be_visible()
        expect(page.get_by_text(Role(role).label, exact=True).first).to_be_visible()
        expect(page.locator(".govuk-service-navigation__service-name")).to_contain_text(
            "Darlington Safeguarding Partnership"
        )
        screenshot(page, f"home-{role}")
        assert_accessible(page, f"home-{role}")


def test_sign_in_errors_link_to_the_field_and_keep_the_email(demo, live_server, page):
    page.goto(f"{live_server.url}/accounts/sign-in/")
    page.get_by_label("Email address").fill("practitioner.dorset@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    summary.get_by_role("link").click()
    expect(page.get_by_label("Email address")).to_be_focused()
    expect(page.get_by_label("Email address")).to_have_value("practitioner.dorset@example.org")
    assert_accessible(page, "sign-in-error")


def test_keyboard_user_can_skip_to_content_and_sign_out(demo, live_server, page):
    sign_in(page, live_server.url, demo_data.demo_email("business-unit", "bradford"))
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Enter")
    assert page.url.endswith("#main-content")
    page.get_by_role("button", name="Sign out").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_partnership_switcher_moves_between_partnerships(demo, live_server, page):
    sign_in(page, live_server.url, demo_data.MULTI_PARTNERSHIP_EMAIL)
    page.get_by_label("Partnership", exact=True).select_option(
        label="North East Lincolnshire Safeguarding Children Partnership"
    )
    page.get_by_role("button", name="Switch partnership").click()
    expect(page.locator(".govuk-service-navigation__service-name")).to_contain_text("North East Lincolnshire")
    assert_accessible(page, "home-switched")


def test_admin_pages_are_accessible(demo, live_server, page):
    sign_in(page, live_server.url, demo_data.demo_email("admin", "dorset"))
    for path, name in (
        ("/p/dorset/audit/", "audit"),
        ("/p/dorset/closure-days/", "closure-days"),
        ("/p/dorset/people/", "people"),
        ("/accessibility/", "accessibility"),
    ):
        page.goto(f"{live_server.url}{path}")
        assert_accessible(page, name)
    page.goto(f"{live_server.url}/p/dorset/closure-days/")
    page.get_by_role("button", name="Add closure day").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "closure-days-error")


@pytest.mark.parametrize("path", ["/p/dorset/nothing-here/", "/p/darlington/"])
def test_not_found_page_is_accessible(demo, live_server, page, path):
    sign_in(page, live_server.url, demo_data.demo_email("practitioner", "dorset"))
    response = page.goto(f"{live_server.url}{path}")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert_accessible(page, "not-found")


def test_idle_session_warns_then_signs_out(demo, live_server, page, settings):
    settings.SESSION_COOKIE_AGE = 8
    settings.SESSION_WARNING_SECONDS = 6
    sign_in(page, live_server.url, demo_data.demo_email("practitioner", "bradford"))
    dialog = page.locator("#session-timeout")
    expect(dialog).to_be_visible(timeout=6000)
    assert_accessible(page, "timeout-warning")
    page.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    # Without activity the warning comes back and then the session ends.
    expect(page).to_have_url(re.compile(r"/accounts/sign-in/"), timeout=15000)
    expect(page.get_by_text("You were signed out because")).to_be_visible()
