"""The permission table's records (tests/partnerships/permission_table.py), shared here so the
header checks visit the same pages with the same ids."""

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
