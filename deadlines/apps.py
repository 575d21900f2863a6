from __future__ import annotations

from typing import Any

from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "Deadlines"

    def ready(self) -> None:
        from deadlines import panels
        from partnerships.profiles import register_profile_validator
        from partnerships.signals import calendar_changed

        register_profile_validator(_validate_profile)
        calendar_changed.connect(_calendar_changed, dispatch_uid="deadlines.calendar_changed")
        panels.register()


def _validate_profile(data: dict[str, Any]) -> None:
    """Refuse a profile the deadline rules cannot use (raises ProfileError naming the rule and field)."""
    from deadlines.rules import load_profile

    load_profile(data)


def _calendar_changed(sender: Any, partnership: Any, **kwargs: Any) -> None:
    from deadlines.services import reschedule_partnership

    reschedule_partnership(partnership, reason="The partnership's closure days changed")
