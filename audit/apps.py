from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
        from audit.database import after_migrate
        from partnerships.nav import NavItem, register_nav
        from partnerships.roles import Role

        register_nav(
            NavItem(
                "Audit trail",
                "audit_log",
                frozenset({Role.PARTNERSHIP_ADMIN, Role.INDEPENDENT_SCRUTINEER}),
                order=90,
            )
        )
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="audit.after_migrate")
