"""Issue 14 end to end in Chromium, for Darlington: the sub-group chair turns a review's
recommendations into a plan; each organisation endorses it; two agencies update their own actions
with evidence (each refused on the other's); time moves on (time-machine) past three and six months
after the original deadline and the head of service and the chief officer receive their escalation
e-mails exactly once each; the chief officer asks for an extension and the chair approves it; the
exception report and the annual report show it all. axe-core on every page visited."""

from __future__ import annotations

import datetime as dt

import time_machine
from playwright.sync_api import Page, expect

from actions import action_services
from deadlines.calendar import WorkingCalendar, add_months
from tests.browser.conftest import assert_accessible, sign_in

SLUG = "darlington"
PASSWORD = "demo-safeguarding-2026"


def _email(local: str) -> str:
    return f"{local}.{SLUG}@example.org"


def check(page: Page, name: str) -> None:
    page.wait_for_load_state()
    expect(page.locator("main h1").first).to_be_visible()
    assert_accessible(page, f"actions-{name}")


def fill_date(page: Page, name: str, value: dt.date) -> None:
    page.locator(f"#id_{name}_day").fill(str(value.day))
    page.locator(f"#id_{name}_month").fill(str(value.month))
    page.locator(f"#id_{name}_year").fill(str(value.year))


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()


def _setup(due: dt.date):
    """A Darlington case whose practice review recorded two recommendations, one for community health
    and one for the schools; the schools get a lead, a head of service and a chief officer."""
    from cases.services import case_open
    from documents.services import add_recommendation
    from partnerships.models import Agency, Membership, User

    provider = Agency.objects.get(partnership__slug=SLUG, name="Darlington community health services")
    schools = Agency.objects.get(partnership__slug=SLUG, name="Darlington schools and colleges")
    people = {}
    for role in ("agency_lead", "head_of_service", "chief_officer"):
        email = f"{role}.schools.journey@example.org"
        user = User.objects.create_user(email, PASSWORD, full_name=f"Schools {role.replace('_', ' ')}")
        Membership.objects.create(user=user, agency=schools, role=role)
        people[role] = user
    bu = User.objects.get(email=_email("business-unit"))
    case = case_open(partnership=provider.partnership, by=None, facts={"notification_decision": "notify"})
    add_recommendation(
        case=case,
        source="practice_review",
        reference="R1",
        by=bu,
        owner_agency=provider,
        due_on=due,
        text="Health visitors record the child's own words at every home visit; audit 20 records a quarter.",
    )
    add_recommendation(
        case=case,
        source="practice_review",
        reference="R2",
        by=bu,
        owner_agency=schools,
        due_on=due,
        text="Schools refer every unexplained absence of more than five days to children's social care.",
    )
    return case, provider, schools, people


def _sweep_and_send(day: dt.date) -> None:
    from notifications import services

    services.sweep(on=day)
    for ids, token in services.outbox_dispatch(enqueue=False).batches:
        services.outbox_send_batch(ids, token)


def test_action_plan_end_to_end(demo, live_server, page: Page):
    from actions.models import Action, ActionPlan
    from notifications.models import Kind, OutboxMessage
    from partnerships.models import User

    base = live_server.url
    due = dt.date.today() + dt.timedelta(days=14)
    case, provider, schools, school_people = _setup(due)
    chair, lead = _email("subgroup-chair"), _email("agency-lead")

    # The sub-group chair drafts the plan from the recommendations and names the leads.
    sign_in(page, base, chair)
    page.goto(f"{base}/p/{SLUG}/cases/{case.pk}/")
    page.get_by_role("link", name="Draft an action plan from the review's recommendations").click()
    check(page, "plan-new")
    page.get_by_label("Title of the action plan").fill("Practice review action plan")
    for box in page.locator("input[name=recommendations]").all():
        box.check()
    page.get_by_role("button", name="Create the draft plan").click()
    expect(page.get_by_text("Draft action plan created")).to_be_visible()
    check(page, "plan-draft")
    plan = ActionPlan.objects.get(case=case)
    leads = {provider.pk: User.objects.get(email=lead), schools.pk: school_people["agency_lead"]}
    for action in plan.actions.all():
        page.goto(f"{base}/p/{SLUG}/actions/{action.pk}/edit/")
        check(page, f"action-edit-{action.reference}")
        page.get_by_label("Named lead").select_option(str(leads[action.owner_agency_id].pk))
        page.get_by_role("button", name="Save the action").click()
        expect(page.get_by_text("Action changed.")).to_be_visible()
    sign_out(page)

    # Each organisation endorses at senior level.
    for email in (_email("chief-officer"), school_people["chief_officer"].email):
        sign_in(page, base, email)
        page.goto(f"{base}/p/{SLUG}/action-plans/{plan.pk}/")
        page.get_by_role("link", name="Endorse the plan for your organisation").click()
        check(page, "endorse")
        page.locator("input[name=agency]").first.check()
        page.get_by_role("button", name="Endorse the plan").click()
        expect(page.get_by_text("Your organisation has endorsed the action plan.")).to_be_visible()
        sign_out(page)
    sign_in(page, base, chair)
    page.goto(f"{base}/p/{SLUG}/action-plans/{plan.pk}/")
    page.get_by_role("button", name="Start monitoring the plan").click()
    expect(page.get_by_text("The action plan is being monitored")).to_be_visible()
    check(page, "plan-active")
    sign_out(page)

    # Two agencies update their own actions with evidence; each is refused on the other's.
    r1, r2 = plan.actions.get(owner_agency=provider), plan.actions.get(owner_agency=schools)
    for email, mine, theirs, what in (
        (lead, r1, r2, "Audit tool agreed with the health visiting teams."),
        (school_people["agency_lead"].email, r2, r1, "Absence guidance sent to every school."),
    ):
        sign_in(page, base, email)
        page.goto(f"{base}/p/{SLUG}/actions/{mine.pk}/")
        check(page, f"action-{mine.reference}")
        page.get_by_role("link", name="Report progress").click()
        check(page, f"progress-{mine.reference}")
        page.get_by_label("Progress since the last update").fill(what)
        page.get_by_label("Amber: at risk").check()
        page.locator("#id_evidence").set_input_files(
            files=[{"name": "evidence.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 evidence"}]
        )
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_text("Progress recorded.")).to_be_visible()
        expect(page.get_by_role("link", name="Download the evidence: evidence.pdf")).to_be_visible()
        assert page.goto(f"{base}/p/{SLUG}/actions/{theirs.pk}/progress/").status == 403
        check(page, f"refused-{mine.reference}")
        sign_out(page)
    assert Action.objects.filter(plan=plan, status="in_progress").count() == 2

    # The schools finish theirs; community health does not. Time moves on past 3 and 6 months.
    hos_day, chief_day = add_months(due, 3), add_months(due, 6)
    action_services.completion_submit(
        action=r2,
        by=school_people["agency_lead"],
        evidence_text="Guidance issued and audited.",
        impact_text="Referrals of long absences rose from 2 to 11 a term.",
        completed_on=dt.date.today(),
    )
    action_services.completion_decide(action=r2, by=User.objects.get(email=chair), approve=True)
    cal = WorkingCalendar()
    for day in (hos_day, chief_day):
        reminder_day = day if cal.is_working_day(day) else cal.working_days_before(day, 1)
        for d in (reminder_day, cal.working_days_after(reminder_day, 1)):
            with time_machine.travel(dt.datetime.combine(d, dt.time(9, 0)).astimezone(), tick=True):
                _sweep_and_send(d)
                _sweep_and_send(d)  # a second run sends nothing more
    sent = list(
        OutboxMessage.objects.filter(
            kind=Kind.ESCALATION, deadline__subject=r1.subject, status="sent"
        ).values_list("to_email", flat=True)
    )
    assert sorted(sent) == sorted([_email("head-of-service"), _email("chief-officer")])
    assert not OutboxMessage.objects.filter(
        deadline__subject__in=[r1.subject, r2.subject], context__fallback=True
    ).exists()

    with time_machine.travel(
        dt.datetime.combine(chief_day + dt.timedelta(days=3), dt.time(10, 0)).astimezone(), tick=True
    ):
        # The chief officer asks for an extension; the chair approves it.
        sign_in(page, base, _email("chief-officer"))
        page.goto(f"{base}/p/{SLUG}/actions/{r1.pk}/")
        check(page, "action-escalated")
        expect(page.get_by_role("cell", name=f"{chief_day:%-d %B %Y}", exact=True)).to_be_visible()
        page.get_by_role("link", name="Ask for an extension").click()
        check(page, "extension")
        fill_date(page, "new_due", add_months(chief_day, 2))
        page.get_by_label("The exceptional circumstances").fill(
            "Exceptional circumstances: the health visiting service was redeployed during an outbreak."
        )
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_text("Extension requested.")).to_be_visible()
        sign_out(page)

        sign_in(page, base, chair)
        page.goto(f"{base}/p/{SLUG}/")
        page.get_by_role("link", name="Decide the chief officer's extension request for action R1").click()
        check(page, "extension-decide")
        page.get_by_label("Approve", exact=True).check()
        page.get_by_label("Reason").fill("Agreed by the Learning and Development sub-group.")
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_text("Decision on the extension recorded.")).to_be_visible()
        r1.refresh_from_db()
        assert (r1.original_due, r1.current_due) == (due, add_months(chief_day, 2))

        page.goto(f"{base}/p/{SLUG}/action-plans/exceptions/")
        check(page, "exception-report")
        table = page.locator("table").first
        expect(table).to_contain_text("R1")
        expect(table).to_contain_text("Chief officer")
        expect(table).to_contain_text(f"originally {due:%-d %B %Y}")
        page.goto(f"{base}/p/{SLUG}/action-plans/annual-report/?year={plan.created_at.year}")
        check(page, "annual-report")
        expect(page.get_by_text("Referrals of long absences rose from 2 to 11 a term.")).to_be_visible()
