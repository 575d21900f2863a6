"""The business unit's dashboard in a real browser (issue 15): filter to overdue cases, search for a
child by name, open the case, export the list; the compliance page shows its chart and table. axe
runs on every page; screenshots of the dashboard and the compliance page are kept in test-results/."""

from __future__ import annotations

import csv
import io
import uuid
from pathlib import Path

from playwright.sync_api import expect

from cases.models import Case, Referral
from deadlines.services import today
from partnerships import demo as demo_data
from partnerships.models import Membership
from reporting.synthetic import make_cases
from tests.browser.conftest import assert_accessible, sign_in

RESULTS = Path(__file__).resolve().parents[2] / "test-results"


def _shot(page, name: str) -> None:
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)


def test_business_unit_filters_searches_opens_and_exports(demo, live_server, page):
    case = Case.objects.filter(partnership__slug="dorset", facts__demo_day=today().isoformat()).get()
    dorset = case.partnership
    agencies = list(dorset.agencies.all())
    make_cases(dorset, 30, on=today(), agencies=agencies, with_events=False)
    referrer = Membership.objects.filter(agency__partnership=dorset).first().user
    Referral.objects.create(
        partnership=dorset,
        agency=agencies[0],
        referrer=referrer,
        status=Referral.Status.ACKNOWLEDGED,
        form_variant="core",
        start_token=uuid.uuid4(),
        answers={"child": {"first_name": "Wrenna", "last_name": "Tollbridge"}},
        case=case,
    )
    sign_in(page, live_server.url, demo_data.demo_email("business-unit", "dorset"))

    page.get_by_role("link", name="Dashboard", exact=True).click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.locator("#dashboard-cases tbody tr").first).to_be_visible()
    assert_accessible(page, "dashboard")

    # Filter to overdue cases (no JavaScript needed: a GET form).
    page.get_by_label("Overdue", exact=False).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("table", name="Open cases: overdue")).to_be_visible()
    tags = page.locator("#dashboard-cases .govuk-tag").all_inner_texts()
    assert tags and all(t.strip() == "Overdue" for t in tags), tags
    assert "Local target passed" not in tags
    _shot(page, "dashboard-overdue")
    assert_accessible(page, "dashboard-overdue")

    # Export the list as it is filtered.
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text())))
    assert rows[0][0] == "Case reference" and len(rows) == 1 + len(tags)
    assert {r[8] for r in rows[1:]} == {"Overdue"}

    # Search for the child by name and open the case.
    page.get_by_role("link", name="Search", exact=True).first.click()
    page.get_by_label("Case reference or child's name").fill("tollbridge")
    page.get_by_role("button", name="Search", exact=True).click()
    results = page.locator("#search-results")
    expect(results).to_contain_text("Wrenna Tollbridge")
    assert_accessible(page, "search-results")
    results.get_by_role("link", name=case.reference, exact=True).click()
    expect(page.get_by_role("heading", name=f"Case {case.reference}")).to_be_visible()

    # The compliance page: a chart and its table.
    page.get_by_role("link", name="Compliance", exact=True).click()
    expect(page.get_by_role("heading", name="Compliance with timescales")).to_be_visible()
    expect(page.locator("svg.app-chart").first).to_be_visible()
    expect(page.locator("table caption", has_text="Panel notification within 5 working days")).to_be_visible()
    _shot(page, "compliance")
    assert_accessible(page, "compliance")
    page.get_by_role("link", name="Register of serious incident notification requests").click()
    assert_accessible(page, "sin-register")
    page.get_by_role("link", name="Calendar", exact=True).click()
    assert_accessible(page, "calendar-month")
    page.get_by_role("link", name="Agenda (next six weeks)").click()
    assert_accessible(page, "calendar-agenda")
