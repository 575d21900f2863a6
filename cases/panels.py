"""Moved to the kernel (issue 9): the case-page panel registry is ``core.panels``. This module only
re-exports it for callers not yet moved."""

from __future__ import annotations

from core.panels import CasePanel, panels, register_case_panel  # re-export: kernel moved to core (issue 9)

__all__ = ["CasePanel", "panels", "register_case_panel"]
