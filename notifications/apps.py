from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Here, not at the top: panels reads models, which load only once the app registry is ready.
        from notifications import messaging, panels

        panels.register()
        messaging.register()  # the kernel's notify() sends through this engine
