"""Issue 11 end to end in Chromium, for Dorset and for Cambridgeshire and Peterborough: from the
rapid review's decision, the business unit commissions a reviewer (case material refused before the
contract, granted after, and only for that case), agrees the terms of reference, runs an event,
records family engagement, imports a chronology CSV with one bad row (a row-level error, the good
rows kept), builds the integrated chronology PDF and uploads two report versions. axe-core on every
page visited."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import sign_in
from tests.browser.practice_review_steps import (
    CSV,
    a_new_reviewer,
    case_decided_on_a_practice_review,
    check,
    fill_date,
)


@pytest.mark.parametrize("slug", ["dorset", "cambridgeshire-peterborough"])
def test_practice_review_journey(page: Page, live_server, demo, slug):
    from cspr.chronology import pdf_build
    from cspr.models import PracticeReview

    base = live_server.url
    review = case_decided_on_a_practice_review(slug)
    other = PracticeReview.objects.exclude(pk=review.pk).get(
        partnership__slug=slug, case__facts__demo_practice_review=True
    )
    reviewer = a_new_reviewer(slug)
    url = f"{base}/p/{slug}/practice-reviews/{review.pk}/"
    today = dt.date.today()
    files = Path(tempfile.mkdtemp())
    for name in ("tor.pdf", "report-1.pdf", "report-2.pdf"):
        (files / name).write_bytes(b"%PDF-1.4\n% synthetic " + name.encode() + b"\n%%EOF\n")
    (files / "chronology.csv").write_text(CSV)

    # The business unit opens the practice review from the case page.
    sign_in(page, base, f"business-unit.{slug}@example.org")
    page.goto(f"{base}/p/{slug}/cases/{review.case_id}/")
    page.get_by_role("link", name="Open the practice review").click()
    check(page, f"{slug}-overview")

    # Commissioning: a candidate, appointed with the new reviewer's account.
    page.get_by_role("link", name="Add a candidate").click()
    check(page, f"{slug}-candidate")
    page.get_by_label("Candidate's name").fill("Jordan Reviewer")
    page.get_by_label("Knowledge of research").fill("Published on neglect")
    page.get_by_role("button", name="Add the candidate").click()
    page.get_by_role("link", name="Appoint the reviewer").click()
    check(page, f"{slug}-appoint")
    page.get_by_label("Jordan Reviewer").check()
    page.get_by_label("Their account").select_option(label="Jordan Reviewer (synthetic)")
    fill_date(page, "appointed_on", today)
    page.get_by_role("button", name="Appoint").click()
    expect(page.get_by_text("Send their name to the Panel, Ofsted and the DfE")).to_be_visible()
    check(page, f"{slug}-appointed")

    # Before the contract the reviewer sees nothing of the case.
    reviewer_page = page.context.browser.new_page()
    sign_in(reviewer_page, base, reviewer)
    assert reviewer_page.goto(url).status == 404
    assert reviewer_page.goto(f"{base}/p/{slug}/cases/{review.case_id}/").status == 404

    # Vetting, then the contract.
    page.get_by_role("link", name="Record vetting").click()
    check(page, f"{slug}-vetting")
    for box in page.locator("input[name=items]").all():
        box.check()
    page.get_by_label("Conflict of interest declaration").fill("None")
    page.get_by_label("The confidentiality agreement is signed").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Agree the contract").click()
    check(page, f"{slug}-contract")
    page.get_by_label("Jordan Reviewer").check()
    fill_date(page, "agreed_on", today)
    page.get_by_role("button", name="Agree the contract").click()
    expect(page.get_by_text("The reviewer can now see this review and its case")).to_be_visible()

    # The reviewer now sees this review and its case, and not another case's review.
    assert reviewer_page.goto(url).status == 200
    check(reviewer_page, f"{slug}-reviewer-overview")
    assert reviewer_page.goto(f"{base}/p/{slug}/cases/{review.case_id}/").status == 200
    assert reviewer_page.goto(f"{base}/p/{slug}/practice-reviews/{other.pk}/").status == 404
    assert reviewer_page.goto(f"{base}/p/{slug}/cases/{other.case_id}/").status == 404
    reviewer_page.close()

    # Terms of reference: upload a version and record it agreed.
    page.goto(url)
    page.get_by_role("link", name="Upload the terms of reference").click()
    check(page, f"{slug}-tor-upload")
    page.get_by_label("Upload a file (Word or PDF)").set_input_files(str(files / "tor.pdf"))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_text("Terms of reference version 1 uploaded.")).to_be_visible()
    page.get_by_role("link", name="Record the terms of reference as agreed").click()
    check(page, f"{slug}-tor-agree")
    page.get_by_label("Version 1").check()
    fill_date(page, "agreed_on", today)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Terms of reference agreed.")).to_be_visible()

    # An event: planned with invitations, then attendance and notes.
    page.get_by_role("link", name="Plan an event").click()
    check(page, f"{slug}-event")
    page.get_by_label("Reflective learning workshop").check()
    fill_date(page, "held_on", today)
    page.get_by_label("Invited (one a line)").fill("Social worker\nHealth visitor")
    page.get_by_label("Invitations have been sent").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Record attendance and notes").click()
    check(page, f"{slug}-event-record")
    page.locator("input[name=event]").first.check()
    page.get_by_label("Who attended (one a line)").fill("Social worker")
    page.get_by_label("Notes").fill("Learning about hand-overs between teams.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Attendance and notes recorded.")).to_be_visible()

    # Family engagement: consent not sought, with the rationale.
    page.get_by_role("link", name="Record family engagement").click()
    check(page, f"{slug}-family")
    page.get_by_label("Who engages with the family").fill("The lead reviewer")
    page.get_by_label("Consent not sought (rationale recorded)").check()
    page.get_by_label("Rationale for not seeking consent").fill("Agreed with the investigating officer")
    page.get_by_label("The family took part").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Family engagement saved.")).to_be_visible()

    # The chronology: a CSV with one bad row; the good rows are kept, the bad one named by line.
    page.get_by_role("link", name="Integrated chronology").click()
    check(page, f"{slug}-chronology-empty")
    page.get_by_role("link", name="Import a CSV or Excel file").click()
    check(page, f"{slug}-import")
    page.get_by_label("Agency").select_option(index=1)
    page.get_by_label("Chronology file (CSV or Excel)").set_input_files(str(files / "chronology.csv"))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("2 rows imported. 1 rows were not imported")).to_be_visible()
    expect(page.get_by_text("Line 3: “31/02/2025” is not a date")).to_be_visible()
    expect(page.get_by_role("cell", name="Home visit")).to_be_visible()
    check(page, f"{slug}-chronology")

    # The PDF, built by the background task (run here as the worker would).
    page.get_by_role("button", name="Build the PDF").click()
    expect(page.get_by_text("The integrated chronology PDF is being generated")).to_be_visible()
    pdf_build(review.pk)
    page.reload()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the integrated chronology (PDF)").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF")

    # Two versions of the report.
    page.get_by_role("link", name="The report").click()
    check(page, f"{slug}-report-empty")
    for n in (1, 2):
        page.get_by_role("link", name="Upload a version").click()
        check(page, f"{slug}-report-upload-{n}")
        page.get_by_label("Upload a file (Word or PDF)").set_input_files(str(files / f"report-{n}.pdf"))
        page.get_by_role("button", name="Upload", exact=True).click()
        expect(page.get_by_text(f"Report version {n} uploaded.")).to_be_visible()
    expect(page.get_by_role("heading", name="Version 2")).to_be_visible()
    expect(page.get_by_role("heading", name="Version 1")).to_be_visible()
    check(page, f"{slug}-report")
