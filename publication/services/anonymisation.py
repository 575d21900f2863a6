"""The anonymisation check before publication: the version's text (DOCX or PDF) scanned for the
names, dates of birth, addresses and school of the child and the family recorded on the case, and
for practitioners' names where the partnership requires it (Dorset: "completely anonymised …
including practitioners", 003 §14). Every hit is kept with its context; the author fixes the report
(a new version, checked again) or accepts a hit with a reason. Publication is refused while a hit of
the version to publish is open (``publishing.publish``)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from cases.models import Referral
from documents.models import Document, DocumentVersion
from documents.services import read_bytes
from publication import rules
from publication.anonymise import Scanner, Term, address_terms, date_spellings, name_terms
from publication.errors import PublicationError
from publication.extract import Unreadable, text_of
from publication.models import AnonymisationCheck, AnonymisationHit, ExtraTerm
from publication.services.common import timeline
from rapidreview.models import Attendance

WHO = {"parents": "A parent or carer", "siblings": "A sibling", "others": "A significant other"}


def _date(answers: dict[str, Any], name: str) -> dt.date | None:
    try:
        return dt.date(
            int(answers[f"{name}_year"]), int(answers[f"{name}_month"]), int(answers[f"{name}_day"])
        )
    except (KeyError, TypeError, ValueError):
        return None


def _rows(answers: dict[str, Any], table: str) -> list[dict[str, Any]]:
    rows: dict[int, dict[str, Any]] = {}
    prefix = f"{table}-"
    for key, value in answers.items():
        if not key.startswith(prefix) or key == f"{table}-rows":
            continue
        index, _, column = key[len(prefix) :].partition("-")
        if index.isdigit() and column:
            rows.setdefault(int(index), {})[column] = value
    return [rows[i] for i in sorted(rows)]


def _text(value: Any) -> str:
    return str(value).strip() if isinstance(value, str | int) else ""


def referral_terms(answers: dict[str, Any]) -> list[Term]:
    """What the referral records about the child and the family (pure)."""
    terms: list[Term] = []
    child = answers.get("child") or {}
    terms += name_terms(
        "child",
        "The child",
        [_text(child.get(k)) for k in ("first_name", "middle_names", "last_name")],
    )
    if _text(child.get("other_names")):
        terms += name_terms("child", "The child (other name)", [_text(child["other_names"])])
    born = _date(child, "date_of_birth")
    if born:
        terms += [Term("date_of_birth", "The child's date of birth", s) for s in date_spellings(born)]
    terms += address_terms("address", "The child", _text(child.get("home_address")))
    terms += address_terms(
        "address", "The placement", _text((answers.get("setting") or {}).get("placement_address"))
    )
    for table, who in WHO.items():
        for row in _rows(answers.get(table) or {}, table):
            parts = (
                [_text(row.get("first_name")), _text(row.get("last_name"))]
                if "last_name" in row
                else [_text(row.get("name"))]
            )
            terms += name_terms("family", who, parts)
            born = _date(row, "date_of_birth")
            if born:
                terms += [Term("date_of_birth", f"{who}'s date of birth", s) for s in date_spellings(born)]
            terms += address_terms("address", who, _text(row.get("address")))
    school = _text((answers.get("education") or {}).get("establishment"))
    if school:
        terms.append(Term("school", "The child's school or setting", school))
    return terms


def practitioner_terms(case: Any) -> list[Term]:
    """Names of practitioners the case records: the referrer and the agency authors at the meeting."""
    names: list[str] = []
    for referral in Referral.objects.filter(case=case).select_related("referrer"):
        names.append(referral.referrer.full_name)
    names += list(
        Attendance.objects.filter(meeting__review__case=case, kind=Attendance.Kind.AUTHOR).values_list(
            "name", flat=True
        )
    )
    terms: list[Term] = []
    for name in names:
        if name and name.strip():
            terms += name_terms("practitioner", "A practitioner", name.split())
    return terms


def terms_for_case(case: Any) -> list[Term]:
    """Everything the check looks for on this case (names, dates of birth, addresses, school)."""
    terms: list[Term] = []
    for referral in Referral.objects.filter(case=case):
        terms += referral_terms(referral.answers or {})
    required = rules.practitioners_required(case)
    if required:
        terms += practitioner_terms(case)
    for extra in ExtraTerm.objects.filter(case=case):
        if extra.category == ExtraTerm.Category.PRACTITIONER and not required:
            continue
        terms.append(Term(extra.category, extra.get_category_display(), extra.text))
    return terms


@transaction.atomic
def extra_term_add(*, case: Any, by: Any, category: str, text: str) -> ExtraTerm:
    """Add a name or place the referral does not hold (e.g. a practitioner's name) to the check."""
    text = " ".join(text.split())
    if category not in ExtraTerm.Category.values:
        raise PublicationError("Choose what kind of name or place this is.")
    if len(text) < 2 or len(text) > 200:
        raise PublicationError("Enter the name or place to look for (2 to 200 characters).")
    term, created = ExtraTerm.objects.get_or_create(
        case=case, category=category, text=text, defaults={"added_by": by}
    )
    if created:
        audit_record(
            actor=by,
            action="publication.term.added",
            obj=term,
            partnership=case.partnership,
            changes={"category": category},
        )
    return term


@transaction.atomic
def anonymisation_run(
    *, document: Document, by: Any, version: DocumentVersion | None = None
) -> AnonymisationCheck:
    """Scan ``version`` (the latest by default); every hit is stored with its context.

    Raises PublicationError when the text cannot be read (a scanned PDF): nothing is recorded and the
    version stays unchecked, so it cannot be published."""
    version = version or document.versions.order_by("-number").select_related("file").first()
    if version is None:
        raise PublicationError("Add a version of the report before checking it.")
    case = document.case
    started = time.perf_counter()
    try:
        text = text_of(read_bytes(version.file))
    except Unreadable as exc:
        raise PublicationError(str(exc)) from exc
    scanner = Scanner(terms_for_case(case))
    hits = scanner.scan(text)
    seconds = time.perf_counter() - started
    check = AnonymisationCheck.objects.create(
        version=version,
        document=document,
        sha256=version.sha256,
        terms_checked=scanner.count,
        characters=len(text),
        seconds=f"{seconds:.3f}",
        run_by=by,
    )
    AnonymisationHit.objects.bulk_create(
        AnonymisationHit(
            check_run=check,
            category=h.category,
            label=h.label,
            found=h.found[:300],
            before=h.before[:200],
            after=h.after[:200],
            position=h.position,
        )
        for h in hits
    )
    audit_record(
        actor=by,
        action="publication.anonymisation.checked",
        obj=check,
        partnership=document.partnership,
        changes={
            "version": version.number,
            "sha256": version.sha256,
            "hits": len(hits),
            "terms": scanner.count,
        },
    )
    timeline(
        case,
        by,
        "publication.anonymisation.checked",
        f"Anonymisation check of report version {version.number}: {len(hits)} to fix or accept",
    )
    return check


@transaction.atomic
def anonymisation_accept(*, hit: AnonymisationHit, by: Any, reason: str) -> AnonymisationHit:
    """Accept one hit with a reason (e.g. a common word that is not the family's name)."""
    reason = reason.strip()
    if not reason:
        raise PublicationError("Enter why this can stay in the published report.")
    locked = AnonymisationHit.objects.select_for_update().select_related("check_run__document").get(pk=hit.pk)
    if locked.resolution != AnonymisationHit.Resolution.OPEN:
        raise PublicationError("This has already been accepted.")
    locked.resolution = AnonymisationHit.Resolution.ACCEPTED
    locked.reason = reason
    locked.resolved_by = by
    locked.resolved_at = timezone.now()
    locked.save(update_fields=["resolution", "reason", "resolved_by", "resolved_at"])
    audit_record(
        actor=by,
        action="publication.anonymisation.accepted",
        obj=locked,
        partnership=locked.check_run.document.partnership,
        changes={"category": locked.category},
        reason=reason,
    )
    return locked


def latest_check(version: DocumentVersion) -> AnonymisationCheck | None:
    return (
        AnonymisationCheck.objects.filter(version=version, sha256=version.sha256)
        .order_by("-run_at", "-id")
        .first()
    )


def open_hits(version: DocumentVersion) -> int | None:
    """How many hits of the version's latest check are still open; None if it was never checked."""
    check = latest_check(version)
    if check is None:
        return None
    return check.hits.filter(resolution=AnonymisationHit.Resolution.OPEN).count()
