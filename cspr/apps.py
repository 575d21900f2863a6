from django.apps import AppConfig


class CsprConfig(AppConfig):
    name = "cspr"
    verbose_name = "Practice reviews"
