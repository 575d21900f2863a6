"""Moved to the kernel (issue 9): the form engine is ``core.forms.sections``, the referral's own
cross-section checks are ``cases.referral_form.referral_cross_checks``. This module only re-exports
the engine for callers not yet moved; see /work/helper-notes/kernel-moves.txt."""

from __future__ import annotations

from core.forms.sections import (  # re-export: kernel moved to core (issue 9)
    DEFAULT_MAX,
    SectionForm,
    clean_answers,
    data_to_raw,
    quiet,
    raw_to_data,
    section_form,
    table_row_count,
)

__all__ = [
    "DEFAULT_MAX",
    "SectionForm",
    "clean_answers",
    "data_to_raw",
    "quiet",
    "raw_to_data",
    "section_form",
    "table_row_count",
]
