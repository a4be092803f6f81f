"""`make run`: the site, a worker, beat and the embedded Redis under a supervisor that restarts what exits;
SIGTERM to make stops every process it started; a runtime that cannot start says why in one line."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
SERVICE_VARIABLES = ("DATABASE_URL", "REDIS_URL", "SQLITE_PATH", "CELERY_QUEUE", "MEDIA_ROOT")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session_processes(sid):
    out = subprocess.run(["pgrep", "-s", str(sid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def embedded_env(data_dir, port, **extra):
    """The environment of a newcomer: none of the test run's services, a data folder of its own."""
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update(PORT=str(port), DATA_DIR=str(data_dir), WEB_WORKERS="1", WORKER_CONCURRENCY="1", **extra)
    return env


def supervisor_pid(data_dir, program):
    """The pid supervisord reports for a program (0 while it is not running)."""
    out = subprocess.run(
        [str(Path(sys.executable).parent / "supervisorctl"), "-c", str(Path(data_dir) / "supervisord.conf"),
         "pid", program], capture_output=True, text=True, timeout=10,
    ).stdout.strip()
    return int(out) if out.isdigit() else 0


def stop_session(proc):
    """SIGTERM to the session leader (make, or supervisord), as Ctrl-C or a service manager would; returns the
    pids that were still in its session 20 s later (and kills them, so nothing outlives the test)."""
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGTERM)
        proc.wait(60)
    deadline = time.monotonic() + 20
    while session_processes(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    left = session_processes(proc.pid)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    return left


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


class MakeRun:
    """`make run` in a session of its own; stop() sends SIGTERM to make and reports what was left behind."""

    def __init__(self, tmp_path, **extra):
        self.port = free_port()
        self.data = tmp_path / "data"
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp_path / "make-run.log"
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(["make", "run"], cwd=BASE_DIR, env=embedded_env(self.data, self.port, **extra),
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

    def output(self):
        return self.log_path.read_text(errors="replace")

    def wait_healthy(self, timeout=120):
        health = None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                health = httpx.get(self.url + "/healthz", timeout=2)
                if health.status_code == 200:
                    return health
            except httpx.HTTPError:
                pass
            assert self.proc.poll() is None, self.output()
            time.sleep(0.5)
        pytest.fail(f"not healthy after {timeout} s: {health and health.text}\n{self.output()}")

    def stop(self):
        left = stop_session(self.proc)
        self.log.close()
        return left


@pytest.mark.worker
@pytest.mark.xdist_group("worker")
def test_make_run_serves_the_site_restarts_a_killed_worker_and_stops_cleanly(tmp_path):
    run = MakeRun(tmp_path)
    try:
        health = run.wait_healthy()
        assert health.json()["checks"]["worker"]["ok"] is True
        assert health.json()["checks"]["broker"]["ok"] is True
        output = run.output()
        assert f"http://127.0.0.1:{run.port}/" in output
        assert (run.data / "redis.sock").is_socket()  # the embedded Redis, on a socket in the data folder
        home = httpx.get(run.url + "/")
        assert home.status_code == 200
        assert "Samen afspraken maken over generatieve AI" in home.text

        web_before, worker_before = supervisor_pid(run.data, "web"), supervisor_pid(run.data, "worker")
        os.kill(worker_before, signal.SIGKILL)
        killed_at = time.monotonic()
        statuses, worker_after = [], 0
        while time.monotonic() - killed_at < 10:
            statuses.append(httpx.get(run.url + "/", timeout=5).status_code)  # a refused connection raises
            worker_after = supervisor_pid(run.data, "worker")
            if worker_after not in (0, worker_before):
                break
            time.sleep(0.2)
        assert worker_after not in (0, worker_before), f"no new worker 10 s after the kill\n{run.output()}"
        assert set(statuses) == {200}
        assert supervisor_pid(run.data, "web") == web_before  # the web server never noticed
        assert "Traceback" not in run.output()
    finally:
        left = run.stop()
    assert left == [], "processes left behind after SIGTERM"
    assert not alive(worker_after)
    assert not (run.data / "redis.sock").exists()  # Redis stopped cleanly


def run_make_run_expecting_failure(env):
    done = subprocess.run(["make", "run"], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120,
                          start_new_session=True)
    assert done.returncode != 0
    ours = [line for line in done.stderr.splitlines() if not line.startswith("make")]
    assert "Traceback" not in done.stdout + done.stderr
    return ours


def test_make_run_with_a_data_folder_too_deep_for_the_redis_socket_says_what_to_do(tmp_path):
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    lines = run_make_run_expecting_failure(embedded_env(deep, free_port()))
    assert len(lines) == 1, lines
    assert lines[0].startswith("Het pad van de datamap is te lang voor de Redis-socket")
    assert "kies een korter pad met DATA_DIR=..." in lines[0]
    assert not (deep / "db.sqlite3").exists()  # stopped before anything was set up


def test_make_run_with_a_redis_url_where_no_redis_answers_says_what_to_do(tmp_path):
    with socket.socket() as other:  # something else holds the port: it accepts, but it is no Redis
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        lines = run_make_run_expecting_failure(
            embedded_env(tmp_path / "data", free_port(), REDIS_URL=f"redis://:geheim@127.0.0.1:{port}/0"))
    assert lines == [
        f"Geen Redis op REDIS_URL=redis://:***@127.0.0.1:{port}/0: start die Redis, verbeter het adres, of laat "
        "REDIS_URL weg voor de ingebouwde Redis. / No Redis answers at REDIS_URL: start it, fix the URL, or unset "
        "REDIS_URL to use the embedded one."
    ]


def test_make_run_on_a_port_in_use_says_what_to_do(tmp_path):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        lines = run_make_run_expecting_failure(embedded_env(tmp_path / "data", port))
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"Poort {port} is al in gebruik")
    assert "PORT=8123 make run" in lines[0]
