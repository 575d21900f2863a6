"""The records the permission table's rows need, as fixtures for every test in this folder."""

from tests.partnerships.permission_table import (  # noqa: F401
    info_request,
    learning_review,
    open_case_deadline,
    person,
    referral,
    signoff,
    stored_file,
)
