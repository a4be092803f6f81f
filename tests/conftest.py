import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command

BASE_DIR = Path(__file__).resolve().parent.parent


def pytest_configure(config):
    from django.conf import settings

    # No collectstatic in tests: serve static files from the finders, unhashed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # PBKDF2's many rounds cost about half a second per user created or signed in; tests need no strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    if not hasattr(config, "workerinput"):  # once, in the main process, before xdist starts its workers
        compile_stale_catalogues()


def compile_stale_catalogues():
    """Compile the catalogues whose .mo is missing or older than the .po (`make test` does it too; bare pytest not)."""
    def is_stale(po):
        mo = po.with_suffix(".mo")
        return not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime

    stale = [po for po in (BASE_DIR / "locale").glob("*/LC_MESSAGES/*.po") if is_stale(po)]
    if stale:
        call_command("compilemessages", verbosity=0, ignore_patterns=[".venv", "var", "node_modules", "tests"])


@pytest.fixture(autouse=True)
def dutch_outside_requests():
    """Code run outside a request (services, mail, the worker's path) starts in the default language, Dutch.

    A request in English leaves English active in its thread; without this it would leak into the next test.
    """
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    """A test that starts a real Celery worker is a `worker` test (left out by `make test-fast`), marked or not."""
    for item in items:
        if "celery_worker_process" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.worker)


@pytest.fixture(autouse=True)
def own_cache(settings):
    """Cache entries (rate-limit counters) for this test alone: the file cache and Redis outlive a test."""
    import uuid

    settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"test-{uuid.uuid4().hex}"}}


class _TracebackRecorder(logging.Handler):
    def __init__(self):
        super().__init__(logging.ERROR)
        self.records = []

    def emit(self, record):
        if record.exc_info:
            self.records.append(record)


@pytest.fixture(autouse=True)
def no_server_traceback(request):
    """The server log of a test run has no traceback: a request that failed (Django's "Internal Server Error", a
    refused Host or redirect) fails the test that made it, also when it came through the live server of a browser
    test or a client that does not re-raise. A test that causes one on purpose is marked `traceback_expected`."""
    recorder = _TracebackRecorder()
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security", "django.server")]
    for logger in loggers:
        logger.addHandler(recorder)
    yield recorder
    for logger in loggers:
        logger.removeHandler(recorder)
    if recorder.records and not request.node.get_closest_marker("traceback_expected"):
        first = recorder.records[0]
        pytest.fail(f"the server logged {len(recorder.records)} traceback(s), the first: {first.name}: "
                    f"{first.getMessage()}: {first.exc_info[1]!r}", pytrace=False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the content library once into each test database."""
    with django_db_blocker.unblock():
        call_command("load_content", verbosity=0)


@pytest.fixture
def content(db):
    """The content library is present (reloaded after a transactional test flushed it)."""
    from agreements.models import Theme

    if not Theme.objects.exists():
        call_command("load_content", verbosity=0)


def worker_environment():
    """Environment for a Celery worker process that uses this test run's database and queue."""
    from django.db import connection

    env = dict(os.environ)
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        env["SQLITE_PATH"] = str(name)
    else:
        s = connection.settings_dict
        auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
        env["DATABASE_URL"] = f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"
    env["CELERY_QUEUE"] = current_queue()
    return env


def current_queue():
    from policybuilder.celery import app

    return app.conf.task_default_queue


class WorkerProcess:
    """A real `celery worker` process; start(), kill(), stop()."""

    def __init__(self, log_path):
        self.log_path = log_path
        self.proc = None

    def start(self, concurrency=1):
        env = worker_environment()
        cmd = [
            sys.executable, "-m", "celery", "-A", "policybuilder", "worker",
            "--loglevel", "INFO", "--concurrency", str(concurrency), "--pool", "prefork",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            "-Q", env["CELERY_QUEUE"],
            "--hostname", f"test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{time.time_ns()}@%h",
        ]
        self.log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            cmd, cwd=BASE_DIR, env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        return self

    def kill(self):
        """SIGKILL the whole worker (parent and pool children), as a crash would."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc:
            self.log.close()

    def output(self):
        return Path(self.log_path).read_text(errors="replace")


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """Start a real Celery worker on this test database, on a queue of this test's own; stopped afterwards.

    The queue is new for every test, so a message left over from an earlier test (or handed back by a worker
    that was killed) never reaches this test's worker, and this test's messages reach no other.
    """
    import uuid

    from policybuilder.celery import app

    default_queue = app.conf.task_default_queue
    app.conf.task_default_queue = f"{default_queue}-{uuid.uuid4().hex[:12]}"
    worker = WorkerProcess(tmp_path / "worker.log")
    try:
        yield worker.start
    finally:
        worker.stop()
        app.conf.task_default_queue = default_queue


def wait_for(predicate, timeout=20.0, interval=0.1, message="condition"):
    """Poll until predicate() is truthy; returns its value or fails the test."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"timed out after {timeout}s waiting for {message}")


# --- Personas ----------------------------------------------------------------------------------
# A leader, a teacher and an MR member of one school, and the leader of another school.


@pytest.fixture
def school(db):
    from tests.factories import SchoolFactory

    return SchoolFactory(name="Basisschool De Regenboog", place="Utrecht")


def _member(school, role, name, email):
    from tests.factories import MembershipFactory

    return MembershipFactory(school=school, role=role, user__name=name, user__email=email).user


@pytest.fixture
def leader(school):
    return _member(school, "leader", "Lotte Leider", "lotte@regenboog.example")


@pytest.fixture
def teacher(school):
    return _member(school, "team", "Tim Leraar", "tim@regenboog.example")


@pytest.fixture
def mr_member(school):
    return _member(school, "mr", "Mira MR", "mira@regenboog.example")


@pytest.fixture
def other_school(db):
    from tests.factories import SchoolFactory

    return SchoolFactory(name="Montessorischool Het Anker", place="Zwolle")


@pytest.fixture
def other_leader(other_school):
    return _member(other_school, "leader", "Otto Ander", "otto@anker.example")


# --- Documents feature ----------------------------------------------------------------------------


@pytest.fixture
def media_root(settings, tmp_path, monkeypatch):
    """Generated PDFs go to a private folder, also for a worker process the test starts afterwards."""
    path = tmp_path / "media"
    path.mkdir()
    settings.MEDIA_ROOT = path
    monkeypatch.setenv("MEDIA_ROOT", str(path))
    return path
