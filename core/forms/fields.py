"""Field helpers for GOV.UK forms that every stage's forms use."""

from __future__ import annotations

from typing import TypeVar

from django import forms

_F = TypeVar("_F", bound=forms.Field)


def conditional(field: _F) -> _F:
    """A field required only with some answers (the form's clean() says when): no "(optional)"."""
    field.conditional = True  # type: ignore[attr-defined]
    return field
