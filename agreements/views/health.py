from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache

from policybuilder.celery import app as celery_app

from ..models import WorkerHeartbeat


def _database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, connection.vendor
    except Exception as exc:  # any failure means "down"
        return False, str(exc)


def _broker():
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            return True, conn.transport_cls if isinstance(conn.transport_cls, str) else "ok"
    except Exception as exc:
        return False, str(exc)


def _worker():
    last = WorkerHeartbeat.objects.order_by("-seen_at").first()
    if last is None:
        return False, "nooit gezien"
    age = timezone.now() - last.seen_at
    ok = age <= settings.WORKER_HEARTBEAT_MAX_AGE
    return ok, f"{last.hostname}, {int(age.total_seconds())} s geleden"


@never_cache
def healthz(request):
    checks = {}
    for name, check in (("database", _database), ("broker", _broker), ("worker", _worker)):
        try:
            ok, detail = check()
        except Exception as exc:
            ok, detail = False, str(exc)
        checks[name] = {"ok": ok, "detail": detail}
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if healthy else "fout", "checks": checks}, status=200 if healthy else 503)
