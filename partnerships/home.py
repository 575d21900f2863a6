""" "What needs me": the home page is built from task sources that each stage registers.

A stage app registers a function in its ``AppConfig.ready()``; the home page asks every source whose
roles the person holds for their tasks in the current partnership. Sources must filter through their
app's permission door, so nobody is shown a task about something they may not see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Task:
    title: str
    url: str
    group: str
    due: dt.date | None = None
    status: str = ""
    status_colour: str = ""  # a govuk-tag modifier: red, yellow, green, grey, blue
    hint: str = ""


@dataclass(frozen=True)
class TaskSource:
    key: str
    roles: frozenset[str]
    fetch: Callable[[Any, Any], Iterable[Task]]  # (user, standing) -> tasks
    order: int = 100
    description: dict[str, str] = field(default_factory=dict)


_sources: dict[str, TaskSource] = {}


def register_task_source(source: TaskSource) -> None:
    _sources[source.key] = source


def tasks_for(user: Any, standing: Any) -> list[Task]:
    tasks: list[Task] = []
    for source in sorted(_sources.values(), key=lambda s: s.order):
        if standing.roles & source.roles:
            tasks.extend(source.fetch(user, standing))
    far = dt.date.max
    return sorted(tasks, key=lambda t: (t.due or far, t.title))
