"""Real processes for the chaos tests: an SMTP sink that records Message-IDs, a private
redis-server, and Celery worker and beat processes."""

from __future__ import annotations

import asyncio
import contextlib
import email
import os
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parents[2]
CELERY = str(ROOT / ".venv" / "bin" / "celery")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check: Callable[[], bool], timeout: float, what: str, interval: float = 0.2) -> None:
    end = time.monotonic() + timeout
    while not check():
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


class SinkHandler:
    """Accepts mail (after ``delay`` seconds) and records each accepted message's Message-ID.

    A message whose sender hangs up before the reply is not accepted — as a real server
    discards a transaction it never answered. ``refusing`` answers 451 (try again later)."""

    def __init__(self, delay: float = 0.0) -> None:
        self.delay = delay
        self.refusing = False
        self.refused = 0
        self.accepted: list[str] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.refusing:
            self.refused += 1
            return "451 4.3.0 Try again later"
        if self.delay:
            await asyncio.sleep(self.delay)
        if server.transport is None or server.transport.is_closing():
            return "451 4.4.2 Connection lost"
        message_id = "".join(str(email.message_from_bytes(envelope.content)["Message-ID"]).split())
        with self.lock:
            self.accepted.append(message_id)
        return "250 OK"

    def ids(self) -> list[str]:
        with self.lock:
            return list(self.accepted)


class Sink:
    def __init__(self, delay: float = 0.0) -> None:
        self.port = free_port()
        self.handler = SinkHandler(delay)
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class Redis:
    """A private redis-server on a free port, restartable; never the machine's shared one."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.workdir = workdir
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._ping, 10, "redis-server to answer")

    def _ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.proc is not None:
            subprocess.run(
                ["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True, check=False
            )
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None


class Processes:
    """Worker and beat processes, each in its own process group; logs under ``workdir``."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.workdir = workdir
        self.env = env
        self.procs: list[subprocess.Popen] = []
        self.n = 0

    def _start(self, args: list[str], name: str) -> subprocess.Popen:
        self.n += 1
        log = open(self.workdir / f"{self.n:02d}-{name}.log", "w")  # noqa: SIM115
        proc = subprocess.Popen(
            [CELERY, "-A", "tests.notifications.celery_app", *args],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append(proc)
        return proc

    def worker(self, name: str = "w") -> subprocess.Popen:
        return self._start(
            [
                "worker",
                "--pool",
                "threads",
                "--concurrency",
                "2",
                "--loglevel",
                "INFO",
                "-n",
                f"{name}{self.n}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
            "worker",
        )

    def beat(self) -> subprocess.Popen:
        k = self.n + 1
        return self._start(
            [
                "beat",
                "--loglevel",
                "INFO",
                "-s",
                str(self.workdir / f"beat-{k}.db"),
                "--pidfile",
                str(self.workdir / f"beat-{k}.pid"),
            ],
            "beat",
        )

    @staticmethod
    def kill(proc: subprocess.Popen) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGTERM)
                    proc.wait(timeout=10)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    self.kill(proc)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.workdir.glob("*.log")))
