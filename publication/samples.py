"""Synthetic report files (DOCX and PDF) built with the standard library: for the demo data, the
tests and the benchmark. Every name in them is made up."""

from __future__ import annotations

import zlib
from io import BytesIO
from xml.sax.saxutils import escape
from zipfile import ZIP_DEFLATED, ZipFile

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="word/document.xml"/></Relationships>'
)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def docx(paragraphs: list[str], *, split_runs: bool = True) -> bytes:
    """A minimal Word document; each paragraph's text is split over two runs, as Word often does."""
    body = []
    for text in paragraphs:
        if split_runs and len(text) > 3:
            cut = len(text) // 2
            runs = [text[:cut], text[cut:]]
        else:
            runs = [text]
        body.append(
            "<w:p>"
            + "".join(f'<w:r><w:t xml:space="preserve">{escape(r)}</w:t></w:r>' for r in runs)
            + "</w:p>"
        )
        if text.startswith("##PAGE"):
            body[-1] = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W_NS}"><w:body>'
        + "".join(body)
        + "</w:body></w:document>"
    )
    out = BytesIO()
    with ZipFile(out, "w", ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("word/document.xml", xml)
    return out.getvalue()


def _pdf_string(text: str) -> str:
    safe = text.encode("latin-1", "replace").decode("latin-1")
    return "(" + safe.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ")"


def pdf(pages: list[list[str]]) -> bytes:
    """A PDF with one Helvetica text line per entry, each page's content stream Flate-compressed."""
    objects: list[bytes] = []
    kids = []
    font_id = 3
    n = 4
    page_objs: list[tuple[int, int, bytes]] = []
    for lines in pages:
        ops = ["BT /F1 10 Tf 12 TL 50 800 Td"]
        for line in lines:
            ops.append(f"{_pdf_string(line)} Tj T*")
        ops.append("ET")
        stream = zlib.compress("\n".join(ops).encode("latin-1", "replace"))
        page_objs.append((n, n + 1, stream))
        kids.append(f"{n} 0 R")
        n += 2
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>".encode())
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for _page_id, content_id, stream in page_objs:
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 {font_id} 0 R >> >> "
            f"/Contents {content_id} 0 R >>".encode()
        )
        objects.append(
            f"<< /Length {len(stream)} /Filter /FlateDecode >>\nstream\n".encode() + stream + b"\nendstream"
        )
    out = BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{i} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


FILLER = (
    "The review considered how agencies worked together, what professionals knew at the time and why "
    "they decided as they did. Information was not always shared between health, education and the "
    "local authority, and assessments did not bring together what each agency held. "
)


def report_paragraphs(pages: int = 100, *, planted: dict[int, str] | None = None) -> list[str]:
    """A long synthetic report (about 40 lines a page); ``planted`` puts a sentence on given pages."""
    paragraphs: list[str] = []
    for page in range(1, pages + 1):
        paragraphs.append(f"Section {page}. Learning from the review")
        paragraphs += [FILLER * 2 for _ in range(8)]
        if planted and page in planted:
            paragraphs.append(planted[page])
        paragraphs.append("##PAGE")
    return paragraphs
