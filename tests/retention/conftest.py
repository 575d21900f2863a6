from __future__ import annotations

from tests.cases.conftest import people, profiled_as  # noqa: F401 - shared fixtures
