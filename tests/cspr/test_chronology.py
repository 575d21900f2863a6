"""The practice review chronology: a CSV or XLSX import keeps the good rows and lists each bad row
with its line and reason; a malformed or oversized file changes nothing and never gives a 500; the
integrated chronology is sorted and filterable; its PDF is built by the background task."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from cspr.chronology import chronology_import, integrated, pdf_build, pdf_request
from cspr.models import ChronologyEntry, PracticeReview
from cspr.services import PracticeReviewError
from documents.models import StoredFile
from tests.states import a_case_in_its_practice_review

pytestmark = pytest.mark.django_db

CSV = (
    "Date,Time,Significant event,Agency,Whose records,Who was involved,Decisions/Outcome,"
    "Child seen/views sought,Author comments\n"
    "14/03/2025,09:30,Home visit,Social work record,Social worker A,Mother; Child,Plan agreed,Yes: wants to stay,\n"
    "31/02/2025,10:00,Impossible date,,,,,,\n"
    "02/01/2025,,School reports child hungry,School record,Teacher B,Child,Referral made,No,Late referral\n"
)


@pytest.fixture
def practice(world, people, profiled_as):
    return a_case_in_its_practice_review(world, people, profiled_as, "dorset")


def xlsx(rows):
    """A minimal workbook with inline strings (what a spreadsheet program saves is the same shape)."""

    def cell(ref, value):
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'

    body = "".join(
        f'<row r="{i}">' + "".join(cell(f"{chr(65 + j)}{i}", v) for j, v in enumerate(r)) + "</row>"
        for i, r in enumerate(rows, start=1)
    )
    sheet = f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{body}</sheetData></worksheet>'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    return buf.getvalue()


def test_a_csv_with_one_bad_row_keeps_the_good_rows_and_names_the_bad_line(practice, world, people):
    batch = chronology_import(
        review=practice, by=people.bu, agency=world.la, uploaded=SimpleUploadedFile("chron.csv", CSV.encode())
    )
    assert batch.rows_kept == 2
    assert batch.errors == [
        {"line": 3, "reason": "“31/02/2025” is not a date (use day/month/year, for example 14/03/2025)"}
    ]
    entries = list(integrated(practice))
    assert [e.event for e in entries] == ["School reports child hungry", "Home visit"]  # sorted by date
    assert (entries[1].child_seen, entries[1].child_views) == (True, "wants to stay")
    assert entries[1].source == "Social work record; Social worker A"
    assert [e.event for e in integrated(practice, person="Mother")] == ["Home visit"]


def test_an_xlsx_import_reads_the_first_sheet(practice, world, people):
    data = xlsx(
        [
            ["Date", "Significant event", "Who was involved"],
            ["01/02/2025", "GP appointment missed", "Child"],
            ["", "No date", ""],
        ]
    )
    batch = chronology_import(
        review=practice, by=people.bu, agency=world.health, uploaded=SimpleUploadedFile("c.xlsx", data)
    )
    assert batch.rows_kept == 1 and batch.errors == [{"line": 3, "reason": "The date is missing"}]


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("c.csv", b"Name,Other\nx,y\n", "missing: Date, Significant event"),
        ("c.xlsx", "broken-sheet", "could not be read"),
        ("c.xlsx", b"PK\x03\x04garbage" + b"\x00" * 50, "not a type this service accepts"),
        ("c.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50, ""),
    ],
)
def test_a_malformed_file_changes_nothing(practice, world, people, name, data, message):
    if data == "broken-sheet":
        data = xlsx([["Date", "Significant event"]]).replace(b"</sheetData>", b"</sheetDatX>")
    with pytest.raises(PracticeReviewError, match=message):
        chronology_import(
            review=practice, by=people.bu, agency=world.la, uploaded=SimpleUploadedFile(name, data)
        )
    assert (
        not ChronologyEntry.objects.exists()
        and not StoredFile.objects.filter(purpose="chronology_import").exists()
    )


@override_settings(UPLOAD_MAX_BYTES=200)
def test_an_oversized_or_malformed_upload_through_the_page_is_a_clear_message_not_a_500(
    practice, world, people, client
):
    client.force_login(people.bu)
    url = reverse("pr_chronology_import", args=[practice.partnership.slug, practice.pk])
    big = SimpleUploadedFile("big.csv", CSV.encode() * 5)
    response = client.post(url, {"agency": world.la.pk, "file": big})
    assert response.status_code == 400 and "smaller than" in response.content.decode()
    bad = SimpleUploadedFile("bad.csv", b"Name\nx\n")
    response = client.post(url, {"agency": world.la.pk, "file": bad})
    assert response.status_code == 400 and "Date, Significant event" in response.content.decode()
    assert not ChronologyEntry.objects.exists()


def test_the_import_page_shows_the_bad_row_and_keeps_the_good(practice, world, people, client):
    client.force_login(people.bu)
    url = reverse("pr_chronology_import", args=[practice.partnership.slug, practice.pk])
    response = client.post(
        url, {"agency": world.la.pk, "file": SimpleUploadedFile("c.csv", CSV.encode())}, follow=True
    )
    page = response.content.decode()
    assert "2 rows imported. 1 rows were not imported" in page
    assert "Line 3: “31/02/2025” is not a date" in page
    assert "Home visit" in page and "School reports child hungry" in page


def test_the_integrated_chronology_pdf_is_built_in_the_background_and_served_through_the_door(
    practice, world, people, client, django_capture_on_commit_callbacks
):
    chronology_import(
        review=practice, by=people.bu, agency=world.la, uploaded=SimpleUploadedFile("c.csv", CSV.encode())
    )
    with django_capture_on_commit_callbacks() as callbacks:
        assert pdf_request(review=practice, by=people.bu) is True
    assert len(callbacks) == 1
    practice.refresh_from_db()
    assert practice.chronology_pdf_status == PracticeReview.PdfStatus.QUEUED
    pdf_build(practice.pk)  # what the task runs
    practice.refresh_from_db()
    assert practice.chronology_pdf_status == PracticeReview.PdfStatus.READY
    client.force_login(people.bu)
    response = client.get(
        reverse("file_download", args=[practice.partnership.slug, practice.chronology_pdf_id])
    )
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(world.outsider())
    assert (
        client.get(
            reverse("file_download", args=[practice.partnership.slug, practice.chronology_pdf_id])
        ).status_code
        == 404
    )
