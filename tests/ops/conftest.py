from __future__ import annotations

import socket

import pytest

from tests.cases.conftest import people, profiled_as  # noqa: F401 - shared fixtures
from tests.rapidreview.conftest import review_for  # noqa: F401 - shared fixture


@pytest.fixture
def unused_tcp_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])
