from django.db import models


class WorkerHeartbeat(models.Model):
    """Written by the Celery worker on a beat schedule; /healthz reads it."""

    hostname = models.CharField(max_length=200, unique=True)
    seen_at = models.DateTimeField()

    def __str__(self):
        return f"{self.hostname} @ {self.seen_at:%H:%M:%S}"
