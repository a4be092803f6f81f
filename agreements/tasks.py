"""Celery tasks: thin, take ids, re-read rows, import heavy libraries inside the function."""

import logging
import socket

from celery import shared_task
from celery.signals import worker_process_init, worker_process_shutdown, worker_ready
from django.utils import timezone


@shared_task
def heartbeat():
    """Proves broker -> worker -> database works; /healthz reports the last time this ran."""
    from .models import WorkerHeartbeat

    WorkerHeartbeat.objects.update_or_create(
        hostname=socket.gethostname(), defaults={"seen_at": timezone.now()}
    )


@worker_ready.connect
def heartbeat_on_start(sender=None, **kwargs):
    """Report the worker as up right away, not only at the first beat tick."""
    heartbeat.delay()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def render_document(document_id):
    """Render one policy PDF. Idempotent: a document that is not queued is left alone."""
    from .services.documents import render_now

    return render_now(document_id)


@shared_task
def sweep_stuck_documents():
    """Beat: re-queue documents stuck in rendering (the worker died) or never picked up."""
    from .services import documents

    return documents.sweep_stuck_documents()


@worker_process_init.connect
def load_pdf_renderer(**kwargs):
    """Each worker child loads WeasyPrint, print.css and its fonts as it starts (~0.7 s), not in the first render."""
    from .pdf import _print_setup

    try:
        _print_setup()
    except Exception:  # never keep a child from starting: the first render will try again
        logging.getLogger(__name__).exception("could not load the PDF renderer in advance")


@worker_process_shutdown.connect
def drop_pdf_fonts(**kwargs):
    """A worker child keeps print.css and its fonts between renders; let WeasyPrint clean them up at exit."""
    from .pdf import _print_setup

    _print_setup.cache_clear()
