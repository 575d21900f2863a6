from django.apps import AppConfig


class SignoffsConfig(AppConfig):
    name = "signoffs"
    verbose_name = "Sign-offs"

    def ready(self) -> None:
        from partnerships.home import TaskSource, register_task_source
        from partnerships.nav import NavItem, register_nav
        from partnerships.roles import Role
        from signoffs.access import SIGNOFF_VIEW_ROLES
        from signoffs.selectors import signoff_tasks

        register_nav(NavItem("Sign-offs", "signoff_list", SIGNOFF_VIEW_ROLES, order=40))
        register_task_source(
            TaskSource(
                "signoffs.to-sign",
                frozenset({Role.PARTNER_REP, Role.INDEPENDENT_SCRUTINEER}),
                signoff_tasks,
                order=20,
                description={
                    Role.PARTNER_REP: "Versions of decisions waiting for your agency's signature.",
                    Role.INDEPENDENT_SCRUTINEER: "Versions of decisions the procedure asks you to co-sign.",
                },
            )
        )
