"""What an uploaded file is, judged by its content, never by its name or the browser's word.

Pure Python (STYLE.md "Pure logic"). ``sniff`` reads the first bytes and, for the Office formats,
the ZIP directory; it returns a ``Kind`` or raises ``NotAllowed`` with a sentence a person can act on.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import IO


@dataclass(frozen=True)
class Kind:
    key: str  # pdf, docx, xlsx, csv, txt, png, jpeg
    label: str
    content_type: str
    extension: str


PDF = Kind("pdf", "PDF document", "application/pdf", "pdf")
DOCX = Kind(
    "docx",
    "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "docx",
)
XLSX = Kind(
    "xlsx",
    "Excel spreadsheet",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xlsx",
)
CSV = Kind("csv", "CSV file", "text/csv", "csv")
TXT = Kind("txt", "Text file", "text/plain", "txt")
PNG = Kind("png", "PNG image", "image/png", "png")
JPEG = Kind("jpeg", "JPEG image", "image/jpeg", "jpg")

ALL = (PDF, DOCX, XLSX, CSV, TXT, PNG, JPEG)
BY_KEY = {k.key: k for k in ALL}
# Sets a stage can name when it calls documents.services.store_upload(allowed=...).
DOCUMENTS = ("pdf", "docx")
SPREADSHEETS = ("csv", "xlsx")
ANY = tuple(BY_KEY)


class NotAllowed(ValueError):
    """The file is not one this form takes (the message says what is accepted)."""


def _office(head: bytes, stream: IO[bytes]) -> Kind | None:
    if not head.startswith(b"PK\x03\x04"):
        return None
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return DOCX
    if any(n.startswith("xl/") for n in names):
        return XLSX
    return None


def _text(stream: IO[bytes]) -> bool:
    stream.seek(0)
    sample = stream.read(64 * 1024)
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still text.
        if exc.start < len(sample) - 4:
            try:
                sample.decode("cp1252")
            except UnicodeDecodeError:
                return False
    return True


def sniff(stream: IO[bytes], *, name: str, allowed: tuple[str, ...] = ANY) -> Kind:
    """The kind of ``stream``'s content, if it is one of ``allowed``; NotAllowed otherwise."""
    stream.seek(0)
    head = stream.read(16)
    kind: Kind | None = None
    if head.startswith(b"%PDF-"):
        kind = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        kind = JPEG
    elif head.startswith(b"PK\x03\x04"):
        kind = _office(head, stream)
    elif head and _text(stream):
        wants_csv = "csv" in allowed and ("txt" not in allowed or name.lower().endswith(".csv"))
        kind = CSV if wants_csv else TXT
    stream.seek(0)
    accepted = ", ".join(BY_KEY[k].label for k in allowed)
    if kind is None:
        raise NotAllowed(f"The file is not a type this service accepts. Upload a {accepted}.")
    if kind.key not in allowed:
        raise NotAllowed(f"The file is a {kind.label}. Upload a {accepted}.")
    return kind


def sniff_bytes(data: bytes, *, name: str, allowed: tuple[str, ...] = ANY) -> Kind:
    return sniff(io.BytesIO(data), name=name, allowed=allowed)
