from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from notifications import messaging, panels

        panels.register()
        messaging.register()  # the kernel's notify() sends through this engine
