"""Search across the partnership's cases by reference, child's name, referring agency and date opened,
through the case door. PostgreSQL full-text search ("simple" configuration: names are not stemmed)
on the production stack; a plain case-insensitive match on the embedded SQLite default. No separate
search server."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.fields.json import KT

from cases import stages
from cases.models import Case, Referral
from core.doors import cases_visible_to
from partnerships.models import Partnership

LIMIT = 200


@dataclass(frozen=True)
class Criteria:
    q: str = ""
    agency: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass
class SearchResult:
    case: Any
    stage_label: str
    children: list[str]
    agencies: list[str]


def _name_match(q: str) -> Q:
    """Referrals whose child's first or last name matches every word of ``q``."""
    words = [w for w in q.split() if w]
    if connection.vendor == "postgresql":
        vector = SearchVector(
            KT("answers__child__first_name"), KT("answers__child__last_name"), config="simple"
        )
        # Prefix match on each word ("Ali" finds "Alice"), words ANDed; to_tsquery input is built from
        # letters only, so no user text reaches the query syntax.
        terms = ["".join(ch for ch in w if ch.isalnum()) for w in words]
        terms = [t for t in terms if t]
        if not terms:
            return Q(pk__in=[])
        query = SearchQuery(" & ".join(f"{t}:*" for t in terms), search_type="raw", config="simple")
        ids = Referral.objects.annotate(v=vector).filter(v=query, case=OuterRef("pk"))
        return Q(Exists(ids))
    q_ref = Q()
    for w in words:
        q_ref &= Q(answers__child__first_name__icontains=w) | Q(answers__child__last_name__icontains=w)
    return Q(Exists(Referral.objects.filter(q_ref, case=OuterRef("pk"))))


def search_cases(user: Any, partnership: Partnership, c: Criteria) -> QuerySet[Case]:
    qs = cases_visible_to(user, partnership)
    if c.q:
        text = c.q.strip()
        qs = qs.filter(Q(reference__iexact=text) | Q(reference__istartswith=text) | _name_match(text))
    if c.agency:
        qs = qs.filter(Exists(Referral.objects.filter(case=OuterRef("pk"), agency_id=c.agency)))
    if c.date_from:
        qs = qs.filter(created_at__date__gte=c.date_from)
    if c.date_to:
        qs = qs.filter(created_at__date__lte=c.date_to)
    return qs.order_by("-created_at", "-id")


def results(user: Any, partnership: Partnership, c: Criteria, limit: int = LIMIT) -> list[SearchResult]:
    """The matching cases (newest first, at most ``limit``) with the children and agencies their
    referrals name: three queries whatever the number found."""
    cases = list(search_cases(user, partnership, c)[:limit])
    children: dict[int, list[str]] = {}
    agencies: dict[int, list[str]] = {}
    for r in (
        Referral.objects.filter(case_id__in=[x.pk for x in cases]).select_related("agency").order_by("pk")
    ):
        assert r.case_id is not None
        if r.child_label and r.child_label not in children.setdefault(r.case_id, []):
            children[r.case_id].append(r.child_label)
        if r.agency.name not in agencies.setdefault(r.case_id, []):
            agencies[r.case_id].append(r.agency.name)
    return [
        SearchResult(x, stages.label(x.stage), children.get(x.pk, []), agencies.get(x.pk, [])) for x in cases
    ]
