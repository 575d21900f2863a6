"""Sign-off journey: three partner representatives sign a decision, one with a one-time code;
the decision changes after the first signature, so that partner signs the new version again.
axe-core runs on every page visited."""

from __future__ import annotations

import base64
import re
import time

from django_otp.oath import TOTP
from playwright.sync_api import expect

from partnerships import demo as demo_data
from partnerships.models import Partnership, User
from signoffs.models import Signature, SignoffRequest, Status
from signoffs.services import signoff_request_create
from tests.browser.conftest import assert_accessible, screenshot, sign_in

SLUG = "darlington"
DECISION = {
    "case_reference": "DAR-2026-001",
    "decision": "Local child safeguarding practice review",
    "rationale": "Agencies did not share what they knew about the child's injuries.",
    "immediate_actions": ["Strategy meeting held", "Health assessment completed"],
}
TITLE = "Rapid review decision, case DAR-2026-001"


def put_to_partners(content):
    partnership = Partnership.objects.get(slug=SLUG)
    bu = User.objects.get(email=demo_data.demo_email("business-unit", SLUG))
    return signoff_request_create(
        partnership=partnership,
        record_type="rapidreview.decision",
        record_id="demo-1",
        content=content,
        title=TITLE,
        by=bu,
    )


def app_code(secret_text: str, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed from the page."""
    secret = secret_text.replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key, drift=steps_ahead)
    totp.time = time.time()
    return f"{totp.token():06d}"


def confirm_with_password(page, name):
    expect(page.get_by_role("heading", name="Confirm it’s you")).to_be_visible()
    assert_accessible(page, f"{name}-confirm")
    page.get_by_label("Password").fill(demo_data.DEMO_PASSWORD)
    page.get_by_role("button", name="Confirm").click()


def test_three_partners_sign_one_with_a_one_time_code_after_a_change(demo, live_server, page):
    base = live_server.url
    v1 = put_to_partners(DECISION)

    # 1. The local authority's partner representative finds the task and signs version 1.
    sign_in(page, base, demo_data.demo_email("partner-la", SLUG))
    assert_accessible(page, "signoffs-home-la")
    page.get_by_role("link", name=f"Sign: {TITLE}").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_text("Agencies did not share what they knew")).to_be_visible()
    assert_accessible(page, "signoffs-detail-v1")
    page.get_by_label("Yes, I agree").check()
    page.get_by_label("Comment").fill("Agreed at the rapid review meeting.")
    page.get_by_role("button", name="Continue").click()
    confirm_with_password(page, "signoffs-la")
    expect(page.get_by_text("You have confirmed it is you")).to_be_visible()
    expect(page.get_by_label("Comment")).to_have_value("Agreed at the rapid review meeting.")
    expect(page.get_by_label("Yes, I agree")).to_be_checked()
    screenshot(page, "signoffs-detail-restored")
    assert_accessible(page, "signoffs-detail-restored")
    page.get_by_role("button", name="Sign version 1").click()
    expect(page.get_by_text("Your signature for Darlington Borough Council is recorded.")).to_be_visible()
    assert_accessible(page, "signoffs-signed-la")
    assert Signature.objects.filter(request=v1).count() == 1

    # 2. The decision changes after the first signature: version 2 is sent, version 1 is replaced.
    v2 = put_to_partners({**DECISION, "rationale": DECISION["rationale"] + " Schools were not asked."})
    assert v2.version == 2
    page.reload()
    expect(page.get_by_text("Signatures on this version no longer count")).to_be_visible()
    assert_accessible(page, "signoffs-detail-replaced")
    page.get_by_role("link", name="Go to the latest version (version 2)").click()
    expect(page.get_by_text("Schools were not asked.")).to_be_visible()
    page.get_by_label("Yes, I agree").check()
    page.get_by_role("button", name="Sign version 2").click()  # still within 5 minutes of confirming
    expect(page.get_by_text("Your signature for Darlington Borough Council is recorded.")).to_be_visible()
    assert_accessible(page, "signoffs-signed-la-v2")

    # 3. The police representative sets up an authenticator app, then signs with a code.
    page.context.clear_cookies()
    sign_in(page, base, demo_data.demo_email("partner-police", SLUG))
    page.goto(f"{base}/account/two-factor/")
    assert_accessible(page, "signoffs-two-factor")
    page.get_by_role("link", name="Set up an authenticator app").click()
    confirm_with_password(page, "signoffs-police-enrol")
    expect(page.get_by_role("heading", name="Set up an authenticator app")).to_be_visible()
    expect(page.locator("svg")).to_have_count(1)
    page.get_by_text("I cannot scan the QR code").click()
    secret = page.locator("#otp-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7 ]+", secret)
    screenshot(page, "signoffs-two-factor-setup")
    assert_accessible(page, "signoffs-two-factor-setup")
    page.get_by_label("Code from your authenticator app").fill("000")
    page.get_by_role("button", name="Set up app").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "signoffs-two-factor-setup-error")
    page.get_by_label("Code from your authenticator app").fill(app_code(secret))
    page.get_by_role("button", name="Set up app").click()
    expect(page.get_by_text("Your authenticator app is set up")).to_be_visible()
    assert_accessible(page, "signoffs-two-factor-done")
    # The confirmation made for set-up expires before signing in real life; start afresh here too.
    page.context.clear_cookies()
    sign_in(page, base, demo_data.demo_email("partner-police", SLUG))
    page.goto(f"{base}/p/{SLUG}/signoffs/")
    assert_accessible(page, "signoffs-list-police")
    page.get_by_role("link", name=TITLE).click()
    page.get_by_label("No, I disagree").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a comment saying why you disagree")
    assert_accessible(page, "signoffs-detail-error")
    page.get_by_label("Comment").fill("The force thinks the Panel should consider a national review.")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_label("Code from your authenticator app")).to_be_visible()
    assert_accessible(page, "signoffs-police-confirm-code")
    page.get_by_label("Code from your authenticator app").fill("12345")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code must be 6 digits")
    assert_accessible(page, "signoffs-police-confirm-code-error")
    page.get_by_label("Code from your authenticator app").fill(app_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_label("Comment")).to_have_value(
        "The force thinks the Panel should consider a national review."
    )
    page.get_by_role("button", name="Sign version 2").click()
    expect(page.get_by_text("Your signature for Durham Constabulary is recorded.")).to_be_visible()
    assert_accessible(page, "signoffs-signed-police")

    # 4. Health signs last with a password; the decision is complete, with a disagreement noted.
    page.context.clear_cookies()
    sign_in(page, base, demo_data.demo_email("partner-health", SLUG))
    page.get_by_role("link", name=f"Sign: {TITLE}").click()
    page.get_by_label("Yes, I agree").check()
    page.get_by_role("button", name="Continue").click()
    confirm_with_password(page, "signoffs-health")
    page.get_by_role("button", name="Sign version 2").click()
    expect(page.get_by_text("Signed by every partner")).to_be_visible()
    expect(page.get_by_text("At least one partner disagrees")).to_be_visible()
    screenshot(page, "signoffs-complete")
    assert_accessible(page, "signoffs-complete")

    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v1.status == Status.SUPERSEDED and v1.signatures.count() == 1
    assert v2.status == Status.COMPLETE and v2.outcome == "some_disagree"
    methods = dict(v2.signatures.values_list("agency__kind", "reauth_method"))
    assert methods == {"local_authority": "password", "police": "otp", "health": "password"}
    assert SignoffRequest.objects.filter(record_id="demo-1").count() == 2


def test_sign_off_pages_work_with_the_keyboard(demo, live_server, page):
    put_to_partners(DECISION)
    sign_in(page, live_server.url, demo_data.demo_email("partner-health", SLUG))
    page.goto(f"{live_server.url}/p/{SLUG}/signoffs/")
    page.get_by_role("link", name=TITLE).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    page.locator("summary", has_text="Show the full fingerprint").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("SHA-256 of the content above")).to_be_visible()
    page.get_by_label("Yes, I agree").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("Yes, I agree")).to_be_checked()
    page.get_by_role("button", name="Continue").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Confirm it’s you")).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()
    assert_accessible(page, "signoffs-keyboard-confirm")
