"""The case stage machine: the only writer of ``Case.stage`` is ``case_transition`` (cases/services.py).

Later stages (rapid review, practice review) add their stages and the transitions into and out of
them with ``register_stage`` from their AppConfig.ready, so this module never imports them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    key: str
    label: str


_stages: dict[str, Stage] = {}
_transitions: dict[str, set[str]] = {}


def register_stage(
    key: str, label: str, *, into_from: tuple[str, ...] = (), out_to: tuple[str, ...] = ()
) -> None:
    _stages[key] = Stage(key, label)
    _transitions.setdefault(key, set()).update(out_to)
    for source in into_from:
        _transitions.setdefault(source, set()).add(key)


def label(key: str) -> str:
    stage = _stages.get(key)
    return stage.label if stage else key.replace("_", " ").capitalize()


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
