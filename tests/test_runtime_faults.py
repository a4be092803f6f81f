"""The runtime `make run` starts, under faults: kill -9 of the worker's main process, of the pool child that
is rendering, of beat and of the embedded Redis, each while a render is in flight. The site answers every
request meanwhile, the supervisor brings the process back within 10 s, and the render completes exactly
once within 60 s of the kill. A render that takes far longer than a lease is never taken over.

One runtime (supervisord with gunicorn, a worker, beat and Redis, exactly as `make run` starts them) serves
this module, on this test run's database and with short leases and sweeps set through the environment.
"""

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from agreements.models import RenderedDocument, Role
from tests.conftest import wait_for, worker_environment
from tests.document_data import adopted_version, big_adopted_version, slow_adopted_version
from tests.factories import MembershipFactory, SchoolFactory
from tests.test_make_run import free_port, stop_session, supervisor_pid

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("worker"), pytest.mark.usefixtures("content")]

BASE_DIR = Path(__file__).resolve().parent.parent
FAST = {
    "PDF_LEASE_SECONDS": "2",  # renewed every 0.4 s; a dead renderer's claim is free 2 s later
    "PDF_SWEEP_SECONDS": "1",
    "WORKER_HEARTBEAT_SECONDS": "1",
}


class Runtime:
    """`python -m policybuilder.runtime start` (what `make run` ends with) in a session of its own."""

    def __init__(self, folder, env):
        self.data = folder / "data"
        self.media = folder / "media"
        self.media.mkdir()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**env, "DATA_DIR": str(self.data), "MEDIA_ROOT": str(self.media), "PORT": str(self.port),
                    "WEB_WORKERS": "2", "WORKER_CONCURRENCY": "1", **FAST}
        self.log_path = folder / "runtime.log"

    def start(self):
        # What `make setup` does before `make run` starts the supervisor: the static files with their hashed
        # names (DEBUG is off, so every page needs the manifest).
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR,
                       env=self.env, check=True)
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "policybuilder.runtime", "start"], cwd=BASE_DIR,
                                     env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.output()
            try:
                if httpx.get(self.url + "/healthz", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        pytest.fail(f"the runtime did not become healthy\n{self.output()}")

    def stop(self):
        left = stop_session(self.proc)
        self.log.close()
        return left

    def output(self):
        return self.log_path.read_text(errors="replace")

    def pid(self, program):
        return supervisor_pid(self.data, program)

    @staticmethod
    def children(pid):
        try:
            return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
        except FileNotFoundError:
            return []


@pytest.fixture(scope="module")
def runtime(django_db_setup, tmp_path_factory):
    env = {k: v for k, v in worker_environment().items() if k not in ("REDIS_URL", "CELERY_QUEUE", "MEDIA_ROOT")}
    from django.conf import settings

    env["DJANGO_SECRET_KEY"] = settings.SECRET_KEY  # the sessions this test signs in with
    runtime = Runtime(tmp_path_factory.mktemp("runtime"), env).start()
    yield runtime
    assert runtime.stop() == [], "processes left behind"


@pytest.fixture
def leader_client(runtime, transactional_db, school, leader):
    """The leader's browser session on the runtime; the runtime's media folder starts empty for this test."""
    import shutil

    from django.test import Client

    shutil.rmtree(runtime.media / "documenten", ignore_errors=True)
    client = Client()
    client.force_login(leader)
    with httpx.Client(base_url=runtime.url, timeout=10, cookies={"sessionid": client.cookies["sessionid"].value}) as c:
        yield c


def request_render(client, version):
    """What the leader's click does: POST the edition on the documents page."""
    page = f"/versies/{version.pk}/documenten/"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(page).text)[1]
    response = client.post(page, data={"csrfmiddlewaretoken": token, "edition": "team"})
    assert response.status_code == 302, response.text
    return RenderedDocument.objects.get(version=version, edition="team")


def row(document):
    return RenderedDocument.objects.get(pk=document.pk)


def wait_for_status(document, status, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if row(document).status == status:
            return
        time.sleep(0.05)
    pytest.fail(f"document {document.pk} not {status} after {timeout} s: {row(document).status}")


def through_the_fault(runtime, client, document, is_back):
    """Poll the status fragment every 0.25 s (as the page does) until the render is done or 60 s passed.

    Returns the HTTP statuses seen, the seconds until is_back() held, and the seconds until done.
    """
    start = time.monotonic()
    statuses, back_after, done_after = [], None, None
    while time.monotonic() - start < 60 and done_after is None:
        try:
            statuses.append(client.get(f"/documenten/{document.pk}/status/").status_code)
        except httpx.HTTPError as e:  # a refused connection is a failure of the site
            statuses.append(type(e).__name__)
        if back_after is None and is_back():
            back_after = time.monotonic() - start
        if row(document).status in ("done", "failed"):
            done_after = time.monotonic() - start
        time.sleep(0.25)
    return statuses, back_after, done_after


def assert_rendered_exactly_once(runtime, document, claims):
    """One done row, one file with its fingerprint, one completed render; `claims` are the allowed starts."""
    document = row(document)
    assert document.status == "done", (document.status, document.error)
    files = sorted(p for p in runtime.media.rglob("*") if p.is_file())
    assert files == sorted([runtime.media / document.file.name, runtime.media / document.word_file.name])
    assert hashlib.sha256((runtime.media / document.file.name).read_bytes()).hexdigest() == document.sha256
    # The row is marked before the line is logged, and supervisord passes the line on a moment later.
    wait_for(lambda: f"document {document.pk} rendered" in runtime.output(), timeout=10, message="the log line")
    log = runtime.output()
    assert log.count(f"document {document.pk} rendered") == 1
    assert document.attempts in claims
    assert log.count(f"document {document.pk} claimed") == document.attempts
    assert RenderedDocument.objects.filter(version=document.version).count() == 1


def fault_test(runtime, client, version, kill, is_back, claims):
    document = request_render(client, version)
    wait_for_status(document, "rendering", 60)
    time.sleep(1)  # well into the render
    kill()
    assert row(document).status == "rendering", "the render was over before the kill: make the policy bigger"
    statuses, back_after, done_after = through_the_fault(runtime, client, document, is_back)
    assert set(statuses) == {200}, statuses
    assert back_after is not None and back_after <= 10, (back_after, runtime.output()[-3000:])
    assert done_after is not None and done_after <= 60, (row(document).status, runtime.output()[-3000:])
    assert_rendered_exactly_once(runtime, document, claims)
    print(f"fault: back after {back_after:.1f} s, render done {done_after:.1f} s after the kill, "
          f"{row(document).attempts} claim(s), {len(statuses)} requests answered")  # figures for the notes (-s)


def test_a_render_longer_than_many_leases_and_sweeps_is_never_taken_over(runtime, leader_client, school, leader,
                                                                         mr_member):
    # ~50 agreements per theme: well over 3 leases even on a fast machine (15 per theme took 2.3 s on CI).
    version = slow_adopted_version(school=school, leader=leader, mr_member=mr_member, own_per_theme=50)
    document = request_render(leader_client, version)
    wait_for_status(document, "rendering", 60)
    started = time.monotonic()
    sweeps_before = runtime.output().count("Sending due task sweep-stuck-documents")
    wait_for_status(document, "done", 300)
    took = time.monotonic() - started
    sweeps = runtime.output().count("Sending due task sweep-stuck-documents") - sweeps_before
    assert took > 3 * float(FAST["PDF_LEASE_SECONDS"]), f"the render took only {took:.1f} s: make it slower"
    assert sweeps >= 3
    assert_rendered_exactly_once(runtime, document, claims=(1,))


def test_kill_9_of_the_worker_main_process_mid_render(runtime, leader_client, school, leader, mr_member):
    version = big_adopted_version(school=school, leader=leader, mr_member=mr_member)
    old = runtime.pid("worker")
    # The orphaned pool child may still finish its render (1 claim), or die with its parent, and then the
    # render is claimed again once its lease has expired (2 claims): either way it completes once.
    fault_test(runtime, leader_client, version, lambda: os.kill(old, signal.SIGKILL),
               lambda: runtime.pid("worker") not in (0, old), claims=(1, 2))


def test_kill_9_of_the_pool_child_that_is_rendering(runtime, leader_client, school, leader, mr_member):
    version = big_adopted_version(school=school, leader=leader, mr_member=mr_member)
    main = runtime.pid("worker")
    [child] = runtime.children(main)

    def kill():
        os.kill(child, signal.SIGKILL)

    def is_back():
        return any(pid != child for pid in runtime.children(main))

    # The message comes back at once (acks_late, reject_on_worker_lost); the new child takes the render over
    # as soon as the killed child's lease has expired: two claims, one render that completes.
    fault_test(runtime, leader_client, version, kill, is_back, claims=(2,))
    assert runtime.pid("worker") == main


def test_kill_9_of_beat_mid_render(runtime, leader_client, school, leader, mr_member):
    version = big_adopted_version(school=school, leader=leader, mr_member=mr_member)
    old = runtime.pid("beat")
    fault_test(runtime, leader_client, version, lambda: os.kill(old, signal.SIGKILL),
               lambda: runtime.pid("beat") not in (0, old), claims=(1,))


def test_kill_9_of_the_embedded_redis_mid_render(runtime, leader_client, school, leader, mr_member):
    version = big_adopted_version(school=school, leader=leader, mr_member=mr_member)
    old = runtime.pid("redis")
    fault_test(runtime, leader_client, version, lambda: os.kill(old, signal.SIGKILL),
               lambda: runtime.pid("redis") not in (0, old), claims=(1,))
    # The worker and the web processes are connected again: the next click is rendered as usual.
    other = SchoolFactory(name="Basisschool Het Kompas")
    MembershipFactory(school=other, user=leader, role=Role.LEADER)
    second = request_render(leader_client, adopted_version(school=other, leader=leader, mr_member=mr_member))
    wait_for_status(second, "done", 60)
