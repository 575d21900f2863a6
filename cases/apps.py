from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "Cases"

    def ready(self) -> None:
        from cases import case_panels, profile_section, stages  # noqa: F401 - stages registers the stage machine
        from cases.referral_form import validate_referral_config
        from partnerships.nav import NavItem, register_nav
        from partnerships.profiles import register_profile_validator
        from partnerships.roles import PARTNERSHIP_WIDE_ROLES

        register_nav(NavItem("Cases", "case_list", frozenset(PARTNERSHIP_WIDE_ROLES), order=10))
        register_profile_validator(validate_referral_config)
        profile_section.register()
        case_panels.register()
