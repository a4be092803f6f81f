"""The worker's heartbeat (agreements/models/system.py)."""

import factory
from django.utils import timezone

from agreements.models import WorkerHeartbeat


class WorkerHeartbeatFactory(factory.django.DjangoModelFactory):
    """A worker seen just now; pass `seen_at` for an older heartbeat."""

    class Meta:
        model = WorkerHeartbeat

    hostname = factory.Sequence(lambda n: f"celery@worker{n}")
    seen_at = factory.LazyFunction(timezone.now)
