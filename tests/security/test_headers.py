"""Content-Security-Policy without 'unsafe-inline', and Permissions-Policy, on every page (issue 16).

Every GET row of docs/permissions.md's table is fetched by a person the table allows (and
anonymously): each response carries both headers, and no HTML page has anything the policy would
block (an inline script, a style element or attribute, an event-handler attribute, a meta refresh)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.conf import settings

from partnerships.roles import Role
from tests.partnerships.permission_table import TABLE, row_url

# The health probes (ops.middleware.ProbeMiddleware) answer load balancers with a few bytes of
# plain text before any other middleware runs: not pages, so no page policy to carry.
PROBES = {"healthz", "readyz"}
GET_ROWS = [r for r in TABLE if r.method == "GET" and r.name not in PROBES]
UNSCOPED_PAGES = ["/accounts/sign-in/", "/accessibility/", "/no-such-page/"]


class InlineFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if (
            tag == "script"
            and not a.get("src")
            and a.get("type") not in {"application/json", "application/ld+json"}
        ):
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style> element")
        if "style" in a:
            self.found.append(f"style attribute on <{tag}>")
        self.found += [f"{k} handler on <{tag}>" for k in a if k.startswith("on")]
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            self.found.append("meta refresh")


def _check(response, where: str) -> None:
    csp = response.get("Content-Security-Policy", "")
    assert csp, f"{where}: no Content-Security-Policy"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, f"{where}: {csp}"
    assert re.search(r"script-src 'self'(;|$)", csp) and re.search(r"style-src 'self'(;|$)", csp), csp
    assert "frame-ancestors 'none'" in csp
    assert response.get("Permissions-Policy") == settings.PERMISSIONS_POLICY, where
    if response.get("Content-Type", "").startswith("text/html"):
        finder = InlineFinder()
        finder.feed(response.content.decode())
        assert not finder.found, f"{where}: {finder.found}"


def _allowed_role(row) -> str | None:
    return next((role for role in Role.values if row.expected(role) == "ok"), None)


@pytest.mark.django_db
def test_every_page_in_the_permission_table_sends_the_policies(world, client, request, info_request):
    visited = 0
    for row in GET_ROWS:
        url = row_url(row, request, world.partnership.slug)
        role = _allowed_role(row)
        if role:
            client.force_login(world.user(role))
            _check(client.get(url), f"{row.name} as {role}")
            visited += 1
        client.logout()
        _check(client.get(url), f"{row.name} anonymous")
    for url in UNSCOPED_PAGES:
        _check(client.get(url), url)
    assert visited > 40


def test_the_finder_catches_what_the_policy_blocks():
    finder = InlineFinder()
    finder.feed(
        '<script>alert(1)</script><script src="/s.js"></script><p style="x" onclick="y"></p>'
        '<style>p{}</style><meta http-equiv="refresh" content="5">'
    )
    assert finder.found == [
        "inline <script>",
        "style attribute on <p>",
        "onclick handler on <p>",
        "<style> element",
        "meta refresh",
    ]
