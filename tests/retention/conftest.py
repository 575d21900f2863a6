from __future__ import annotations

from tests.cases.conftest import people, profiled_as  # noqa: F401 - shared fixtures
from tests.security.test_database_roles import app_role  # noqa: F401 - the application's database role
