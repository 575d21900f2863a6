"""The records the permission table's rows need, as fixtures for every test in this folder."""

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
