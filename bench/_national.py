"""The national-scale generator and the measuring helpers of bench/bench_dashboard.py (imported after
django.setup()). Bulk inserts only (reporting/synthetic.py): no services, no audit rows."""

from __future__ import annotations

import datetime as dt
import socket
import statistics
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from cases.models import Case, Referral
from partnerships.models import Agency, Membership, Partnership, User
from partnerships.profiles import read_seed_profile
from partnerships.roles import AgencyKind, Role
from partnerships.services import profile_install
from reporting.synthetic import make_cases

PROFILES = ["dorset", "bradford", "darlington", "north-east-lincolnshire", "cambridgeshire-peterborough"]
TODAY = dt.date.today()


@dataclass
class Place:
    partnership: Partnership
    agencies: list[Agency]
    bu: User
    rep: User
    practitioner: User


@dataclass
class World:
    places: list[Place] = field(default_factory=list)
    apart: Place | None = None


def _prefix(i: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "N" + letters[i // 26 // 26 % 26] + letters[i // 26 % 26] + letters[i % 26]


def partnerships(n: int) -> World:
    world = World()
    password = make_password("bench-password-not-used")
    profiles = {slug: read_seed_profile(slug) for slug in PROFILES}
    for i in range(n + 1):
        p = Partnership.objects.create(
            name=f"Partnership {i:03d}", slug=f"partnership-{i:03d}", reference_prefix=_prefix(i)
        )
        profile_install(partnership=p, data=profiles[PROFILES[i % len(PROFILES)]] or {}, source="bench")
        p.refresh_from_db()
        kinds = [
            ("Business unit", AgencyKind.OTHER, False),
            ("Council", AgencyKind.LOCAL_AUTHORITY, True),
            ("Police", AgencyKind.POLICE, True),
            ("Integrated care board", AgencyKind.HEALTH_ICB, True),
            ("Community health", AgencyKind.HEALTH_PROVIDER, False),
            ("Schools", AgencyKind.EDUCATION, False),
        ]
        agencies = Agency.objects.bulk_create(
            [
                Agency(partnership=p, name=f"{name} {i:03d}", kind=kind, is_statutory_partner=s)
                for name, kind, s in kinds
            ]
        )
        users = User.objects.bulk_create(
            [
                User(
                    email=f"{who}-{i:03d}@bench.invalid", full_name=f"Bench {who} {i:03d}", password=password
                )
                for who in ("bu", "rep", "practitioner")
            ]
        )
        Membership.objects.bulk_create(
            [
                Membership(user=users[0], agency=agencies[0], role=Role.BUSINESS_UNIT),
                Membership(user=users[1], agency=agencies[1], role=Role.PARTNER_REP),
                Membership(user=users[2], agency=agencies[4], role=Role.PRACTITIONER),
            ]
        )
        place = Place(p, agencies, *users)
        if i == n:
            world.apart = place
        else:
            world.places.append(place)
    return world


def signed_in(user: User) -> Client:
    """A test client signed in as ``user`` with the second factor given (as a real sign-in would)."""
    client = Client()
    client.force_login(user)
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Bench", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def query_counts(place: Place | None, sizes: list[int]) -> dict[int, int]:
    assert place is not None
    client = signed_in(place.bu)
    url = f"/p/{place.partnership.slug}/dashboard/"
    made = 0
    out = {}
    for n in sizes:
        make_cases(place.partnership, n - made, on=TODAY, agencies=place.agencies[1:], with_events=False)
        made = n
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, (
            response.status_code,
            response.get("Location"),
            response.content[:300],
        )
        out[n] = len(ctx.captured_queries)
    return out


def grow(world: World, total: int) -> int:
    """Add cases to the 130 partnerships until ``total`` cases in all (the first 10,000: one year, a
    third still open; the rest: the nine years before, nearly all closed)."""
    have = Case.objects.count()
    per = max(0, (total - have) // len(world.places))
    first = have < 5000
    made = 0
    for place in world.places:
        made += make_cases(
            place.partnership,
            per,
            on=TODAY if first else TODAY - dt.timedelta(days=365),
            agencies=place.agencies[1:],
            open_share=0.3 if first else 0.04,
            year_span=1 if first else 9,
            seed=total,
        )
    return made


def analyse() -> None:
    """VACUUM ANALYZE, as autovacuum leaves a database after a bulk load; measuring while it runs in
    the background measures autovacuum, not the page."""
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE")


def clients(world: World, k: int) -> list[tuple[Client, str]]:
    step = max(1, len(world.places) // k)
    return [(signed_in(p.bu), p.partnership.slug) for p in world.places[::step][:k]]


def explain(client_slug: tuple[Client, str]) -> str:
    client, slug = client_slug
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/p/{slug}/dashboard/")
    page_sql = next(
        q["sql"] for q in ctx.captured_queries if '"next_rank"' in q["sql"] and "LIMIT" in q["sql"]
    )
    with connection.cursor() as c:
        c.execute("EXPLAIN (ANALYZE, BUFFERS) " + page_sql)
        return "\n".join(row[0] for row in c.fetchall())


def duplicates(world: World) -> None:
    from cases.referral_services import possible_duplicates

    place = max(world.places, key=lambda p: Referral.objects.filter(partnership=p.partnership).count())
    known = Referral.objects.filter(partnership=place.partnership, case__isnull=False).first()
    assert known is not None
    probe = Referral.objects.create(
        partnership=place.partnership,
        agency=place.agencies[4],
        referrer=place.practitioner,
        status=Referral.Status.AUTHORISED,
        form_variant="core",
        start_token=uuid.uuid4(),
        answers={"child": dict(known.answers["child"])},
    )
    times = []
    found: list[Any] = []
    for _ in range(20):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as ctx:
            found = possible_duplicates(probe)
        times.append(time.perf_counter() - start)
    compared = Referral.objects.filter(partnership=place.partnership, case__isnull=False).count()
    print(
        f"{compared:,} referrals of the partnership with a case; {len(found)} possible duplicates found; "
        f"median {statistics.median(times) * 1000:.1f} ms, {len(ctx.captured_queries)} queries"
    )
    sql = ctx.captured_queries[0]["sql"]
    with connection.cursor() as c:
        c.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in c.fetchall())
    print(plan)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, seconds: float = 60) -> None:
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - loopback
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer")


def sessions(world: World, n: int) -> list[tuple[str, str, int]]:
    """(Cookie header, slug, an open case) for ``n`` business unit users of different partnerships."""
    out = []
    for place in world.places[:n]:
        client = signed_in(place.bu)
        cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        case = Case.objects.filter(partnership=place.partnership, closed_at__isnull=True).values_list(
            "pk", flat=True
        )
        out.append((cookie, place.partnership.slug, case.first() or 0))
    return out
