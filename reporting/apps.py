from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Reporting"

    def ready(self) -> None:
        # Here, not at the top: these modules read models, which load once the registry is ready.
        from notifications.messages import register_message_renderer
        from notifications.models import Kind
        from partnerships.home import TaskSource, register_task_source
        from partnerships.nav import NavItem, register_nav
        from partnerships.roles import Role
        from reporting.access import REPORT_ROLES
        from reporting.calendar_views import deadline_tasks
        from reporting.digest import render_digest

        register_message_renderer(Kind.DAILY_UPDATE, render_digest)

        register_nav(NavItem("Dashboard", "dashboard", None, order=8))
        register_nav(NavItem("Search", "case_search", None, order=9))
        register_nav(NavItem("Calendar", "deadline_calendar", None, order=22))
        register_nav(NavItem("Compliance", "compliance", REPORT_ROLES, order=60))
        register_nav(NavItem("Impact report", "impact_report", REPORT_ROLES, order=61))
        register_nav(NavItem("Daily e-mail", "digest_settings", None, order=95))
        register_task_source(
            TaskSource(
                key="reporting.deadlines",
                roles=frozenset(Role.values),
                fetch=deadline_tasks,
                order=90,
            )
        )
