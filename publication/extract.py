"""Text of a report version, for the anonymisation check: DOCX through the standard library's
zipfile and XML parser, PDF through a small reader of the content streams (FlateDecode or plain,
literal and hex strings shown with Tj, TJ, ' and ").

Pure Python, no Django. No PDF or DOCX library is in requirements.lock, so this reads what report
writers produce from Word or LibreOffice ("Save as PDF" with standard fonts and a ToUnicode map is
read through the map). A file whose text cannot be read raises ``Unreadable``: the check then
refuses to pass it rather than call it clean."""

from __future__ import annotations

import re
import zipfile
import zlib
from io import BytesIO
from xml.etree import ElementTree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
DOCX_PARTS = re.compile(r"^word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$")
MAX_UNZIPPED = 200 * 1024 * 1024  # a zip bomb is refused, not unpacked


class Unreadable(ValueError):
    """The file's text cannot be read (the message says what to upload instead)."""


def docx_text(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise Unreadable("This Word file is damaged: save it again and upload the new copy.") from exc
    parts = [i for i in archive.infolist() if DOCX_PARTS.match(i.filename)]
    if not any(i.filename == "word/document.xml" for i in parts):
        raise Unreadable("This is not a Word document (DOCX): it has no document text.")
    if sum(i.file_size for i in parts) > MAX_UNZIPPED:
        raise Unreadable("This Word file unpacks to more than 200 MB: it cannot be checked.")
    # The body first, then headers, footers, notes and comments.
    parts.sort(key=lambda i: (i.filename != "word/document.xml", i.filename))
    out: list[str] = []
    for info in parts:
        raw = archive.read(info)
        if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
            # Word never writes a DTD; one here could only be an entity-expansion attack.
            raise Unreadable("This Word file holds a document type definition, which Word never writes.")
        try:
            root = ElementTree.fromstring(raw)  # noqa: S314 - no DTD (checked above), size capped
        except ElementTree.ParseError as exc:
            raise Unreadable("This Word file is damaged: save it again and upload the new copy.") from exc
        for para in root.iter(f"{W}p"):
            pieces: list[str] = []
            for node in para.iter():
                if node.tag == f"{W}t" and node.text:
                    pieces.append(node.text)
                elif node.tag in (f"{W}tab", f"{W}br", f"{W}cr"):
                    pieces.append(" ")
            out.append("".join(pieces))
    return "\n".join(out)


# ------------------------------------------------------------------------------------------------
# PDF
# ------------------------------------------------------------------------------------------------

_STREAM = re.compile(rb"<<(?P<dict>(?:(?!>>\s*stream).){0,4000}?)>>\s*stream\r?\n", re.S)
_TOKEN = re.compile(
    rb"\((?P<lit>(?:\\.|[^\\()]|\((?:\\.|[^\\()])*\))*)\)|<(?P<hex>[0-9A-Fa-f\s]*)>|\[|\]"
    rb"|(?P<op>Tj|TJ|T\*|Td|TD|Tm|'|\"|ET|BT)(?![A-Za-z])|(?P<num>-?\d*\.?\d+)"
)
_ESC = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}
_BFCHAR = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")
_BFRANGE = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _literal(raw: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(raw):
        c = raw[i : i + 1]
        if c == b"\\" and i + 1 < len(raw):
            n = raw[i + 1 : i + 2]
            if n in _ESC:
                out += _ESC[n]
                i += 2
                continue
            m = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4])
            if m:
                out.append(int(m.group(), 8) & 0xFF)
                i += 1 + len(m.group())
                continue
            if n in (b"\n", b"\r"):
                i += 2
                continue
            i += 1
            continue
        out += c
        i += 1
    return bytes(out)


def _streams(data: bytes) -> list[tuple[bytes, bytes]]:
    """(dictionary, decoded bytes) of every stream the reader can decode."""
    found: list[tuple[bytes, bytes]] = []
    for m in _STREAM.finditer(data):
        start = m.end()
        end = data.find(b"endstream", start)
        if end < 0:
            continue
        body = data[start:end].rstrip(b"\r\n")
        head = m.group("dict")
        if b"/FlateDecode" in head:
            try:
                body = zlib.decompressobj().decompress(body, MAX_UNZIPPED)
            except zlib.error:
                continue
        elif b"/Filter" in head:
            continue  # images and other encodings carry no text we can read
        found.append((head, body))
    return found


def _cmap(streams: list[tuple[bytes, bytes]]) -> dict[bytes, str]:
    """The ToUnicode maps of the file, merged (code bytes → text)."""
    table: dict[bytes, str] = {}
    for _head, body in streams:
        if b"begincmap" not in body:
            continue
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", body, re.S):
            for src, dst in _BFCHAR.findall(block):
                table[bytes.fromhex(src.decode())] = bytes.fromhex(dst.decode()).decode(
                    "utf-16-be", "replace"
                )
        for block in re.findall(rb"beginbfrange(.*?)endbfrange", body, re.S):
            for lo, hi, dst in _BFRANGE.findall(block):
                a, b, width = int(lo, 16), int(hi, 16), len(lo) // 2
                first = int(dst, 16)
                for k in range(min(b - a + 1, 65536)):
                    table[(a + k).to_bytes(width, "big")] = chr(first + k) if first + k < 0x110000 else ""
    return table


def _decode(raw: bytes, cmap: dict[bytes, str], two_byte: bool) -> str:
    if cmap and two_byte:
        return "".join(cmap.get(raw[i : i + 2], "") for i in range(0, len(raw) - 1, 2))
    if cmap:
        return "".join(cmap.get(raw[i : i + 1], chr(raw[i])) for i in range(len(raw)))
    return raw.decode("latin-1")


def pdf_text(data: bytes) -> str:
    if not data.startswith(b"%PDF"):
        raise Unreadable("This is not a PDF file.")
    streams = _streams(data)
    cmap = _cmap(streams)
    two_byte = bool(cmap) and all(len(k) == 2 for k in cmap)
    out: list[str] = []
    for _head, body in streams:
        if b"BT" not in body or b"begincmap" in body:
            continue
        line: list[str] = []
        for tok in _TOKEN.finditer(body):
            if tok.group("lit") is not None:
                line.append(_decode(_literal(tok.group("lit")), cmap, two_byte))
            elif tok.group("hex") is not None:
                digits = re.sub(rb"\s", b"", tok.group("hex"))
                if len(digits) % 2:
                    digits += b"0"
                line.append(_decode(bytes.fromhex(digits.decode()), cmap, two_byte))
            elif tok.group("num") is not None:
                # A large negative kerning inside TJ is a word space.
                if line and tok.group("num").startswith(b"-") and abs(float(tok.group("num"))) > 200:
                    line.append(" ")
            elif tok.group("op") in (b"Td", b"TD", b"T*", b"Tm", b"'", b'"', b"ET") and line:
                out.append("".join(line))
                line = []
        if line:
            out.append("".join(line))
    text = "\n".join(out)
    if len(text.strip()) < 20 and len(data) > 2000:
        raise Unreadable(
            "No text could be read from this PDF (it may be scanned, or its fonts have no text map): "
            "upload the Word version, or a PDF saved from Word, so it can be checked."
        )
    return text


def text_of(data: bytes, content_type: str = "") -> str:
    """The text of a DOCX or PDF report, or Unreadable."""
    if data.startswith(b"%PDF"):
        return pdf_text(data)
    if data.startswith(b"PK"):
        return docx_text(data)
    raise Unreadable("Only Word (DOCX) and PDF reports can be checked: upload one of those.")
