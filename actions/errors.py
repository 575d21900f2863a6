"""The action plans' refusal: a message fit to show the person, and the form field it belongs to."""

from __future__ import annotations


class ActionPlanError(Exception):
    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
