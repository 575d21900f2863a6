"""The yearly impact report for the independent scrutineer (003 §15, 002 §11): its figures from a
known dataset, for the financial year April 2025 to March 2026, and its page, PDF and CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.utils import timezone

from actions.models import Action, ActionPlan, EscalationStep
from audit.models import AccessEvent
from cases.models import Case
from cspr.models import PracticeReview
from deadlines.models import Deadline
from documents.models import Document
from learning.models import LearningReview
from partnerships.roles import Role
from publication.models import Publication
from reporting.impact import impact_report
from tests.factories import member

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 12, 2)
LONDON_NOON = dt.time(12, 0)


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, LONDON_NOON))


@pytest.fixture
def dataset(profiled):
    w = profiled
    p = w.partnership
    bu = member(Role.BUSINESS_UNIT, w.business_unit_agency)
    cases = [
        Case.objects.create(partnership=p, reference=f"TST-2025-{i:03d}", profile=p.profile)
        for i in range(1, 9)
    ]

    def review(case, kind, decided, completed=None):
        return PracticeReview.objects.create(
            case=case,
            partnership=p,
            kind=kind,
            decided_on=decided,
            created_by=bu,
            report_completed_at=_at(completed) if completed else None,
        )

    review(cases[0], PracticeReview.Kind.LCSPR, dt.date(2025, 5, 1), completed=dt.date(2025, 11, 3))
    review(
        cases[1], PracticeReview.Kind.LCSPR, dt.date(2025, 3, 28), completed=dt.date(2025, 10, 1)
    )  # commissioned the year before
    review(cases[2], PracticeReview.Kind.LCSPR, dt.date(2026, 4, 2))  # the year after
    review(cases[3], PracticeReview.Kind.NATIONAL, dt.date(2025, 6, 1))
    review(cases[4], PracticeReview.Kind.LEARNING_REVIEW, dt.date(2025, 7, 1), completed=dt.date(2026, 3, 31))
    LearningReview.objects.create(
        case=cases[5],
        partnership=p,
        option="practitioner_learning_brief",
        option_label="Practitioner learning brief",
        source=LearningReview.Source.RAPID_REVIEW,
        decided_on=dt.date(2025, 8, 1),
        governance="DSCP",
        approved_by="CSPR Group",
        completed_on=dt.date(2026, 1, 10),
    )
    for case, decision, decided, published in (
        (cases[0], Publication.Decision.FULL, dt.date(2025, 12, 1), dt.date(2026, 2, 2)),
        (cases[1], Publication.Decision.NOT_PUBLISHED, dt.date(2025, 11, 1), None),
    ):
        doc = Document.objects.create(
            partnership=p, case=case, kind="practice_review_report", title="Report", created_by=bu
        )
        Publication.objects.create(
            document=doc,
            partnership=p,
            case=case,
            decision=decision,
            decided_on=decided,
            published_on=published,
            status=Publication.Status.PUBLISHED if published else Publication.Status.NOT_PUBLISHED,
            reviewer_name="A. Reviewer" if published else "",
            justification="" if published else "Criminal proceedings",
            created_by=bu,
        )
    plan = ActionPlan.objects.create(
        partnership=p,
        case=cases[0],
        title="Plan",
        status=ActionPlan.Status.ACTIVE,
        created_by=bu,
        created_at=_at(dt.date(2025, 12, 10)),
        impact_review_held_on=dt.date(2026, 3, 1),
    )
    ActionPlan.objects.create(  # closed before the year began: not counted
        partnership=p,
        case=cases[1],
        title="Old",
        created_by=bu,
        created_at=_at(dt.date(2024, 1, 1)),
        closed_on=dt.date(2025, 1, 1),
    )

    def action(ref, status, due, impact=""):
        return Action.objects.create(
            partnership=p,
            plan=plan,
            reference=ref,
            text="Do it",
            owner_agency=w.la,
            original_due=due,
            current_due=due,
            status=status,
            impact_evidence=impact,
        )

    action("R1", Action.Status.COMPLETE, dt.date(2026, 1, 5), impact="Joint supervision now monthly")
    late = action("R2", Action.Status.IN_PROGRESS, dt.date(2025, 12, 20))
    action("R3", Action.Status.OPEN, dt.date(2026, 6, 1))  # due after the year: not overdue in it
    action("R4", Action.Status.NOT_IMPLEMENTED, dt.date(2026, 2, 1))
    EscalationStep.objects.create(
        action=late, rung=EscalationStep.Rung.OVERDUE, note="Asked", by=bu, at=_at(dt.date(2026, 1, 20))
    )
    EscalationStep.objects.create(
        action=late,
        rung=EscalationStep.Rung.HEAD_OF_SERVICE,
        note="Asked",
        by=bu,
        at=_at(dt.date(2026, 3, 20)),
    )
    for i, (due, status, met) in enumerate(
        [
            (dt.date(2025, 5, 12), "met", dt.date(2025, 5, 12)),
            (dt.date(2025, 9, 3), "met", dt.date(2025, 9, 5)),
            (dt.date(2026, 1, 7), "missed", None),
        ]
    ):
        Deadline.objects.create(
            case=cases[6 + i % 2],
            partnership=p,
            rule_key="panel_notification",
            subject=f"n{i}",
            label="Panel notification",
            kind="statutory",
            unit="working_days",
            numbering="day_zero",
            offset=5,
            anchor_key="became_aware",
            anchor_value=due - dt.timedelta(days=7),
            due=due,
            status=status,
            met_at=met,
            completed_by="x",
            responsible_role="business_unit",
            profile_version=1,
        )
    return w


def _figures(report) -> dict[str, str]:
    return {f.label: f.value for s in report.sections for f in s.figures}


def test_figures_from_a_known_dataset(dataset):
    report = impact_report(dataset.partnership, 2025, ON)
    f = _figures(report)
    assert report.period == "April 2025 to March 2026"
    assert f["Local child safeguarding practice reviews commissioned"] == "1"
    assert f["National reviews supported"] == "1"
    assert f["Practice reviews completed"] == "2"
    assert f["Reports published"] == "1"
    assert f["Decisions not to publish"] == "1"
    assert f["Learning reviews started"] == "2"
    assert f["Learning reviews completed"] == "2"
    assert f["Action plans live in the year"] == "1"
    assert f["Actions in those plans"] == "4"
    assert f["Actions complete"] == "1"
    assert f["Actions overdue"] == "1"
    assert f["Actions escalated"] == "1"
    assert f["Actions that will not be implemented"] == "1"
    assert f["Actions with evidence of impact recorded"] == "1"
    assert f["Impact reviews held"] == "1"
    assert f["Panel notification within 5 working days"] == "1 of 3 on time (33%)"
    assert report.impact_evidence == [("TST-2025-001", "R1", "Joint supervision now monthly")]
    # The year before holds the other LCSPR, and none of these actions' plan.
    before = _figures(impact_report(dataset.partnership, 2024, ON))
    assert before["Local child safeguarding practice reviews commissioned"] == "1"
    assert before["Practice reviews completed"] == "0"
    assert before["Actions in those plans"] == "0"


def test_another_partnership_counts_nothing_of_these(dataset):
    f = _figures(impact_report(dataset.other_partnership, 2025, ON))
    assert f["Local child safeguarding practice reviews commissioned"] == "0"
    assert f["Actions in those plans"] == "0"
    assert "Panel notification within 5 working days" not in f


def test_scrutineer_reads_the_page_pdf_and_csv_each_recorded(dataset, client):
    scrutineer = member(Role.INDEPENDENT_SCRUTINEER, dataset.business_unit_agency)
    client.force_login(scrutineer)
    base = f"/p/{dataset.partnership.slug}/reports/impact"
    page = client.get(base + "/?year=2025")
    assert page.status_code == 200
    assert b"Yearly impact report, April 2025 to March 2026" in page.content
    assert b"Joint supervision now monthly" in page.content
    response = client.get(base + ".csv?year=2025")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["Section", "Measure", "Figure", "Note"]
    assert rows[[r[1] for r in rows].index("Actions overdue")][:2] == ["Action plans", "Actions overdue"]
    assert any(r[1] == "Reports published" and r[2] == "1" for r in rows)
    pdf = client.get(base + ".pdf?year=2025")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    details = list(AccessEvent.objects.filter(user=scrutineer).values_list("detail", flat=True))
    assert sorted(details) == [
        "Yearly impact report April 2025 to March 2026 (CSV)",
        "Yearly impact report April 2025 to March 2026 (PDF)",
        "Yearly impact report April 2025 to March 2026 (page)",
    ]
    # A bad year falls back to the current one; it never fails.
    assert client.get(base + "/?year=banana").status_code == 200
    client.force_login(member(Role.PRACTITIONER, dataset.provider))
    assert client.get(base + "/").status_code == 403
