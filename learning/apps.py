from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = "Learning reviews"

    def ready(self) -> None:
        # Imported here: the registry imports models, which exist only once every AppConfig is made.
        from learning import registry

        registry.register()
