"""Two web processes and two workers against one PostgreSQL and one Redis on loopback, a load test
through both web processes, and one worker killed with SIGKILL mid-run (issue 17, docs/deploy.md).

    make bench      (or: DATABASE_URL=postgres://…/name python bench/bench_two_web_two_workers.py)

A scratch database ``<name>_bench_2w2w`` is created on the server of DATABASE_URL (dropped at the
end), migrated and seeded as the embedded fault drill is (tests/ops/embedded_seed.py: 129 reminders
due, a rapid review). scripts/supervise.py runs a private redis-server on a free TCP port, two
gunicorn processes (1 process × 4 threads each, two ports), two Celery workers (2 threads each) and
one beat. Eight client threads ask both web processes in turn for the sign-in page, the
accessibility statement and /readyz for ``--seconds`` (60). Five seconds in, the pack is asked for
and the reminders fall due; worker 1 is killed the moment it holds a reminder batch. The broker's
visibility timeout is 30 s here (CELERY_VISIBILITY_TIMEOUT), so the killed worker's batch is handed
to a live worker about 30 s later. Printed: requests, errors and latency per web process;
reminders lost and doubled (by Message-ID in the e-mail files); whether the pack was built; how long
until everything was delivered. Reported, never enforced (exits 0).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from _common import PROJECT_ROOT, add_project_to_path

add_project_to_path()

from tests.ops.embedded_stack import MESSAGE_ID, free_port, wait_for  # noqa: E402

PY = str(PROJECT_ROOT / ".venv" / "bin" / "python")
BIN = PROJECT_ROOT / ".venv" / "bin"
PATHS = ("/accounts/sign-in/", "/accessibility/", "/readyz")


def scratch_url(base: str, name: str) -> str:
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", "", ""))


def admin(base: str, sql: str) -> None:
    with psycopg.connect(
        scratch_url(base, "postgres").replace("postgres://", "postgresql://", 1), autocommit=True
    ) as c:
        c.execute(sql)


class Load(threading.Thread):
    def __init__(
        self, bases: list[str], index: int, stats: dict[str, list[float]], errors: Counter[str]
    ) -> None:
        super().__init__(daemon=True)
        self.bases, self.index, self.stats, self.errors = bases, index, stats, errors
        self.halt = threading.Event()

    def run(self) -> None:
        n = self.index
        while not self.halt.is_set():
            base = self.bases[n % len(self.bases)]
            path = PATHS[n % len(PATHS)]
            n += 1
            start = time.perf_counter()
            try:
                with urllib.request.urlopen(base + path, timeout=15) as response:  # noqa: S310 - loopback
                    response.read()
                    ok = response.status == 200
            except (urllib.error.URLError, OSError):
                ok = False
            took = time.perf_counter() - start
            if ok:
                self.stats[base].append(took)
            else:
                self.errors[base] += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    base_url = os.environ.get("DATABASE_URL", "postgres://postgres:postgres@127.0.0.1:5432/safeguarding")
    name = f"{urlsplit(base_url).path.lstrip('/')}_bench_2w2w"
    admin(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin(base_url, f'CREATE DATABASE "{name}"')
    var = Path(tempfile.mkdtemp(prefix="bench-2w2w-"))
    redis_port, web1, web2 = free_port(), free_port(), free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ENV", "EMAIL_URL", "CELERY_BROKER_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=scratch_url(base_url, name),
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        VAR_DIR=str(var),
        DJANGO_SECURE="false",
        SECRET_KEY="bench-only-" + "x" * 50,
        CELERY_VISIBILITY_TIMEOUT="30",
    )
    procfile = var / "Procfile"
    gunicorn = f"{BIN}/gunicorn config.wsgi --workers 1 --threads 4"
    worker = f"{BIN}/celery -A config worker --loglevel INFO --concurrency 2 --pool threads"
    procfile.write_text(
        f"broker: redis-server --port {redis_port} --bind 127.0.0.1 --save '' --appendonly no --dir {var}\n"
        f"web1: {gunicorn} --bind 127.0.0.1:{web1}\n"
        f"web2: {gunicorn} --bind 127.0.0.1:{web2}\n"
        f"worker1: {worker} -n worker1@%h\n"
        f"worker2: {worker} -n worker2@%h\n"
        f"beat: {BIN}/celery -A config beat --loglevel INFO --schedule {var}/celerybeat-schedule\n"
    )

    def manage(*cmd: str) -> str:
        result = subprocess.run(
            [PY, "manage.py", *cmd], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False
        )
        if result.returncode:
            raise SystemExit(f"manage.py {cmd[0]} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    sup = None
    try:
        manage("migrate", "--noinput", "-v", "0")
        manage("collectstatic", "--noinput", "-v", "0")  # production's hashed static files (staticfiles/)
        seeded = json.loads(
            manage("shell", "-c", "from tests.ops.embedded_seed import seed; seed()").strip().splitlines()[-1]
        )
        log_path = var / "supervise.log"
        with log_path.open("wb") as log:
            sup = subprocess.Popen(
                [PY, str(PROJECT_ROOT / "scripts" / "supervise.py"), "-f", str(procfile)],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

        def log_text() -> str:
            return log_path.read_text(errors="replace")

        bases = [f"http://127.0.0.1:{web1}", f"http://127.0.0.1:{web2}"]

        def ready() -> bool:
            try:
                return all(urllib.request.urlopen(b + "/readyz", timeout=5).status == 200 for b in bases)  # noqa: S310
            except (urllib.error.URLError, OSError):
                return False

        wait_for(ready, 90, "both web processes")
        wait_for(lambda: log_text().count(" ready.") >= 2, 90, "both workers")
        stats: dict[str, list[float]] = {b: [] for b in bases}
        errors: Counter[str] = Counter()
        clients = [Load(bases, i, stats, errors) for i in range(args.clients)]
        started = time.monotonic()
        for c in clients:
            c.start()
        time.sleep(5)
        mark = len(log_text())
        trigger = subprocess.Popen(
            [
                PY,
                "manage.py",
                "shell",
                "-c",
                f"from tests.ops.embedded_seed import trigger; trigger({seeded['review']}, {seeded['bu']})",
            ],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        wait_for(
            lambda: any(
                " worker1 " in line and "send_batch[" in line and "received" in line
                for line in log_text()[mark:].splitlines()
            ),
            60,
            "worker 1 to take a reminder batch",
            0.05,
        )
        victim = int((var / "run" / "worker1.pid").read_text())
        os.kill(victim, signal.SIGKILL)
        killed_at = time.monotonic() - started
        trigger.communicate(timeout=120)

        with psycopg.connect(env["DATABASE_URL"].replace("postgres://", "postgresql://", 1)) as db:

            def done() -> bool:
                sent = db.execute(
                    "SELECT count(*) FROM notifications_outboxmessage WHERE status = 'sent'"
                ).fetchone()
                pack = db.execute(
                    "SELECT pack_status FROM rapidreview_rapidreview WHERE id = %s", [seeded["review"]]
                ).fetchone()
                db.commit()
                return bool(sent[0] >= seeded["due"] and pack and pack[0] == "ready")

            try:
                wait_for(done, 180, "every reminder and the pack", 1)
                finished = f"{time.monotonic() - started:.0f} s after the load started"
            except AssertionError as exc:
                finished = f"NOT finished: {exc}"
            pack_ready = done()
        remaining = args.seconds - (time.monotonic() - started)
        if remaining > 0:
            time.sleep(remaining)
        for c in clients:
            c.halt.set()
        for c in clients:
            c.join(timeout=20)
        wall = time.monotonic() - started
        delivered: Counter[str] = Counter()
        for path in (var / "mail").glob("*"):
            delivered.update(MESSAGE_ID.findall(path.read_text(errors="replace")))
        expected = set(seeded["message_ids"])
        lost = len(expected - set(delivered))
        doubled = sum(1 for m in expected if delivered[m] > 1)
        total_ok = sum(len(v) for v in stats.values())
        total_err = sum(errors.values())
        for b in bases:
            lat = sorted(stats[b])
            if lat:
                p95 = lat[int(0.95 * (len(lat) - 1))]
                print(
                    f"{b}: {len(lat)} ok, {errors[b]} errors, median {statistics.median(lat) * 1000:.0f} ms, "
                    f"p95 {p95 * 1000:.0f} ms, max {lat[-1] * 1000:.0f} ms"
                )
        print(
            f"load: {args.clients} clients, {wall:.0f} s, {total_ok / wall:.1f} requests/s, {total_err} errors; "
            f"worker 1 killed at {killed_at:.1f} s; restarted by the supervisor: "
            f"{'yes' if 'worker1 exited (signal 9)' in log_text() else 'no'}"
        )
        print(
            f"reminders: {len(expected)} due, {lost} lost, {doubled} doubled; pack "
            f"{'built' if pack_ready else 'MISSING'}; all done {finished}"
        )
        verdict = "PASS" if not (lost or doubled or total_err) and pack_ready else "FAIL"
        print(f"{verdict} two web, two workers, one worker killed mid-run")
    finally:
        if sup is not None:
            sup.send_signal(signal.SIGTERM)
            try:
                sup.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(sup.pid, signal.SIGKILL)
        admin(base_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
