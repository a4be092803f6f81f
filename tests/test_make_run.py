"""`make run` serves the site and a worker on $PORT, and SIGTERM to make stops every process it started."""

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

BASE_DIR = Path(__file__).resolve().parent.parent


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _session_processes(sid):
    out = subprocess.run(["pgrep", "-s", str(sid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


@pytest.mark.worker
@pytest.mark.xdist_group("worker")
def test_make_run_serves_the_site_with_a_worker_and_stops_cleanly(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "SQLITE_PATH",
                                                             "CELERY_BROKER_DIR", "CELERY_QUEUE")}
    env.update(PORT=str(port), DATA_DIR=str(tmp_path / "data"), WEB_WORKERS="1", WORKER_CONCURRENCY="1")
    log = open(tmp_path / "make-run.log", "wb")
    proc = subprocess.Popen(["make", "run"], cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        health = None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                health = httpx.get(url + "/healthz", timeout=2)
                if health.status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        output = (tmp_path / "make-run.log").read_text(errors="replace")
        assert health is not None and health.status_code == 200, output
        assert health.json()["checks"]["worker"]["ok"] is True
        assert f"http://127.0.0.1:{port}/" in output
        home = httpx.get(url + "/")
        assert home.status_code == 200
        assert "Samen afspraken maken over generatieve AI" in home.text
    finally:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(30)
        deadline = time.monotonic() + 20
        while _session_processes(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = _session_processes(proc.pid)
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        log.close()
    assert left == [], "processes left behind after SIGTERM"
