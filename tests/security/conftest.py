"""The permission table's records (tests/partnerships/test_permissions_table.py), shared here so the
header checks visit the same pages with the same ids."""

from tests.partnerships.test_permissions_table import info_request, referral, signoff  # noqa: F401
