"""docs/permissions.md's visibility table is the specification: every row is checked against the
running code with a user of every role, an outsider from another partnership and an anonymous
visitor, and every URL the project has must be in the table (or deliberately listed as not in it)."""

from __future__ import annotations

import re

import pytest
from django.urls import resolve

from partnerships.roles import Role
from tests.partnerships.permission_table import (
    NOT_IN_TABLE,
    PLACEHOLDERS,
    SCOPED,
    TABLE,
    Row,
    all_url_names,
    row_url,
)


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
        for token in PLACEHOLDERS:
            path = path.replace(token, "1")
        assert resolve(path).url_name == row.name


def _request(client, row: Row, url: str):
    if row.path.startswith("/api/"):  # the API takes JSON only, and PATCH
        return client.generic(row.method, url, "{}" if row.method != "GET" else "", "application/json")
    return client.post(url, {}) if row.method == "POST" else client.get(url)


@pytest.mark.parametrize("row", SCOPED, ids=lambda r: f"{r.method}-{r.name}")
@pytest.mark.django_db
def test_row_holds_for_every_role_outsiders_and_anonymous(
    row: Row, world, client, request, open_case, info_request
):
    # info_request is asked for on every row: it starts the case's rapid review, which the rapid
    # review rows need although their paths name only the case.
    url = row_url(row, request, world.partnership.slug)
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
    world, client, request, open_case, info_request
):
    """Platform staff set partnerships up and see no case material (issue 16): every row of the
    table that reaches into a partnership answers a superuser (second factor given) with 404."""
    from partnerships.models import User

    root = User.objects.create_superuser("root@example.org", "x" * 20, full_name="Platform")
    client.force_login(root)
    case_rows = [
        r for r in SCOPED if any(p in r.path for p in ("<case>", "<referral>", "<request>", "<signoff>"))
    ]
    assert len(case_rows) > 50
    for row in SCOPED:
        status = _request(client, row, row_url(row, request, world.partnership.slug)).status_code
        assert status == 404, f"{row.method} {row.name}: a platform superuser got {status}"
