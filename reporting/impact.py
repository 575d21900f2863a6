"""The yearly impact report for the independent scrutineer (003 §15: "the impact of local and national
reviews should be evidenced in yearly reports and subjected to independent scrutiny"; 002 §11: the
scrutiny lead considers the decision making "from the decision to notify to the way safeguarding
partners take account of the findings").

Built only from what the system already holds, for one partnership and financial year (April to
March, as the compliance figures): the reviews commissioned, completed and published, the learning
reviews, the action plans' actions (the actions app's annual report data, ``period_report``) and
their evidence of impact, and the compliance figures of ``reporting.compliance``. One list of
sections serves the page, the PDF and the CSV."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from actions.models import Action, EscalationStep
from actions.selectors import period_report
from cspr.models import PracticeReview
from learning.models import LearningReview
from partnerships.models import Partnership
from publication.models import Publication
from reporting.compliance import figures, financial_year, qa_rates

OPEN_ACTION = (Action.Status.OPEN, Action.Status.IN_PROGRESS, Action.Status.AWAITING_APPROVAL)


@dataclass
class Figure:
    label: str
    value: str
    note: str = ""


@dataclass
class Section:
    title: str
    figures: list[Figure] = field(default_factory=list)

    def add(self, label: str, value: int | str, note: str = "") -> None:
        self.figures.append(Figure(label, str(value), note))


@dataclass
class ImpactReport:
    partnership: Partnership
    year: int
    start: dt.date
    end: dt.date
    sections: list[Section]
    impact_evidence: list[tuple[str, str, str]]  # (case reference, action reference, what changed)

    @property
    def period(self) -> str:
        return f"April {self.year} to March {self.year + 1}"


def _in(start: dt.date, end: dt.date, name: str) -> dict[str, dt.date]:
    return {f"{name}__gte": start, f"{name}__lte": end}


def impact_report(partnership: Partnership, year: int, on: dt.date) -> ImpactReport:
    """The figures of the financial year starting 1 April ``year``, counted on ``on`` (today)."""
    quarters = financial_year(year)
    start, end = quarters[0][1], quarters[-1][2]
    reviews = PracticeReview.objects.filter(partnership=partnership)
    statutory = reviews.exclude(kind=PracticeReview.Kind.LEARNING_REVIEW)
    s1 = Section("Reviews")
    s1.add(
        "Local child safeguarding practice reviews commissioned",
        statutory.filter(kind=PracticeReview.Kind.LCSPR, **_in(start, end, "decided_on")).count(),
        "Counted by the date of the decision to initiate the review.",
    )
    s1.add(
        "National reviews supported",
        statutory.filter(kind=PracticeReview.Kind.NATIONAL, **_in(start, end, "decided_on")).count(),
    )
    s1.add(
        "Practice reviews completed",
        statutory.filter(**_in(start, end, "report_completed_at__date")).count(),
        "The final report was marked complete.",
    )
    pubs = Publication.objects.filter(partnership=partnership)
    s1.add("Reports published", pubs.filter(**_in(start, end, "published_on")).count())
    s1.add(
        "Decisions not to publish",
        pubs.filter(decision=Publication.Decision.NOT_PUBLISHED, **_in(start, end, "decided_on")).count(),
        "Each with its reasons, sent to the Panel and the Secretary of State.",
    )
    learning = LearningReview.objects.filter(partnership=partnership)
    alternative = reviews.filter(kind=PracticeReview.Kind.LEARNING_REVIEW)
    s2 = Section("Learning reviews")
    s2.add(
        "Learning reviews started",
        learning.filter(**_in(start, end, "decided_on")).count()
        + alternative.filter(**_in(start, end, "decided_on")).count(),
        "From the partnership's menu of learning options, and alternative learning reviews.",
    )
    s2.add(
        "Learning reviews completed",
        learning.filter(**_in(start, end, "completed_on")).count()
        + alternative.filter(**_in(start, end, "report_completed_at__date")).count(),
    )

    plans = period_report(partnership, start, end)
    actions = [a for r in plans for a in r.actions]
    counted_on = min(end, on)
    s3 = Section("Action plans")
    s3.add("Action plans live in the year", len(plans))
    s3.add("Actions in those plans", len(actions))
    s3.add("Actions complete", sum(1 for a in actions if a.status == Action.Status.COMPLETE))
    s3.add(
        "Actions overdue",
        sum(1 for a in actions if a.status in OPEN_ACTION and a.current_due < counted_on),
        f"Not complete and past their current due date on {counted_on:%-d %B %Y}.",
    )
    s3.add(
        "Actions escalated",
        EscalationStep.objects.filter(action__in=[a.pk for a in actions], **_in(start, end, "at__date"))
        .values("action_id")
        .distinct()
        .count(),
        "By the sub-group chair, at any rung of the escalation ladder during the year.",
    )
    s3.add(
        "Actions that will not be implemented",
        sum(1 for a in actions if a.status == Action.Status.NOT_IMPLEMENTED),
    )
    evidence = [
        (r.plan.case.reference, a.reference, a.impact_evidence)
        for r in plans
        for a in r.actions
        if a.impact_evidence.strip()
    ]
    s4 = Section("Evidence of impact")
    s4.add(
        "Actions with evidence of impact recorded",
        len(evidence),
        "What changed in practice, not only completion.",
    )
    s4.add(
        "Impact reviews held",
        sum(
            1 for r in plans if r.plan.impact_review_held_on and start <= r.plan.impact_review_held_on <= end
        ),
    )
    s4.add(
        "Impact-assessment tools completed",
        sum(
            1
            for r in plans
            if r.plan.impact_tool_completed_on and start <= r.plan.impact_tool_completed_on <= end
        ),
    )

    s5 = Section("Compliance with timescales")
    _, measures = figures(partnership, year, on)
    for m in measures:
        t = m.total
        if not t.counted:
            continue
        s5.add(
            m.measure.label + (" (local target)" if m.local_target else ""),
            f"{t.on_time} of {t.counted} on time ({t.percent}%)",
            f"{m.passed_label}: {t.passed}. Late: {t.late}." + (f" Waived: {t.waived}." if t.waived else ""),
        )
    for rate in qa_rates(partnership, year):
        if rate.percent is not None:
            s5.add(
                f"Quality check: {rate.label}",
                f"{rate.passed} of {rate.passed + rate.failed} passed ({rate.percent}%)",
            )
    return ImpactReport(partnership, year, start, end, [s1, s2, s3, s4, s5], evidence)


def csv_rows(report: ImpactReport) -> list[list[str]]:
    rows = [[s.title, f.label, f.value, f.note] for s in report.sections for f in s.figures]
    rows += [
        ["Evidence of impact", f"Case {ref}, action {act}", text, ""]
        for ref, act, text in report.impact_evidence
    ]
    return rows


CSV_HEADER = ["Section", "Measure", "Figure", "Note"]
