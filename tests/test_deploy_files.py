"""docker-compose.yml and the Procfile describe the services the README promises.

There is no Docker engine on this machine kind, so `docker compose config` cannot run here (.ci/run
runs it where docker compose exists); this reads the file and checks what it must contain.
"""

from pathlib import Path

import yaml

BASE_DIR = Path(__file__).resolve().parent.parent


def test_docker_compose_runs_web_worker_beat_postgres_and_redis_with_health_checks():
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "db", "redis"}
    for name in ("web", "worker", "db", "redis"):
        assert "healthcheck" in services[name], name
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert env["DJANGO_DEBUG"] == "0"
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["worker"]["command"][:4] == ["celery", "-A", "policybuilder", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "policybuilder", "beat"]


def test_procfile_starts_gunicorn_a_worker_and_beat():
    lines = dict(line.split(":", 1) for line in (BASE_DIR / "Procfile").read_text().splitlines() if line.strip())
    assert "gunicorn policybuilder.wsgi --bind 127.0.0.1:$PORT" in lines["web"]
    assert "celery -A policybuilder worker" in lines["worker"]
    assert "celery -A policybuilder beat" in lines["beat"]
