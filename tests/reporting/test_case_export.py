"""Whole-case export for a subject access request or a transfer (issue 16, privacy by design)."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from audit.models import AccessEvent
from audit.services import access_record
from cases.services import case_open
from partnerships.roles import Role
from rapidreview.services import rapid_review_start
from reporting.case_export import case_export_zip
from tests.factories import member


def _open(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {name: z.read(name) for name in z.namelist()}


@pytest.mark.django_db
def test_export_holds_every_record_under_the_case_its_files_and_its_audit_trail(
    profiled, open_case, settings, tmp_path
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    bu = member(Role.BUSINESS_UNIT, profiled.business_unit_agency)
    admin = profiled.user(Role.PARTNERSHIP_ADMIN)
    review = rapid_review_start(case=open_case, by=bu)
    review.pack_file.save("pack.pdf", ContentFile(b"%PDF-1.4 pack"), save=True)
    access_record(user=bu, obj=open_case, detail="Case page")
    other = case_open(partnership=profiled.partnership, by=None, facts={})

    files = _open(case_export_zip(case=open_case, by=admin, reason="SAR 2026-17"))
    records = json.loads(files["records.json"])
    models = {r["model"] for r in records}
    assert {"cases.case", "cases.caseevent", "deadlines.deadline", "rapidreview.rapidreview"} <= models
    assert [r["pk"] for r in records if r["model"] == "cases.case"] == [open_case.pk]  # not the other case
    assert other.pk not in [r["fields"].get("case") for r in records]
    audit = json.loads(files["audit.json"])
    assert any(
        a["model"] == "audit.auditevent" and a["fields"]["object_id"] == str(open_case.pk) for a in audit
    )
    assert any(a["model"] == "audit.accessevent" and a["fields"]["detail"] == "Case page" for a in audit)
    assert all(a["fields"]["hash"] for a in audit)
    [pack] = [name for name in files if name.startswith("files/rapidreview.rapidreview/")]
    assert files[pack] == b"%PDF-1.4 pack"
    manifest = json.loads(files["manifest.json"])
    assert manifest["case"] == open_case.reference and manifest["reason"] == "SAR 2026-17"
    assert manifest["exported_by"] == admin.email and manifest["records"]["cases.case"] == 1
    export = AccessEvent.objects.get(kind="export")
    assert (export.user, export.object_id, export.detail) == (
        admin,
        str(open_case.pk),
        "Whole-case export: SAR 2026-17",
    )


@pytest.mark.django_db
def test_only_the_partnerships_administrator_may_export(profiled, open_case, tmp_path):
    out = tmp_path / "case.zip"
    for who in (profiled.user(Role.BUSINESS_UNIT), profiled.outsider(Role.PARTNERSHIP_ADMIN)):
        with pytest.raises(CommandError, match="Only a partnership administrator"):
            call_command(
                "export_case", "testshire", open_case.reference, by=who.email, reason="SAR", output=str(out)
            )
    assert not out.exists() and not AccessEvent.objects.exists()
    admin = profiled.user(Role.PARTNERSHIP_ADMIN)
    with pytest.raises(CommandError, match="no case with that reference"):
        call_command(
            "export_case",
            "otherton",
            open_case.reference,
            by=profiled.outsider().email,
            reason="SAR",
            output=str(out),
        )
    call_command(
        "export_case", "testshire", open_case.reference, by=admin.email, reason="SAR 1", output=str(out)
    )
    assert json.loads(_open(out.read_bytes())["manifest.json"])["case"] == open_case.reference
