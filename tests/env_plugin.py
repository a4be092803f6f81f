"""Loaded with `-p tests.env_plugin` before Django's settings are imported.

Each pytest-xdist worker gets its own Celery queue and filesystem-broker folder, so a Celery worker
process started by one test worker never takes tasks meant for another test database.
"""

import os
from pathlib import Path

_worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
_data = Path(os.environ.get("DATA_DIR") or Path(__file__).resolve().parent.parent / "var")

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
os.environ["CELERY_BROKER_DIR"] = str(_data / "test-broker" / _worker)
os.environ["CELERY_QUEUE"] = f"test-{_worker}"
