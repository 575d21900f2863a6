from django.apps import AppConfig


class CsprConfig(AppConfig):
    name = "cspr"
    verbose_name = "Practice reviews"

    def ready(self) -> None:
        from cspr import profile_section

        profile_section.register()
