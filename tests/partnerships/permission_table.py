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
    "<hold>": "legal_hold",
    "<retention_review>": "retention_review",
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
