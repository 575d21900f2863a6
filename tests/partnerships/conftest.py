"""The records the permission table's rows need, as fixtures for every test in this folder."""

from tests.partnerships.permission_table import info_request, person, referral, signoff  # noqa: F401
