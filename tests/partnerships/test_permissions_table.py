"""docs/permissions.md's visibility table is the specification: every row is checked against the
running code with a user of every role, an outsider from another partnership and an anonymous
visitor, and every URL the project has must be in the table (or deliberately listed as not in it)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve

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


def test_every_url_is_in_the_table():
    documented = {r.name for r in TABLE}
    missing = all_url_names() - documented - NOT_IN_TABLE
    assert not missing, f"URLs missing from docs/permissions.md: {sorted(missing)}"
    stale = documented - all_url_names()
    assert not stale, f"docs/permissions.md lists URLs that do not exist: {sorted(stale)}"


def test_every_role_in_the_table_exists():
    for row in TABLE:
        for column in (row.allowed, row.forbidden):
            unknown = Row._roles(column) - set(Role.values)
            assert not unknown, f"{row.name}: unknown roles {unknown}"
        assert row.others in {"-", "403", "404"}, row


def test_table_paths_resolve():
    for row in TABLE:
        path = re.sub(r"\?.*$", "", row.path).replace("<slug>", "testshire")
        path = path.replace("<case>", "1").replace("<deadline>", "1").replace("<signoff>", "1")
        path = path.replace("<referral>", "1").replace("<request>", "1").replace("<person>", "1")
        assert resolve(path).url_name == row.name


def _url(
    row: Row,
    slug: str,
    case_id: int,
    deadline_id: int,
    signoff_id: int = 0,
    referral_id: int = 0,
    request_id: int = 0,
    person_id: int = 0,
) -> str:
    return (
        row.path.replace("<slug>", slug)
        .replace("<person>", str(person_id))
        .replace("<request>", str(request_id))
        .replace("<case>", str(case_id))
        .replace("<deadline>", str(deadline_id))
        .replace("<signoff>", str(signoff_id))
        .replace("<referral>", str(referral_id))
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


def _request(client, row: Row, url: str):
    if row.path.startswith("/api/"):  # the API takes JSON only, and PATCH
        return client.generic(row.method, url, "{}" if row.method != "GET" else "", "application/json")
    return client.post(url, {}) if row.method == "POST" else client.get(url)


@pytest.mark.parametrize("row", SCOPED, ids=lambda r: f"{r.method}-{r.name}")
@pytest.mark.django_db
def test_row_holds_for_every_role_outsiders_and_anonymous(
    row: Row, world, client, open_case, signoff, referral, info_request, person
):
    url = _url(
        row,
        world.partnership.slug,
        open_case.pk,
        open_case.deadlines.first().pk,
        signoff.pk,
        referral.pk,
        info_request.pk,
        person.pk,
    )
    for role in Role.values:
        client.force_login(world.user(role))
        status = _request(client, row, url).status_code
        expected = row.expected(role)
        if expected == "ok":
            ok = {200, 302} if row.method == "GET" else {200, 302, 400}
            if row.path.startswith("/api/") and row.method != "GET":
                ok |= {409}  # the API answers a stage that does not allow the action with 409
            assert status in ok, f"{row.method} {row.name} as {role}: {status}"
        else:
            assert status == int(expected), (
                f"{row.method} {row.name} as {role}: {status}, expected {expected}"
            )
    # The outsider holds the most powerful role, but in the other partnership.
    client.force_login(world.outsider(Role.PARTNERSHIP_ADMIN))
    assert _request(client, row, url).status_code == 404, f"{row.name}: an outsider must get 404"
    client.logout()
    response = _request(client, row, url)
    if row.path.startswith("/api/"):  # no redirect for the API: session auth has no challenge, so 403
        assert response.status_code == 403, f"{row.name}: anonymous must get 403"
        return
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


@pytest.mark.django_db
def test_another_partnerships_case_is_404_through_this_partnerships_url(world, client, open_case):
    """The partnership in the URL must own the case: no reading a case through another tenant's path."""
    bu_elsewhere = world.outsider(Role.BUSINESS_UNIT)
    client.force_login(bu_elsewhere)
    assert client.get(f"/p/{world.other_partnership.slug}/cases/{open_case.pk}/").status_code == 404


@pytest.mark.django_db
def test_unknown_partnership_is_404_even_for_administrators(world, client):
    client.force_login(world.user(Role.PARTNERSHIP_ADMIN))
    assert client.get("/p/no-such-partnership/").status_code == 404


@pytest.mark.django_db
def test_guardian_grant_lets_a_named_person_view_without_a_role(world, client):
    from guardian.shortcuts import assign_perm

    from tests.factories import UserFactory

    person = UserFactory()
    client.force_login(person)
    assert client.get(f"/p/{world.partnership.slug}/").status_code == 404
    assign_perm("partnerships.view_partnership", person, world.partnership)
    assert client.get(f"/p/{world.partnership.slug}/").status_code == 200
    # The grant is for that partnership only.
    assert client.get(f"/p/{world.other_partnership.slug}/").status_code == 404


@pytest.mark.django_db
def test_superuser_without_a_role_sees_no_partnership(world, client):
    from partnerships.models import User

    root = User.objects.create_superuser("root@example.org", "x" * 20, full_name="Platform")
    client.force_login(root)
    assert client.get(f"/p/{world.partnership.slug}/").status_code == 404
    assert "do not have a role" in client.get("/", follow=True).content.decode()


@pytest.mark.django_db
def test_a_platform_superuser_gets_404_on_every_partnership_url(
    world, client, open_case, signoff, referral, info_request, person
):
    """Platform staff set partnerships up and see no case material (issue 16): every row of the
    table that reaches into a partnership answers a superuser (second factor given) with 404."""
    from partnerships.models import User

    root = User.objects.create_superuser("root@example.org", "x" * 20, full_name="Platform")
    client.force_login(root)
    url_args = (
        world.partnership.slug,
        open_case.pk,
        open_case.deadlines.first().pk,
        signoff.pk,
        referral.pk,
        info_request.pk,
        person.pk,
    )
    case_rows = [
        r for r in SCOPED if any(p in r.path for p in ("<case>", "<referral>", "<request>", "<signoff>"))
    ]
    assert len(case_rows) > 50
    for row in SCOPED:
        status = _request(client, row, _url(row, *url_args)).status_code
        assert status == 404, f"{row.method} {row.name}: a platform superuser got {status}"
