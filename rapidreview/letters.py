"""The rapid review's own forms and letters, produced as PDFs and kept as ``documents`` versions
(004 F2: SCSI-4 Rapid Review letter to the partners on Working Day Two; SRG-8 Recommendation to
Safeguarding Partners and their Decision Record, completed at the meeting and signed by the partners
on Working Day Fourteen; Letter-9 Decision of the Rapid Review to the National Panel on Working Day
Fifteen).

Which documents a partnership has, their titles, recipients, the page of the step that produces
them and the headings the business unit writes come from ``rapid_review.documents`` in the profile.
The seed does not reproduce the forms (catalogue §8 gap), so besides the written headings each holds
what the seed says it carries, from the case's own records: the working-day timetable (SCSI-4), the
SRG's recommendation and the partners' signatures (SRG-8), the decision and its signatures (Letter-9).

Every version is a new ``DocumentVersion`` of one ``Document`` per document key, owned by the rapid
review (owner kind ``rr_letter``) and read only through the download door, which lets in whoever may
see the rapid review's deliberation (never an agency author at its meeting, nor another agency's
practitioner). Callers have passed the door in ``rapidreview.access`` (the business unit produces)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from audit.services import audit_record
from cases.models import PanelNotification
from cases.services import case_event
from deadlines.models import Deadline
from documents import sniff
from documents.models import Document, DocumentVersion
from documents.services import add_version, create_document, store_bytes
from partnerships.models import User
from rapidreview.errors import RapidReviewError, clean_text
from rapidreview.models import Meeting, PartnersConference, RapidReview
from rapidreview.selectors import decision_signoff, latest_decision, rr_config, statutory_agencies

OWNER_KIND = "rr_letter"
DAY = "%A %-d %B %Y"


@dataclass(frozen=True)
class LetterSpec:
    key: str
    kind: str
    title: str
    to: str
    page: str
    sections: tuple[str, ...]
    citation: str

    @property
    def document_kind(self) -> str:
        return f"rr_{self.key}"[:40]


def letter_specs(review: RapidReview, page: str = "") -> list[LetterSpec]:
    """The profile's documents (all, or those produced on ``page``)."""
    specs = [
        LetterSpec(
            key=str(d["key"]),
            kind=str(d["kind"]),
            title=str(d["title"]),
            to=str(d["to"]),
            page=str(d["page"]),
            sections=tuple(str(h) for h in d["sections"]),
            citation=str(d["citation"]),
        )
        for d in rr_config(review).get("documents") or ()
    ]
    return [s for s in specs if not page or s.page == page]


def letter_spec(review: RapidReview, key: str) -> LetterSpec | None:
    return next((s for s in letter_specs(review) if s.key == key), None)


def _document(review: RapidReview, spec: LetterSpec) -> Document | None:
    return Document.objects.filter(
        case_id=review.case_id, kind=spec.document_kind, owner_kind=OWNER_KIND, owner_id=review.pk
    ).first()


def letter_versions(review: RapidReview, spec: LetterSpec) -> list[DocumentVersion]:
    document = _document(review, spec)
    if document is None:
        return []
    return list(document.versions.select_related("file", "created_by").order_by("-number"))


# ------------------------------------------------------------------------------------------------
# What each document holds
# ------------------------------------------------------------------------------------------------


def _received(review: RapidReview) -> str:
    anchor = review.case.anchors.filter(key="referral_received", subject="").first()
    return f"{anchor.value:{DAY}}" if anchor else "Not recorded"


def _meeting_facts(review: RapidReview) -> list[tuple[str, str]]:
    meeting = Meeting.objects.filter(review=review).first()
    if meeting is None:
        return [("Rapid review meeting", "Not arranged yet")]
    when = timezone.localtime(meeting.scheduled_for)
    held = f"; held on {meeting.held_on:{DAY}}" if meeting.held_on else ""
    return [("Rapid review meeting", f"{when:{DAY}} at {when:%H:%M}, {meeting.location}{held}")]


def _conference_facts(review: RapidReview) -> list[tuple[str, str]]:
    config = rr_config(review).get("partners_conference")
    if not config:
        return []
    conference = PartnersConference.objects.filter(review=review).first()
    if conference is None:
        return [(str(config["label"]), "Not arranged yet")]
    when = timezone.localtime(conference.scheduled_for)
    return [(str(config["label"]), f"{when:{DAY}} at {when:%H:%M}, {conference.location}")]


def _timetable(review: RapidReview) -> list[tuple[str, str]]:
    """The steps counted from the notification, with their dates (004 F2 Working Days One to
    Fifteen), as the deadline engine counted them for this case."""
    rows = Deadline.objects.filter(
        case_id=review.case_id, subject="", anchor_key="referral_received"
    ).exclude(status=Deadline.Status.WAIVED)
    return [(f"{row.due:{DAY}}", row.label) for row in rows.order_by("due", "offset", "pk")]


def _signature_facts(review: RapidReview) -> list[tuple[str, str]]:
    decision = latest_decision(review)
    signoff = decision_signoff(review, decision) if decision else None
    signatures = {}
    if signoff is not None and signoff.current:
        signatures = {s.agency_id: s for s in signoff.status.signatures}
    facts = []
    for agency in statutory_agencies(review):
        sig = signatures.get(agency.pk)
        if sig is None:
            facts.append((agency.name, "Not signed yet"))
            continue
        words = "Agrees" if sig.decision == "agree" else "Disagrees"
        comment = f": {sig.comment}" if sig.comment else ""
        facts.append(
            (
                agency.name,
                f"{words}. Signed electronically by {sig.signer.full_name or 'a representative'} "
                f"on {timezone.localtime(sig.signed_at):{DAY}}{comment}",
            )
        )
    return facts


def letter_facts(review: RapidReview, spec: LetterSpec) -> list[tuple[str, str]]:
    """What the document says from the case's records, as (label, value) rows."""
    case = review.case
    facts: list[tuple[str, str]] = [
        ("To", spec.to),
        ("Case", case.reference),
        ("Notification received", _received(review)),
    ]
    decision = latest_decision(review)
    if spec.kind == "timetable_letter":
        return facts + _meeting_facts(review) + _conference_facts(review)
    if decision is None:
        return [*facts, ("Decision", "Not recorded yet")]
    decision_rows = [
        (
            "The SRG's recommendation" if spec.kind == "decision_record" else "Decision",
            decision.outcome_label(),
        ),
        ("Rationale", decision.rationale),
    ]
    if decision.learning_type:
        decision_rows.append(("Type of learning review", decision.learning_type_label()))
    for label, value in (
        ("Recommendation", decision.recommendation),
        ("Next steps", decision.next_steps),
        ("Factors of national importance", decision.national_importance),
    ):
        if value:
            decision_rows.append((label, value))
    decision_rows.append(("Version of the decision record", str(decision.version)))
    if spec.kind == "decision_record":
        return (
            facts
            + _meeting_facts(review)
            + decision_rows
            + _conference_facts(review)
            + _signature_facts(review)
        )
    sin = PanelNotification.objects.filter(case=case).first()
    if sin is not None:
        ref = f", reference {sin.panel_reference}" if sin.panel_reference else ""
        facts.append(("Panel notified", f"{timezone.localtime(sin.submitted_at):{DAY}}{ref}"))
    signoff = decision_signoff(review, decision)
    signed = f"{signoff.signed_on:{DAY}}" if signoff is not None and signoff.signed_on else "Not signed yet"
    enclosure = [s for s in letter_specs(review) if s.kind == "decision_record"]
    rows = facts + _meeting_facts(review) + decision_rows + [("Signed by the safeguarding partners", signed)]
    if enclosure:
        versions = letter_versions(review, enclosure[0])
        rows.append(
            (
                "Enclosed",
                f"{enclosure[0].title}, version {versions[0].number}" if versions else enclosure[0].title,
            )
        )
    return rows + _signature_facts(review)


def letter_timetable(review: RapidReview, spec: LetterSpec) -> list[tuple[str, str]]:
    return _timetable(review) if spec.kind == "timetable_letter" else []


def default_texts(review: RapidReview, spec: LetterSpec) -> dict[str, str]:
    """Wording to start from under each heading (the business unit changes it)."""
    partnership = review.partnership.name
    decision = latest_decision(review)
    outcome = decision.outcome_label() if decision else ""
    starts = {
        "timetable_letter": (
            f"The rapid review of case {review.case.reference} has begun. Please keep the dates below free: "
            "the SRG's recommendation (SRG-8) will reach you after the rapid review meeting, and you are asked "
            "to agree your response and sign it at your telephone conference."
        ),
        "decision_record": f"The SRG recommends: {outcome}." if outcome else "",
        "panel_letter": (
            f"The safeguarding partners of {partnership} have completed the rapid review of case "
            f"{review.case.reference}. Their decision is: {outcome}. The signed decision record is enclosed."
        )
        if outcome
        else "",
    }
    texts = dict.fromkeys(spec.sections, "")
    if spec.sections:
        texts[spec.sections[0]] = starts.get(spec.kind, "")
    return texts


def letter_blockers(review: RapidReview, spec: LetterSpec) -> list[str]:
    """Why the document cannot be produced yet."""
    if spec.kind == "timetable_letter":
        return []
    decision = latest_decision(review)
    if decision is None:
        return ["Record the SRG's recommendation on the decision page first."]
    if spec.kind == "panel_letter":
        signoff = decision_signoff(review, decision)
        if signoff is None or not signoff.signed:
            return ["The safeguarding partners have not all signed the decision record yet."]
    return []


def render_letter_html(review: RapidReview, spec: LetterSpec, sections: Sequence[tuple[str, str]]) -> str:
    """The document as the PDF prints it (Django's escaping template: typed HTML prints as text)."""
    return render_to_string(
        "rapidreview/pdf/letter.html",
        {
            "review": review,
            "spec": spec,
            "facts": letter_facts(review, spec),
            "timetable": letter_timetable(review, spec),
            "sections": sections,
            "partnership": review.partnership.name,
            "generated": timezone.localtime(),
        },
    )


def render_letter_pdf(review: RapidReview, spec: LetterSpec, sections: Sequence[tuple[str, str]]) -> bytes:
    # Not an import cycle: WeasyPrint loads native libraries (seconds), so only producing a document pays.
    from weasyprint import HTML

    pdf: bytes = HTML(string=render_letter_html(review, spec, sections), base_url=None).write_pdf()
    return pdf


@transaction.atomic
def letter_produce(
    *, review: RapidReview, key: str, by: User, texts: Mapping[str, str], note: str = ""
) -> DocumentVersion:
    """Produce the next version of the document ``key`` as a PDF (create_document the first time,
    add_version each time). Side effects: StoredFile, DocumentVersion, AuditEvents, CaseEvent."""
    spec = letter_spec(review, key)
    if spec is None:
        raise RapidReviewError("This partnership's procedure has no such document.")
    locked = RapidReview.objects.select_for_update().select_related("case", "partnership").get(pk=review.pk)
    blockers = letter_blockers(locked, spec)
    if blockers:
        raise RapidReviewError(blockers[0])
    sections = [(h, clean_text(texts.get(h, ""), h, required=True, max_length=20000)) for h in spec.sections]
    note = clean_text(note, "What changed", required=False, max_length=2000)
    data = render_letter_pdf(locked, spec, sections)
    document = _document(locked, spec) or create_document(
        case=locked.case,
        kind=spec.document_kind,
        title=spec.title[:200],
        by=by,
        owner_kind=OWNER_KIND,
        owner_id=locked.pk,
    )
    stored = store_bytes(
        partnership=locked.partnership,
        data=data,
        kind=sniff.PDF,
        name=f"{spec.title} {locked.case.reference}.pdf",
        by=by,
        purpose=f"version:{document.kind}",
        case=locked.case,
        owner_kind=OWNER_KIND,
        owner_id=locked.pk,
    )
    version = add_version(document=document, by=by, stored=stored, note=note)
    audit_record(
        actor=by,
        action="rapidreview.letter.produced",
        obj=locked.case,
        changes={"document": spec.key, "version": version.number},
    )
    case_event(
        case=locked.case,
        by=by,
        code="rapidreview.letter.produced",
        summary=f"{spec.title} produced (version {version.number})",
    )
    return version


def letters_on_page(review: RapidReview, page: str) -> list[dict[str, Any]]:
    """For a step's page: each document produced there, its versions and why it cannot be produced."""
    return [
        {"spec": spec, "versions": letter_versions(review, spec), "blockers": letter_blockers(review, spec)}
        for spec in letter_specs(review, page)
    ]
