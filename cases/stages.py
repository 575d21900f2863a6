"""The case stage machine: the only writer of ``Case.stage`` is ``case_transition`` (cases/services.py).

Later stages (rapid review, practice review) add their stages, the transitions into and out of them
and the outcomes that lead into them with ``register_stage`` (or ``register_route`` for a stage
another app registered) from their ``registry.py``, called by their AppConfig.ready, so this module
never imports them. A stage that records an outcome asks ``stage_for_outcome`` where it leads and
never names the later stage (docs/adding-a-stage.md)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    key: str
    label: str


_stages: dict[str, Stage] = {}
_transitions: dict[str, set[str]] = {}
# (stage left, outcome recorded there) -> the stage that outcome leads into.
_routes: dict[tuple[str, str], str] = {}


def register_stage(
    key: str,
    label: str,
    *,
    into_from: tuple[str, ...] = (),
    out_to: tuple[str, ...] = (),
    entered_on: tuple[str, ...] = (),
) -> None:
    """Add (or relabel) a stage, the stages a case may enter it from (``into_from``) and leave it for
    (``out_to``). ``entered_on`` names the outcomes, recorded in each stage of ``into_from``, that lead
    into this one (``stage_for_outcome``)."""
    _stages[key] = Stage(key, label)
    _transitions.setdefault(key, set()).update(out_to)
    for source in into_from:
        _transitions.setdefault(source, set()).add(key)
    if entered_on:
        register_route(key, from_stages=into_from, outcomes=entered_on)


def register_route(key: str, *, from_stages: tuple[str, ...], outcomes: tuple[str, ...]) -> None:
    """Say that ``outcomes`` recorded in each of ``from_stages`` lead into the stage ``key`` (which may
    be registered by another app), and allow the move. Raises ValueError when an outcome of a stage
    already leads somewhere else: one outcome, one next stage."""
    for source in from_stages:
        for outcome in outcomes:
            current = _routes.get((source, outcome))
            if current is not None and current != key:
                raise ValueError(
                    f"Outcome {outcome!r} of stage {source!r} already leads into {current!r}, not {key!r}."
                )
            _routes[(source, outcome)] = key
        _transitions.setdefault(source, set()).add(key)


def stage_for_outcome(outcome: str, from_stage: str) -> str | None:
    """The stage that ``outcome``, recorded in ``from_stage``, leads into; None when no installed app
    has registered one."""
    return _routes.get((from_stage, outcome))


def label(key: str) -> str:
    stage = _stages.get(key)
    return stage.label if stage else key.replace("_", " ").capitalize()


def all_stages() -> list[Stage]:
    """Every registered stage, in the order registered (the dashboard's stage filter)."""
    return list(_stages.values())


def allowed(source: str, target: str) -> bool:
    return target in _transitions.get(source, set())


def targets(source: str) -> set[str]:
    return set(_transitions.get(source, set()))


AWAITING_DECISION = "awaiting_notification_decision"
AWAITING_PANEL_NOTIFICATION = "awaiting_panel_notification"
PANEL_NOTIFIED = "panel_notified"
LEARNING_CONSIDERATION = "learning_consideration"
LEARNING_PENDING_APPROVAL = "learning_pending_approval"
LEARNING_REVIEW = "learning_review"
CLOSED = "closed"

register_stage(AWAITING_DECISION, "Waiting for the safeguarding partners' decision")
register_stage(
    AWAITING_PANEL_NOTIFICATION,
    "Partners decided to notify: waiting for the Panel notification",
    into_from=(AWAITING_DECISION,),
    out_to=(AWAITING_DECISION,),
)
register_stage(
    PANEL_NOTIFIED,
    "Child Safeguarding Practice Review Panel notified",
    into_from=(AWAITING_PANEL_NOTIFICATION,),
)
register_stage(
    LEARNING_CONSIDERATION, "Below the threshold: learning being considered", into_from=(AWAITING_DECISION,)
)
register_stage(
    LEARNING_PENDING_APPROVAL,
    "Learning decision waiting for the safeguarding partners' approval",
    into_from=(LEARNING_CONSIDERATION,),
    out_to=(LEARNING_CONSIDERATION,),
)
register_stage(
    LEARNING_REVIEW, "Learning review agreed", into_from=(LEARNING_CONSIDERATION, LEARNING_PENDING_APPROVAL)
)
register_stage(
    CLOSED,
    "Closed",
    into_from=(
        AWAITING_DECISION,
        LEARNING_CONSIDERATION,
        LEARNING_PENDING_APPROVAL,
        LEARNING_REVIEW,
        PANEL_NOTIFIED,
    ),
)


# Who must act while a case sits in a stage, in words (the dashboard shows it when the case has no live
# deadline naming someone). Stage apps register theirs beside register_stage (reporting reads them).
_actors: dict[str, str] = {}


def register_stage_actor(key: str, who: str) -> None:
    _actors[key] = who


def actor(key: str) -> str:
    return _actors.get(key, "")


register_stage_actor(AWAITING_DECISION, "Safeguarding partner representatives")
register_stage_actor(AWAITING_PANEL_NOTIFICATION, "Local authority (or the business unit for it)")
register_stage_actor(PANEL_NOTIFIED, "Business unit")
register_stage_actor(LEARNING_CONSIDERATION, "Subgroup chair")
register_stage_actor(LEARNING_PENDING_APPROVAL, "Safeguarding partner representatives")
register_stage_actor(LEARNING_REVIEW, "Subgroup chair")
