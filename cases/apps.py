from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from partnerships.nav import NavItem, register_nav
        from partnerships.roles import PARTNERSHIP_WIDE_ROLES

        register_nav(NavItem("Cases", "case_list", frozenset(PARTNERSHIP_WIDE_ROLES), order=10))
