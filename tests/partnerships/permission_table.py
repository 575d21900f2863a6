"""docs/permissions.md's table read as data, the URL of a row with real ids, and the records the rows
need (an information request, a referral, a person, a sign-off): shared by the permission-table test
and the security-header test."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from partnerships.roles import PARTNERSHIP_WIDE_ROLES, Role

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
# URLs the table deliberately leaves out (the doc says why, under the table).
NOT_IN_TABLE = {"logout", "keepalive", "api_schema", "api-root"}
WIDE = {str(r) for r in PARTNERSHIP_WIDE_ROLES}


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    path: str
    allowed: str
    forbidden: str
    others: str

    @staticmethod
    def _roles(value: str) -> set[str]:
        value = value.strip()
        if value == "all":
            return set(Role.values)
        if value in {"-", "public"}:
            return set()
        roles: set[str] = set()
        for part in value.split(","):
            roles |= WIDE if part.strip() == "wide" else {part.strip()}
        return roles

    def expected(self, role: str) -> str:
        """'ok', '403' or '404' for a member holding only ``role``."""
        allowed = self._roles(self.allowed)
        if role in allowed:
            return "ok"
        if role in self._roles(self.forbidden) - allowed:
            return "403"
        return self.others


def read_table() -> list[Row]:
    text = DOC.read_text()
    body = text.split("<!-- permissions-table:start -->")[1].split("<!-- permissions-table:end -->")[0]
    rows = []
    for line in body.strip().splitlines()[2:]:
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        rows.append(Row(*cells))
    return rows


def all_url_names(resolver: URLResolver | None = None) -> set[str]:
    names: set[str] = set()
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin" or str(p.pattern).startswith("admin/"):
                continue
            names |= all_url_names(p)
        elif isinstance(p, URLPattern) and p.name:
            names.add(p.name)
    return names


TABLE = read_table()
SCOPED = [r for r in TABLE if "<slug>" in r.path]


# Each placeholder in a table path and the fixture whose primary key fills it. A stage that adds a
# route with a new placeholder adds one line here and the fixture (in tests/partnerships/fixtures.py
# or a module that file imports), and the table test and the header test visit its URL.
PLACEHOLDERS: dict[str, str] = {
    "<case>": "open_case",
    "<deadline>": "open_case_deadline",
    "<signoff>": "signoff",
    "<referral>": "referral",
    "<request>": "info_request",
    "<person>": "person",
    "<file>": "stored_file",
    "<return_file>": "other_agency_return_file",
    "<membership>": "a_membership",
    "<review>": "practice_review",
    "<document>": "report_document",
    "<learning>": "learning_review",
    "<plan>": "action_plan",
    "<action>": "plan_action",
    "<hold>": "legal_hold",
    "<retention_review>": "retention_review",
    "<nel_case>": "nel_rapid_review_case",
    "<nel_letter_file>": "nel_letter_file",
}


def row_url(row: Row, request: pytest.FixtureRequest, slug: str) -> str:
    """The row's path with real ids, asking pytest only for the fixtures this row needs."""
    url = row.path.replace("<slug>", slug)
    for token, fixture in PLACEHOLDERS.items():
        if token in url:
            url = url.replace(token, str(request.getfixturevalue(fixture).pk))
    return url


@pytest.fixture
def open_case_deadline(open_case):
    """One of the open case's deadlines (``<deadline>``)."""
    return open_case.deadlines.first()


@pytest.fixture
def stored_file(world, open_case):
    """A file attached to the open case with no owner door: readable by whoever may view the case."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.services import store_upload
    from tests.factories import member

    bu = member(Role.BUSINESS_UNIT, world.business_unit_agency)
    return store_upload(
        partnership=world.partnership,
        case=open_case,
        uploaded=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 test minutes"),
        by=bu,
        purpose="minutes",
    )


@pytest.fixture
def other_agency_return_file(world, info_request):
    """The return of the police (nobody there uses the system) recorded by the business unit with its
    file (owner door ``rr_return``): the provider agency's people must get 404 on it."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from rapidreview.outside import return_record_received
    from rapidreview.services import requests_issue
    from tests.factories import member

    bu = member(Role.BUSINESS_UNIT, world.business_unit_agency)
    [to_police] = requests_issue(
        review=info_request.review,
        by=bu,
        agencies=[world.police],
        period_from=dt.date(2024, 1, 1),
        period_to=dt.date(2025, 4, 16),
    )
    return_record_received(
        request=to_police,
        by=bu,
        received_on=dt.date.today(),
        means="email",
        uploaded=SimpleUploadedFile("police-return.pdf", b"%PDF-1.4 police return"),
    )
    from documents.models import StoredFile

    return StoredFile.objects.get(owner_kind="rr_return", owner_id=to_police.pk)


@pytest.fixture
def legal_hold(world, open_case):
    """An active coroner's hold on the open case (``<hold>``)."""
    from privacy.services import place_legal_hold
    from tests.factories import member

    bu = member(Role.BUSINESS_UNIT, world.business_unit_agency)
    return place_legal_hold(case=open_case, kind="coroner", reason="Inquest opened", by=bu)


@pytest.fixture
def retention_review(world, open_case):
    """The open case waiting in the retention review queue (``<retention_review>``; not closed, so
    the page shows why it cannot be deleted and nothing can be)."""
    from django.utils import timezone

    from retention.models import ReviewItem

    return ReviewItem.objects.create(
        partnership=world.partnership,
        record_type="closed_case",
        case=open_case,
        reference=open_case.reference,
        due_on=timezone.localdate(),
        rule="Closed cases and everything recorded about them: kept 25 years from the date the case was closed",
    )


@pytest.fixture
def info_request(world, open_case):
    """The case's rapid review, with an information request to the provider agency (``<request>``)."""
    import datetime as dt

    from rapidreview.services import rapid_review_start, requests_issue
    from tests.factories import member

    bu = member(Role.BUSINESS_UNIT, world.business_unit_agency)
    review = rapid_review_start(case=open_case, by=bu)
    [request] = requests_issue(
        review=review,
        by=bu,
        agencies=[world.provider],
        period_from=dt.date(2024, 1, 1),
        period_to=dt.date(2025, 4, 16),
    )
    return request


@pytest.fixture
def referral(world, open_case):
    """A referral from the provider agency that has reached the business unit (authorised)."""
    import uuid

    from cases.models import Referral
    from partnerships.roles import Role as R
    from tests.factories import member

    return Referral.objects.create(
        partnership=world.partnership,
        agency=world.provider,
        referrer=member(R.PRACTITIONER, world.provider),
        status=Referral.Status.AUTHORISED,
        form_variant="core",
        start_token=uuid.uuid4(),
    )


@pytest.fixture
def person(world):
    """Someone holding a role in the partnership, for rows with ``<person>``."""
    from tests.factories import member

    return member(Role.BUSINESS_UNIT, world.business_unit_agency)


@pytest.fixture
def a_membership(person):
    """A role held by someone in the partnership, for rows with ``<membership>``."""
    return person.memberships.get()


@pytest.fixture
def signoff(world):
    """A sign-off request of the partnership, for rows with ``<signoff>``."""
    from signoffs.services import signoff_request_create

    return signoff_request_create(
        partnership=world.partnership,
        record_type="tests.record",
        record_id="1",
        content={"decision": "No review"},
        title="Test decision",
        by=None,
    )


@pytest.fixture
def practice_review(world, open_case):
    """A practice review of the open case, being commissioned (``<review>``): no reviewer has a grant."""
    import datetime as dt

    from cspr.services import practice_review_open
    from tests.factories import member

    bu = member(Role.BUSINESS_UNIT, world.business_unit_agency)
    return practice_review_open(
        case=open_case, kind="lcspr", learning_type="", decided_on=dt.date(2025, 5, 9), by=bu, reason="Test"
    )


@pytest.fixture
def report_document(world, open_case):
    """A practice review report of the open case with one version (``<document>``; publication)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from documents.services import add_version, create_document
    from publication.samples import docx
    from tests.factories import member

    bu = member(Role.BUSINESS_UNIT, world.business_unit_agency)
    document = create_document(case=open_case, kind="practice_review_report", title="Report", by=bu)
    add_version(document=document, by=bu, uploaded=SimpleUploadedFile("r.docx", docx(["Child A."])))
    return document


@pytest.fixture
def learning_review(world, open_case):
    """A Dorset practitioner learning brief of the open case, not yet begun (``<learning>``)."""
    import datetime as dt

    from learning.services import review_open

    return review_open(
        case=open_case,
        option="practitioner_learning_brief",
        source="learning_route",
        decided_on=dt.date(2025, 4, 16),
        by=None,
    )


@pytest.fixture
def action_plan(world, open_case):
    """An active action plan on the open case with one action owned by the provider agency."""
    import datetime as dt

    from actions import services as plans
    from documents.services import add_recommendation
    from tests.factories import member

    bu = member(Role.BUSINESS_UNIT, world.business_unit_agency)
    rec = add_recommendation(
        case=open_case,
        source="practice_review",
        reference="R1",
        by=bu,
        owner_agency=world.provider,
        due_on=dt.date(2025, 9, 30),
        text="Record the child's views at every visit and audit it quarterly.",
    )
    plan = plans.plan_create(case=open_case, by=bu, title="Action plan", recommendations=[rec])
    action = plan.actions.get()
    plans.action_edit(
        action=action,
        by=bu,
        reference="R1",
        text=action.text,
        owner_agency=world.provider,
        lead=member(Role.AGENCY_LEAD, world.provider),
        due=action.original_due,
    )
    plans.plan_endorse(
        plan=plan,
        agency=world.provider,
        by=member(Role.CHIEF_OFFICER, world.provider),
        signatory="Chief executive",
    )
    plans.plan_activate(plan=plan, by=bu)
    return plan


@pytest.fixture
def plan_action(action_plan):
    """The provider agency's action of that plan (``<action>``)."""
    return action_plan.actions.get()


@pytest.fixture
def nel_rapid_review_case(world, open_case):
    """A case under North East Lincolnshire's procedure in its rapid review (``<nel_case>``): the
    partners' day-14 call and the SCSI-4 / SRG-8 / Letter-9 pages exist only where the profile has
    them. Testshire takes NEL's profile for this case only (cases keep the profile they opened with)."""
    from cases.services import case_open
    from partnerships.profiles import read_seed_profile
    from partnerships.services import profile_install
    from rapidreview.services import rapid_review_start
    from tests.factories import member

    profile_install(
        partnership=world.partnership, data=read_seed_profile("north-east-lincolnshire"), source="test"
    )
    world.partnership.refresh_from_db()
    case = case_open(partnership=world.partnership, by=None, facts={"notification_decision": "notify"})
    rapid_review_start(case=case, by=member(Role.BUSINESS_UNIT, world.business_unit_agency))
    return case


@pytest.fixture
def nel_letter_file(world, nel_rapid_review_case):
    """The SCSI-4 letter produced for that case (owner door ``rr_letter``, ``<nel_letter_file>``): the
    rapid review's readers download it; a practitioner or lead of any agency gets 404."""
    from rapidreview.letters import letter_produce
    from tests.factories import member

    version = letter_produce(
        review=nel_rapid_review_case.rapid_review,
        key="scsi4",
        by=member(Role.BUSINESS_UNIT, world.business_unit_agency),
        texts={"What the safeguarding partners are asked to do": "Keep the dates free."},
    )
    return version.file
