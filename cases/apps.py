from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        # Imported here, not at the top: the registry imports models, which Django allows only once
        # the app registry is ready (this is that moment), not a dependency cycle.
        from cases import registry

        registry.register()
