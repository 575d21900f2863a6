"""The practice review chronology in Darlington's Appendix 6 columns (000 App 6): entered in the
browser, or imported from an agency's CSV/XLSX file row by row — good rows kept, each bad row listed
with its line and reason — and merged into one integrated chronology (sorted; filterable by agency
and person; each agency with its colour, border pattern and label), printed as a PDF in a background
task (``cspr.tasks.build_chronology_pdf``)."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from audit.services import audit_record
from cspr.governance import OWNER_KIND
from cspr.models import ChronologyEntry, ChronologyImport, PracticeReview
from cspr.services import PracticeReviewError, audit, locked_review, require
from cspr.tabular import TableUnreadable, plain, read_rows, serial_date, serial_time
from documents import sniff
from documents.services import UploadRefused, read_upload, store_bytes
from partnerships.models import Agency, User

log = logging.getLogger(__name__)

# Okabe-Ito colours with a border pattern each (readable in black and white), as the rapid review pack.
STYLES = [
    ("#0072B2", "solid"), ("#D55E00", "dashed"), ("#009E73", "dotted"), ("#CC79A7", "double"),
    ("#E69F00", "solid"), ("#56B4E9", "dashed"), ("#000000", "dotted"), ("#F0E442", "double"),
]  # fmt: skip

# Appendix 6 columns: the field, the header words that name it, and its label.
COLUMNS: list[tuple[str, tuple[str, ...], str]] = [
    ("date", ("date",), "Date"),
    ("time", ("time",), "Time"),
    ("event", ("significant event", "event"), "Significant event"),
    ("record", ("agency",), "Agency record"),
    ("source", ("whose", "source"), "Whose professional / agency records"),
    ("people", ("who was involved", "who"), "Who was involved"),
    ("outcome", ("decision", "outcome"), "Decisions / outcome including any actions taken"),
    ("child_seen", ("child seen",), "Child seen / views sought"),
    ("author_comments", ("author comment", "comment"), "Author comments"),
]
DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
YES = {"yes", "y", "true"}
NO = {"no", "n", "false"}


class RowError(ValueError):
    pass


def _date(value: str) -> dt.date:
    found = serial_date(value)
    if found:
        return found
    text = value.strip()
    if not text:
        raise RowError("the date is missing")
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RowError(f"“{text[:20]}” is not a date (use day/month/year, for example 14/03/2025)")


def _time(value: str) -> dt.time | None:
    found = serial_time(value)
    if found:
        return found
    text = value.strip()
    if not text:
        return None
    match = re.fullmatch(r"([01]?\d|2[0-3])[:.]([0-5]\d)(?::[0-5]\d)?", text)
    if not match:
        raise RowError(f"“{text[:10]}” is not a time (use the 24-hour clock, for example 14:30)")
    return dt.time(int(match.group(1)), int(match.group(2)))


def _seen(value: str) -> tuple[bool | None, str]:
    """Child seen / views sought: "Yes", "No", or "Yes: <views>"."""
    text = plain(value).strip()
    if not text:
        return None, ""
    head, _, views = text.partition(":")
    if head.strip().lower() in YES:
        return True, views.strip()
    if head.strip().lower() in NO:
        return False, views.strip()
    raise RowError("“Child seen / views sought” must start with Yes or No")


def _check(review: PracticeReview, *, happened_on: dt.date, event: str) -> None:
    if happened_on > timezone.localdate():
        raise RowError("the date is in the future")
    if not event.strip():
        raise RowError("the significant event is missing")


@transaction.atomic
def entry_add(
    *,
    review: PracticeReview,
    by: User,
    agency: Agency,
    happened_on: dt.date,
    event: str,
    time: dt.time | None = None,
    source: str = "",
    people: str = "",
    outcome: str = "",
    child_seen: bool | None = None,
    child_views: str = "",
    author_comments: str = "",
) -> ChronologyEntry:
    locked = locked_review(review)
    require(agency.partnership_id == locked.partnership_id, "Choose one of the partnership's agencies.")
    try:
        _check(locked, happened_on=happened_on, event=event)
    except RowError as exc:
        raise PracticeReviewError(str(exc)[0].upper() + str(exc)[1:] + ".") from exc
    entry = ChronologyEntry.objects.create(
        review=locked,
        agency=agency,
        happened_on=happened_on,
        time=time,
        event=event.strip(),
        source=source.strip()[:300],
        people=people.strip()[:300],
        outcome=outcome.strip(),
        child_seen=child_seen,
        child_views=child_views.strip(),
        author_comments=author_comments.strip(),
        created_by=by,
    )
    audit(by, "cspr.chronology.entry_added", locked, {"entry": entry.pk, "agency": agency.pk})
    return entry


def _header_map(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, raw in enumerate(header):
        name = raw.strip().lower()
        for field, words, _label in COLUMNS:
            if field not in found and any(name.startswith(w) for w in words):
                found[field] = index
                break
    return found


def chronology_import(*, review: PracticeReview, by: User, agency: Agency, uploaded: Any) -> ChronologyImport:
    """Import an agency's chronology file. The file must pass the upload rules and have the Date and
    Significant event columns (otherwise nothing is kept: PracticeReviewError); then each row is kept
    or listed with its line and reason."""
    require(agency.partnership_id == review.partnership_id, "Choose one of the partnership's agencies.")
    try:
        data, kind = read_upload(uploaded, allowed=sniff.SPREADSHEETS)
        rows = read_rows(data, kind.key)
    except (UploadRefused, TableUnreadable) as exc:
        raise PracticeReviewError(str(exc)) from exc
    (_, header), body = rows[0], rows[1:]
    columns = _header_map(header)
    missing = [label for field, _w, label in COLUMNS if field in ("date", "event") and field not in columns]
    require(not missing, "The first row must name the columns; missing: " + ", ".join(missing) + ".")
    require(body, "The file has a header row but no entries.")

    def cell(values: list[str], field: str) -> str:
        index = columns.get(field)
        return values[index] if index is not None and index < len(values) else ""

    with transaction.atomic():
        locked = locked_review(review)
        stored = store_bytes(
            partnership=locked.partnership,
            data=data,
            kind=kind,
            name=uploaded.name or "chronology",
            by=by,
            purpose="chronology_import",
            case=locked.case,
            owner_kind=OWNER_KIND,
            owner_id=locked.pk,
        )
        batch = ChronologyImport.objects.create(review=locked, agency=agency, file=stored, created_by=by)
        errors: list[dict[str, object]] = []
        kept: list[ChronologyEntry] = []
        for line, values in body:
            try:
                happened_on = _date(cell(values, "date"))
                time = _time(cell(values, "time"))
                event = plain(cell(values, "event"))
                _check(locked, happened_on=happened_on, event=event)
                seen, views = _seen(cell(values, "child_seen"))
            except RowError as exc:
                errors.append({"line": line, "reason": str(exc)[0].upper() + str(exc)[1:]})
                continue
            source = "; ".join(p for p in (plain(cell(values, "record")), plain(cell(values, "source"))) if p)
            kept.append(
                ChronologyEntry(
                    review=locked,
                    agency=agency,
                    happened_on=happened_on,
                    time=time,
                    event=event.strip(),
                    source=source[:300],
                    people=plain(cell(values, "people"))[:300],
                    outcome=plain(cell(values, "outcome")),
                    child_seen=seen,
                    child_views=views,
                    author_comments=plain(cell(values, "author_comments")),
                    imported=batch,
                    created_by=by,
                )
            )
        ChronologyEntry.objects.bulk_create(kept)
        batch.rows_kept, batch.errors = len(kept), errors
        batch.save(update_fields=["rows_kept", "errors"])
        audit(
            by,
            "cspr.chronology.imported",
            locked,
            {"import": batch.pk, "kept": len(kept), "errors": len(errors)},
        )
    return batch


def integrated(
    review: PracticeReview, *, agency_id: int | None = None, person: str = ""
) -> QuerySet[ChronologyEntry]:
    qs = ChronologyEntry.objects.filter(review=review).select_related("agency")
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    if person.strip():
        qs = qs.filter(Q(people__icontains=person.strip()) | Q(event__icontains=person.strip()))
    return qs.order_by("happened_on", "time", "agency__name", "id")


def agency_styles(review: PracticeReview) -> dict[int, tuple[str, str]]:
    ids = sorted(set(ChronologyEntry.objects.filter(review=review).values_list("agency_id", flat=True)))
    return {agency_id: STYLES[i % len(STYLES)] for i, agency_id in enumerate(ids)}


# ------------------------------------------------------------------------------------------------
# The integrated chronology PDF, in a background task
# ------------------------------------------------------------------------------------------------

PDF_STUCK_AFTER = dt.timedelta(minutes=2)


def pdf_request(*, review: PracticeReview, by: User) -> bool:
    """Queue the PDF (after commit). False, changing nothing, while an earlier request is queued."""
    # cspr.tasks imports this module for the task's body (pdf_build): reached lazily to break the cycle.
    from cspr.tasks import build_chronology_pdf

    with transaction.atomic():
        locked = locked_review(review)
        require(locked.chronology.exists(), "Add chronology entries first.")
        recent = (
            locked.chronology_pdf_requested_at
            and timezone.now() - locked.chronology_pdf_requested_at < PDF_STUCK_AFTER
        )
        if locked.chronology_pdf_status == PracticeReview.PdfStatus.QUEUED and recent:
            return False
        locked.chronology_pdf_status = PracticeReview.PdfStatus.QUEUED
        locked.chronology_pdf_requested_at = timezone.now()
        locked.save(update_fields=["chronology_pdf_status", "chronology_pdf_requested_at"])
        audit(by, "cspr.chronology.pdf_requested", locked)
        transaction.on_commit(lambda: build_chronology_pdf.delay(locked.pk), robust=True)
    return True


def render_pdf(review: PracticeReview) -> bytes:
    # Not a cycle: WeasyPrint loads native libraries (seconds), so only a PDF build pays for it.
    from weasyprint import HTML

    styles = agency_styles(review)
    rows = list(integrated(review))
    entries = [{"entry": e, "style": styles.get(e.agency_id, STYLES[0])} for e in rows]
    agencies = {e.agency for e in rows}
    html = render_to_string(
        "cspr/pdf/chronology.html",
        {
            "review": review,
            "case": review.case,
            "entries": entries,
            "agencies": sorted(((a, styles[a.pk]) for a in agencies), key=lambda x: x[0].name),
            "generated": timezone.localtime(),
        },
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def pdf_build(review_id: int) -> None:
    """Render and store the PDF (the task's body; safe to run twice)."""
    review = PracticeReview.objects.select_related("case", "partnership", "created_by").get(pk=review_id)
    try:
        pdf = render_pdf(review)
    except Exception as exc:
        log.exception("practice review chronology %s failed", review_id)
        PracticeReview.objects.filter(pk=review_id).update(
            chronology_pdf_status=PracticeReview.PdfStatus.FAILED
        )
        audit_record(
            actor=None,
            action="cspr.chronology.pdf_failed",
            obj=review.case,
            changes={"error": type(exc).__name__},
        )
        return
    with transaction.atomic():
        locked = PracticeReview.objects.select_for_update().get(pk=review_id)
        stored = store_bytes(
            partnership=locked.partnership,
            data=pdf,
            kind=sniff.PDF,
            name=f"integrated-chronology-{review.case.reference}.pdf",
            by=locked.created_by,
            purpose="integrated_chronology",
            case=review.case,
            owner_kind=OWNER_KIND,
            owner_id=locked.pk,
        )
        locked.chronology_pdf = stored
        locked.chronology_pdf_status = PracticeReview.PdfStatus.READY
        locked.save(update_fields=["chronology_pdf", "chronology_pdf_status"])
        audit_record(
            actor=None, action="cspr.chronology.pdf_generated", obj=review.case, changes={"file": stored.pk}
        )
