"""/healthz reports database, broker and worker; 503 when one is down."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agreements.models import WorkerHeartbeat
from tests.conftest import wait_for
from tests.factories import WorkerHeartbeatFactory


@pytest.mark.django_db
def test_healthz_is_503_when_no_worker_was_ever_seen(client):
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is True
    assert body["checks"]["worker"] == {"ok": False, "detail": "nooit gezien"}


@pytest.mark.django_db
def test_healthz_is_503_when_the_worker_was_last_seen_over_a_minute_ago(client):
    WorkerHeartbeatFactory(seen_at=timezone.now() - timedelta(seconds=61))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["ok"] is False


@pytest.mark.django_db
def test_healthz_is_200_with_a_recent_worker_heartbeat(client):
    WorkerHeartbeatFactory(seen_at=timezone.now() - timedelta(seconds=5))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.worker
@pytest.mark.xdist_group("worker")
def test_a_real_worker_records_its_heartbeat_and_healthz_turns_green(celery_worker_process, client):
    from agreements.tasks import heartbeat

    worker = celery_worker_process()
    heartbeat.delay()
    wait_for(lambda: WorkerHeartbeat.objects.exists(), timeout=30, message=f"heartbeat\n{worker.output()}")
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["worker"]["ok"] is True


def test_healthz_is_503_when_the_broker_is_unreachable(tmp_path):
    """With REDIS_URL pointing at a closed port the broker check fails (run in a fresh process)."""
    import json
    import os
    import subprocess
    import sys

    code = (
        "import django, json; django.setup(); from django.test import Client; "
        "from django.core.management import call_command; call_command('migrate', verbosity=0); "
        "r = Client().get('/healthz', HTTP_HOST='localhost'); "
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(REDIS_URL="redis://127.0.0.1:1/0", DATA_DIR=str(tmp_path), DJANGO_DEBUG="1",
               DJANGO_SETTINGS_MODULE="policybuilder.settings")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["status"] == 503
    assert result["body"]["checks"]["broker"]["ok"] is False
    assert result["body"]["checks"]["database"]["ok"] is True


@pytest.mark.worker
@pytest.mark.xdist_group("worker")
def test_the_worker_records_its_own_heartbeat_every_few_seconds_without_beat(celery_worker_process, monkeypatch):
    monkeypatch.setenv("WORKER_HEARTBEAT_SECONDS", "1")
    worker = celery_worker_process()  # no beat runs in this test
    seen = set()

    def three_heartbeats():  # more than the one heartbeat task the worker sends itself when it is ready
        seen.update(WorkerHeartbeat.objects.values_list("seen_at", flat=True))
        return len(seen) >= 3

    wait_for(three_heartbeats, timeout=60, interval=0.2, message=f"heartbeats\n{worker.output()}")
