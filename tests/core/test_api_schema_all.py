"""Schemathesis over EVERY operation of the OpenAPI schema /api/schema/ serves, as the business unit
(second factor given), against the demo data (``manage.py load_demo``): no generated request may give
a 5xx, and every response must match what the schema documents (status code, content type, body).

The operations are read from the schema at run time, so routes another branch adds (retention,
privacy, …) are covered as soon as they are registered on the router; nothing here names them.

How requests reach real records rather than stopping at 404:

* each demo partnership's business unit has its own signed-in session; a schema-valid request picks
  one partnership and sends that partnership's session;
* a schema-valid ``{id}`` is replaced by the id of a record the view's own ``visible_to`` lets that
  business unit see (the view is found by resolving the path, so new DoorViewSets need no entry);
* a schema-valid ``{key}`` / ``{section_key}`` is replaced by one of that record's step or section
  keys (``SUB_KEYS``); schema-violating requests are sent as generated.

Settings: Hypothesis derandomized, ``EXAMPLES`` per operation (schema-valid and schema-violating
mixed), no NUL in generated strings (PostgreSQL cannot store it), "positive data acceptance" off (a
schema cannot say "a date not in the future"). Every failing operation is collected with the request
that failed it (as a curl command), so one run lists them all."""

from __future__ import annotations

import datetime as dt
import re
import string
import zlib
from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from cases import stages
from cases.models import Case
from cases.services import decision_record, panel_notification_record
from core.api import DoorViewSet
from partnerships.models import Agency, Membership, Partnership
from partnerships.roles import Role
from rapidreview.decision import decision_save
from rapidreview.meeting import attendance_add, meeting_held, meeting_schedule
from rapidreview.models import Attendance
from rapidreview.services import rapid_review_start, requests_issue

EXAMPLES = 10  # per operation (about 0.1 s each)
HOME = "darlington"  # the partnership whose slug schema-violating requests carry

APP = get_wsgi_application()


def _raw_schema() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


CONFIG = SchemathesisConfig.from_dict(
    {
        "base-url": "http://localhost",
        "generation": {"allow-x00": False, "with-security-parameters": False},
        "checks": {"positive_data_acceptance": {"enabled": False}},
        "parameters": {"path.slug": HOME},
    }
)
schema = schemathesis.openapi.from_dict(_raw_schema(), config=CONFIG)
schema.app = APP
SESSIONS: dict[str, dict[str, dict[str, str]]] = {}  # slug -> the business unit's signed-in session


@schema.auth(refresh_interval=None)
class BrowserSession:
    """The session cookie as the schema's cookie authentication, so that schemathesis knows the
    credentials are real and checks that leaving them out gives 403."""

    def get(self, case, ctx):
        return SESSIONS[HOME]

    def set(self, case, data, ctx):
        _sign(case, data)


def _sign(case, data) -> None:
    case.cookies = {**(case.cookies or {}), **data["cookies"]}
    case.headers = {**(case.headers or {}), **data["headers"]}


def _session(user) -> dict[str, dict[str, str]]:
    client = Client()
    client.force_login(user)  # tests/conftest.py: also marks the second factor as given
    csrf = get_random_string(32, string.ascii_letters + string.digits)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return {
        "cookies": {django_settings.SESSION_COOKIE_NAME: session, django_settings.CSRF_COOKIE_NAME: csrf},
        "headers": {"X-CSRFToken": csrf},
    }


# ------------------------------------------------------------------------------------------------
# Real records for path parameters
# ------------------------------------------------------------------------------------------------


def _learning_steps(review: Any) -> list[str]:
    return list(review.steps.order_by("order").values_list("key", flat=True))


def _referral_sections(referral: Any) -> list[str]:
    from cases.referral_form import form_spec

    return [s.key for s in form_spec(referral.partnership.profile.data).referrer_sections]


def _return_sections(req: Any) -> list[str]:
    from rapidreview.return_form import return_spec

    return [s.key for s in return_spec(req.review.case.profile.data).sections]


# A path parameter after {id} (a step or section of the record): the record's own keys.
SUB_KEYS: dict[str, Callable[[Any], list[str]]] = {
    "learning-reviews": _learning_steps,
    "referrals": _referral_sections,
    "requests": _return_sections,
}


def _view_class(path: str) -> Any:
    sample = re.sub(r"\{slug\}", "x", path)
    sample = re.sub(r"\{id\}", "1", sample)
    sample = re.sub(r"\{[a-z_]+\}", "a", sample)
    try:
        return getattr(resolve(sample).func, "cls", None)
    except Resolver404:
        return None


class Targets:
    """For one operation: the (slug, id) pairs the business units may reach, and sub-keys per record."""

    def __init__(self, path: str, users: dict[str, Any]) -> None:
        self.pairs: list[tuple[str, int]] = []
        self.sub: dict[tuple[str, int], list[str]] = {}
        cls = _view_class(path)
        if cls is None or "{id}" not in path or not issubclass(cls, DoorViewSet):
            return
        sub_of = next((fn for seg, fn in SUB_KEYS.items() if f"/{seg}/" in path), None)
        for slug, user in users.items():
            partnership = Partnership.objects.get(slug=slug)
            view = cls()
            qs = cls.queryset.all() & view.visible_to(user, partnership)
            for record in qs.order_by("pk")[:6]:
                pk = getattr(record, cls.record_id_field)
                self.pairs.append((slug, pk))
                if sub_of is not None:
                    self.sub[(slug, pk)] = sub_of(record)


def _aim(case, targets: Targets) -> None:
    """Schema-valid requests act on a real record of a demo partnership, with its business unit."""
    slug = HOME
    positive = bool(case.meta and case.meta.generation.mode.is_positive)
    params = case.path_parameters or {}
    if positive and targets.pairs and "id" in params:
        slug, pk = targets.pairs[zlib.crc32(str(params["id"]).encode()) % len(targets.pairs)]
        params["id"] = pk
        keys = targets.sub.get((slug, pk))
        for name in ("key", "section_key"):
            if keys and name in params and isinstance(params[name], str):
                params[name] = keys[len(params[name]) % len(keys)]
    elif positive and "id" not in params:
        slugs = sorted(SESSIONS)
        slug = slugs[len(str(case.query or "")) % len(slugs)]
    if "slug" in params and positive:
        params["slug"] = slug
    _sign(case, SESSIONS[slug])


def _call(case) -> int:
    """Send the case to Django's WSGI app on the test's connection (the request signals would close
    the connection that holds the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        return case.call_and_validate().status_code
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


RUN = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _rapid_review(partnership: Partnership, bu: Any) -> None:
    """The demo has no rapid review: take Darlington's demo case through the partners' decision and
    the Panel notification into one, with information requests to two agencies, a meeting and a
    draft decision after the meeting was held (the records the rapid review routes act on)."""
    case = Case.objects.filter(partnership=partnership, stage=stages.AWAITING_DECISION).order_by("pk").first()
    assert case is not None, "the demo's Darlington case"
    on = timezone.localdate()
    decision_record(
        case=case,
        by=bu,
        outcome="notify",
        rationale="Synthetic reasons.",
        decided_on=on,
        decided_by_name="The three safeguarding partners",
    )
    panel_notification_record(
        case=case,
        by=bu,
        submitted_at=timezone.now(),
        panel_reference="PANEL-DEMO",
        ofsted_informed_on=on,
        dfe_informed_on=on,
    )
    review = rapid_review_start(case=case, by=bu)
    agencies = Agency.objects.filter(partnership=partnership).exclude(memberships=None).order_by("pk")[:2]
    requests_issue(
        review=review, by=bu, agencies=agencies, period_from=on - dt.timedelta(days=365), period_to=on
    )
    meeting_schedule(review=review, by=bu, scheduled_for=timezone.now(), location="Room 1")
    for n, agency in enumerate(Agency.objects.filter(partnership=partnership, is_statutory_partner=True)):
        attendance_add(
            review=review, by=bu, name=f"Partner {n + 1}", agency=agency, kind=Attendance.Kind.PARTNER
        )
    meeting_held(review=review, by=bu, on=on)
    decision_save(review=review, by=bu, outcome="local_cspr", rationale="Synthetic rationale.")


@pytest.fixture
def business_units(db):
    """The demo data (with a rapid review added), and each demo partnership's business unit signed in."""
    call_command("load_demo", "--quiet")
    users = {}
    for m in Membership.objects.filter(role=Role.BUSINESS_UNIT).select_related("user", "agency__partnership"):
        users.setdefault(m.agency.partnership.slug, m.user)
    _rapid_review(Partnership.objects.get(slug=HOME), users[HOME])
    SESSIONS.update({slug: _session(user) for slug, user in users.items()})
    yield users
    SESSIONS.clear()


def _operations():
    for result in schema.get_all_operations():
        yield result.ok()


class Tally:
    """What the run saw: status codes per operation, the first failure of each, requests sent."""

    def __init__(self) -> None:
        self.statuses: dict[str, set[int]] = {}
        self.failures: dict[str, str] = {}
        self.examples = 0
        self.targets: dict[str, int] = {}  # how many real records each operation could aim at


def _runner(label: str, strategy: Any, targets: Targets, tally: Tally) -> Callable[[], None]:
    codes = tally.statuses.setdefault(label, set())

    @RUN
    @given(case=strategy)
    def run(case):
        if label in tally.failures:
            return
        _aim(case, targets)
        tally.examples += 1
        try:
            codes.add(_call(case))
        except (
            Exception,
            BaseExceptionGroup,
        ) as exc:  # collected, so that one run reports every failing operation
            tally.failures[label] = f"{type(exc).__name__}: {str(exc)[:1500]}\n{case.as_curl_command()}"

    return run


@pytest.mark.django_db
def test_every_operation_of_the_served_schema_survives_generated_requests(business_units):
    tally = Tally()
    fixed = {"path_parameters": {"slug": HOME}, "auth_storage": schema.auth}
    for operation in _operations():
        strategy = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE, **fixed),
            operation.as_strategy(GenerationMode.NEGATIVE, **fixed),
        )
        label = f"{operation.method.upper()} {operation.path}"
        targets = Targets(operation.path, business_units)
        tally.targets[label] = len(targets.pairs)
        _runner(label, strategy, targets, tally)()
    statuses, failures, examples = tally.statuses, tally.failures, tally.examples
    print(f"\n{len(statuses)} operations, {examples} requests")
    for label, seen in sorted(statuses.items()):
        print(f"  {label}: {sorted(seen)} (records to aim at: {tally.targets[label]})")
    assert not failures, "\n\n".join(f"{k}\n{v}" for k, v in failures.items())
    assert len(statuses) >= 65, sorted(statuses)
    codes = set().union(*statuses.values())
    assert {200, 400, 403, 404} <= codes, statuses
    # Record routes got past the door: every GET of one record that the demo has records for found
    # one at least once (a route whose records the demo lacks is still fuzzed, for 5xx and schema).
    reads = [k for k in statuses if k.startswith("GET") and "{id}" in k]
    unreached = [k for k in reads if tally.targets[k] and 200 not in statuses[k]]
    assert not unreached, {k: (statuses[k], tally.targets[k]) for k in unreached}
    assert sum(1 for k in reads if tally.targets[k]) >= 12  # today's record reads all have demo records


def test_every_served_path_is_fuzzed(client, world):
    """The schema fuzzed is the one /api/schema/ serves (no route hidden from either)."""
    client.force_login(world.user(Role.BUSINESS_UNIT))
    served = client.get("/api/schema/?format=json").json()["paths"]
    assert sorted(served) == sorted(_raw_schema()["paths"])
    assert {f"{o.method.upper()} {o.path}" for o in _operations()} == {
        f"{m.upper()} {p}"
        for p, ops in served.items()
        for m in ops
        if m in {"get", "post", "patch", "put", "delete"}
    }
