"""Schemathesis against the OpenAPI schema of the cases API, sent through Django's WSGI app with a
signed-in session (the business unit; the referrer for the referral routes): no generated request
may give a 500, and every response must match what the schema documents (status codes 400/403/404/409
included, content type, body schema; requests without the session cookie must get 403).

Settings, kept to a few seconds: Hypothesis derandomized, 8 examples per operation (schema-valid and
schema-violating mixed), no NUL in generated strings (PostgreSQL cannot store it; the API's own NUL
handling is tested in test_api.py), the partnership slug pinned to the test partnership and every
schema-valid record id replaced by a real record's, so requests reach the door, the serializers and
the services rather than stopping at 404. The check "positive data acceptance" is off (see CONFIG).

Why not ``schemathesis.pytest.from_fixture``: with pytest 9 its lazy loader fails
(``'Function' object has no attribute '_nodeid'``), and ``schema.parametrize()`` would build the
records once per operation (about 30 s). ``as_strategy`` with ``@given`` is schemathesis' documented
way to use it inside an ordinary test."""

from __future__ import annotations

import datetime as dt
import string
import uuid

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

from cases.referral_form import form_spec
from cases.services import (
    case_open,
    referral_acknowledge,
    referral_authorise,
    referral_save_section,
    referral_start,
    referral_submit,
)
from tests.cases.helpers import VALID

EXAMPLES = 8  # per operation and persona (about 0.1 s each)


def _session(user) -> dict[str, dict[str, str]]:
    """A signed-in browser session: its cookies, and the CSRF header DRF's session authentication
    checks on writes (as it would for the browser)."""
    client = Client()
    client.force_login(user)
    csrf = get_random_string(32, string.ascii_letters + string.digits)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return {
        "cookies": {django_settings.SESSION_COOKIE_NAME: session, django_settings.CSRF_COOKIE_NAME: csrf},
        "headers": {"X-CSRFToken": csrf},
    }


def _complete(referral, by) -> None:
    """Every section of the referral answered validly (the test helpers' answers, saved as the
    web form would save them)."""
    for section in form_spec(referral.partnership.profile.data).referrer_sections:
        raw = dict(VALID.get(section.key, {}))
        referral_save_section(referral=referral, by=by, section_key=section.key, raw=raw, complete=True)


@pytest.fixture
def records(world, people, draft):
    """A referral in each state the API acts on, and cases waiting for each decision."""
    practitioner = people.practitioner

    def referral(*, submit: bool = True, authorise: bool = False):
        r = referral_start(
            partnership=world.partnership, agency=world.provider, by=practitioner, token=uuid.uuid4()
        )
        _complete(r, practitioner)
        if submit:
            referral_submit(referral=r, by=practitioner)
        if authorise:
            referral_authorise(referral=r, by=people.lead, raw={"officer": "A Lead"})
        return r

    waiting, with_bu, acknowledged = referral(), referral(authorise=True), referral(authorise=True)
    case = referral_acknowledge(
        referral=acknowledged,
        by=people.bu,
        received_on=dt.date(2025, 4, 16),
        became_aware_on=dt.date(2025, 4, 16),
        kind="serious_incident",
    )
    notify = case_open(partnership=world.partnership, by=people.bu, stage="awaiting_panel_notification")
    return {
        "referrals": [draft.pk, waiting.pk, with_bu.pk, acknowledged.pk, referral(submit=False).pk],
        "cases": [case.pk, notify.pk],
    }


APP = get_wsgi_application()


def _call(case) -> int:
    """Send the case to Django's WSGI app in this thread, on the test's database connection: like
    Django's test client, keep the request signals from closing that connection (it holds the
    test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        return case.call_and_validate().status_code
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _raw_schema() -> dict:
    """The schema /api/schema/ serves (drf-spectacular needs no database to build it)."""
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


CONFIG = SchemathesisConfig.from_dict(
    {
        "base-url": "http://localhost",
        "generation": {
            "allow-x00": False,
            # The session cookie is the browser's, set by BrowserSession: not generated, not mutated.
            "with-security-parameters": False,
        },
        "checks": {
            # A schema cannot say "a date not in the future", "one of this partnership's outcome
            # keys" or "a field of this section of the form": the API refuses those with 400 (and
            # test_api.py pins each), so schema-valid data is not always acceptable data.
            "positive_data_acceptance": {"enabled": False},
        },
        "parameters": {"path.slug": "testshire"},
    }
)
# The cases API's routes (other apps' routes on the same router have their own schema tests).
schema = schemathesis.openapi.from_dict(_raw_schema(), config=CONFIG).include(
    path_regex=r"^/api/partnerships/\{slug\}/(referrals|cases)/(?!\{case_id\})"  # not retention's case routes
)
schema.app = APP
SESSION: dict[str, dict[str, dict[str, str]]] = {}  # the signed-in session of the running example


@schema.auth(refresh_interval=None)
class BrowserSession:
    """The session cookie, given to schemathesis as the schema's cookie authentication so that it
    knows the credentials are real (and checks that leaving them out gives 403)."""

    def get(self, case, ctx):
        return SESSION["current"]

    def set(self, case, data, ctx):
        case.cookies = {**(case.cookies or {}), **data["cookies"]}
        case.headers = {**(case.headers or {}), **data["headers"]}


def _pick_id(case, records) -> None:
    """Schema-valid cases act on a real record of the right kind (a random id only finds 404)."""
    if "id" not in case.path_parameters or not case.meta or not case.meta.generation.mode.is_positive:
        return
    ids = records["referrals"] if "/referrals/" in case.path else records["cases"]
    n = case.path_parameters["id"]
    if isinstance(n, int):  # schema-violating ids (negative mode) are left as generated
        case.path_parameters["id"] = ids[n % len(ids)]


@pytest.fixture
def signed_in_as_business_unit(people):
    SESSION["current"] = _session(people.bu)
    yield
    SESSION.clear()


@pytest.fixture
def signed_in_as_referrer(people):
    SESSION["current"] = _session(people.practitioner)
    yield
    SESSION.clear()


def _strategies(subset) -> list[tuple[str, st.SearchStrategy]]:
    """Per operation of ``subset``: requests that are schema-valid and schema-violating alike."""
    fixed = {"path_parameters": {"slug": "testshire"}, "auth_storage": subset.auth}
    out = []
    for result in subset.get_all_operations():
        operation = result.ok()
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE, **fixed),
            operation.as_strategy(GenerationMode.NEGATIVE, **fixed),
        )
        out.append((f"{operation.method.upper()} {operation.path}", strategy))
    return out


# One Hypothesis run per operation inside one test per persona, so the records are built once;
# requests may change them (an acknowledgement, a decision), as real clients would.
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
        _pick_id(case, records)
        codes.add(_call(case))

    return run


def _fuzz(subset, records) -> dict[str, set[int]]:
    """Run every operation; return the status codes each answered with."""
    statuses: dict[str, set[int]] = {}
    for label, strategy in _strategies(subset):
        _runner(strategy, records, statuses.setdefault(label, set()))()
    return statuses


@pytest.mark.django_db
def test_no_generated_request_fails_the_business_unit(records, signed_in_as_business_unit):
    statuses = _fuzz(schema, records)
    assert len(statuses) == 14, sorted(statuses)
    codes = set().union(*statuses.values())
    # Requests got past the door to the serializers and services, not only to 404.
    assert {200, 201, 400, 403, 404} <= codes, statuses


@pytest.mark.django_db
def test_no_generated_request_fails_the_referrer(records, signed_in_as_referrer):
    statuses = _fuzz(schema.exclude(path_regex="/cases/"), records)
    assert len(statuses) == 8, sorted(statuses)
    assert statuses["PATCH /api/partnerships/{slug}/referrals/{id}/sections/{section_key}/"] >= {200, 400}, (
        statuses
    )


@pytest.mark.django_db
def test_the_schema_tested_is_the_one_served(client, people):
    client.force_login(people.bu)
    served = client.get("/api/schema/?format=json").json()["paths"]
    built = _raw_schema()["paths"]
    ours = [
        p
        for p in built
        if p.startswith(("/api/partnerships/{slug}/referrals", "/api/partnerships/{slug}/cases"))
        and "{case_id}" not in p  # retention's routes under a case (tests/retention/test_api_schema.py)
    ]
    assert len(ours) == 13
    for path in ours:
        assert served[path] == built[path], path
