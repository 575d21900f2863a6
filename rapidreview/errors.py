"""The rapid review's refusals, and the one check every typed text goes through."""

from __future__ import annotations

TEXT_MAX = 10_000


class RapidReviewError(Exception):
    """A request the rapid review services refuse; the message is fit to show the person."""


class TransitionNotAllowed(RapidReviewError):
    """A status move that the model's transitions table does not allow (shown like any refusal)."""


def clean_text(value: object, what: str, *, required: bool = False, max_length: int = TEXT_MAX) -> str:
    """``value`` stripped, or a RapidReviewError naming ``what`` (not text, a control character, too
    long, or empty when ``required``)."""
    if value is None:
        text = ""
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise RapidReviewError(f"{what} must be text.")
    if "\x00" in text:
        raise RapidReviewError(f"Remove the invisible control characters from {what.lower()}.")
    if len(text) > max_length:
        raise RapidReviewError(f"{what} must be {max_length:,} characters or fewer.")
    if required and not text:
        raise RapidReviewError(f"Enter {what[:1].lower() + what[1:]}.")
    return text
