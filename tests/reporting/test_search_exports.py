"""Search through the door, and the CSV/XLSX exports: recorded, formula-safe, one partnership only."""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from xml.etree import ElementTree

import pytest

from audit.models import AccessEvent
from cases.models import Case, Referral
from partnerships.roles import Role
from reporting.synthetic import make_cases
from tests.factories import member

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 2)
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
HYPERLINK = '=HYPERLINK("http://x","y")'


def _case(world, reference: str, first: str, last: str, agency=None, opened: dt.date = TODAY) -> Case:
    from django.utils import timezone

    case = Case.objects.create(
        partnership=world.partnership,
        reference=reference,
        profile=world.partnership.profile,
        stage="panel_notified",
        created_at=timezone.make_aware(dt.datetime.combine(opened, dt.time(9))),
    )
    Referral.objects.create(
        partnership=world.partnership,
        agency=agency or world.provider,
        referrer=member(Role.PRACTITIONER, agency or world.provider),
        status=Referral.Status.ACKNOWLEDGED,
        form_variant="core",
        start_token=uuid.uuid4(),
        answers={"child": {"first_name": first, "last_name": last}},
        case=case,
    )
    return case


def _search(client, world, **params):
    return client.get(f"/p/{world.partnership.slug}/search/", params)


def test_search_by_reference_name_agency_and_dates(profiled, client):
    w = profiled
    a = _case(w, "TST-2026-001", "Alicia", "Quenby", opened=dt.date(2026, 3, 1))
    b = _case(w, "TST-2026-002", "Bram", "Quenby", agency=w.school, opened=dt.date(2026, 6, 1))
    _case(w, "TST-2026-003", "Cass", "Ormsby")
    client.force_login(w.user(Role.BUSINESS_UNIT))

    def found(**params):
        response = _search(client, w, **params)
        assert response.status_code == 200
        return {r.case.reference for r in response.context["found"]}

    assert found(q="TST-2026-002") == {b.reference}
    assert found(q="quenby") == {a.reference, b.reference}
    assert found(q="Ali quen") == {a.reference}  # every word, prefixes
    assert found(q="Quenby", agency=str(w.school.pk)) == {b.reference}
    assert found(q="Quenby", date_from_day="1", date_from_month="5", date_from_year="2026") == {b.reference}
    assert found(q="nobody") == set()
    assert found(q="'&|!:*()") == set()  # query syntax is never passed through
    # The search is recorded as a read (without the words searched for).
    event = AccessEvent.objects.filter(detail__startswith="Case search").latest("id")
    assert "Quenby" not in event.detail and "Alicia" not in event.detail
    # Bad dates: a message, no results, no 500.
    bad = _search(client, w, date_from_day="40", date_from_month="1", date_from_year="2026")
    assert bad.status_code == 400 and bad.context["found"] is None


def test_search_finds_nothing_of_another_partnership_or_beyond_the_door(profiled, client):
    w = profiled
    mine = _case(w, "TST-2026-010", "Dora", "Ellery")
    client.force_login(w.outsider(Role.BUSINESS_UNIT))
    assert _search(client, w, q="Ellery").status_code == 404
    response = client.get(f"/p/{w.other_partnership.slug}/search/", {"q": "Ellery"})
    assert response.status_code == 200 and response.context["found"] == []
    # A practitioner who did not write the referral finds nothing; the one who did finds it.
    client.force_login(w.user(Role.PRACTITIONER))
    assert _search(client, w, q="Ellery").context["found"] == []
    client.force_login(mine.referrals.get().referrer)
    assert [
        r.case for r in _search(client, w, q="Ellery").context["found"]
    ] == []  # referrers see referrals, not cases


def _xlsx_cells(content: bytes) -> list[list[ElementTree.Element]]:
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        root = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))  # noqa: S314 - our own output
        assert "xl/workbook.xml" in z.namelist() and "[Content_Types].xml" in z.namelist()
    return [row.findall("m:c", NS) for row in root.iter(f"{{{NS['m']}}}row")]


def test_a_typed_formula_comes_out_as_text_in_csv_and_xlsx(profiled, client):
    w = profiled
    _case(w, "TST-2026-020", HYPERLINK, "Ivers")
    client.force_login(w.user(Role.BUSINESS_UNIT))
    base = f"/p/{w.partnership.slug}/search/export"
    before = AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT).count()
    csv = b"".join(client.get(f"{base}.csv", {"q": "Ivers"}).streaming_content).decode()
    assert '\'=HYPERLINK(""http://x"",""y"")' in csv  # apostrophe first: a spreadsheet shows text
    assert "\n=HYPERLINK" not in csv and ",=HYPERLINK" not in csv
    response = client.get(f"{base}.xlsx", {"q": "Ivers"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _xlsx_cells(response.content)
    cells = list(rows[1])
    child = next(c for c in cells if "HYPERLINK" in "".join(c.itertext()))
    assert child.get("t") == "inlineStr"  # a string cell
    assert child.find("m:f", NS) is None  # never a formula
    assert "".join(child.itertext()).startswith("'=HYPERLINK")
    assert AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT).count() == before + 2


def test_dashboard_export_in_both_formats_is_recorded(profiled, client):
    w = profiled
    make_cases(w.partnership, 12, on=TODAY, agencies=[w.provider], with_events=False)
    client.force_login(w.user(Role.BUSINESS_UNIT))
    csv = b"".join(client.get(f"/p/{w.partnership.slug}/dashboard/export.csv").streaming_content).decode()
    lines = csv.strip().splitlines()
    assert lines[0].startswith("Case reference,Kind of case,Stage,Next deadline")
    assert len(lines) == 13
    response = client.get(f"/p/{w.partnership.slug}/dashboard/export.xlsx", {"show": "overdue"})
    assert response.status_code == 200
    assert (
        AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT, detail__startswith="Open cases").count() == 2
    )
    assert client.get(f"/p/{w.partnership.slug}/dashboard/export.pdf").status_code == 404


def test_tracker_export_shape(profiled, client):
    w = profiled
    _case(w, "TST-2026-030", "Gil", "Harrow")
    client.force_login(w.user(Role.PARTNER_REP))
    csv = b"".join(client.get(f"/p/{w.partnership.slug}/reports/tracker.csv").streaming_content).decode()
    header = csv.splitlines()[0]
    for column in ("Review type", "Converted", "Themes", "Status", "Publication date"):
        assert column in header
    assert "TST-2026-030" in csv and "Child Safeguarding Practice Review Panel notified" in csv
    client.force_login(w.user(Role.PRACTITIONER))
    assert client.get(f"/p/{w.partnership.slug}/reports/tracker.csv").status_code == 403
