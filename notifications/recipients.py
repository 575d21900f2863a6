"""Who is told: recipients resolved from active memberships, at sweep time and again at send time.

A deadline names a responsible role and, optionally, an agency (``deadlines.rules.AGENCIES``):

* roles held *through an agency* (practitioner, agency lead, head of service, chief officer,
  safeguarding partner representative) are narrowed to the agency the rule names: the local
  authority, police or health partner, all three statutory partners, or — for ``each_agency`` and
  ``owning_agency`` — the agency that owns the deadline's subject ("request:5", "action:12"), which
  the stage owning that subject tells us through :func:`register_subject_agency`;
* partnership-level roles (business unit, subgroup chair, scrutineer, panel member, reviewer,
  administrator) are everyone holding that role in the partnership.

When nobody holds the role (a post is vacant, or the agency of a subject cannot be told), the
message goes to the partnership's business unit instead and says so: a reminder is never dropped
because a post is empty.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from partnerships.models import Membership
from partnerships.roles import STATUTORY_PARTNER_KINDS, Role

AGENCY_SCOPED_ROLES = frozenset(
    {Role.PRACTITIONER, Role.AGENCY_LEAD, Role.HEAD_OF_SERVICE, Role.CHIEF_OFFICER, Role.PARTNER_REP}
)
_SINGLE_KINDS = {"local_authority", "police", "health"}
_STATUTORY = frozenset(str(k) for k in STATUTORY_PARTNER_KINDS)

# prefix ("request", "action") -> function(subject ids) -> {subject id: agency id}
SubjectAgencyResolver = Callable[[list[int]], dict[int, int]]
_subject_resolvers: dict[str, SubjectAgencyResolver] = {}


def register_subject_agency(prefix: str, resolver: SubjectAgencyResolver) -> None:
    """A stage app says which agency owns its subjects, e.g. ``register_subject_agency("action", f)``
    where ``f([12, 13])`` returns ``{12: <agency id>, 13: <agency id>}`` in one query."""
    _subject_resolvers[prefix] = resolver


def parse_subject(subject: str) -> tuple[str, int] | None:
    prefix, sep, raw = subject.partition(":")
    if not sep or not raw.isdigit():
        return None
    return prefix, int(raw)


def subject_agencies(subjects: Iterable[str]) -> dict[str, int]:
    """Agency ids of the given subjects, one resolver call per prefix. Unknown subjects are absent."""
    by_prefix: dict[str, list[int]] = defaultdict(list)
    for s in set(subjects):
        parsed = parse_subject(s)
        if parsed and parsed[0] in _subject_resolvers:
            by_prefix[parsed[0]].append(parsed[1])
    out: dict[str, int] = {}
    for prefix, ids in by_prefix.items():
        for sid, agency_id in _subject_resolvers[prefix](sorted(ids)).items():
            out[f"{prefix}:{sid}"] = agency_id
    return out


@dataclass(frozen=True)
class Holder:
    user_id: int
    role: str
    agency_id: int
    agency_kind: str
    statutory: bool
    fallback: bool = False


class Directory:
    """The active memberships of some partnerships, loaded in one query, for resolving many rows."""

    def __init__(self, partnership_ids: Iterable[int]) -> None:
        self._by: dict[tuple[int, str], list[Holder]] = defaultdict(list)
        rows = Membership.objects.filter(
            agency__partnership_id__in=list(partnership_ids), is_active=True, user__is_active=True
        ).values_list(
            "agency__partnership_id",
            "user_id",
            "role",
            "agency_id",
            "agency__kind",
            "agency__is_statutory_partner",
        )
        for pid, uid, role, agency_id, kind, statutory in rows.order_by("user_id", "agency_id"):
            self._by[(pid, role)].append(Holder(uid, role, agency_id, kind, statutory))

    def holders(self, partnership_id: int, role: str) -> list[Holder]:
        return self._by.get((partnership_id, role), [])

    def resolve(
        self,
        partnership_id: int,
        role: str,
        responsible_agency: str = "",
        subject_agency_id: int | None = None,
        *,
        fallback: bool = True,
    ) -> list[Holder]:
        """Holders of ``role`` for a rule naming ``responsible_agency`` (see the module docstring)."""
        found = _narrow(self.holders(partnership_id, role), role, responsible_agency, subject_agency_id)
        if found or not fallback or role == Role.BUSINESS_UNIT:
            return _unique(found)
        return [
            Holder(h.user_id, h.role, h.agency_id, h.agency_kind, h.statutory, fallback=True)
            for h in _unique(self.holders(partnership_id, Role.BUSINESS_UNIT))
        ]


def _narrow(
    holders: list[Holder], role: str, responsible_agency: str, subject_agency_id: int | None
) -> list[Holder]:
    if role not in AGENCY_SCOPED_ROLES:
        return holders
    if responsible_agency in _SINGLE_KINDS:
        return [h for h in holders if h.agency_kind == responsible_agency]
    if responsible_agency == "statutory_partners":
        return [h for h in holders if h.statutory or h.agency_kind in _STATUTORY]
    if responsible_agency in ("each_agency", "owning_agency"):
        if subject_agency_id is None:
            return []
        return [h for h in holders if h.agency_id == subject_agency_id]
    return holders


def _unique(holders: list[Holder]) -> list[Holder]:
    seen: set[int] = set()
    out = []
    for h in holders:
        if h.user_id not in seen:
            seen.add(h.user_id)
            out.append(h)
    return out


def still_holds(*, user_id: int, partnership_id: int, role: str, agency_id: int | None) -> bool:
    """True while the person still holds the role they were chosen for (checked at send time)."""
    qs = Membership.objects.filter(
        user_id=user_id, is_active=True, user__is_active=True, agency__partnership_id=partnership_id
    )
    if role:
        qs = qs.filter(role=role)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    return qs.exists()
