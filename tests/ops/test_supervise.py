"""scripts/supervise.py: a process that dies is started again while the others keep running (honcho
stopped them all); one that keeps failing is retried with a growing pause; SIGTERM stops them all."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from tests.ops.embedded_stack import wait_for

ROOT = Path(__file__).resolve().parents[2]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0); it is dead for our purpose.
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"


def test_a_killed_process_is_restarted_and_the_others_keep_running(tmp_path):
    procfile = tmp_path / "Procfile"
    procfile.write_text("steady: sleep 300\nworker: sleep 300\nbroken: sh -c 'exit 3'\n")
    log = tmp_path / "supervise.log"
    run = tmp_path / "var" / "run"
    with log.open("wb") as out:
        sup = subprocess.Popen(
            [sys.executable, str(ROOT / "scripts" / "supervise.py"), "-f", str(procfile)],
            env={**os.environ, "VAR_DIR": str(tmp_path / "var")},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:

        def pid(name: str) -> int | None:
            try:
                return int((run / f"{name}.pid").read_text())
            except (FileNotFoundError, ValueError):
                return None

        wait_for(lambda: pid("steady") and pid("worker"), 10, "both processes to start")
        steady, worker = pid("steady"), pid("worker")
        os.kill(worker, signal.SIGKILL)
        wait_for(lambda: pid("worker") not in (None, worker), 10, "the worker to be started again")
        assert pid("steady") == steady and alive(steady)
        assert "worker exited (signal 9)" in log.read_text()
        # The broken one is retried after 1 s, then 2 s, then 4 s: never a tight loop.
        wait_for(lambda: "restarting in 4 s" in log.read_text(), 20, "the back-off to grow")
        text = log.read_text()
        assert (
            text.index("restarting in 1 s")
            < text.index("restarting in 2 s")
            < text.index("restarting in 4 s")
        )
        children = [steady, pid("worker")]
    finally:
        sup.send_signal(signal.SIGTERM)
        sup.wait(timeout=30)
    assert sup.returncode == 0
    assert not any(alive(p) for p in children if p)
    assert not list(run.glob("*.pid"))
