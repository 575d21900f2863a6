"""The kill -9 drill of the embedded default, repeated (issue 17 acceptance): 20 runs by default.

    make bench      (or: python bench/bench_embedded_faults.py [--runs N])

Each run starts the embedded default as ``make run`` does — SQLite, the private Redis, and
scripts/supervise.py over the Procfile — in a fresh temporary VAR_DIR on a free port (a copy of one
database migrated and seeded once: the demo partnerships and cases, a rapid review, and 60 deadlines
due on a working day whose reminders the sweep has put in the outbox). It then asks for the rapid
review pack and a delivery round, kills the worker with SIGKILL the moment it has taken the pack,
and waits for the supervisor's new worker to finish. Counted per run and in total: reminders lost
(in the outbox but never written to var/mail), doubled (the same Message-ID written twice), web
errors (any non-200 or refused connection from a watcher asking for a page every 0.25 s), whether
the pack was built, and the wall time. Each run waits out the broker's visibility timeout (60 s),
so 20 runs take about half an hour. Reported, never enforced (exits 0).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
from pathlib import Path

from _common import add_project_to_path

add_project_to_path()

from tests.ops.embedded_stack import EmbeddedStack  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description="kill -9 drill of the embedded default")
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_FAULT_RUNS", "20")))
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-faults-"))
    template = EmbeddedStack(root / "template")
    seeded = template.prepare()
    print(f"seeded: {seeded['due']} reminders due, rapid review {seeded['review']}", flush=True)
    totals = {"lost": 0, "doubled": 0, "web_errors": 0, "web_ok": 0, "pack_missing": 0, "not_restarted": 0}
    for run in range(1, args.runs + 1):
        var = root / f"run-{run:02d}"
        var.mkdir()
        for path in template.var_dir.glob("db.sqlite3*"):
            shutil.copy2(path, var / path.name)
        shutil.copy2(template.var_dir / "secret_key", var / "secret_key")
        stack = EmbeddedStack(var)
        stack.start()
        try:
            result = stack.drill(seeded)
        finally:
            stack.stop()
        totals["lost"] += result.lost
        totals["doubled"] += result.doubled
        totals["web_errors"] += result.web_errors
        totals["web_ok"] += result.web_ok
        totals["pack_missing"] += 0 if result.pack_ready else 1
        totals["not_restarted"] += 0 if result.worker_restarted else 1
        print(
            f"run {run:2d}: due {result.due}, lost {result.lost}, doubled {result.doubled}, "
            f"web errors {result.web_errors} of {result.web_errors + result.web_ok} requests, "
            f"pack {'built' if result.pack_ready else 'MISSING'}, worker "
            f"{'restarted' if result.worker_restarted else 'NOT restarted'}, {result.seconds:.0f} s; "
            + "; ".join(result.notes[:2]),
            flush=True,
        )
        if result.lost or result.doubled or result.web_errors or not result.pack_ready:
            print(stack.log()[-3000:], flush=True)
        else:
            shutil.rmtree(var, ignore_errors=True)
    verdict = "PASS" if not any(v for k, v in totals.items() if k != "web_ok") else "FAIL"
    print(f"{verdict} embedded faults, {args.runs} runs: " + json.dumps(totals), flush=True)
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
