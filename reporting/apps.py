from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reporting"

    def ready(self) -> None:
        # Here, not at the top: these modules read models, which load once the registry is ready.
        from partnerships.home import TaskSource, register_task_source
        from partnerships.nav import NavItem, register_nav
        from partnerships.roles import Role
        from reporting.access import REPORT_ROLES
        from reporting.calendar_views import deadline_tasks

        register_nav(NavItem("Dashboard", "dashboard", None, order=8))
        register_nav(NavItem("Search", "case_search", None, order=9))
        register_nav(NavItem("Calendar", "deadline_calendar", None, order=22))
        register_nav(NavItem("Compliance", "compliance", REPORT_ROLES, order=60))
        register_task_source(
            TaskSource(
                key="reporting.deadlines",
                roles=frozenset(Role.values),
                fetch=deadline_tasks,
                order=90,
            )
        )
