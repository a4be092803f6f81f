"""Celery tasks: thin, take ids, enqueue. The work itself is in rendering.py (PDFs), retention.py (forgetting
personal data after its period) and the models."""

import logging
import socket
from functools import partial

from celery import shared_task
from celery.signals import worker_process_init, worker_process_shutdown, worker_ready
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import reminders, rendering, retention, tool_reminders
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)


@shared_task
def heartbeat():
    """Proves broker -> worker -> database works; /healthz reports the last time this ran."""
    WorkerHeartbeat.objects.update_or_create(hostname=socket.gethostname(), defaults={"seen_at": timezone.now()})


@worker_ready.connect
def heartbeat_on_start(sender=None, **kwargs):
    """Report the worker as up right away (through the broker), then every WORKER_HEARTBEAT_SECONDS from the
    main process's own timer: a waiting PDF's status and /healthz know within seconds whether a PDF-maker is
    running, also while beat (which sends the heartbeat task) is down. `sender` is the worker's consumer."""
    heartbeat.delay()
    sender.timer.call_repeatedly(settings.WORKER_HEARTBEAT_SECONDS, record_heartbeat, priority=10)


def record_heartbeat():
    try:
        heartbeat()
    except Exception:  # a busy or restarting database: the next beat tries again
        logger.warning("could not record the worker heartbeat", exc_info=True)
    finally:
        connection.close()  # never hold a connection in the process that forks the pool children


@shared_task(acks_late=True, reject_on_worker_lost=True, soft_time_limit=settings.PDF_SOFT_TIME_LIMIT,
             time_limit=settings.PDF_TIME_LIMIT)
def render_document(document_id):
    """Render one policy PDF. Idempotent: a row that is done, failed or live in another process is left alone;
    a row whose renderer died (its lease expired) is taken over, so a message handed back resumes the render."""
    return rendering.render(document_id)


def enqueue_render(document_id):
    """Hand the row to the worker. If the broker is unreachable the row stays queued; the sweep sends it again."""
    try:
        # No time limits in the message: the worker applies its own (PDF_SOFT_TIME_LIMIT, PDF_TIME_LIMIT where
        # it runs), so the machine that renders decides how long a render may take.
        render_document.apply_async((document_id,), time_limit=None, soft_time_limit=None)
    except Exception:
        logger.exception("could not enqueue document %s; the sweep will retry", document_id)


@shared_task
def sweep_stuck_documents():
    """Beat: queue again the documents whose renderer died (lease expired) or whose message was lost."""
    requeued = rendering.sweep()
    for document_id in requeued:
        transaction.on_commit(partial(enqueue_render, document_id))
    return requeued


@shared_task
def apply_retention(kind):
    """Beat: forget the personal data of one kind of agreements/privacy.py whose period has passed. Idempotent."""
    return retention.apply(kind)


@shared_task
def send_review_reminders():
    """Beat, hourly: mail the leaders as the review date comes (60, 30, 7 days before, on the day); each once."""
    return reminders.send_due_reminders()


@shared_task
def send_reassessment_reminders():
    """Beat, hourly: mail the leaders when an approved AI tool is due for re-assessment; once per tool and date."""
    return tool_reminders.send_due_reminders()


@worker_process_init.connect
def load_pdf_renderer(**kwargs):
    """Each worker child loads WeasyPrint, print.css and its fonts as it starts (~0.7 s), not in the first render."""
    try:
        rendering.warm_up()
    except Exception:  # never keep a child from starting: the first render will try again
        logger.exception("could not load the PDF renderer in advance")


@worker_process_shutdown.connect
def drop_pdf_fonts(**kwargs):
    """A worker child keeps print.css and its fonts between renders; let WeasyPrint clean them up at exit."""
    rendering.release()
