from django.apps import AppConfig


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Partnerships"

    def ready(self) -> None:
        from partnerships.nav import NavItem, register_nav
        from partnerships.roles import Role

        register_nav(NavItem("Home", "partnership_home", None, order=0))
        register_nav(
            NavItem("People", "people", frozenset({Role.PARTNERSHIP_ADMIN, Role.BUSINESS_UNIT}), order=80)
        )
        register_nav(NavItem("Closure days", "closure_days", frozenset({Role.PARTNERSHIP_ADMIN}), order=85))
        register_nav(
            NavItem("Drop-down lists", "reference_lists", frozenset({Role.PARTNERSHIP_ADMIN}), order=86)
        )
