from django.apps import AppConfig


class RapidreviewConfig(AppConfig):
    name = "rapidreview"
    verbose_name = "Rapid reviews"
