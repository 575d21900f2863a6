"""Writes for learning reviews: opening one from the partners' choice, and each step of its flow
(terms of reference, the agency's own due date, tasks, documents, recommendations, the partners'
sign-off, a named role's approval). Every write audits in its transaction; steps are taken in the
order the profile lists them; the review is complete, approved by its governance body, when the
last step is done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from audit.services import audit_record
from cases.models import Case, CaseKind, LearningDecision
from cases.services import case_anchor_if_known, case_event
from deadlines.services import DeadlineError, anchor_record, profile_for
from documents import sniff
from documents.services import add_recommendation, add_version, create_document, store_bytes
from learning.flows import Flow, StepSpec, flow_of, options_of
from learning.messaging import tell_the_lead_agency
from learning.models import LearningReview, LearningStep
from learning.transitions import RS, SS, LearningReviewError, review_transition, step_transition
from partnerships.models import Agency, User
from signoffs.models import SignoffRequest
from signoffs.services import signoff_request_create

OWNER_KIND = "learning_review"
SIGNOFF_RECORD = "learning.step"

# An option whose profile entry has no flow yet still gets a review its governance body approves.
DEFAULT_FLOW = Flow(
    route="learning",
    steps=(
        StepSpec(key="terms", kind="terms", label="Lead, terms of reference and methodology agreed"),
        StepSpec(key="review", kind="task", label="Review carried out"),
        StepSpec(
            key="approval", kind="signoff", label="Completion approved", body="The safeguarding partners"
        ),
    ),
)


def flow_for(case: Case, option: str) -> Flow | None:
    """The option's flow in the case's procedure (None: the option is not on the menu)."""
    entry = options_of(case.profile.data).get(option)
    if entry is None:
        return None
    return flow_of(entry) or DEFAULT_FLOW


def _spec_json(spec: StepSpec) -> dict[str, Any]:
    return {
        "hint": spec.hint,
        "optional": spec.optional,
        "by": spec.by,
        "body": spec.body,
        "title": spec.title,
        "document": spec.document_kind,
        "sections": list(spec.sections),
    }


def _create_steps(review: LearningReview, flow: Flow) -> None:
    LearningStep.objects.bulk_create(
        LearningStep(review=review, order=i, key=s.key, kind=s.kind, label=s.label, spec=_spec_json(s))
        for i, s in enumerate(flow.steps, start=1)
    )


@transaction.atomic
def review_open(
    *, case: Case, option: str, source: str, decided_on: dt.date, by: User | None
) -> LearningReview | None:
    """Open the case's learning review with the option the partners chose (audit
    ``learning.review.opened``), or change the option of one not yet begun (``learning.review.changed``).
    Returns None for an option that leads elsewhere (a practice review, closing the case). Raises
    LearningReviewError for an option not on the menu, or a change to a review already under way."""
    entry = options_of(case.profile.data).get(option)
    flow = flow_for(case, option)
    if entry is None or flow is None:
        raise LearningReviewError("Choose one of the learning options on this partnership's menu.")
    if flow.route != "learning":
        return None
    existing = LearningReview.objects.select_for_update().filter(case=case).first()
    if existing is not None:
        if existing.option == option:
            return existing
        if existing.status != RS.SETTING_UP or existing.steps.exclude(status=SS.PENDING).exists():
            raise LearningReviewError(
                "The learning review of this case is already under way: it cannot change type now."
            )
        existing.steps.all().delete()
        audit_record(
            actor=by,
            action="learning.review.changed",
            obj=case,
            changes={"option": [existing.option, option]},
        )
        review = existing
    else:
        review = LearningReview(case=case, partnership=case.partnership, created_by=by)
    review.option = option
    review.option_label = str(entry.get("label") or option)
    if source == LearningReview.Source.LEARNING_ROUTE and case.kind == CaseKind.LEARNING_REQUEST:
        source = LearningReview.Source.REFERRAL  # the partnership's own referral for learning (000 §1.4)
    review.source = source
    decision = LearningDecision.objects.filter(case=case).first()
    review.rationale = decision.rationale if decision is not None and decision.option == option else ""
    review.decided_on = decided_on
    review.lead_role = str(entry.get("lead") or "")
    review.governance = str(entry.get("governance") or "")
    review.approved_by = flow.approved_by or review.governance
    review.methodology = review.methodology or flow.methodology
    review.timescale = str(entry.get("timescale") or "")
    review.timescale_rule = str(entry.get("timescale_rule") or "")
    review.due_is_target = flow.due_is_target
    review.save()
    _create_steps(review, flow)
    if existing is None:
        audit_record(actor=by, action="learning.review.opened", obj=case, changes={"option": [None, option]})
    case_event(
        case=case,
        by=by,
        code="learning.review.opened",
        summary=f"Learning review opened: {review.option_label}",
    )
    return review


# ------------------------------------------------------------------------------------------------
# Steps
# ------------------------------------------------------------------------------------------------


def current_step(review: LearningReview) -> LearningStep | None:
    """The step to take next: the first not yet finished (steps are taken in the profile's order)."""
    return review.steps.exclude(status__in=(SS.DONE, SS.PASSED_OVER)).order_by("order").first()


def _the_step(review: LearningReview, key: str, kinds: Sequence[str]) -> tuple[LearningReview, LearningStep]:
    locked = LearningReview.objects.select_for_update().get(pk=review.pk)
    if locked.status == RS.COMPLETED:
        raise LearningReviewError("This learning review is complete.")
    step = locked.steps.filter(key=key).first()
    if step is None or step.kind not in kinds:
        raise LearningReviewError("That step is not part of this review.")
    now = current_step(locked)
    if now is None or now.pk != step.pk:
        if step.is_finished:
            raise LearningReviewError(f"“{step.label}” is already done.")
        raise LearningReviewError(
            f"Complete “{now.label if now else ''}” first: the steps are taken in order."
        )
    return locked, step


def _finish(
    review: LearningReview, step: LearningStep, by: User | None, on: dt.date, note: str = "", **values: Any
) -> None:
    step_transition(step=step, to=SS.DONE, by=by, done_on=on, done_by=by, note=note, **values)
    case_event(
        case=review.case, by=by, code=f"learning.step.{step.key}", summary=f"Learning review: {step.label}"
    )
    _advance(review, by, on)


def _advance(review: LearningReview, by: User | None, on: dt.date) -> None:
    review.refresh_from_db()
    if review.status == RS.SETTING_UP:
        review = review_transition(review=review, to=RS.IN_PROGRESS, by=by)
    if current_step(review) is None and review.status != RS.COMPLETED:
        review_transition(review=review, to=RS.COMPLETED, by=by, completed_on=on)
        case_anchor_if_known(
            review.case, "learning_review_completed", on, by, f"{review.option_label} completed"
        )
        case_event(
            case=review.case,
            by=by,
            code="learning.review.completed",
            summary=f"Learning review completed, approved by {review.approved_by}",
        )


def _text(value: str, label: str, *, required: bool = True, limit: int = 10000) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise LearningReviewError(f"{label} contains a character that cannot be stored.")
    if required and not value:
        raise LearningReviewError(f"Enter {label[0].lower() + label[1:]}.")
    if len(value) > limit:
        raise LearningReviewError(f"{label} must be {limit} characters or fewer.")
    return value


@transaction.atomic
def terms_record(
    *,
    review: LearningReview,
    key: str,
    by: User,
    lead_name: str,
    lead_role: str,
    lead_agency: Agency | None,
    governance: str,
    terms_of_reference: str,
    lines_of_enquiry: str,
    methodology: str,
    learning_about: str = "",
) -> LearningReview:
    """The lead (person and role), the governance body, terms of reference, lines of enquiry and
    methodology agreed (audit ``learning.review.terms``)."""
    locked, step = _the_step(review, key, ("terms",))
    values = {
        "lead_name": _text(lead_name, "The lead's name", limit=200),
        "lead_role": _text(lead_role, "The lead's role", limit=200),
        "governance": _text(governance, "The governance body", limit=300),
        "terms_of_reference": _text(terms_of_reference, "The terms of reference"),
        "lines_of_enquiry": _text(lines_of_enquiry, "The lines of enquiry", required=False),
        "methodology": _text(methodology, "The methodology"),
    }
    if lead_agency is not None and lead_agency.partnership_id != locked.partnership_id:
        raise LearningReviewError("Choose an agency of this partnership.")
    if learning_about not in ("", *LearningReview.LearningAbout.values):
        raise LearningReviewError("Choose what the review is learning from.")
    values["learning_about"] = learning_about
    before = {k: getattr(locked, k) for k in values}
    for k, v in values.items():
        setattr(locked, k, v)
    locked.lead_agency = lead_agency
    locked.save(update_fields=[*values, "lead_agency"])
    audit_record(
        actor=by,
        action="learning.review.terms",
        obj=locked.case,
        changes={k: [before[k], v] for k, v in values.items() if before[k] != v}
        | {"lead_agency": lead_agency.pk if lead_agency else None},
    )
    _finish(locked, step, by, timezone.localdate())
    if lead_agency is not None:
        following = current_step(locked)
        tell_the_lead_agency(locked, following.label.lower() if following else "none")
    return locked


@transaction.atomic
def due_date_enter(*, review: LearningReview, key: str, by: User, due_on: dt.date) -> LearningReview:
    """The lead agency enters its own due date (Dorset single-agency review, AS-42): kept on the
    review and recorded as the profile's event, so the deadline engine counts the review's clock."""
    locked, step = _the_step(review, key, ("due_date",))
    today = timezone.localdate()
    if due_on < today:
        raise LearningReviewError("The due date must be today or later.")
    if due_on > today + dt.timedelta(days=731):
        raise LearningReviewError("The due date must be within two years.")
    flow = flow_for(locked.case, locked.option)
    anchor_key = flow.due_anchor if flow else ""
    if anchor_key and anchor_key in profile_for(locked.case.profile).anchors:
        try:
            anchor_record(
                case=locked.case, key=anchor_key, value=due_on, by=by, reason="Due date set by the agency"
            )
        except DeadlineError as exc:
            raise LearningReviewError(str(exc)) from exc
    locked.due_on, locked.due_entered_by = due_on, by
    locked.save(update_fields=["due_on", "due_entered_by"])
    audit_record(
        actor=by, action="learning.review.due_date", obj=locked.case, changes={"due_on": [None, due_on]}
    )
    _finish(locked, step, by, today, note=f"Due {due_on:%-d %B %Y}")
    return locked


@transaction.atomic
def task_complete(*, review: LearningReview, key: str, by: User, note: str, on: dt.date) -> LearningStep:
    """A task of the flow done on ``on`` (the chronology compiled, the workshop held, …)."""
    locked, step = _the_step(review, key, ("task",))
    if on > timezone.localdate():
        raise LearningReviewError("The date cannot be in the future.")
    if on < locked.decided_on:
        raise LearningReviewError("The date cannot be before the review was decided.")
    _finish(locked, step, by, on, note=_text(note, "What was done", required=False, limit=3000))
    step.refresh_from_db()
    return step


@transaction.atomic
def approval_record(*, review: LearningReview, key: str, by: User, note: str) -> LearningStep:
    """The role the flow names approves (the Single Agency Lead, the sub-group chair)."""
    locked, step = _the_step(review, key, ("approval",))
    _finish(
        locked,
        step,
        by,
        timezone.localdate(),
        note=_text(note, "The approval note", required=False, limit=3000),
    )
    step.refresh_from_db()
    return step


@transaction.atomic
def step_pass_over(*, review: LearningReview, key: str, by: User, reason: str) -> LearningStep:
    """An optional step not needed for this review (the scrutiny-officer audit), with the reason."""
    locked, step = _the_step(review, key, ("task", "recommendations", "document"))
    if not step.spec.get("optional"):
        raise LearningReviewError(f"“{step.label}” is needed for this review.")
    reason = _text(reason, "The reason it is not needed", limit=2000)
    step_transition(
        step=step,
        to=SS.PASSED_OVER,
        by=by,
        reason=reason,
        note=reason,
        done_on=timezone.localdate(),
        done_by=by,
    )
    _advance(locked, by, timezone.localdate())
    step.refresh_from_db()
    return step


def render_document_pdf(review: LearningReview, title: str, sections: Sequence[tuple[str, str]]) -> bytes:
    # Not an import cycle: WeasyPrint loads native libraries (seconds), so only producing a document pays.
    from weasyprint import HTML

    html = render_to_string(
        "learning/pdf/document.html",
        {"review": review, "title": title, "sections": sections, "generated": timezone.localtime()},
    )
    pdf: bytes = HTML(string=html, base_url=None).write_pdf()
    return pdf


@transaction.atomic
def document_write(
    *, review: LearningReview, key: str, by: User, texts: Mapping[str, str], note: str = ""
) -> LearningStep:
    """Produce the step's document (the seven-point briefing, the Summary of Learning report, the
    LLR-2 letter, …) as the next version of one ``documents`` Document, a PDF of the text given
    under each of its headings."""
    locked = LearningReview.objects.select_for_update().get(pk=review.pk)
    step = locked.steps.filter(key=key, kind="document").first()
    if step is None:
        raise LearningReviewError("That step is not part of this review.")
    if locked.status == RS.COMPLETED:
        raise LearningReviewError("This learning review is complete.")
    now = current_step(locked)
    if not step.is_finished and (now is None or now.pk != step.pk):
        raise LearningReviewError(
            f"Complete “{now.label if now else ''}” first: the steps are taken in order."
        )
    headings = [str(h) for h in step.spec.get("sections") or ()]
    sections = [(h, _text(texts.get(h, ""), h, limit=20000)) for h in headings]
    title = str(step.spec.get("title") or step.label)
    data = render_document_pdf(locked, title, sections)
    document = step.document
    if document is None:
        document = create_document(
            case=locked.case,
            kind=str(step.spec.get("document") or step.key)[:40],
            title=title,
            by=by,
            owner_kind=OWNER_KIND,
            owner_id=locked.pk,
        )
    stored = store_bytes(
        partnership=locked.partnership,
        data=data,
        kind=sniff.PDF,
        name=f"{title}.pdf",
        by=by,
        purpose=f"version:{document.kind}",
        case=locked.case,
        owner_kind=OWNER_KIND,
        owner_id=locked.pk,
    )
    version = add_version(
        document=document, by=by, stored=stored, note=_text(note, "What changed", required=False, limit=2000)
    )
    if step.is_finished:
        LearningStep.objects.filter(pk=step.pk).update(document=document)
        audit_record(
            actor=by,
            action="learning.document.version",
            obj=locked.case,
            changes={"step": step.key, "version": version.number},
        )
    else:
        _finish(locked, step, by, timezone.localdate(), note=f"Version {version.number}", document=document)
    step.refresh_from_db()
    return step


@transaction.atomic
def recommendations_record(
    *, review: LearningReview, key: str, by: User, items: Sequence[tuple[str, str, dt.date | None]]
) -> LearningStep:
    """The review's recommendations (reference, what, by when), recorded for the action plan with
    ``documents.add_recommendation(source="learning_review", source_id=review.pk)``."""
    locked, step = _the_step(review, key, ("recommendations",))
    if not items:
        raise LearningReviewError("Enter at least one recommendation.")
    seen: set[str] = set()
    for reference, text, due_on in items:
        reference = _text(reference, "The recommendation's reference", limit=20)
        if reference in seen:
            raise LearningReviewError(f"Recommendation {reference} is listed twice.")
        seen.add(reference)
        add_recommendation(
            case=locked.case,
            source="learning_review",
            source_id=locked.pk,
            reference=reference,
            text=_text(text, f"Recommendation {reference}", limit=3000),
            by=by,
            due_on=due_on,
        )
    _finish(
        locked,
        step,
        by,
        timezone.localdate(),
        note=f"{len(items)} recommendation{'s' if len(items) != 1 else ''}",
    )
    step.refresh_from_db()
    return step


def snapshot(review: LearningReview, step: LearningStep) -> dict[str, Any]:
    """What the partners sign: the review, its terms and the latest version of each document."""
    documents = []
    for s in review.steps.filter(document__isnull=False).select_related("document").order_by("order"):
        assert s.document is not None
        latest = s.document.latest_version()
        if latest is not None:
            documents.append({"title": s.document.title, "version": latest.number, "sha256": latest.sha256})
    return {
        "case": review.case.reference,
        "learning_review": review.option_label,
        "to_approve": step.label,
        "approving_body": str(step.spec.get("body") or review.approved_by),
        "lead": f"{review.lead_name} ({review.lead_role})" if review.lead_name else review.lead_role,
        "governance": review.governance,
        "rationale": review.rationale,
        "learning_from": review.get_learning_about_display() if review.learning_about else "",
        "terms_of_reference": review.terms_of_reference,
        "lines_of_enquiry": review.lines_of_enquiry,
        "methodology": review.methodology,
        "documents": documents,
    }


@transaction.atomic
def signoff_put(*, review: LearningReview, key: str, by: User) -> LearningStep:
    """Put the step to the statutory partners for signature (the ``signoffs`` engine); the step is
    done when every partner has agreed (``on_signoff_completed``)."""
    locked, step = _the_step(review, key, ("signoff",))
    if step.status == SS.AWAITING_SIGNATURES:
        raise LearningReviewError("This is already with the partners for signature.")
    content = snapshot(locked, step)
    # Each time it is put to the partners is a new version, even unchanged after a disagreement
    # (the sign-off engine returns an unchanged, completed request as it is).
    content["time_put_to_the_partners"] = (
        SignoffRequest.objects.filter(
            partnership=locked.partnership, record_type=SIGNOFF_RECORD, record_id=str(step.pk)
        ).count()
        + 1
    )
    request = signoff_request_create(
        partnership=locked.partnership,
        record_type=SIGNOFF_RECORD,
        record_id=step.pk,
        content=content,
        title=f"Learning review, case {locked.case.reference}: {step.label}"[:200],
        by=by,
    )
    step_transition(step=step, to=SS.AWAITING_SIGNATURES, by=by, signoff_request_id=request.pk)
    step.refresh_from_db()
    return step


def on_signoff_completed(sender: object, *, record_type: str, request: Any, **kwargs: object) -> None:
    """Inside the signing transaction: every partner agreed → the step is done; someone disagreed →
    it goes back to the lead with the partners' comments."""
    if record_type != SIGNOFF_RECORD:
        return
    step = (
        LearningStep.objects.select_for_update()
        .filter(pk=int(request.record_id))
        .select_related("review")
        .first()
    )
    if step is None or step.status != SS.AWAITING_SIGNATURES or step.signoff_request_id != request.pk:
        return
    review = step.review
    if request.outcome == "all_agree":
        _finish(review, step, None, timezone.localdate(), note="Signed by every safeguarding partner")
    else:
        comments = "; ".join(
            f"{s.agency.name}: {s.comment}" for s in request.signatures.select_related("agency") if s.comment
        )
        step_transition(
            step=step,
            to=SS.PENDING,
            by=None,
            reason="Not every partner agreed",
            note=f"Not every partner agreed. {comments}".strip(),
            signoff_request_id=None,
        )
