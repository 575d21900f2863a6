"""Forms of the practice review pages: they check the shape of what was typed (GOV.UK messages,
typed values kept on error); the rules live in the services. Choices come from the review (its
candidates, agencies, the profile's menus), so a forged value is refused as an invalid choice."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from cspr.commissioning import vetting_items
from cspr.drafts import content_items, report_of
from cspr.governance import TOR_KIND, document_of, methodologies
from cspr.models import Candidate, FamilyEngagement, ParallelProcess, PracticeReview, PractitionerEvent
from cspr.profile_section import SELECTION_CRITERIA
from cspr.running import PHASES
from documents import sniff
from documents.forms import CheckedFileField
from partnerships.govuk_forms import GovukCharField, GovukDateField, GovukForm
from partnerships.models import Agency, Membership
from partnerships.roles import Role


def short(label: str, *, required: bool = True, max_length: int = 200, help_text: str = "") -> GovukCharField:
    return GovukCharField(label=label, required=required, max_length=max_length, help_text=help_text)


def area(label: str, *, required: bool = False, help_text: str = "", rows: int = 4) -> GovukCharField:
    return GovukCharField(
        label=label,
        required=required,
        max_length=10_000,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def choice(
    label: str, message: str, *, radios: bool = True, choices: Sequence[tuple[str, str]] = ()
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=list(choices),
        widget=forms.RadioSelect if radios else forms.Select,
        error_messages={"required": message, "invalid_choice": message},
    )


def many(
    label: str, *, required: bool = False, message: str = "Choose at least one"
) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=required,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": message, "invalid_choice": "Choose from the list"},
    )


class ReviewForm(GovukForm):
    """A form about one review: ``agencies`` and ``candidates`` choices are filled from it."""

    def __init__(self, *args: Any, review: PracticeReview, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.review = review
        agencies = [
            (str(a.pk), a.name)
            for a in Agency.objects.filter(partnership=review.partnership).order_by("name")
        ]
        for name in ("agency", "owner_agency"):
            if name in self.fields:
                field = self.fields[name]
                blank = [("", "Not one agency")] if not field.required else [("", "Choose an agency")]
                field.choices = blank + agencies  # type: ignore[attr-defined]
        if "candidate" in self.fields:
            self.fields["candidate"].choices = [  # type: ignore[attr-defined]
                (str(c.pk), c.name) for c in self.candidates()
            ]
            if len(self.fields["candidate"].choices) == 1:  # type: ignore[attr-defined]
                self.initial.setdefault("candidate", self.fields["candidate"].choices[0][0])  # type: ignore[attr-defined]
        self.setup()

    def candidates(self) -> Any:
        return self.review.candidates.all()

    def setup(self) -> None:
        pass

    def agency_obj(self, name: str = "agency") -> Agency | None:
        value = self.cleaned_data.get(name)
        return Agency.objects.filter(partnership=self.review.partnership, pk=value).first() if value else None


class CandidateForm(ReviewForm):
    name = short("Candidate's name")
    sourced_through = short("How the candidate was sourced", required=False, max_length=300)

    def setup(self) -> None:
        for key, label in SELECTION_CRITERIA:
            self.fields[f"criterion_{key}"] = area(label, rows=2)


class AppointForm(ReviewForm):
    candidate = choice("Candidate appointed", "Choose the candidate appointed")
    account = choice("Their account", "Choose the reviewer's account", radios=False)
    appointed_on = GovukDateField(label="Date appointed", past=True)

    def candidates(self) -> Any:
        return self.review.candidates.filter(status=Candidate.Status.CANDIDATE)

    def setup(self) -> None:

        people = (
            Membership.objects.filter(
                agency__partnership=self.review.partnership, role=Role.INDEPENDENT_REVIEWER
            )
            .select_related("user")
            .order_by("user__full_name")
        )
        self.fields["account"].choices = [("", "Choose a person")] + [  # type: ignore[attr-defined]
            (str(m.user_id), m.user.full_name or m.user.email) for m in people
        ]


class VettingForm(ReviewForm):
    candidate = choice("Reviewer", "Choose the reviewer")
    items = many("Vetting items received")
    conflicts = area("Conflict of interest declaration", help_text="What the reviewer declared, or “None”.")
    confidentiality_signed = forms.BooleanField(
        label="The confidentiality agreement is signed", required=False
    )

    def candidates(self) -> Any:
        return self.review.candidates.filter(status=Candidate.Status.APPOINTED)

    def setup(self) -> None:

        self.fields["items"].choices = vetting_items(self.review)  # type: ignore[attr-defined]


class ContractForm(ReviewForm):
    candidate = choice("Reviewer", "Choose the reviewer")
    agreed_on = GovukDateField(label="Date the contract was agreed", past=True)

    def candidates(self) -> Any:
        return self.review.candidates.filter(
            status=Candidate.Status.APPOINTED, contract_agreed_on__isnull=True
        )


class NoticeSentForm(ReviewForm):
    notice = choice("Notice", "Choose the notice sent")
    sent_on = GovukDateField(label="Date sent", past=True)

    def setup(self) -> None:
        self.fields["notice"].choices = [  # type: ignore[attr-defined]
            (str(n.pk), f"{n.get_kind_display()} ({n.recipients})")
            for n in self.review.notices.filter(sent_on__isnull=True)
        ]


class PanelMemberForm(ReviewForm):
    name = short("Member's name")
    agency = forms.ChoiceField(label="Agency", required=False)
    panel_role = short(
        "Role on the panel", help_text="For example Chair, police representative, subject expert."
    )
    conflicts = area("Conflicts of interest declared")
    no_line_management = forms.BooleanField(
        label="Had no immediate line management of, or significant involvement in, the case",
        required=True,
        error_messages={
            "required": "Confirm the member had no line management of the case, or choose someone else"
        },
    )
    confidentiality_signed = forms.BooleanField(
        label="Has signed the confidentiality agreement", required=False
    )


class UploadForm(ReviewForm):
    file = CheckedFileField(
        label="Upload a file (Word or PDF)",
        allowed=sniff.DOCUMENTS,
        error_messages={"required": "Choose a file to upload"},
    )
    note = area("What changed in this version", rows=2)


class TorAgreeForm(ReviewForm):
    version = choice("Version agreed", "Choose the version agreed")
    agreed_on = GovukDateField(label="Date agreed", past=True)

    def setup(self) -> None:

        document = document_of(self.review, TOR_KIND)
        versions = document.versions.order_by("-number") if document else []
        self.fields["version"].choices = [(str(v.pk), f"Version {v.number}") for v in versions]  # type: ignore[attr-defined]


class MethodologyForm(ReviewForm):
    methodology = choice("Methodology", "Choose the methodology")
    quality_framework = short(
        "Quality framework", required=False, help_text="For example NSPCC/SCIE Quality Markers."
    )

    def setup(self) -> None:

        self.fields["methodology"].choices = methodologies(self.review)  # type: ignore[attr-defined]


class ChecklistForm(ReviewForm):
    items = many("Done")
    phase = choice(
        "Stage of the review", "Choose the stage of the review", choices=PracticeReview.Phase.choices
    )

    def setup(self) -> None:

        self.fields["items"].choices = [  # type: ignore[attr-defined]
            (k, f"{PracticeReview.Phase(p).label}: {label}")
            for p, rows in PHASES.items()
            for k, label in rows
        ]


class ProgressForm(ReviewForm):
    asked_on = GovukDateField(label="Date asked in writing", past=True)
    text = area("What the partners asked the reviewer", required=True)


class ProgressAnswerForm(ReviewForm):
    request = choice("Request", "Choose the request answered")
    answer = area("The reviewer's answer", required=True)

    def setup(self) -> None:
        self.fields["request"].choices = [  # type: ignore[attr-defined]
            (str(p.pk), f"Asked on {p.asked_on:%-d %B %Y}")
            for p in self.review.progress.filter(answered_on__isnull=True)
        ]


class InfoRequestForm(ReviewForm):
    agency = forms.ChoiceField(
        label="Agency", error_messages={"required": "Choose an agency", "invalid_choice": "Choose an agency"}
    )
    what = area("What the agency is asked for", required=True)
    due_on = GovukDateField(label="Due date", future=True)


class RequestStepForm(ReviewForm):
    request = choice("Request", "Choose the request")
    supplied_on = GovukDateField(label="Date supplied", past=True, required=False)
    note = area("Note", rows=2)

    def setup(self) -> None:
        self.fields["request"].choices = [  # type: ignore[attr-defined]
            (str(r.pk), f"{r.agency.name}, due {r.due_on:%-d %B %Y}")
            for r in self.review.requests.filter(status="open").select_related("agency")
        ]


class AgencyReportForm(ReviewForm):
    agency = forms.ChoiceField(
        label="Agency", error_messages={"required": "Choose an agency", "invalid_choice": "Choose an agency"}
    )
    file = CheckedFileField(
        label="The report (Word or PDF)",
        allowed=sniff.DOCUMENTS,
        error_messages={"required": "Choose a file to upload"},
    )
    author_name = short("Author")
    chief_officer_name = short("Chief officer who signed it off", required=False)
    signed_off_on = GovukDateField(label="Date signed off", past=True, required=False)


class DelayForm(ReviewForm):
    reason = area(
        "Why the six-month date is at risk",
        required=True,
        help_text="For example a criminal investigation, an inquest or a prosecution.",
    )
    authorised_by = short("Who agreed the delay")
    pause = forms.BooleanField(label="Pause the six-month deadline", required=False, initial=True)


class EventForm(ReviewForm):
    kind = choice("Kind of event", "Choose the kind of event", choices=PractitionerEvent.Kind.choices)
    held_on = GovukDateField(label="Date")
    location = short("Where", required=False, max_length=300)
    invitees = area("Invited (one a line)")
    briefing = area("Briefing sent with the invitation")
    invitations_sent = forms.BooleanField(label="Invitations have been sent", required=False)


class EventRecordForm(ReviewForm):
    event = choice("Event", "Choose the event")
    attended = area("Who attended (one a line)")
    notes = area("Notes")

    def setup(self) -> None:
        self.fields["event"].choices = [  # type: ignore[attr-defined]
            (str(e.pk), f"{e.get_kind_display()}, {e.held_on:%-d %B %Y}") for e in self.review.events.all()
        ]


class FamilyForm(ReviewForm):
    who_engages = short("Who engages with the family", required=False)
    how = area("How (in person, letter, leaflet, telephone)")
    consent = choice(
        "Consent to share information between organisations",
        "Choose what was decided about consent",
        choices=[c for c in FamilyEngagement.Consent.choices if c[0]],
    )
    consent_rationale = area("Rationale for not seeking consent")
    officer_agreement = area("Constraints agreed with the investigating officer")
    cpia_review = forms.BooleanField(
        label="Notes of conversations need a CPIA 1996 disclosure review", required=False
    )
    status = choice(
        "The family's involvement", "Choose the family's involvement", choices=FamilyEngagement.Status.choices
    )
    non_involvement_reason = area("Reasons the family is not involved")

    def setup(self) -> None:
        self.fields["status"].required = False


class FamilyMemberForm(ReviewForm):
    label = short(
        "How the review refers to them", help_text="For example Mother, or Sibling (surviving child)."
    )
    surviving_child = forms.BooleanField(label="A surviving child", required=False)
    invited_on = GovukDateField(label="Date invited", past=True, required=False)
    contact_method = short("How they were contacted", required=False)


class ShareForm(ReviewForm):
    shared_with = short("Shared with")
    what = area("What is shared", required=True)
    reason = area("Reason", required=True)
    share = choice("Decision", "Choose whether to share", choices=[("yes", "Share"), ("no", "Do not share")])


class ParallelForm(ReviewForm):
    kind = choice(
        "Process",
        "Choose the process",
        radios=False,
        choices=[("", "Choose a process"), *ParallelProcess.Kind.choices],
    )
    contact = short("Chair or officer contacted", required=False, max_length=300)
    coordination = area("How the processes are coordinated")
    effect_on_timescales = area("Effect on timescales")
    disclosure_request = area("Disclosure request (coroner, police or court)")
    legal_advice = area("Legal advice")
    hold = forms.BooleanField(label="Place a legal hold on the case", required=False)


class EntryForm(ReviewForm):
    agency = forms.ChoiceField(
        label="Agency", error_messages={"required": "Choose an agency", "invalid_choice": "Choose an agency"}
    )
    happened_on = GovukDateField(label="Date of the event", past=True)
    time = short("Time (24-hour clock)", required=False, max_length=5)
    event = area("Significant event", required=True)
    source = short("Whose professional or agency records", required=False, max_length=300)
    people = short("Who was involved", required=False, max_length=300)
    outcome = area("Decisions or outcome, including any actions taken")
    child_seen = choice(
        "Child seen or views sought", "Choose yes or no", choices=[("yes", "Yes"), ("no", "No")]
    )
    child_views = area("The child's views", rows=2)
    author_comments = area("Author comments", rows=2)

    def setup(self) -> None:
        self.fields["child_seen"].required = False


class ImportForm(ReviewForm):
    agency = forms.ChoiceField(
        label="Agency", error_messages={"required": "Choose an agency", "invalid_choice": "Choose an agency"}
    )
    file = CheckedFileField(
        label="Chronology file (CSV or Excel)",
        allowed=sniff.SPREADSHEETS,
        help_text="The first row names the columns: Date, Time, Significant event, Agency, Whose records, "
        "Who was involved, Decisions/outcome, Child seen/views sought, Author comments.",
        error_messages={"required": "Choose a file to upload"},
    )


class CommentForm(ReviewForm):
    version = choice("Version", "Choose the version")
    text = area("Comment", required=True)
    legal_services = forms.BooleanField(label="This is Legal Services' comment", required=False)

    def setup(self) -> None:

        document = report_of(self.review)
        versions = document.versions.order_by("-number") if document else []
        self.fields["version"].choices = [(str(v.pk), f"Version {v.number}") for v in versions]  # type: ignore[attr-defined]


class AccuracyForm(CommentForm):
    agency = forms.ChoiceField(
        label="Agency", error_messages={"required": "Choose an agency", "invalid_choice": "Choose an agency"}
    )
    confirmed = choice(
        "Is the version factually accurate?",
        "Choose yes or no",
        choices=[("yes", "Yes"), ("no", "No: corrections needed")],
    )

    def setup(self) -> None:
        super().setup()
        del self.fields["legal_services"]
        self.fields["text"].required = False
        self.fields["text"].label = "Corrections"


class ContentForm(ReviewForm):
    items = many("The report covers")

    def setup(self) -> None:

        self.fields["items"].choices = content_items(self.review)  # type: ignore[attr-defined]
        self.initial["items"] = [k for k, v in self.review.content_checklist.items() if v]


class RecommendationForm(ReviewForm):
    reference = short("Number in the report", max_length=20, help_text="For example R1.")
    text = area("What is to be done (specific and measurable)", required=True)
    owner_agency = forms.ChoiceField(label="Of whom: agency", required=False)
    owner_description = short("Of whom, if not one agency", required=False)
    due_on = GovukDateField(label="By when", future=True)


class ReasonForm(ReviewForm):
    reason = area("Reason", required=True)
