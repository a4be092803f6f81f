"""Loaded with `-p tests.env_plugin` before Django's settings are imported.

Without REDIS_URL (the embedded pass of `make test`) the run gets a Redis server of its own, as `make run`
does: Debian's redis-server on a unix socket in a temporary folder, started by the pytest process that
begins the run (the xdist controller, or pytest alone) and stopped by its pid when the run ends. The
pytest-xdist workers inherit its REDIS_URL. Each xdist worker publishes to its own Celery queue; the
worker fixture in conftest.py gives each test a queue of its own on top of that.
"""

import os
import shutil
import tempfile

_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
_started = None  # (process, folder) when this process started the run's Redis

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
os.environ["CELERY_QUEUE"] = f"test-{_worker}"

if not os.environ.get("REDIS_URL") and "PYTEST_XDIST_WORKER" not in os.environ:
    from policybuilder import embedded_redis

    _folder = tempfile.mkdtemp(prefix="pb-test-redis-")  # short: a unix socket path has at most 107 bytes
    _proc, _url = embedded_redis.start(_folder, appendonly=False, log=open(os.path.join(_folder, "redis.log"), "wb"),
                                       tied_to_parent=True)
    _started = (_proc, _folder)
    os.environ["REDIS_URL"] = _url


def pytest_unconfigure(config):
    global _started
    if _started is not None:
        proc, folder = _started
        _started = None
        from policybuilder import embedded_redis

        embedded_redis.stop(proc)
        shutil.rmtree(folder, ignore_errors=True)
