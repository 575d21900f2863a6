"""The upload rules every stage relies on: size, type by content, storage outside the web root, and
downloads only through the owner's door."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from audit.models import AccessEvent, AuditEvent
from documents import doors, sniff
from documents.models import DocumentVersion, StoredFile
from documents.services import UploadRefused, add_version, create_document, store_upload
from partnerships.roles import Role
from tests.factories import member


def _office(part: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(f"{part}/document.xml", "<w/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "key"),
    [
        (b"%PDF-1.7\n...", "report.pdf", "pdf"),
        (_office("word"), "report.docx", "docx"),
        (_office("xl"), "chronology.xlsx", "xlsx"),
        (b"date,agency,event\n2026-01-02,Police,Visit\n", "chronology.csv", "csv"),
        (b"\x89PNG\r\n\x1a\n....", "genogram.png", "png"),
        (b"\xff\xd8\xff\xe0....", "genogram.jpg", "jpeg"),
    ],
)
def test_the_kind_comes_from_the_content(data, name, key):
    assert sniff.sniff_bytes(data, name=name).key == key


def test_a_renamed_executable_is_refused_whatever_its_name():
    with pytest.raises(sniff.NotAllowed):
        sniff.sniff_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", name="report.pdf")


def test_a_zip_that_is_not_an_office_document_is_refused():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("evil.exe", "x")
    with pytest.raises(sniff.NotAllowed):
        sniff.sniff_bytes(buf.getvalue(), name="report.docx")


def test_a_pdf_where_a_spreadsheet_is_wanted_names_what_is_accepted():
    with pytest.raises(sniff.NotAllowed, match="Upload a CSV file, Excel spreadsheet"):
        sniff.sniff_bytes(b"%PDF-1.4", name="c.pdf", allowed=sniff.SPREADSHEETS)


@pytest.mark.django_db
def test_an_oversized_file_is_refused_and_nothing_is_stored(world, open_case, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    bu = member(Role.BUSINESS_UNIT, world.business_unit_agency)
    with pytest.raises(UploadRefused, match="smaller than 1 KB"):
        store_upload(
            partnership=world.partnership,
            case=open_case,
            uploaded=SimpleUploadedFile("big.pdf", b"%PDF-" + b"x" * 2000),
            by=bu,
            purpose="minutes",
        )
    assert not StoredFile.objects.exists()
    assert not AuditEvent.objects.filter(action="documents.file_stored").exists()


@pytest.mark.django_db
def test_a_stored_file_is_outside_the_web_root_and_named_without_the_upload_name(world, open_case, settings):
    bu = member(Role.BUSINESS_UNIT, world.business_unit_agency)
    stored = store_upload(
        partnership=world.partnership,
        case=open_case,
        uploaded=SimpleUploadedFile("Jane Doe return.pdf", b"%PDF-1.4 return"),
        by=bu,
        purpose="agency_return",
    )
    assert "Jane" not in stored.blob.name
    assert str(settings.STATIC_ROOT) not in stored.blob.path
    assert stored.original_name == "Jane Doe return.pdf"
    assert stored.content_type == "application/pdf"
    assert len(stored.sha256) == 64


@pytest.mark.django_db
def test_versions_are_numbered_in_order_and_keep_their_own_file(world, open_case):
    bu = member(Role.BUSINESS_UNIT, world.business_unit_agency)
    doc = create_document(case=open_case, kind="practice_review_report", title="Report", by=bu)
    v1 = add_version(document=doc, by=bu, uploaded=SimpleUploadedFile("r.pdf", b"%PDF-1 first"))
    v2 = add_version(document=doc, by=bu, uploaded=SimpleUploadedFile("r.docx", _office("word")))
    assert (v1.number, v2.number) == (1, 2)
    assert v1.sha256 != v2.sha256
    assert list(DocumentVersion.objects.filter(document=doc).values_list("number", flat=True)) == [1, 2]
    with pytest.raises(UploadRefused):
        add_version(document=doc, by=bu, uploaded=SimpleUploadedFile("r.csv", b"a,b\n1,2\n"))
    assert doc.versions.count() == 2


@pytest.mark.django_db
def test_download_goes_through_the_case_door_and_is_recorded(world, open_case, client, stored_file):
    url = f"/p/{world.partnership.slug}/files/{stored_file.pk}/download/"
    client.force_login(world.user(Role.BUSINESS_UNIT))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AccessEvent.objects.filter(kind="download", object_id=str(stored_file.pk)).exists()
    # The same file through another partnership's path is not found.
    client.force_login(world.outsider(Role.BUSINESS_UNIT))
    assert (
        client.get(f"/p/{world.other_partnership.slug}/files/{stored_file.pk}/download/").status_code == 404
    )


@pytest.mark.django_db
def test_an_owner_door_decides_for_its_files(world, open_case, client):
    provider_user = member(Role.PRACTITIONER, world.provider)
    seen: list[int] = []

    def door(user, owner_id, slug):
        seen.append(owner_id)
        if user.pk != provider_user.pk:
            raise Http404
        if owner_id == 2:
            raise PermissionDenied

    doors.register_owner_door("test_owner", door)
    bu = member(Role.BUSINESS_UNIT, world.business_unit_agency)
    files = [
        store_upload(
            partnership=world.partnership,
            case=open_case,
            uploaded=SimpleUploadedFile("x.pdf", b"%PDF-1 x"),
            by=bu,
            purpose="agency_return",
            owner_kind="test_owner",
            owner_id=n,
        )
        for n in (1, 2)
    ]
    client.force_login(provider_user)
    assert client.get(f"/p/{world.partnership.slug}/files/{files[0].pk}/download/").status_code == 200
    assert client.get(f"/p/{world.partnership.slug}/files/{files[1].pk}/download/").status_code == 403
    client.force_login(world.user(Role.BUSINESS_UNIT))
    assert client.get(f"/p/{world.partnership.slug}/files/{files[0].pk}/download/").status_code == 404
    assert seen == [1, 2, 1]


@pytest.mark.django_db
def test_a_file_whose_owner_has_no_door_is_never_served(world, open_case, client):
    bu = member(Role.BUSINESS_UNIT, world.business_unit_agency)
    stored = store_upload(
        partnership=world.partnership,
        case=open_case,
        uploaded=SimpleUploadedFile("x.pdf", b"%PDF-1 x"),
        by=bu,
        purpose="x",
        owner_kind="nobody_registered_this",
        owner_id=1,
    )
    client.force_login(world.user(Role.BUSINESS_UNIT))
    assert client.get(f"/p/{world.partnership.slug}/files/{stored.pk}/download/").status_code == 404
