"""docker-compose.yml, checked for structure (issue 17). No Docker engine runs here, so this is not
proof that the stack starts: it pins the ordering, health checks, shared files and fail-closed
environment that docs/deploy.md promises."""

from __future__ import annotations

from pathlib import Path

import yaml

from ops.environment import REQUIRED

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES = COMPOSE["services"]
APP = ("web", "worker", "beat")
MEDIA = "/var/lib/reviews/media"


def test_web_worker_and_beat_wait_for_migrations_and_healthy_services():
    for name in APP:
        depends = SERVICES[name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}, name
        assert depends["db"] == {"condition": "service_healthy"}, name
        assert depends["redis"] == {"condition": "service_healthy"}, name


def test_migrate_runs_once_after_the_database_is_healthy():
    migrate = SERVICES["migrate"]
    assert migrate["command"][-2:] == ["migrate", "--noinput"]
    assert migrate["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert migrate["restart"] == "no"


def test_web_redis_and_postgresql_have_health_checks():
    for name in ("web", "db", "redis"):
        check = SERVICES[name]["healthcheck"]
        assert check["test"] and check["interval"], name
    assert "/healthz" in " ".join(SERVICES["web"]["healthcheck"]["test"])


def test_web_and_worker_see_the_same_files():
    mounts = {name: SERVICES[name].get("volumes", []) for name in ("web", "worker")}
    assert f"media:{MEDIA}" in mounts["web"] and f"media:{MEDIA}" in mounts["worker"]
    assert "media" in COMPOSE["volumes"]
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert f"MEDIA_DIR={MEDIA}" in dockerfile


def test_every_app_service_runs_in_production_mode_with_every_required_variable():
    for name in (*APP, "migrate"):
        environment = SERVICES[name]["environment"]
        assert environment["DJANGO_ENV"] == "production", name
        missing = set(REQUIRED) - set(environment)
        assert not missing, f"{name} lacks {missing}"
    # Secrets have no defaults: compose refuses to start without them.
    env = SERVICES["web"]["environment"]
    assert ":?" in env["SECRET_KEY"] and ":?" in env["ALLOWED_HOSTS"]


def test_state_lives_in_named_volumes():
    assert "pgdata:/var/lib/postgresql/data" in SERVICES["db"]["volumes"]
    assert "redisdata:/data" in SERVICES["redis"]["volumes"]
    assert "--appendonly" in SERVICES["redis"]["command"]
