from django.apps import AppConfig


class PublicationConfig(AppConfig):
    name = "publication"
    verbose_name = "Report approval and publication"

    def ready(self) -> None:
        # Imported here: the registry imports models, loaded only after every AppConfig exists.
        from publication import registry

        registry.register()
