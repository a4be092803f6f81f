"""/healthz reports database, broker and worker; 503 when one is down."""

from datetime import timedelta

import pytest
from django.utils import timezone

from agreements.models import WorkerHeartbeat
from tests.conftest import wait_for


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
    WorkerHeartbeat.objects.create(hostname="w1", seen_at=timezone.now() - timedelta(seconds=61))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["ok"] is False


@pytest.mark.django_db
def test_healthz_is_200_with_a_recent_worker_heartbeat(client):
    WorkerHeartbeat.objects.create(hostname="w1", seen_at=timezone.now() - timedelta(seconds=5))
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
