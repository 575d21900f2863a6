"""The permission table's records (tests/partnerships/permission_table.py), shared here so the
header checks visit the same pages with the same ids."""

from tests.partnerships.permission_table import (  # noqa: F401
    a_membership,
    action_plan,
    info_request,
    learning_review,
    legal_hold,
    nel_letter_file,
    nel_rapid_review_case,
    open_case_deadline,
    other_agency_return_file,
    person,
    plan_action,
    practice_review,
    referral,
    report_document,
    retention_review,
    signoff,
    stored_file,
)
