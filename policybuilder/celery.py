import logging
import os

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policybuilder.settings")

app = Celery("policybuilder")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class WorkerHeartbeat(bootsteps.StartStopStep):
    """The worker's main process records that it is up every WORKER_HEARTBEAT_SECONDS, on the worker's own
    timer: a waiting PDF's status and /healthz know within seconds whether a PDF-maker is running, also
    while beat (which sends the heartbeat task through the broker) is down."""

    requires = {"celery.worker.components:Timer", "celery.worker.components:Pool"}

    def start(self, worker):
        from django.conf import settings

        worker.timer.call_after(0, self.record)
        self.timer_ref = worker.timer.call_repeatedly(settings.WORKER_HEARTBEAT_SECONDS, self.record, priority=10)

    def stop(self, worker):
        if getattr(self, "timer_ref", None):
            self.timer_ref.cancel()

    def record(self):
        from django.db import connection

        from agreements.tasks import heartbeat

        try:
            heartbeat()
        except Exception:  # a busy or restarting database: the next beat tries again
            logging.getLogger(__name__).warning("could not record the worker heartbeat", exc_info=True)
        finally:
            connection.close()  # never hold a connection in the process that forks the pool children


app.steps["worker"].add(WorkerHeartbeat)
