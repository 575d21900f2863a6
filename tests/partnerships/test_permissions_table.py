"""docs/permissions.md's visibility table is the specification: every row is checked against the
running code with a user of every role, an outsider from another partnership and an anonymous
visitor, and every URL the project has must be in the table (or deliberately listed as not in it)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from partnerships.roles import Role

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
# URLs the table deliberately leaves out (the doc says why, under the table).
NOT_IN_TABLE = {"logout", "keepalive", "api_schema", "api-root"}


@dataclass(frozen=True)
class Row:
    name: str
    path: str
    view: str
    change: str
    outsider: str

    def roles(self, column: str) -> set[str]:
        value = getattr(self, column).strip()
        if value in {"all", "signed in"}:
            return set(Role.values)
        if value in {"-", "public"}:
            return set()
        return {r.strip() for r in value.split(",")}


def read_table() -> list[Row]:
    text = DOC.read_text()
    body = text.split("<!-- permissions-table:start -->")[1].split("<!-- permissions-table:end -->")[0]
    rows = []
    for line in body.strip().splitlines()[2:]:
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        rows.append(Row(*cells))
    return rows


def all_url_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
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


def test_every_url_is_in_the_table():
    documented = {r.name for r in TABLE}
    missing = all_url_names() - documented - NOT_IN_TABLE
    assert not missing, f"URLs missing from docs/permissions.md: {sorted(missing)}"
    stale = documented - all_url_names()
    assert not stale, f"docs/permissions.md lists URLs that do not exist: {sorted(stale)}"


def test_every_role_in_the_table_exists():
    for row in TABLE:
        for column in ("view", "change"):
            unknown = row.roles(column) - set(Role.values)
            assert not unknown, f"{row.name}: unknown roles {unknown}"


def _url(row: Row, slug: str) -> str:
    return row.path.replace("<slug>", slug)


@pytest.mark.parametrize("row", [r for r in TABLE if "<slug>" in r.path], ids=lambda r: r.name)
@pytest.mark.django_db
def test_row_holds_for_every_role_and_outsiders(row: Row, world, client):
    url = _url(row, world.partnership.slug)
    for role in Role.values:
        client.force_login(world.user(role))
        response = client.get(url)
        expected = 200 if role in row.roles("view") else 403
        if row.name == "switch_partnership" and expected == 200:
            expected = 302
        assert response.status_code == expected, f"{row.name} as {role}: {response.status_code}"
    # The outsider holds the most powerful role, but in the other partnership.
    client.force_login(world.outsider(Role.PARTNERSHIP_ADMIN))
    assert client.get(url).status_code == 404, f"{row.name}: an outsider must get 404"
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/sign-in/" in response["Location"]


@pytest.mark.parametrize(
    "row", [r for r in TABLE if "<slug>" in r.path and r.change != "-"], ids=lambda r: r.name
)
@pytest.mark.django_db
def test_changes_refused_to_roles_without_the_right(row: Row, world, client):
    url = _url(row, world.partnership.slug)
    for role in Role.values:
        if role in row.roles("change"):
            continue
        client.force_login(world.user(role))
        assert client.post(url, {"reason": "x"}).status_code == 403, role
    client.force_login(world.outsider(Role.PARTNERSHIP_ADMIN))
    assert client.post(url, {"reason": "x"}).status_code == 404


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


def test_table_paths_resolve():
    from django.urls import resolve

    for row in TABLE:
        path = re.sub(r"\?.*$", "", row.path.replace("<slug>", "testshire"))
        assert resolve(path).url_name == row.name
