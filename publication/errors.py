"""The publication stage's refusals: a ``CaseError``, so pages and the API show the message."""

from __future__ import annotations

from cases.case_services import CaseError


class PublicationError(CaseError):
    """A request the publication services refuse; the message is fit to show the person."""
