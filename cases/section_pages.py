"""Moved to the kernel (issue 9): GOV.UK section pages are ``core.forms.pages``. This module only
re-exports them for callers not yet moved."""

from __future__ import annotations

from core.forms.pages import (  # re-export: kernel moved to core (issue 9)
    Posted,
    layout,
    read_post,
    remove_row,
    rows_from_post,
    stored_form,
)

__all__ = ["Posted", "layout", "read_post", "remove_row", "rows_from_post", "stored_form"]
