from tests.partnerships.permission_table import stored_file  # noqa: F401
