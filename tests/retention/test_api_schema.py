"""Schemathesis against the OpenAPI schema of the retention and privacy API (retention/api.py), as
tests/cases/test_api_schema.py does for the cases API: requests generated from the schema
(schema-valid and schema-violating) sent through Django's WSGI app with the business unit's
session; none may give a 500, and every response must match what the schema documents."""

from __future__ import annotations

import string

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from privacy.services import place_legal_hold
from tests.retention.helpers import close_long_ago, queued

EXAMPLES = 8
APP = get_wsgi_application()
CONFIG = SchemathesisConfig.from_dict(
    {
        "base-url": "http://localhost",
        "generation": {"allow-x00": False, "with-security-parameters": False},
        # A schema cannot say "a date in the future" or "a case that is closed": the API refuses
        # those with 400 (tests/retention/test_api.py pins each).
        "checks": {"positive_data_acceptance": {"enabled": False}},
        "parameters": {"path.slug": "testshire"},
    }
)
SESSION: dict[str, dict[str, dict[str, str]]] = {}


def _raw_schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


schema = schemathesis.openapi.from_dict(_raw_schema(), config=CONFIG).include(
    path_regex=r"^/api/partnerships/\{slug\}/(cases/\{case_id\}/|retention-reviews/)"
)
schema.app = APP


@schema.auth(refresh_interval=None)
class BrowserSession:
    def get(self, case, ctx):
        return SESSION["current"]

    def set(self, case, data, ctx):
        case.cookies = {**(case.cookies or {}), **data["cookies"]}
        case.headers = {**(case.headers or {}), **data["headers"]}


def _session(user) -> dict[str, dict[str, str]]:
    client = Client()
    client.force_login(user)
    csrf = get_random_string(32, string.ascii_letters + string.digits)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return {
        "cookies": {django_settings.SESSION_COOKIE_NAME: session, django_settings.CSRF_COOKIE_NAME: csrf},
        "headers": {"X-CSRFToken": csrf},
    }


def _call(case) -> int:
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        return case.call_and_validate().status_code
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _pick_ids(case, records) -> None:
    """Schema-valid requests act on real records (a random id only finds 404)."""
    if not case.meta or not case.meta.generation.mode.is_positive:
        return
    params = case.path_parameters or {}
    if isinstance(params.get("case_id"), int):
        params["case_id"] = records["case"]
    if isinstance(params.get("id"), int):
        params["id"] = records["hold"] if "/legal-holds/" in case.path else records["review"]


RUN = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _runner(strategy, records, codes: set[int]):
    @RUN
    @given(case=strategy)
    def run(case):
        _pick_ids(case, records)
        codes.add(_call(case))

    return run


@pytest.fixture
def records(open_case, profiled):
    from partnerships.roles import Role

    bu = profiled.user(Role.BUSINESS_UNIT)
    SESSION["current"] = _session(bu)
    case = close_long_ago(open_case)
    item = queued(case)
    hold = place_legal_hold(case=case, kind="coroner", reason="Inquest", by=bu)
    yield {"case": case.pk, "hold": hold.pk, "review": item.pk}
    SESSION.clear()


@pytest.mark.django_db
def test_no_generated_request_fails(records):
    fixed = {"path_parameters": {"slug": "testshire"}, "auth_storage": schema.auth}
    statuses: dict[str, set[int]] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE, **fixed),
            operation.as_strategy(GenerationMode.NEGATIVE, **fixed),
        )
        _runner(
            strategy, records, statuses.setdefault(f"{operation.method.upper()} {operation.path}", set())
        )()
    assert len(statuses) == 8, sorted(statuses)
    everything = set().union(*statuses.values())
    assert 500 not in everything
    # Requests got past the door to the serializers and services, not only to 404.
    assert {200, 400, 404} <= everything, statuses
