#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on 127.0.0.1 for the tests.
# Uses them when they already run; otherwise, as root, installs them from Debian packages and starts
# them; otherwise stops with a message saying what to install.
set -euo pipefail
PY=${PY:-.venv/bin/python}

pg_ok() {
  $PY - <<'PY' 2>/dev/null
import psycopg
psycopg.connect("host=127.0.0.1 port=5432 user=postgres password=postgres dbname=postgres", connect_timeout=3).close()
PY
}
redis_ok() {
  $PY -c "import redis; redis.Redis(host='127.0.0.1', port=6379, socket_timeout=3).ping()" 2>/dev/null
}
is_root() { [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; }

if ! pg_ok; then
  if ! is_root; then
    echo "PostgreSQL is not answering on 127.0.0.1:5432. Install and start it (Debian: sudo apt-get install postgresql)," >&2
    echo "with a 'postgres' user whose password is 'postgres', or set TEST_DATABASE_URL." >&2
    exit 1
  fi
  if ! command -v pg_ctlcluster >/dev/null; then
    echo "Installing PostgreSQL from Debian packages"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(ls /etc/postgresql | sort -n | tail -1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do su postgres -c "psql -qc 'select 1'" >/dev/null 2>&1 && break; sleep 1; done
  su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null
  pg_ok || { echo "PostgreSQL started but does not accept connections on 127.0.0.1:5432" >&2; exit 1; }
  echo "Started PostgreSQL $version"
fi

if ! redis_ok; then
  if ! is_root; then
    echo "Redis is not answering on 127.0.0.1:6379. Install and start it (Debian: sudo apt-get install redis-server)," >&2
    echo "or set TEST_REDIS_URL." >&2
    exit 1
  fi
  if ! command -v redis-server >/dev/null; then
    echo "Installing Redis from Debian packages"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/test.log
  for _ in $(seq 1 20); do redis_ok && break; sleep 0.5; done
  redis_ok || { echo "Redis started but does not answer on 127.0.0.1:6379" >&2; exit 1; }
  echo "Started Redis"
fi
