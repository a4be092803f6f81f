"""docker-compose.yml and `make run`'s supervisor configuration describe the services the README promises.

There is no Docker engine on this machine kind, so `docker compose config` cannot run here (.ci/run
runs it where docker compose exists); this reads the file and checks what it must contain.
"""

from pathlib import Path

import yaml

BASE_DIR = Path(__file__).resolve().parent.parent


def test_docker_compose_runs_web_worker_beat_postgres_and_redis_with_health_checks():
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"proxy", "migrate", "web", "worker", "beat", "db", "redis"}
    for name in ("proxy", "web", "worker", "beat", "db", "redis"):
        assert "healthcheck" in services[name], name
        assert services[name]["restart"] == "unless-stopped", name  # one crash never takes the others down
    for name in ("migrate", "web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://redis:")
        assert env["DJANGO_DEBUG"] == "0"
        assert services[name]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["worker"]["command"][:4] == ["celery", "-A", "policybuilder", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "policybuilder", "beat"]


def test_a_proxy_started_by_compose_spreads_requests_over_the_web_replicas():
    services = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())["services"]
    assert services["web"]["deploy"]["replicas"] == "${WEB_REPLICAS:-2}"
    assert "ports" not in services["web"]  # only the proxy is published
    assert services["proxy"]["ports"] == ["127.0.0.1:8000:8080"]
    assert services["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"
    mount = services["proxy"]["volumes"][0].split(":")
    assert mount[1] == "/etc/nginx/nginx.conf"
    conf = (BASE_DIR / mount[0]).read_text()
    assert "server web:8000" in conf and "proxy_pass http://web;" in conf and "listen 8080;" in conf
    # Migrations run once, before any web process starts; the web processes only serve.
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "migrate --noinput" in services["migrate"]["command"][-1]
    assert "gunicorn policybuilder.wsgi" in services["web"]["command"][-1]


def test_the_worker_health_check_pings_this_worker_and_beats_checks_its_schedule_file():
    services = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())["services"]
    assert "-d worker@$$HOSTNAME" in services["worker"]["healthcheck"]["test"][1]
    assert services["worker"]["command"][services["worker"]["command"].index("--hostname") + 1] == "worker@%h"
    assert services["beat"]["healthcheck"]["test"] == ["CMD", "python", "-m", "policybuilder.runtime", "beat-healthy"]


def supervisor_programs(**conf):
    import configparser

    from policybuilder import runtime

    parser = configparser.RawConfigParser()
    parser.read_string(runtime.supervisor_config({"port": 8123, "web_workers": 3, "worker_concurrency": 2, **conf}))
    return {name.split(":", 1)[1]: dict(parser[name]) for name in parser.sections() if name.startswith("program:")}


def test_make_run_supervises_web_worker_beat_and_the_embedded_redis_and_restarts_them(tmp_path):
    programs = supervisor_programs(data=tmp_path, redis_url="")
    assert set(programs) == {"redis", "web", "worker", "beat"}
    assert all(p["autorestart"] == "true" and p["stopasgroup"] == "true" for p in programs.values())
    assert int(programs["redis"]["priority"]) < min(int(programs[n]["priority"]) for n in ("web", "worker", "beat"))
    assert programs["redis"]["command"].endswith(f"{tmp_path}/redis/redis.conf")
    assert "gunicorn policybuilder.wsgi --bind 127.0.0.1:8123 --workers 3" in programs["web"]["command"]
    assert "celery -A policybuilder worker" in programs["worker"]["command"]
    assert "--hostname worker@%%h" in programs["worker"]["command"]  # supervisord's escape for a literal %
    assert "celery -A policybuilder beat" in programs["beat"]["command"]
    redis_conf = (tmp_path / "redis" / "redis.conf").read_text().splitlines()
    assert "port 0" in redis_conf and f"unixsocket {tmp_path}/redis.sock" in redis_conf
    assert "appendonly yes" in redis_conf and f"dir {tmp_path}/redis" in redis_conf


def test_make_run_with_a_redis_url_starts_no_redis_of_its_own(tmp_path):
    programs = supervisor_programs(data=tmp_path, redis_url="redis://127.0.0.1:6379/3")
    assert set(programs) == {"web", "worker", "beat"}
    assert not (tmp_path / "redis").exists()
