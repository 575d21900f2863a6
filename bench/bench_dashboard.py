"""The business unit's dashboard at national scale (issue 15).

    make bench      (or: DATABASE_URL=postgres://…/name python bench/bench_dashboard.py)

A scratch database ``<name>_bench_dash`` is created on the server of DATABASE_URL (dropped at the
end) and migrated. The generator (bench/_national.py, reporting/synthetic.py: bulk_create) makes 130
partnerships, each with six agencies, a procedure profile (the five seed profiles in turn), a business
unit user, a partner representative and a practitioner with their memberships; then 10,000 cases
with their referrals, timeline events and deadline rows (most closed: ten years of a national
service), and later 90,000 more (100,000). One partnership is kept apart for the query count.

Printed in one run:
* the dashboard's SQL query count at 10, 100 and 1,000 visible open cases;
* dashboard latency (median, p95) at 10k and 100k cases next to a bare view (one query through the
  same middleware), in process with Django's test client; the ratios against the targets;
* EXPLAIN (ANALYZE, BUFFERS) of the page query at 100k;
* a loopback load test with gunicorn as ``make run`` starts it (2 workers × 4 threads) at 10 and 50
  concurrent signed-in users: requests per second, p95 and errors for the dashboard, a case page
  and the bare view;
* ``possible_duplicates`` (the acknowledgement's duplicate check) at 100k.
Reported, never enforced (exits 0).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from _common import PROJECT_ROOT, add_project_to_path, verdict

add_project_to_path()
sys.path.insert(0, str(Path(__file__).resolve().parent))

BIN = PROJECT_ROOT / ".venv" / "bin"
SAMPLES = int(os.environ.get("BENCH_DASH_SAMPLES", "60"))
LOAD_SECONDS = float(os.environ.get("BENCH_DASH_LOAD_SECONDS", "8"))


def scratch_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


def admin(base: str, sql: str) -> None:
    with psycopg.connect(
        scratch_url(base, "postgres").replace("postgres://", "postgresql://", 1), autocommit=True
    ) as c:
        c.execute(sql)


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ms(x: float) -> str:
    return f"{x * 1000:7.1f} ms"


def timed_gets(client, urls: list[str], n: int) -> list[float]:
    out = []
    for i in range(n):
        url = urls[i % len(urls)]
        start = time.perf_counter()
        response = client.get(url)
        out.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return out


def latency(clients, label: str) -> tuple[float, float]:
    """(dashboard p95, bare p95) over the business units of the sampled partnerships."""
    dash, bare, shell = [], [], []
    for _ in range(2):  # warm up every worker path once
        for client, slug in clients:
            client.get(f"/p/{slug}/dashboard/")
            client.get(f"/bench/bare/{slug}/")
    per = max(1, SAMPLES // len(clients))
    for client, slug in clients:
        dash += timed_gets(client, [f"/p/{slug}/dashboard/", f"/p/{slug}/dashboard/?show=overdue"], per)
        bare += timed_gets(client, [f"/bench/bare/{slug}/"], per)
        shell += timed_gets(client, [f"/p/{slug}/closure-days/"], per)
    print(
        f"{label:<12} dashboard median {ms(statistics.median(dash))}  p95 {ms(pct(dash, 95))}   "
        f"bare view median {ms(statistics.median(bare))}  p95 {ms(pct(bare, 95))}   ({len(dash)} requests each)"
    )
    print(
        f"{'':<12} for scale, a plain page in the same layout (closure days): median "
        f"{ms(statistics.median(shell))}  p95 {ms(pct(shell, 95))}"
    )
    return pct(dash, 95), pct(bare, 95)


class Load(threading.Thread):
    def __init__(self, url: str, cookie: str, until: float, out: list[float], errors: list[str]) -> None:
        super().__init__(daemon=True)
        self.url, self.cookie, self.until, self.out, self.errors = url, cookie, until, out, errors

    def run(self) -> None:
        while time.perf_counter() < self.until:
            request = urllib.request.Request(self.url, headers={"Cookie": self.cookie})  # noqa: S310 - loopback
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
                    response.read()
                    if response.status != 200 or response.geturl() != self.url:
                        self.errors.append(str(response.status))
                        continue
            except (urllib.error.URLError, OSError) as exc:
                self.errors.append(type(exc).__name__)
                continue
            self.out.append(time.perf_counter() - start)


def load_test(base: str, users: list[tuple[str, str, int]]) -> dict[tuple[str, int], float]:
    """users: (session cookie, slug, an open case id). Returns requests per second by (page, users)."""
    rps: dict[tuple[str, int], float] = {}
    pages = {
        "dashboard": lambda slug, case: f"/p/{slug}/dashboard/",
        "case page": lambda slug, case: f"/p/{slug}/cases/{case}/",
        "bare view": lambda slug, case: f"/bench/bare/{slug}/",
    }
    for concurrency in (10, 50):
        for name, path in pages.items():
            out: list[float] = []
            errors: list[str] = []
            until = time.perf_counter() + LOAD_SECONDS
            threads = [
                Load(base + path(slug, case), cookie, until, out, errors)
                for cookie, slug, case in (users[i % len(users)] for i in range(concurrency))
            ]
            start = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - start
            rps[(name, concurrency)] = len(out) / elapsed
            p95 = pct(out, 95) if out else float("nan")
            print(
                f"{concurrency:>3} users  {name:<10} {len(out) / elapsed:7.1f} req/s   p95 {ms(p95)}   "
                f"errors {len(errors)}{' ' + str(sorted(set(errors))) if errors else ''}"
            )
    return rps


def main() -> None:
    base = os.environ.get("DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/safeguarding")
    if not base.startswith("postgres"):
        print("bench_dashboard: needs PostgreSQL (DATABASE_URL); skipped")
        return
    name = (urlsplit(base).path.strip("/") or "safeguarding") + "_bench_dash"
    admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(base, f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = scratch_url(base, name)
    os.environ["DJANGO_SETTINGS_MODULE"] = "_dash_settings"
    started = time.perf_counter()
    gunicorn = None
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        print(f"Scratch database {name} migrated in {time.perf_counter() - started:.0f} s")
        import _national as nat

        world = nat.partnerships(130)
        print(
            f"130 partnerships with agencies, profiles, users and memberships in {time.perf_counter() - started:.0f} s"
        )

        print("\n== Dashboard SQL queries per page, by visible open cases (one partnership)")
        counts = nat.query_counts(world.apart, [10, 100, 1000])
        for n, q in counts.items():
            print(f"{n:>6} open cases: {q} queries")
        print(f"same at every size: {verdict(len(set(counts.values())) == 1)}")

        t = time.perf_counter()
        made = nat.grow(world, 10_000)
        # Analysed as autovacuum would have after a bulk load: without it the planner's estimates are
        # those of empty tables and the 10k figures measure a stale plan, not the dashboard.
        nat.analyse()
        print(f"\n10,000 cases ({made:,} deadline rows) in {time.perf_counter() - t:.0f} s; analysed")
        clients = nat.clients(world, 12)
        print("\n== In-process latency (Django test client, through every middleware)")
        d10, _ = latency(clients, "10k cases")
        t = time.perf_counter()
        made = nat.grow(world, 100_000)
        print(f"\n+90,000 cases ({made:,} deadline rows) in {time.perf_counter() - t:.0f} s; analysing")
        nat.analyse()
        d100, b100 = latency(clients, "100k cases")
        print(f"dashboard p95 at 100k ÷ at 10k: {d100 / d10:.2f} (target ≤ 1.5) {verdict(d100 / d10 <= 1.5)}")
        print(
            f"dashboard p95 ÷ bare view p95 at 100k: {d100 / b100:.2f} (target ≤ 5) {verdict(d100 / b100 <= 5)}"
        )
        print(f"dashboard p95 at 100k: {ms(d100)} (target < 300 ms) {verdict(d100 < 0.3)}")

        print("\n== EXPLAIN (ANALYZE, BUFFERS) of the page query at 100k cases")
        plan = nat.explain(clients[0])
        print(plan)
        print(
            "index used: "
            + verdict("Index" in plan)
            + "; no sequential scan of every case: "
            + verdict("Seq Scan on cases_case" not in plan and "Seq Scan on deadlines_deadline" not in plan)
        )

        print("\n== possible_duplicates at 100k cases")
        nat.duplicates(world)

        print(
            "\n== Loopback load test: gunicorn --workers 2 --threads 4 --access-logfile - (as the Procfile "
            "of make run), signed-in users"
        )
        port = nat.free_port()
        env = {**os.environ, "PYTHONPATH": f"{PROJECT_ROOT / 'bench'}:{PROJECT_ROOT}"}
        gunicorn = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                # The access log as the Procfile writes it (to nowhere here): the same work per request.
                "--access-logfile",
                "-",
                "--access-logformat",
                '%(t)s "%(m)s %(U)s" %(s)s %(L)ss',
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base_url = f"http://127.0.0.1:{port}"
        nat.wait_for(base_url + "/accounts/sign-in/")
        rps = load_test(base_url, nat.sessions(world, 50))
        share = rps[("dashboard", 50)] / rps[("bare view", 50)]
        print(
            f"at 50 users, dashboard req/s ÷ bare view req/s: {share:.0%} (target ≥ 20%) {verdict(share >= 0.2)}"
        )
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        print(f"\nbench_dashboard finished in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
