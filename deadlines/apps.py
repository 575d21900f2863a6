from __future__ import annotations

from typing import Any

from django.apps import AppConfig

from deadlines.rules import load_profile
from partnerships.profiles import register_profile_validator
from partnerships.signals import calendar_changed


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "Deadlines"

    def ready(self) -> None:
        # Here, not at the top: panels reads models, which load only once the app registry is ready.
        from deadlines import panels

        register_profile_validator(_validate_profile)
        calendar_changed.connect(_calendar_changed, dispatch_uid="deadlines.calendar_changed")
        panels.register()


def _validate_profile(data: dict[str, Any]) -> None:
    """Refuse a profile the deadline rules or a stage's section validator cannot use (raises
    ProfileError naming the rule and field)."""
    load_profile(data)


def _calendar_changed(sender: Any, partnership: Any, **kwargs: Any) -> None:
    # Not at the top: apps.py is imported before the app registry is ready, and services reads models.
    from deadlines.services import reschedule_partnership

    reschedule_partnership(partnership, reason="The partnership's closure days changed")
