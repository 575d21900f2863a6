"""Run the Procfile's processes and keep them running (the embedded default's supervisor).

honcho stops every process when one of them exits, so a worker that died took the web server with it
(issue 17). This starts each Procfile line in its own process group, prefixes its output with its
name, and restarts a process that exits — at once if it had run for a while, then backing off to at
most 30 seconds if it keeps failing. The others keep running meanwhile. Ctrl-C (SIGINT) or SIGTERM
stops the app processes, then the broker last, so a worker can hand its tasks back on the way out.

Each running process's id is written to ``$VAR_DIR/run/<name>.pid`` (``kill -9 $(cat var/run/worker.pid)``
is the fault drill of docs/deploy.md). Usage: ``supervise.py [-f Procfile]``; ``VAR_DIR`` defaults to
``var/`` beside this repository and is passed on to every process."""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STEADY_AFTER = 30.0  # seconds a process must run before a crash counts as a one-off
MAX_BACKOFF = 30.0
STOP_GRACE = 15.0
STOP_LAST = ("broker",)
print_lock = threading.Lock()


def say(name: str, text: str) -> None:
    with print_lock:
        sys.stdout.write(f"{time.strftime('%H:%M:%S')} {name:<10}| {text}\n")
        sys.stdout.flush()


def read_procfile(path: Path) -> list[tuple[str, str]]:
    entries = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, command = line.partition(":")
        if not command.strip():
            raise SystemExit(f"{path}: cannot read the line {line!r} (expected 'name: command')")
        entries.append((name.strip(), command.strip()))
    return entries


@dataclass
class Child:
    name: str
    command: str
    run_dir: Path
    env: dict[str, str]
    proc: subprocess.Popen[bytes] | None = None
    started: float = 0.0
    backoff: float = 0.0
    restart_at: float = 0.0
    restarts: int = 0
    threads: list[threading.Thread] = field(default_factory=list)

    @property
    def pid_file(self) -> Path:
        return self.run_dir / f"{self.name}.pid"

    def start(self) -> None:
        # exec: the shell expands ${BIND:-…} and is replaced by the program, so signals reach it.
        self.proc = subprocess.Popen(
            ["/bin/sh", "-c", f"exec {self.command}"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.started = time.monotonic()
        tmp = self.pid_file.with_suffix(".tmp")
        tmp.write_text(f"{self.proc.pid}\n")
        tmp.replace(self.pid_file)
        reader = threading.Thread(target=self._pump, args=(self.proc,), daemon=True)
        reader.start()
        self.threads = [reader]
        say("supervise", f"started {self.name} (pid {self.proc.pid})")

    def _pump(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        for raw in proc.stdout:
            say(self.name, raw.decode(errors="replace").rstrip())

    def check(self, now: float) -> None:
        """Notice an exit and schedule, or perform, the restart."""
        if self.proc is None:
            if now >= self.restart_at:
                self.restarts += 1
                self.start()
            return
        code = self.proc.poll()
        if code is None:
            return
        ran = now - self.started
        self.backoff = 0.0 if ran >= STEADY_AFTER else min(MAX_BACKOFF, max(1.0, self.backoff * 2))
        how = f"signal {-code}" if code < 0 else f"code {code}"
        say("supervise", f"{self.name} exited ({how}) after {ran:.0f} s; restarting in {self.backoff:.0f} s")
        self.proc = None
        self.pid_file.unlink(missing_ok=True)
        self.restart_at = now + self.backoff

    def signal(self, sig: int) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, sig)

    def wait(self, until: float) -> bool:
        if self.proc is None:
            return True
        try:
            self.proc.wait(timeout=max(0.0, until - time.monotonic()))
        except subprocess.TimeoutExpired:
            return False
        return True


class Supervisor:
    def __init__(self, procfile: Path) -> None:
        env = dict(os.environ)
        var_dir = Path(env.get("VAR_DIR") or ROOT / "var").resolve()
        env["VAR_DIR"] = str(var_dir)
        env.setdefault("PYTHONUNBUFFERED", "1")
        run_dir = var_dir / "run"
        run_dir.mkdir(parents=True, exist_ok=True)
        self.children = [Child(name, cmd, run_dir, env) for name, cmd in read_procfile(procfile)]
        self.stopping = False

    def request_stop(self, signum: int, _frame: object) -> None:
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGINT, self.request_stop)
        signal.signal(signal.SIGTERM, self.request_stop)
        for child in self.children:
            child.start()
        while not self.stopping:
            now = time.monotonic()
            for child in self.children:
                child.check(now)
            time.sleep(0.2)
        self.stop()
        return 0

    def stop(self) -> None:
        first = [c for c in self.children if c.name not in STOP_LAST]
        last = [c for c in self.children if c.name in STOP_LAST]
        for group in (first, last):
            say("supervise", "stopping " + ", ".join(c.name for c in group))
            for child in group:
                child.signal(signal.SIGTERM)
            until = time.monotonic() + STOP_GRACE
            for child in group:
                if not child.wait(until):
                    say("supervise", f"{child.name} did not stop within {STOP_GRACE:.0f} s; killing it")
                    child.signal(signal.SIGKILL)
                    child.wait(time.monotonic() + 5)
                child.pid_file.unlink(missing_ok=True)
                for thread in child.threads:
                    thread.join(timeout=2)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-f", "--procfile", type=Path, default=ROOT / "Procfile")
    args = parser.parse_args()
    return Supervisor(args.procfile).run()


if __name__ == "__main__":
    sys.exit(main())
