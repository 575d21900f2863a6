from django.apps import AppConfig


class RapidreviewConfig(AppConfig):
    name = "rapidreview"
    verbose_name = "Rapid reviews"

    def ready(self) -> None:
        # Imported here, not at the top: the registry imports models, which the app registry loads
        # only after every AppConfig is created (Django's rule for ready()).
        from rapidreview import registry

        registry.register()
