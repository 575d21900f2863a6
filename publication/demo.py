"""Demo data for the publication stage: in Dorset and Darlington, a synthetic case whose rapid review
decided on a local child safeguarding practice review (so cspr's receiver opened the practice
review), with its report's first version sent for approval. Version 1 still names the child and a
practitioner, so the anonymisation check has something to find. Idempotent; synthetic names only.

Driven through the services the way a business unit would: the referral reaches the business unit,
is acknowledged, the partners decide to notify, the Panel is told, the rapid review meets and decides,
the partners sign, the decision goes to the Panel (the case moves to the practice review)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.models import Case, CaseKind, Referral
from cases.referral_form import form_spec
from cases.services import decision_record, panel_notification_record, referral_acknowledge
from cspr.models import PracticeReview
from documents.services import add_version, create_document
from partnerships.models import Agency, Membership, Partnership, User
from partnerships.roles import AgencyKind, Role
from publication import samples
from publication.models import Approval
from publication.services.anonymisation import extra_term_add
from publication.services.approval import approval_start
from rapidreview.decision import decision_put_for_signoff, decision_save
from rapidreview.meeting import attendance_add, meeting_held, meeting_schedule
from rapidreview.models import Attendance
from rapidreview.panel import panel_submit
from rapidreview.services import rapid_review_start
from signoffs.reauth import ReauthInfo
from signoffs.services import signoff_sign, signoff_sign_for_role, signoff_status

DEMO_SLUGS = ("dorset", "darlington")
MARK = "publication_demo"
CHILD = {"first_name": "Rowan", "last_name": "Demoford"}
PRACTITIONER = "Priya Testwell"
REPORT = [
    "Local child safeguarding practice review: overview report (synthetic demo).",
    "Why this review was carried out: a child was seriously harmed and several agencies were involved.",
    "Rowan Demoford lived with their mother and two younger siblings.",
    f"The health visitor, {PRACTITIONER}, visited the family three times in the year before the incident.",
    "What should change: agencies share concerns at the first sign, and assessments bring together "
    "what each agency holds.",
]


def _member(partnership: Partnership, role: str, kind: str | None = None) -> User | None:
    qs = Membership.objects.filter(agency__partnership=partnership, role=role, is_active=True)
    if kind:
        qs = qs.filter(agency__kind=kind)
    m = qs.select_related("user").order_by("pk").first()
    return m.user if m else None


def _answers(partnership: Partnership) -> dict[str, Any]:
    spec = form_spec(partnership.profile.data if partnership.profile else None)
    keys = {s.key for s in spec.referrer_sections}
    answers: dict[str, Any] = {
        "child": {
            **CHILD,
            "date_of_birth_day": "14",
            "date_of_birth_month": "3",
            "date_of_birth_year": "2018",
        },
        "reporting": {"referral_type": "serious_incident", "child_died": "no"},
    }
    if "education" in keys:
        answers["education"] = {"attends": "yes", "establishment": "Demoford Primary School"}
    return answers


def _case_in_practice_review(partnership: Partnership) -> Case | None:
    bu = _member(partnership, Role.BUSINESS_UNIT)
    practitioner = _member(partnership, Role.PRACTITIONER)
    reps = {
        kind: _member(partnership, Role.PARTNER_REP, kind)
        for kind in (AgencyKind.LOCAL_AUTHORITY, AgencyKind.POLICE, AgencyKind.HEALTH_ICB)
    }
    if bu is None or practitioner is None or None in reps.values() or partnership.profile is None:
        return None
    today = timezone.localdate()
    referral = Referral.objects.create(
        partnership=partnership,
        agency=Membership.objects.filter(user=practitioner, agency__partnership=partnership).first().agency,  # type: ignore[union-attr]
        referrer=practitioner,
        status=Referral.Status.AUTHORISED,
        form_variant=form_spec(partnership.profile.data).variant,
        start_token=uuid.uuid4(),
        answers=_answers(partnership),
    )
    case = referral_acknowledge(
        referral=referral, by=bu, received_on=today, became_aware_on=today, kind=CaseKind.SERIOUS_INCIDENT
    )
    case.facts = {**case.facts, MARK: True}
    case.save(update_fields=["facts"])
    decision_record(
        case=case,
        by=bu,
        outcome="notify",
        rationale="Synthetic demo: the criteria for notification are met.",
        decided_on=today,
        decided_by_name="The three safeguarding partners",
    )
    panel_notification_record(
        case=case,
        by=bu,
        submitted_at=timezone.now() - dt.timedelta(minutes=5),
        panel_reference="DEMO-PANEL",
        ofsted_informed_on=today,
        dfe_informed_on=today,
    )
    review = rapid_review_start(case=case, by=bu)
    meeting_schedule(
        review=review, by=bu, scheduled_for=timezone.now() - dt.timedelta(minutes=4), location="Online"
    )
    agencies = {a.kind: a for a in Agency.objects.filter(partnership=partnership, is_statutory_partner=True)}
    for kind, user in reps.items():
        attendance_add(
            review=review, by=bu, name=str(user), agency=agencies[kind], kind=Attendance.Kind.PARTNER
        )
    meeting_held(review=review, by=bu, on=today)
    decision = decision_save(
        review=review,
        by=bu,
        outcome="local_cspr",
        rationale="Synthetic demo: agencies did not share what they knew.",
    )
    decision_put_for_signoff(review=review, by=bu, on=today)
    decision.refresh_from_db()
    assert decision.signoff_request_id is not None
    for kind, user in reps.items():
        assert user is not None
        signoff_sign(
            request_id=decision.signoff_request_id,
            by=user,
            agency_id=agencies[kind].pk,
            decision="agree",
            reauth=ReauthInfo(method="password", at=timezone.now()),
        )
    # Darlington: the Independent Scrutineer co-signs the decision (000 §6.10).
    status = signoff_status("rapidreview.decision", review.pk, partnership=partnership)
    for role in sorted(status.waiting_roles) if status else []:
        signer = _member(partnership, role)
        assert signer is not None
        signoff_sign_for_role(
            request_id=decision.signoff_request_id,
            by=signer,
            role=role,
            decision="agree",
            reauth=ReauthInfo(method="password", at=timezone.now()),
        )
    panel_submit(review=review, by=bu, submitted_on=today)
    case.refresh_from_db()
    return case


def load_demo_publication() -> int:
    """A Dorset and a Darlington case with a report waiting for approval. Returns how many were made."""
    made = 0
    for slug in DEMO_SLUGS:
        partnership = Partnership.objects.filter(slug=slug).exclude(profile=None).first()
        if (
            partnership is None
            or Case.objects.filter(partnership=partnership, **{f"facts__{MARK}": True}).exists()
        ):
            continue
        case = _case_in_practice_review(partnership)
        if case is None:
            continue
        review = PracticeReview.objects.filter(case=case).first()
        bu = _member(partnership, Role.BUSINESS_UNIT)
        document = create_document(
            case=case,
            kind="practice_review_report",
            title="Practice review overview report",
            by=bu,
            owner_kind="practice_review" if review else "",
            owner_id=review.pk if review else None,
        )
        add_version(
            document=document,
            by=bu,
            uploaded=SimpleUploadedFile("overview-report.docx", samples.docx(REPORT)),
            note="First draft from the reviewer",
        )
        if not Approval.objects.filter(document=document).exists():
            approval_start(document=document, by=bu)
        # The practitioner named in the report, recorded for the check (Dorset anonymises practitioners).
        extra_term_add(case=case, by=bu, category="practitioner", text=PRACTITIONER)
        made += 1
    return made
