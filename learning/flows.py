"""The flow of each learning option, as data (the profile's ``learning_options[].review``).

Each option of a partnership's menu says where it leads (``route``) and, for a learning review, the
steps the lead runs, who approves completion and what it produces. Pure: ``validate_review`` checks a
profile entry (registered with ``cases.profile_section``), ``flow_of`` reads one back.

    review:
      route: learning            # learning | practice_review | close
      approved_by: DSCP          # the governance body that approves completion
      methodology: ...           # the default methodology, shown on the terms page
      outputs: [Seven-point briefing on a page]
      dissemination: ...         # how the learning is shared (optional)
      due: {entered_by: agency_lead, anchor: single_agency_review_due}  # or {target: true}
      steps:
        - {key: terms, kind: terms, label: ...}
        - {key: briefing, kind: document, label: ..., title: ..., sections: [...]}
        - {key: approval, kind: signoff, label: ..., body: DSCP}

Step kinds: ``terms`` (lead, governance, terms of reference, lines of enquiry, methodology),
``due_date`` (the lead agency enters its own due date, AS-42), ``task`` (done, with a note),
``document`` (a document produced in versions), ``recommendations`` (recorded for the action plan),
``signoff`` (the statutory partners sign through the ``signoffs`` engine), ``approval`` (a named role
records its approval). ``optional: true`` lets a step be passed over with a reason."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from deadlines.profile_schema import (
    SectionContext,
    as_choice,
    as_key,
    as_list,
    as_mapping,
    as_role,
    check_keys,
    fail,
    field_text,
    optional_text,
)

ROUTES: Final[tuple[str, ...]] = ("learning", "practice_review", "close")
STEP_KINDS: Final[tuple[str, ...]] = (
    "terms",
    "due_date",
    "task",
    "document",
    "recommendations",
    "signoff",
    "approval",
)
APPROVING_KINDS: Final[frozenset[str]] = frozenset({"signoff", "approval"})


@dataclass(frozen=True)
class StepSpec:
    key: str
    kind: str
    label: str
    hint: str = ""
    optional: bool = False
    by: str = ""  # the role that acts (approval, due_date)
    body: str = ""  # the body that signs or approves
    title: str = ""  # a document's title
    document_kind: str = ""
    sections: tuple[str, ...] = ()


@dataclass(frozen=True)
class Flow:
    route: str
    approved_by: str = ""
    methodology: str = ""
    outputs: tuple[str, ...] = ()
    dissemination: str = ""
    due_entered_by: str = ""
    due_anchor: str = ""
    due_is_target: bool = False
    steps: tuple[StepSpec, ...] = ()

    def step(self, key: str) -> StepSpec | None:
        return next((s for s in self.steps if s.key == key), None)


STEP_FIELDS = ("key", "kind", "label", "hint", "optional", "by", "body", "title", "document", "sections")


def _validate_step(item: object, where: str, seen: set[str]) -> None:
    data = as_mapping(item, where, "a step")
    key = as_key(data.get("key"), where)
    swhere = f"{where.rsplit(' ', 1)[0]} step '{key}'"
    if key in seen:
        fail(swhere, "is listed twice")
    seen.add(key)
    check_keys(data, STEP_FIELDS, swhere)
    kind = as_choice(data.get("kind"), STEP_KINDS, swhere, "kind")
    field_text(data, "label", swhere)
    for field in ("hint", "body", "title"):
        optional_text(data, field, swhere)
    if "optional" in data and not isinstance(data["optional"], bool):
        fail(swhere, "'optional' must be true or false")
    if kind in ("approval", "due_date"):
        as_role(data.get("by"), swhere, "by")
    if kind == "signoff":
        field_text(data, "body", swhere)
    if kind == "document":
        field_text(data, "title", swhere)
        as_key(data.get("document"), swhere, "document")
        sections = as_list(data.get("sections"), swhere, "'sections'")
        if not sections or not all(isinstance(s, str) and s.strip() for s in sections):
            fail(swhere, "'sections' must list the document's headings")


def validate_review(value: object, where: str, context: SectionContext) -> None:
    """A learning option's ``review`` entry (see the module docstring)."""
    data = as_mapping(value, where, "'review'")
    check_keys(
        data, ("route", "approved_by", "methodology", "outputs", "dissemination", "due", "steps"), where
    )
    route = as_choice(data.get("route"), ROUTES, where, "route")
    if route != "learning":
        if set(data) - {"route"}:
            fail(where, f"a '{route}' route has no steps of its own")
        return
    field_text(data, "approved_by", where)
    field_text(data, "methodology", where)
    optional_text(data, "dissemination", where)
    outputs = as_list(data.get("outputs") or [], where, "'outputs'")
    if not all(isinstance(o, str) and o.strip() for o in outputs):
        fail(where, "'outputs' must be a list of names")
    due = as_mapping(data.get("due") or {}, where, "'due'")
    check_keys(due, ("entered_by", "anchor", "target"), f"{where} due")
    if "entered_by" in due:
        as_role(due.get("entered_by"), f"{where} due", "entered_by")
        anchor = due.get("anchor")
        if not isinstance(anchor, str) or anchor not in context.anchors:
            fail(f"{where} due", f"'anchor' {anchor!r} is not one of this profile's events")
    if "target" in due and not isinstance(due["target"], bool):
        fail(f"{where} due", "'target' must be true or false")
    steps = as_list(data.get("steps"), where, "'steps'")
    if not steps:
        fail(where, "a learning review needs its steps")
    seen: set[str] = set()
    kinds = []
    for i, item in enumerate(steps):
        _validate_step(item, f"{where} {i + 1}", seen)
        kinds.append(as_mapping(item, where, "a step").get("kind"))
    if not APPROVING_KINDS & set(map(str, kinds)):
        fail(where, "no step approves the review's completion (a 'signoff' or 'approval' step)")
    if "entered_by" in due and "due_date" not in kinds:
        fail(where, "the agency enters its own due date: add a 'due_date' step")


def flow_of(option: Mapping[str, object] | None) -> Flow | None:
    """The validated ``review`` entry of a learning option, or None when it has none."""
    if option is None or not isinstance(option.get("review"), Mapping):
        return None
    data: Mapping[str, object] = option["review"]  # type: ignore[assignment]
    due: Mapping[str, object] = data.get("due") or {}  # type: ignore[assignment]
    steps = []
    for raw in data.get("steps") or ():  # type: ignore[attr-defined]
        steps.append(
            StepSpec(
                key=str(raw["key"]),
                kind=str(raw["kind"]),
                label=str(raw["label"]),
                hint=str(raw.get("hint") or ""),
                optional=bool(raw.get("optional", False)),
                by=str(raw.get("by") or ""),
                body=str(raw.get("body") or ""),
                title=str(raw.get("title") or ""),
                document_kind=str(raw.get("document") or ""),
                sections=tuple(str(s) for s in raw.get("sections") or ()),
            )
        )
    return Flow(
        route=str(data.get("route")),
        approved_by=str(data.get("approved_by") or ""),
        methodology=str(data.get("methodology") or ""),
        outputs=tuple(str(o) for o in data.get("outputs") or ()),  # type: ignore[attr-defined]
        dissemination=str(data.get("dissemination") or ""),
        due_entered_by=str(due.get("entered_by") or ""),
        due_anchor=str(due.get("anchor") or ""),
        due_is_target=bool(due.get("target", False)),
        steps=tuple(steps),
    )


def options_of(profile_data: Mapping[str, object]) -> dict[str, Mapping[str, object]]:
    """The partnership's menu, keyed by option."""
    return {str(o["key"]): o for o in profile_data.get("learning_options") or ()}  # type: ignore[attr-defined]
