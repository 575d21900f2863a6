from django.apps import AppConfig


class RapidreviewConfig(AppConfig):
    name = "rapidreview"
    verbose_name = "Rapid reviews"

    def ready(self) -> None:
        from rapidreview import panels, profile_section, services  # noqa: F401 - services registers the rapid review stage

        panels.register()
        profile_section.register()
        from rapidreview import meeting_services

        meeting_services.register()
