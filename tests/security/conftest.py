"""The permission table's records (tests/partnerships/permission_table.py), shared here so the
header checks visit the same pages with the same ids."""

from tests.partnerships.permission_table import (  # noqa: F401
    info_request,
    legal_hold,
    open_case_deadline,
    person,
    referral,
    retention_review,
    signoff,
    stored_file,
)
