"""The case page is built from panels that the stage apps and engines register (the way apps
register with the admin), so the page never imports a later stage and an engine never imports a
stage to add its panel."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CasePanel:
    key: str
    title: str
    template: str
    context: Callable[[Any, Any, Any], dict[str, Any]]  # (request, case, standing) -> context
    order: int = 100


_panels: dict[str, CasePanel] = {}


def register_case_panel(panel: CasePanel) -> None:
    _panels[panel.key] = panel


def panels() -> list[CasePanel]:
    return sorted(_panels.values(), key=lambda p: p.order)
