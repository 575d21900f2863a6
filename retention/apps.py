from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = "Retention: schedules, review before deletion, tombstones, legal holds and sharing"

    def ready(self) -> None:
        # Imported here: the registry imports models, which Django allows only once apps are ready.
        from retention import registry

        registry.register()
