"""Issue 6 end to end in Chromium, for Cambridgeshire and Peterborough: the business unit asks three
agencies; two complete and authorise their returns (one is sent back once), one sends a nil return;
the pack is generated in the background and holds every return and the integrated chronology; then
the meeting with quorum, the decision signed by the three partners (one after a change that
invalidated the first signature) and the Panel submission before the 15th working day
(``meeting_decision_and_panel`` in test_rapid_review_meeting.py). axe-core on every page visited."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import tempfile

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.rapid_review_steps import case_in_its_rapid_review, meeting_decision_and_panel

SLUG = "cambridgeshire-peterborough"
BU = f"business-unit.{SLUG}@example.org"


def check(page: Page, name: str) -> None:
    page.wait_for_load_state()
    expect(page.locator("main h1").first).to_be_visible()
    assert_accessible(page, name)


def fill_date(page: Page, name: str, value: dt.date) -> None:
    page.locator(f"#id_{name}_day").fill(str(value.day))
    page.locator(f"#id_{name}_month").fill(str(value.month))
    page.locator(f"#id_{name}_year").fill(str(value.year))


def people_for(agency_name: str):
    """A practitioner and a safeguarding lead for the named agency of the partnership."""
    from partnerships.models import Agency, Membership, User

    agency = Agency.objects.get(partnership__slug=SLUG, name=agency_name)
    out = []
    for role in ("practitioner", "agency_lead"):
        email = f"{role}.{agency.pk}.journey@example.org"
        user = User.objects.create_user(
            email, "demo-safeguarding-2026", full_name=f"{role.replace('_', ' ').title()} {agency.pk}"
        )
        Membership.objects.create(user=user, agency=agency, role=role)
        out.append(email)
    return agency, out[0], out[1]


def complete_return(page: Page, base: str, request_id: int, text: str, events: list[str]) -> None:
    page.goto(f"{base}/p/{SLUG}/requests/{request_id}/")
    check(page, f"request-{request_id}")
    page.get_by_role("link", name="Your agency's involvement").click()
    check(page, "return-section")
    page.get_by_label(
        "Your agency's current involvement with the child, family or suspected perpetrator"
    ).fill(text)
    page.get_by_label("A brief analysis of your agency's involvement: not a copy of case notes").fill(
        f"Analysis: {text}"
    )
    page.get_by_label("Immediate action taken or needed to keep children safe").fill("None needed.")
    page.get_by_role("button", name="Save and continue").last.click()
    for i, event in enumerate(events):
        if i:
            page.get_by_role("button", name="Add another event").click()
        fill_date(page, f"chronology-{i}-date", dt.date(2026, 1, 5 + 7 * i))
        page.locator(f"#id_chronology-{i}-event").fill(event)
    page.get_by_role("button", name="Save and continue").last.click()
    check(page, "return-check")
    page.get_by_label("Yes: send the completed return").check()
    page.get_by_role("button", name="Send for authorisation").click()
    expect(page.get_by_text("Sent to your agency's safeguarding lead")).to_be_visible()


def authorise(page: Page, base: str, request_id: int) -> None:
    page.goto(f"{base}/p/{SLUG}/requests/{request_id}/")
    page.get_by_role("link", name="Authorise the return").click()
    check(page, "return-authorise")
    page.get_by_label("Their role").fill("Named safeguarding lead")
    page.get_by_label(re.compile("I have quality-assured this return")).check()
    page.get_by_role("button", name="Authorise and send").click()
    expect(page.get_by_text("Return authorised and sent to the partnership.")).to_be_visible()


def test_rapid_review_end_to_end(demo, live_server, page: Page):
    from config.celery import app as celery_app
    from rapidreview.models import InformationRequest

    base = live_server.url
    case, meeting_day = case_in_its_rapid_review()  # notified to the Panel, rapid review started
    provider, prov_author, prov_lead = people_for("Cambridgeshire community health services")
    school, school_author, school_lead = people_for("Peterborough schools and colleges")
    probation, _prob_author, prob_lead = people_for("Probation Service, East of England")

    sign_in(page, base, BU)
    page.goto(f"{base}/p/{SLUG}/cases/{case.pk}/")
    check(page, "case")
    page.get_by_role("link", name="Open the rapid review").click()
    check(page, "rapid-review")
    page.get_by_role("link", name="Ask agencies for their information").click()
    check(page, "requests-new")
    for name in [provider.name, school.name, probation.name]:
        page.get_by_label(name).check()
    # 001 sets no look-back period: the business unit chooses where agencies start.
    expect(page.get_by_text("Your procedure does not set a look-back period")).to_be_visible()
    fill_date(page, "period_from", dt.date.today().replace(year=dt.date.today().year - 2, day=1))
    page.get_by_role("button", name="Send the requests").click()
    expect(page.get_by_text(re.compile("Information requested from"))).to_be_visible()
    requests = {r.agency_id: r for r in InformationRequest.objects.filter(review__case=case)}
    assert {provider.pk, school.pk, probation.pk} <= set(requests), (
        requests,
        provider.pk,
        school.pk,
        probation.pk,
        page.content()[:3000],
    )
    prov_req, school_req, prob_req = requests[provider.pk], requests[school.pk], requests[probation.pk]

    # Provider: complete, authorise; then sent back once, fixed and authorised again.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, prov_author)
    complete_return(
        page, base, prov_req.pk, "Health visiting since birth.", ["Home visit", "Clinic appointment missed"]
    )
    # The provider cannot see the school's request.
    assert page.goto(f"{base}/p/{SLUG}/requests/{school_req.pk}/").status == 404
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, prov_lead)
    authorise(page, base, prov_req.pk)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, BU)
    page.goto(f"{base}/p/{SLUG}/requests/{prov_req.pk}/")
    check(page, "return-at-business-unit")
    page.get_by_role("link", name="Send back for re-completion").click()
    check(page, "send-back")
    page.get_by_label("What does the agency need to add or change?").fill(
        "Please add your analysis of the missed appointment."
    )
    page.get_by_role("button", name="Send it back").click()
    expect(page.get_by_text(f"Return sent back to {provider.name}")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, prov_author)
    complete_return(
        page,
        base,
        prov_req.pk,
        "Health visiting since birth; the missed appointment was followed up.",
        ["Home visit", "Clinic appointment missed"],
    )
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, prov_lead)
    authorise(page, base, prov_req.pk)

    # School: complete and authorise.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, school_author)
    complete_return(page, base, school_req.pk, "Attends the nursery class.", ["Attendance concern raised"])
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, school_lead)
    authorise(page, base, school_req.pk)

    # Probation: a nil return, sent and authorised by its lead.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, prob_lead)
    page.goto(f"{base}/p/{SLUG}/requests/{prob_req.pk}/submit/")
    check(page, "nil-return")
    page.get_by_label("No: send a nil return").check()
    page.get_by_label("Why has your agency no information to give?").fill(
        "Nobody in the family is known to probation."
    )
    page.get_by_role("button", name="Send for authorisation").click()
    authorise(page, base, prob_req.pk)

    # The business unit sees the board and generates the pack in the background.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, BU)
    page.goto(f"{base}/p/{SLUG}/cases/{case.pk}/rapid-review/")
    expect(page.get_by_text("Nil return", exact=True)).to_be_visible()
    check(page, "rapid-review-board")
    celery_app.conf.task_always_eager = True  # no worker in this test: run the task in-process
    try:
        page.get_by_role("button", name="Generate the pack").click()
    finally:
        celery_app.conf.task_always_eager = False
    page.goto(f"{base}/p/{SLUG}/cases/{case.pk}/rapid-review/")
    link = page.get_by_role("link", name="Download the pack (PDF)")
    expect(link).to_be_visible()
    check(page, "rapid-review-pack-ready")
    response = page.request.get(base + link.get_attribute("href"))
    assert response.status == 200
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(response.body())
        f.flush()
        text = subprocess.run(["pdftotext", f.name, "-"], capture_output=True, text=True, check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    assert all("CONFIDENTIAL" in p for p in pages)
    text = " ".join(text.split())
    for expected in (
        "the missed appointment was followed up",
        "Attends the nursery class",
        "Nobody in the family is known to probation",
        "Integrated chronology",
        "Attendance concern raised",
        "Clinic appointment missed",
    ):
        assert expected in text, expected
    # Sorted by date across agencies: 5 Jan (provider, then school, by agency name), then 12 Jan.
    chronology = text[text.rindex("Integrated chronology") :]
    assert (
        chronology.index("Home visit")
        < chronology.index("Attendance concern raised")
        < chronology.index("Clinic appointment missed")
    )

    # The second half: meeting, decision, sign-off, Panel submission (same case, same browser).
    page.context.clear_cookies()
    meeting_decision_and_panel(page, base, case, meeting_day)
