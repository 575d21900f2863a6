"""Every practice review form page, as data: the door it goes through, its form, and the service it
calls. ``views.form_page`` runs them all the same way: the door first (404 outsiders, 403 viewers
without the right), the form's shape, then the service — whose refusal is shown on the form with
nothing changed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cspr import chronology, commissioning, drafts, engagement, forms, governance, running
from cspr.models import PracticeReview
from cspr.services import PracticeReviewError, practice_review_close, require
from partnerships.models import User

CHANGE, WORK = "change", "work"
Act = Callable[[Any, PracticeReview, User], str]


@dataclass(frozen=True)
class FormPage:
    name: str
    path: str
    door: str
    form: type[forms.ReviewForm]
    heading: str
    button: str
    act: Act
    back: str = "practice_review"
    intro: str = ""
    files: bool = False


def _id(form: Any, field: str) -> int:
    return int(form.cleaned_data[field])


def _user(form: Any) -> User:
    return User.objects.get(pk=int(form.cleaned_data["account"]))


def _time(value: str) -> Any:

    if not value.strip():
        return None
    try:
        hours, minutes = value.replace(".", ":").split(":")
        return dt.time(int(hours), int(minutes))
    except ValueError:
        raise PracticeReviewError("Enter the time on the 24-hour clock, for example 14:30.") from None


def _seen(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _candidate(f: Any, r: PracticeReview, u: User) -> str:
    criteria = {
        k.removeprefix("criterion_"): v for k, v in f.cleaned_data.items() if k.startswith("criterion_")
    }
    commissioning.candidate_add(
        review=r,
        by=u,
        name=f.cleaned_data["name"],
        sourced_through=f.cleaned_data["sourced_through"],
        criteria=criteria,
    )
    return "Candidate added."


def _appoint(f: Any, r: PracticeReview, u: User) -> str:
    commissioning.candidate_appoint(
        review=r, by=u, candidate_id=_id(f, "candidate"), account=_user(f), on=f.cleaned_data["appointed_on"]
    )
    return "Reviewer appointed. Send their name to the Panel, Ofsted and the DfE (see Notices)."


def _vetting(f: Any, r: PracticeReview, u: User) -> str:
    commissioning.vetting_record(
        review=r,
        by=u,
        candidate_id=_id(f, "candidate"),
        items=f.cleaned_data["items"],
        conflicts=f.cleaned_data["conflicts"],
        confidentiality_signed=f.cleaned_data["confidentiality_signed"],
    )
    return "Vetting recorded."


def _contract(f: Any, r: PracticeReview, u: User) -> str:
    commissioning.contract_agree(
        review=r, by=u, candidate_id=_id(f, "candidate"), on=f.cleaned_data["agreed_on"]
    )
    return "Contract agreed. The reviewer can now see this review and its case, and nothing else."


def _notice(f: Any, r: PracticeReview, u: User) -> str:
    commissioning.notice_sent(review=r, by=u, notice_id=_id(f, "notice"), on=f.cleaned_data["sent_on"])
    return "Notice recorded as sent."


def _panel(f: Any, r: PracticeReview, u: User) -> str:
    d = f.cleaned_data
    governance.panel_member_add(
        review=r,
        by=u,
        name=d["name"],
        panel_role=d["panel_role"],
        agency=f.agency_obj(),
        conflicts=d["conflicts"],
        no_line_management=d["no_line_management"],
        confidentiality_signed=d["confidentiality_signed"],
    )
    return "Panel member added."


def _tor_upload(f: Any, r: PracticeReview, u: User) -> str:
    version = governance.tor_version_add(
        review=r, by=u, uploaded=f.cleaned_data["file"], note=f.cleaned_data["note"]
    )
    return f"Terms of reference version {version.number} uploaded."


def _tor_agree(f: Any, r: PracticeReview, u: User) -> str:
    governance.tor_agree(review=r, by=u, version_id=_id(f, "version"), on=f.cleaned_data["agreed_on"])
    return "Terms of reference agreed."


def _methodology(f: Any, r: PracticeReview, u: User) -> str:
    governance.methodology_choose(
        review=r,
        by=u,
        methodology=f.cleaned_data["methodology"],
        quality_framework=f.cleaned_data["quality_framework"],
    )
    return "Methodology saved."


def _checklist(f: Any, r: PracticeReview, u: User) -> str:
    running.checklist_tick(review=r, by=u, items=f.cleaned_data["items"], phase=f.cleaned_data["phase"])
    return "Checklist saved."


def _progress(f: Any, r: PracticeReview, u: User) -> str:
    running.progress_request_add(
        review=r, by=u, text=f.cleaned_data["text"], asked_on=f.cleaned_data["asked_on"]
    )
    return "Request for progress logged."


def _progress_answer(f: Any, r: PracticeReview, u: User) -> str:
    running.progress_answer(review=r, by=u, progress_id=_id(f, "request"), answer=f.cleaned_data["answer"])
    return "Answer recorded."


def _request(f: Any, r: PracticeReview, u: User) -> str:
    agency = f.agency_obj()
    running.information_request_add(
        review=r, by=u, agency=agency, what=f.cleaned_data["what"], due_on=f.cleaned_data["due_on"]
    )
    return "Information request recorded."


def _escalate(f: Any, r: PracticeReview, u: User) -> str:
    step = running.information_request_escalate(
        review=r, by=u, request_id=_id(f, "request"), note=f.cleaned_data["note"]
    )
    return f"Escalated to: {step.get_level_display()}."


def _supplied(f: Any, r: PracticeReview, u: User) -> str:

    require(f.cleaned_data.get("supplied_on"), "Enter the date the information was supplied.")
    running.information_request_supplied(
        review=r, by=u, request_id=_id(f, "request"), on=f.cleaned_data["supplied_on"]
    )
    return "Recorded as supplied."


def _agency_report(f: Any, r: PracticeReview, u: User) -> str:
    d = f.cleaned_data
    running.agency_report_add(
        review=r,
        by=u,
        agency=f.agency_obj(),
        uploaded=d["file"],
        author_name=d["author_name"],
        chief_officer_name=d["chief_officer_name"],
        signed_off_on=d["signed_off_on"],
    )
    return "Agency report added."


def _delay(f: Any, r: PracticeReview, u: User) -> str:
    d = f.cleaned_data
    running.delay_record(
        review=r, by=u, reason=d["reason"], authorised_by=d["authorised_by"], pause=d["pause"]
    )
    return "Delay recorded. Tell the Panel and the Secretary of State (see Notices)."


def _event(f: Any, r: PracticeReview, u: User) -> str:
    d = f.cleaned_data
    engagement.event_add(
        review=r,
        by=u,
        kind=d["kind"],
        held_on=d["held_on"],
        location=d["location"],
        briefing=d["briefing"],
        invitees=d["invitees"],
        invitations_sent=d["invitations_sent"],
    )
    return "Event added."


def _event_record(f: Any, r: PracticeReview, u: User) -> str:
    d = f.cleaned_data
    engagement.event_record(
        review=r, by=u, event_id=_id(f, "event"), attended=d["attended"], notes=d["notes"]
    )
    return "Attendance and notes recorded."


def _family(f: Any, r: PracticeReview, u: User) -> str:
    engagement.family_engagement_record(review=r, by=u, **dict(f.cleaned_data))
    return "Family engagement saved."


def _family_member(f: Any, r: PracticeReview, u: User) -> str:
    engagement.family_member_add(review=r, by=u, **f.cleaned_data)
    return "Family member added."


def _share(f: Any, r: PracticeReview, u: User) -> str:
    d = f.cleaned_data
    engagement.family_share(
        review=r,
        by=u,
        shared_with=d["shared_with"],
        what=d["what"],
        reason=d["reason"],
        share=d["share"] == "yes",
    )
    return "Sharing decision logged."


def _parallel(f: Any, r: PracticeReview, u: User) -> str:
    engagement.parallel_process_add(review=r, by=u, **f.cleaned_data)
    return "Parallel process added."


def _entry(f: Any, r: PracticeReview, u: User) -> str:
    d = f.cleaned_data
    chronology.entry_add(
        review=r,
        by=u,
        agency=f.agency_obj(),
        happened_on=d["happened_on"],
        time=_time(d["time"]),
        event=d["event"],
        source=d["source"],
        people=d["people"],
        outcome=d["outcome"],
        child_seen=_seen(d["child_seen"]),
        child_views=d["child_views"],
        author_comments=d["author_comments"],
    )
    return "Chronology entry added."


def _import(f: Any, r: PracticeReview, u: User) -> str:
    batch = chronology.chronology_import(
        review=r, by=u, agency=f.agency_obj(), uploaded=f.cleaned_data["file"]
    )
    bad = len(batch.errors)
    return f"{batch.rows_kept} rows imported." + (f" {bad} rows were not imported: see below." if bad else "")


def _report_upload(f: Any, r: PracticeReview, u: User) -> str:
    version = drafts.report_version_add(
        review=r, by=u, uploaded=f.cleaned_data["file"], note=f.cleaned_data["note"]
    )
    return f"Report version {version.number} uploaded."


def _comment(f: Any, r: PracticeReview, u: User) -> str:
    d = f.cleaned_data
    drafts.report_comment(
        review=r, by=u, version_id=_id(f, "version"), text=d["text"], legal_services=d["legal_services"]
    )
    return "Comment added."


def _accuracy(f: Any, r: PracticeReview, u: User) -> str:
    d = f.cleaned_data
    drafts.accuracy_record(
        review=r,
        by=u,
        version_id=_id(f, "version"),
        agency=f.agency_obj(),
        confirmed=d["confirmed"] == "yes",
        note=d["text"],
    )
    return "Factual accuracy recorded."


def _content(f: Any, r: PracticeReview, u: User) -> str:
    drafts.content_checklist_set(review=r, by=u, items=f.cleaned_data["items"])
    return "Content checklist saved."


def _recommendation(f: Any, r: PracticeReview, u: User) -> str:
    d = f.cleaned_data
    drafts.recommendation_add(
        review=r,
        by=u,
        reference=d["reference"],
        text=d["text"],
        owner_agency=f.agency_obj("owner_agency"),
        owner_description=d["owner_description"],
        due_on=d["due_on"],
    )
    return "Recommendation added."


def _close(f: Any, r: PracticeReview, u: User) -> str:

    practice_review_close(review=r, by=u, reason=f.cleaned_data["reason"])
    return "Review closed. The reviewer's access has been removed."


R = "pr_report"
C = "pr_chronology"
PAGES: list[FormPage] = [
    FormPage("pr_candidate_add", "commissioning/candidates/add/", CHANGE, forms.CandidateForm, "Add a candidate reviewer", "Add the candidate", _candidate),
    FormPage("pr_appoint", "commissioning/appoint/", CHANGE, forms.AppointForm, "Appoint the reviewer", "Appoint", _appoint),
    FormPage("pr_vetting", "commissioning/vetting/", CHANGE, forms.VettingForm, "Record vetting", "Save", _vetting),
    FormPage("pr_contract", "commissioning/contract/", CHANGE, forms.ContractForm, "Agree the contract", "Agree the contract", _contract,
             intro="The reviewer sees nothing of the case until the contract is agreed; then they see this review and its case only."),
    FormPage("pr_notice_sent", "notices/sent/", CHANGE, forms.NoticeSentForm, "Record a notice as sent", "Save", _notice),
    FormPage("pr_panel_add", "panel/add/", CHANGE, forms.PanelMemberForm, "Add a panel member", "Add the member", _panel),
    FormPage("pr_tor_upload", "terms-of-reference/upload/", CHANGE, forms.UploadForm, "Upload the terms of reference", "Upload", _tor_upload, files=True),
    FormPage("pr_tor_agree", "terms-of-reference/agree/", CHANGE, forms.TorAgreeForm, "Record the terms of reference as agreed", "Save", _tor_agree),
    FormPage("pr_methodology", "methodology/", CHANGE, forms.MethodologyForm, "Choose the methodology", "Save", _methodology),
    FormPage("pr_checklist", "checklist/", WORK, forms.ChecklistForm, "Stages of the review", "Save", _checklist),
    FormPage("pr_progress_add", "progress/add/", CHANGE, forms.ProgressForm, "Log a written request for progress", "Save", _progress),
    FormPage("pr_progress_answer", "progress/answer/", WORK, forms.ProgressAnswerForm, "Answer a request for progress", "Save", _progress_answer),
    FormPage("pr_request_add", "requests/add/", WORK, forms.InfoRequestForm, "Ask an agency for information", "Save", _request),
    FormPage("pr_request_escalate", "requests/escalate/", WORK, forms.RequestStepForm, "Escalate an overdue request", "Escalate", _escalate),
    FormPage("pr_request_supplied", "requests/supplied/", WORK, forms.RequestStepForm, "Record information as supplied", "Save", _supplied),
    FormPage("pr_agency_report_add", "agency-reports/add/", WORK, forms.AgencyReportForm, "Add an agency report", "Upload", _agency_report, files=True),
    FormPage("pr_delay", "delay/", CHANGE, forms.DelayForm, "Record a delay", "Record the delay", _delay),
    FormPage("pr_event_add", "events/add/", WORK, forms.EventForm, "Plan an event", "Save", _event),
    FormPage("pr_event_record", "events/record/", WORK, forms.EventRecordForm, "Record attendance and notes", "Save", _event_record),
    FormPage("pr_family", "family/", WORK, forms.FamilyForm, "Family engagement", "Save", _family),
    FormPage("pr_family_member_add", "family/members/add/", WORK, forms.FamilyMemberForm, "Add a family member", "Add", _family_member),
    FormPage("pr_family_share", "family/share/", WORK, forms.ShareForm, "Log a sharing decision", "Save", _share),
    FormPage("pr_parallel_add", "parallel/add/", CHANGE, forms.ParallelForm, "Add a parallel process", "Save", _parallel),
    FormPage("pr_chronology_entry_add", "chronology/add/", WORK, forms.EntryForm, "Add a chronology entry", "Add", _entry, back=C),
    FormPage("pr_chronology_import", "chronology/import/", WORK, forms.ImportForm, "Import a chronology", "Import", _import, back=C, files=True),
    FormPage("pr_report_upload", "report/upload/", WORK, forms.UploadForm, "Upload a version of the report", "Upload", _report_upload, back=R, files=True),
    FormPage("pr_report_comment", "report/comment/", WORK, forms.CommentForm, "Comment on a version", "Add the comment", _comment, back=R),
    FormPage("pr_report_accuracy", "report/accuracy/", CHANGE, forms.AccuracyForm, "Record an agency's factual-accuracy check", "Save", _accuracy, back=R),
    FormPage("pr_report_content", "report/content/", WORK, forms.ContentForm, "Minimum content checklist", "Save", _content, back=R),
    FormPage("pr_recommendation_add", "report/recommendations/add/", WORK, forms.RecommendationForm, "Add a recommendation", "Add", _recommendation, back=R),
    FormPage("pr_close", "close/", CHANGE, forms.ReasonForm, "Close the review", "Close the review", _close,
             intro="Closing the review removes the reviewer's access to the case."),
]  # fmt: skip
BY_NAME = {p.name: p for p in PAGES}
