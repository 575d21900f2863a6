"""Read the rows of an uploaded chronology: CSV (UTF-8 or Windows-1252) or the first sheet of an
XLSX workbook, with only the standard library (zipfile + ElementTree; expat refuses entity
expansion attacks, and each part read is capped so a zip bomb cannot exhaust memory).

``read_rows(data, kind)`` returns the header and the rows as text, each with its line number in the
file, or raises ``TableUnreadable`` with a message for the person (never a 500)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from xml.etree import ElementTree

MAX_ROWS = 5000
MAX_PART_BYTES = 20 * 1024 * 1024
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RNS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
EXCEL_EPOCH = dt.datetime(1899, 12, 30)


class TableUnreadable(ValueError):
    """The file cannot be read as a table; the message says why."""


Row = tuple[int, list[str]]


def _csv_rows(data: bytes) -> list[Row]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text:
        raise TableUnreadable("The file is not a CSV file: it holds binary data.")
    rows: list[Row] = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for values in reader:
            if len(rows) > MAX_ROWS:
                raise TableUnreadable(f"The file has more than {MAX_ROWS} rows: split it into smaller files.")
            rows.append((reader.line_num, [v.strip() for v in values]))
    except csv.Error as exc:
        raise TableUnreadable(f"The CSV file could not be read (line {reader.line_num}): {exc}.") from exc
    return rows


def _xml(data: bytes) -> ElementTree.Element:
    """Parse a workbook part. A document type declaration is refused before parsing, so no entity
    (internal or external) can be declared: what defusedxml would refuse is refused here."""
    if b"<!DOCTYPE" in data.upper() or b"<!ENTITY" in data.upper():
        raise TableUnreadable("The spreadsheet could not be read: save it again as .xlsx or .csv.")
    return ElementTree.fromstring(data)  # noqa: S314 - no DTD can reach the parser (checked above)


def _part(book: zipfile.ZipFile, name: str) -> bytes:
    info = book.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise TableUnreadable("The spreadsheet is too large to read.")
    with book.open(info) as fh:
        data = fh.read(MAX_PART_BYTES + 1)
    if len(data) > MAX_PART_BYTES:
        raise TableUnreadable("The spreadsheet is too large to read.")
    return data


def _col(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref or "")
    n = 0
    for ch in letters.group(0) if letters else "A":
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _number_text(value: str) -> str:
    try:
        number = float(value)
    except ValueError:
        return value
    return str(int(number)) if number.is_integer() else value


def _xlsx_rows(data: bytes) -> list[Row]:
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
        names = set(book.namelist())
        shared: list[str] = []
        if "xl/sharedStrings.xml" in names:
            root = _xml(_part(book, "xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{NS}t")) for si in root.iter(f"{NS}si")]
        sheets = sorted(n for n in names if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"))
        if not sheets:
            raise TableUnreadable("The workbook has no worksheet.")
        sheet = "xl/worksheets/sheet1.xml" if "xl/worksheets/sheet1.xml" in names else sheets[0]
        root = _xml(_part(book, sheet))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, EOFError) as exc:
        raise TableUnreadable("The spreadsheet could not be read: save it again as .xlsx or .csv.") from exc
    rows: list[Row] = []
    for i, row in enumerate(root.iter(f"{NS}row")):
        if len(rows) > MAX_ROWS:
            raise TableUnreadable(f"The file has more than {MAX_ROWS} rows: split it into smaller files.")
        line = int(row.get("r") or i + 1)
        values: dict[int, str] = {}
        for cell in row.iter(f"{NS}c"):
            kind = cell.get("t", "n")
            v = cell.find(f"{NS}v")
            if kind == "inlineStr":
                text = "".join(t.text or "" for t in cell.iter(f"{NS}t"))
            elif (
                kind == "s" and v is not None and (v.text or "").isdigit() and int(v.text or 0) < len(shared)
            ):
                text = shared[int(v.text or 0)]
            elif v is not None:
                text = "SERIAL:" + (v.text or "") if kind == "n" else (v.text or "")
            else:
                text = ""
            values[_col(cell.get("r", ""))] = text.strip()
        if values:
            width = max(values) + 1
            rows.append((line, [values.get(c, "") for c in range(width)]))
    return rows


def read_rows(data: bytes, kind: str) -> list[Row]:
    rows = _xlsx_rows(data) if kind == "xlsx" else _csv_rows(data)
    rows = [(line, values) for line, values in rows if any(values)]
    if not rows:
        raise TableUnreadable("The file has no rows.")
    # Header row: plain numbers in an XLSX header are still text.
    line, header = rows[0]
    return [(line, [h.removeprefix("SERIAL:") for h in header]), *rows[1:]]


def serial_date(value: str) -> dt.date | None:
    """An Excel serial day number (``SERIAL:45678``) as a date, or None."""
    if not value.startswith("SERIAL:"):
        return None
    try:
        number = float(value.removeprefix("SERIAL:"))
    except ValueError:
        return None
    if not 1 <= number < 100_000:
        return None
    return (EXCEL_EPOCH + dt.timedelta(days=int(number))).date()


def serial_time(value: str) -> dt.time | None:
    if not value.startswith("SERIAL:"):
        return None
    try:
        fraction = float(value.removeprefix("SERIAL:")) % 1
    except ValueError:
        return None
    minutes = round(fraction * 24 * 60)
    return dt.time(min(minutes // 60, 23), minutes % 60)


def plain(value: str) -> str:
    """A cell as text (an XLSX number without its marker)."""
    return _number_text(value.removeprefix("SERIAL:")) if value.startswith("SERIAL:") else value
