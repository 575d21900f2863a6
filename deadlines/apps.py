from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "deadlines"
    verbose_name = "Deadlines"

    def ready(self) -> None:
        from deadlines import panels, rules
        from partnerships.profiles import register_profile_validator
        from partnerships.signals import calendar_changed

        register_profile_validator(rules.load_profile)
        calendar_changed.connect(_calendar_changed, dispatch_uid="deadlines.calendar_changed")
        panels.register()


def _calendar_changed(sender, partnership, **kwargs):  # type: ignore[no-untyped-def]
    from deadlines.services import reschedule_partnership

    reschedule_partnership(partnership, reason="The partnership's closure days changed")
