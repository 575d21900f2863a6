"""The embedded default as ``make run`` starts it — SQLite, the private Redis, scripts/supervise.py
over the Procfile — in a temporary VAR_DIR on a free port, and the kill -9 fault drill of issue 17.
Used by tests/ops/test_embedded_faults.py (once) and bench/bench_embedded_faults.py (20 times)."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
SERVICE_VARIABLES = {
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "EMAIL_URL",
    "SECRET_KEY",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ENV",
    "DJANGO_SECURE",
}
# The file backend folds long headers: "Message-ID: \n <uuid@domain>".
MESSAGE_ID = re.compile(r"^Message-ID:\s*(<[^>]+>)", re.MULTILINE)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check, timeout: float, what: str, interval: float = 0.5) -> None:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


class WebWatcher(threading.Thread):
    """Asks the web server for a page and the health probe every 0.25 s; counts every answer that
    is not 200, including refused connections."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        self.base = base
        self.ok = 0
        self.errors: list[str] = []
        self.halt = threading.Event()

    def run(self) -> None:
        paths = ("/healthz", "/accounts/sign-in/", "/accessibility/")
        n = 0
        while not self.halt.is_set():
            path = paths[n % len(paths)]
            n += 1
            try:
                with urllib.request.urlopen(self.base + path, timeout=10) as response:  # noqa: S310 - http://127.0.0.1
                    if response.status == 200:
                        self.ok += 1
                    else:
                        self.errors.append(f"{path}: {response.status}")
            except (urllib.error.URLError, OSError) as exc:
                self.errors.append(f"{path}: {exc}")
            self.halt.wait(0.25)

    def stop(self) -> None:
        self.halt.set()
        self.join(timeout=15)


@dataclass
class DrillResult:
    due: int
    lost: int
    doubled: int
    web_errors: int
    web_ok: int
    pack_ready: bool
    worker_restarted: bool
    seconds: float
    notes: list[str] = field(default_factory=list)


class EmbeddedStack:
    def __init__(self, var_dir: Path, **extra_env: str) -> None:
        self.var_dir = var_dir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
        env.update(
            VAR_DIR=str(var_dir), BIND=f"127.0.0.1:{self.port}", DJANGO_SETTINGS_MODULE="config.settings"
        )
        self.env = env
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path = var_dir / "supervise.log"

    # -- set-up -------------------------------------------------------------------------------
    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [PY, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300
        )
        if result.returncode:
            raise AssertionError(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def prepare(self) -> dict:  # type: ignore[type-arg]
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.manage("migrate", "--noinput", "-v", "0")
        out = self.manage("shell", "-c", "from tests.ops.embedded_seed import seed; seed()")
        return json.loads(out.strip().splitlines()[-1])

    def start(self) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child writes it until stop()
        self.proc = subprocess.Popen(
            [PY, str(ROOT / "scripts" / "supervise.py"), "-f", str(ROOT / "Procfile")],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=45)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self.proc = None

    # -- observation --------------------------------------------------------------------------
    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def pid(self, name: str) -> int | None:
        try:
            return int((self.var_dir / "run" / f"{name}.pid").read_text())
        except (FileNotFoundError, ValueError):
            return None

    def answers(self, path: str = "/healthz") -> bool:
        try:
            with urllib.request.urlopen(self.base + path, timeout=5) as response:  # noqa: S310 - http://127.0.0.1
                return bool(response.status == 200)
        except (urllib.error.URLError, OSError):
            return False

    def query(self, sql: str, *params: object) -> list[tuple]:  # type: ignore[type-arg]
        db = sqlite3.connect(self.var_dir / "db.sqlite3", timeout=20)
        try:
            return db.execute(sql, params).fetchall()
        finally:
            db.close()

    def delivered(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for path in (self.var_dir / "mail").glob("*"):
            counts.update(MESSAGE_ID.findall(path.read_text(errors="replace")))
        return counts

    # -- the drill ----------------------------------------------------------------------------
    def drill(self, seeded: dict, timeout: float = 150) -> DrillResult:  # type: ignore[type-arg]
        """Queue the pack and a delivery round, kill -9 the worker as soon as it holds the pack and a
        reminder batch, and wait for everything to be done by the worker the supervisor starts again."""
        started = time.monotonic()
        notes: list[str] = []
        review_table, outbox_table = seeded["review_table"], seeded["outbox_table"]
        wait_for(lambda: self.answers("/readyz"), 60, "the web server and its services")
        wait_for(lambda: "celery@" in self.log() and " ready." in self.log(), 60, "the worker")
        watcher = WebWatcher(self.base)
        watcher.start()
        try:
            first_worker = self.pid("worker")
            assert first_worker is not None
            mark = len(self.log())
            trigger = subprocess.Popen(
                [
                    PY,
                    "manage.py",
                    "shell",
                    "-c",
                    f"from tests.ops.embedded_seed import trigger; trigger({seeded['review']}, {seeded['bu']})",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            # The kill lands the moment the worker holds the pack and a reminder batch.
            wait_for(
                lambda: all(
                    t in self.log()[mark:] for t in ("rapidreview.build_pack[", "notifications.send_batch[")
                ),
                60,
                "the worker to take the pack and a reminder batch",
                0.05,
            )
            os.kill(first_worker, signal.SIGKILL)
            _out, err = trigger.communicate(timeout=60)
            assert trigger.returncode == 0, err.decode()
            sent_at_kill = self.query(f"SELECT count(*) FROM {outbox_table} WHERE status = 'sent'")[0][0]  # noqa: S608
            notes.append(
                f"killed the worker (pid {first_worker}) with {sent_at_kill} of {seeded['due']} sent"
            )
            wait_for(
                lambda: self.pid("worker") not in (None, first_worker),
                30,
                "the supervisor to restart the worker",
            )

            def done() -> bool:
                pack = self.query(f"SELECT pack_status FROM {review_table} WHERE id = ?", seeded["review"])  # noqa: S608
                sent = self.query(f"SELECT count(*) FROM {outbox_table} WHERE status = 'sent'")[0][0]  # noqa: S608
                return bool(pack and pack[0][0] == "ready" and sent >= seeded["due"])

            try:
                wait_for(done, timeout, "the pack and every reminder")
            except AssertionError as exc:
                notes.append(str(exc))
        finally:
            watcher.stop()
        delivered = self.delivered()
        expected = set(seeded["message_ids"])
        pack = self.query(f"SELECT pack_status, pack_file FROM {review_table} WHERE id = ?", seeded["review"])  # noqa: S608
        pack_ready = bool(pack and pack[0][0] == "ready" and (self.var_dir / "media" / pack[0][1]).is_file())
        return DrillResult(
            due=len(expected),
            lost=len(expected - set(delivered)),
            doubled=sum(1 for m in expected if delivered[m] > 1),
            web_errors=len(watcher.errors),
            web_ok=watcher.ok,
            pack_ready=pack_ready,
            worker_restarted=self.pid("worker") not in (None, first_worker),
            seconds=time.monotonic() - started,
            notes=notes + watcher.errors[:5],
        )
