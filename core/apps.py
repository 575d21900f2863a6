from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The shared kernel. It registers nothing: the apps above it register into it."""

    name = "core"
    verbose_name = "Shared kernel"
