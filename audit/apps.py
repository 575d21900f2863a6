from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit"

    def ready(self) -> None:
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
