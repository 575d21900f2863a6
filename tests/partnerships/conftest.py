"""The records the permission table's rows need, as fixtures for every test in this folder."""

from tests.partnerships.permission_table import (  # noqa: F401
    action_plan,
    info_request,
    open_case_deadline,
    person,
    plan_action,
    referral,
    signoff,
    stored_file,
)
