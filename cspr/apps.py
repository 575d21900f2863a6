from django.apps import AppConfig


class CsprConfig(AppConfig):
    name = "cspr"
    verbose_name = "Practice reviews"

    def ready(self) -> None:
        # Imported here, not at the top: the registry imports models, which the app registry loads
        # only after every AppConfig is created (Django's rule for ready()).
        from cspr import registry

        registry.register()
