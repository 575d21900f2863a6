"""The embedded default's private Redis: where it listens and how it is started.

``make run`` (scripts/supervise.py over the Procfile) starts ``python -m ops.embedded`` beside the
web server, the worker and beat. It listens on a Unix socket under ``VAR_DIR`` only (no TCP port, so
two checkouts never collide and nothing outside the machine reaches it) and keeps an append-only
file there, so queued tasks survive a restart. No Django imports: settings use it."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import sys
import tempfile
from pathlib import Path

# A Unix socket path must fit in sun_path (108 bytes on Linux, including the NUL).
_MAX_SOCKET_PATH = 100


def var_dir(base_dir: Path) -> Path:
    return Path(os.environ.get("VAR_DIR") or base_dir / "var")


def broker_dir(var: Path) -> Path:
    return var / "broker"


def broker_socket(var: Path) -> Path:
    """The socket path: under ``VAR_DIR``, or (when that path is too long for a socket) a name in the
    temporary directory derived from ``VAR_DIR`` so that every process computes the same one."""
    path = broker_dir(var) / "redis.sock"
    if len(str(path)) <= _MAX_SOCKET_PATH:
        return path
    digest = hashlib.sha256(str(var.resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"safeguarding-broker-{digest}.sock"


def broker_url(var: Path) -> str:
    return f"redis+socket://{broker_socket(var)}"


def redis_command(var: Path, redis_server: str = "redis-server") -> list[str]:
    folder = broker_dir(var)
    return [
        redis_server,
        "--port", "0",
        "--unixsocket", str(broker_socket(var)),
        "--unixsocketperm", "700",
        "--dir", str(folder),
        "--appendonly", "yes",
        "--appendfsync", "everysec",
        "--save", "",
        "--daemonize", "no",
        "--loglevel", "warning",
        # The queue is small; a cap keeps a runaway producer from eating the machine.
        "--maxmemory", "256mb",
        "--maxmemory-policy", "noeviction",
    ]  # fmt: skip


def _answers(path: Path) -> bool:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(1)
        try:
            s.connect(str(path))
        except OSError:
            return False
        return True


def main() -> None:
    """Replace this process with redis-server (so the supervisor's signals reach Redis itself)."""
    base = Path(__file__).resolve().parent.parent
    var = var_dir(base)
    broker_dir(var).mkdir(parents=True, exist_ok=True)
    server = shutil.which("redis-server")
    if server is None:
        sys.exit(
            "redis-server is not installed: the embedded default uses a private Redis as its task "
            "queue. Install it with: sudo apt-get install redis-server (or run scripts/ensure-system-packages.sh)"
        )
    path = broker_socket(var)
    if path.exists():
        if _answers(path):
            sys.exit(f"another Redis already serves {path}: is the app already running from this VAR_DIR?")
        path.unlink()  # left behind by a Redis that was killed
    os.execv(server, redis_command(var, server))  # noqa: S606 - a fixed argument list, no shell


if __name__ == "__main__":
    main()
