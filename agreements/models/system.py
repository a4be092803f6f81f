from django.conf import settings
from django.db import models
from django.utils import timezone


class WorkerHeartbeatQuerySet(models.QuerySet):
    def fresh(self, now=None):
        """Heartbeats recent enough to count the worker as up."""
        return self.filter(seen_at__gte=(now or timezone.now()) - settings.WORKER_HEARTBEAT_MAX_AGE)


class WorkerHeartbeat(models.Model):
    """Written by the Celery worker (its main process, and the beat heartbeat task); /healthz reads it."""

    hostname = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()

    objects = WorkerHeartbeatQuerySet.as_manager()

    def __str__(self):
        return f"{self.hostname} @ {self.seen_at:%H:%M:%S}"
