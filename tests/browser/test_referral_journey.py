"""Issue 5 journey in a real Chromium: referral → lead returns → fixed → authorised → acknowledged →
partners' decision → Panel notification. axe-core runs on every page visited."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in

SLUG = "dorset"
PRACTITIONER = "practitioner.dorset@example.org"
LEAD = "agency-lead.dorset@example.org"
BU = "business-unit.dorset@example.org"
LA_REP = "partner-la.dorset@example.org"


def check(page: Page, name: str) -> None:
    page.wait_for_load_state()
    expect(page.locator("main h1").first).to_be_visible()
    assert_accessible(page, name)


def fill_date(page: Page, name: str, value: dt.date) -> None:
    page.locator(f"#id_{name}_day").fill(str(value.day))
    page.locator(f"#id_{name}_month").fill(str(value.month))
    page.locator(f"#id_{name}_year").fill(str(value.year))


def save_and_continue(page: Page) -> None:
    page.get_by_role("button", name="Save and continue").last.click()
    page.wait_for_load_state()


def outbox_recipients(prefix: str) -> set[str]:
    from notifications.models import OutboxMessage

    return set(
        OutboxMessage.objects.filter(event_key__startswith=prefix).values_list("recipient__email", flat=True)
    )


def test_referral_from_practitioner_to_panel_notification(demo, live_server, page: Page):
    from cases.models import Referral

    base = live_server.url
    incident = dt.date.today() - dt.timedelta(days=3)
    sign_in(page, base, PRACTITIONER)
    page.goto(f"{base}/p/{SLUG}/referrals/")
    check(page, "referral-list")
    page.get_by_role("button", name="Start a referral").click()
    expect(
        page.get_by_text("A referral does not replace an immediate child protection referral")
    ).to_be_visible()
    check(page, "referral-start")
    page.get_by_role("button", name="Start the referral").click()
    expect(page.get_by_role("heading", name="Complete the referral")).to_be_visible()
    check(page, "referral-task-list")
    referral = Referral.objects.latest("pk")  # the one just started (the demo has others)
    page.get_by_role("link", name="About the referral").click()
    check(page, "referral-section")

    # A validation error: a future incident date. The summary links to the field; typed values stay.
    page.get_by_label("A serious incident that I think meets the criteria for notification").check()
    fill_date(page, "incident_date", dt.date.today() + dt.timedelta(days=10))
    page.get_by_role("group", name="Does the incident relate to the death of a child?").get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("group", name=re.compile("conduct of a member of staff")).get_by_label(
        "No", exact=True
    ).check()
    page.get_by_label("Who have you reported this to?").fill("Designated nurse")
    save_and_continue(page)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    check(page, "referral-section-error")
    summary.get_by_role("link", name=re.compile("Date of the incident must be today or in the past")).click()
    expect(page.locator("#id_incident_date_day")).to_be_focused()
    expect(page.get_by_label("Who have you reported this to?")).to_have_value("Designated nurse")

    # Leave, sign in again, resume: what was typed is still there.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, PRACTITIONER)
    page.get_by_role("link", name=f"Finish referral {referral.pk}").click()
    page.get_by_role("link", name="About the referral").click()
    expect(page.get_by_label("Who have you reported this to?")).to_have_value("Designated nurse")
    fill_date(page, "incident_date", incident)
    save_and_continue(page)

    # Your details
    page.get_by_label("Your job title").fill("Health visitor")
    page.get_by_label("Telephone number").fill("01632 960 001")
    save_and_continue(page)
    # The child
    page.get_by_label("Child's last name").fill("Example")
    page.get_by_label("Child's first name").fill("Sam")
    fill_date(page, "date_of_birth", dt.date(2020, 3, 1))
    save_and_continue(page)
    save_and_continue(page)  # parents and carers (optional)
    save_and_continue(page)  # siblings
    save_and_continue(page)  # significant others
    page.get_by_label("Outline of the case and the serious incident").fill(
        "A synthetic outline for the browser test."
    )
    save_and_continue(page)
    page.locator("#id_cpp_at_time_1").check()
    page.locator("#id_cpp_before_1").check()
    save_and_continue(page)
    page.get_by_label("Legal status of the child at the time of the incident").select_option(
        label="Child in need"
    )
    page.get_by_role("group", name=re.compile("looked after by a local authority")).get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("group", name=re.compile("care leaver")).get_by_label("No", exact=True).check()
    save_and_continue(page)
    page.get_by_role("group", name=re.compile("known to children's social care")).get_by_label(
        "No", exact=True
    ).check()
    save_and_continue(page)
    page.get_by_role("group", name=re.compile("complex abuse investigation")).get_by_label(
        "No", exact=True
    ).check()
    page.get_by_role("group", name=re.compile("criminal proceedings been started")).get_by_label(
        "Don't know"
    ).check()
    save_and_continue(page)
    page.get_by_label("What do you recommend the partnership does?").fill("A rapid review.")
    save_and_continue(page)
    expect(
        page.get_by_role("heading", name="Check your answers before sending your referral")
    ).to_be_visible()
    check(page, "referral-check")
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_text("Referral sent to your agency's safeguarding lead")).to_be_visible()
    assert outbox_recipients(f"referral:{referral.pk}:submitted") == {LEAD}

    # The lead returns it with a comment.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, LEAD)
    page.get_by_role("link", name=re.compile(f"Authorise referral {referral.pk}")).click()
    page.get_by_role("link", name="Authorise or return").click()
    check(page, "referral-authorise")
    page.get_by_label("Return it to the referrer with comments").check()
    page.get_by_role("textbox", name="Comments").fill("Please add the school the child attends.")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Referral returned to the referrer")).to_be_visible()
    assert outbox_recipients(f"referral:{referral.pk}:returned") == {PRACTITIONER}

    # The practitioner fixes it and sends it again.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, PRACTITIONER)
    page.goto(f"{base}/p/{SLUG}/referrals/{referral.pk}/")
    expect(page.get_by_text("Please add the school the child attends.")).to_be_visible()
    check(page, "referral-returned")
    page.get_by_role("link", name="The child").click()
    page.get_by_label("Where was the child at the time of the incident?").fill("At Example Primary School")
    save_and_continue(page)
    page.goto(f"{base}/p/{SLUG}/referrals/{referral.pk}/check/")
    page.get_by_role("button", name="Send the referral").click()

    # The lead authorises.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, LEAD)
    page.goto(f"{base}/p/{SLUG}/referrals/{referral.pk}/authorise/")
    page.get_by_label("Authorise it and send it to the business unit").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Referral authorised")).to_be_visible()
    assert BU in outbox_recipients(f"referral:{referral.pk}:authorised")

    # The business unit sees it and acknowledges it.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, BU)
    page.get_by_role("link", name=re.compile(f"Acknowledge referral {referral.pk}")).click()
    check(page, "referral-bu-view")
    page.get_by_role("link", name="Acknowledge receipt").click()
    check(page, "referral-acknowledge")
    page.get_by_role("button", name="Acknowledge and open the case").click()
    expect(page.get_by_text("Referral acknowledged: case DOR-")).to_be_visible()
    referral.refresh_from_db()
    case = referral.case  # the case this referral opened (the demo has cases of its own)
    check(page, "case-page")
    assert outbox_recipients(f"referral:{referral.pk}:acknowledged") == {PRACTITIONER}
    assert_deadlines_on_page(page, case)

    # The partners record their decision.
    page.get_by_role("link", name="Record the safeguarding partners' decision").click()
    check(page, "decision")
    page.get_by_label(re.compile("Criteria met")).check()
    page.get_by_label("Rationale").fill("Abuse is suspected and the child was seriously harmed.")
    fill_date(page, "decided_on", dt.date.today())
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The safeguarding partners' decision has been recorded.")).to_be_visible()
    case.refresh_from_db()
    assert case.stage == "awaiting_panel_notification"
    assert_deadlines_on_page(page, case)

    # The local authority records the Panel notification.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, LA_REP)
    page.goto(f"{base}/p/{SLUG}/cases/{case.pk}/")
    page.get_by_role("link", name="See the copy-ready summary for the Panel notification").click()
    check(page, "panel-summary")
    # The Panel's form asks for the local authority, not the partnership.
    expect(page.locator(".app-copy-list .govuk-summary-list__row").first).to_contain_text("Dorset Council")
    page.go_back()
    page.get_by_role("link", name=re.compile("Record the notification to the Child Safeguarding")).click()
    check(page, "panel-notification")
    fill_date(page, "submitted_on", dt.date.today())
    page.get_by_label("Time (24-hour clock)").fill("00:01")
    page.get_by_label("Reference the Panel's online system gave").fill("SIN-TEST-1")
    fill_date(page, "ofsted_informed_on", dt.date.today())
    page.get_by_role("button", name="Record the notification").click()
    expect(
        page.get_by_text(
            "The notification to the Child Safeguarding Practice Review Panel has been recorded."
        )
    ).to_be_visible()
    case.refresh_from_db()
    assert case.stage == "panel_notified"
    assert_deadlines_on_page(page, case)
    check(page, "case-after-sin")


def assert_deadlines_on_page(page: Page, case) -> None:
    """The deadline panel shows exactly what the partnership's profile gives for the recorded dates."""
    from deadlines.calendar import WorkingCalendar
    from deadlines.rules import compute_due, load_profile, rule_applies

    profile = load_profile(case.profile.data)
    anchors = {a.key: a.value for a in case.anchors.filter(subject="")}
    facts = case.deadline_facts()
    table = page.locator("#deadlines table")
    for rule in profile.rules:
        if rule.anchor not in anchors or rule_applies(rule, facts) is False:
            continue
        due = compute_due(rule, anchors[rule.anchor], WorkingCalendar()).due
        row = table.locator("tr", has_text=rule.label)
        expect(row).to_have_count(1)
        expect(row).to_contain_text(due.strftime("%a %-d %b %Y"))
