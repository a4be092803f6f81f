"""The worker's side of the policy PDF: claim a row, render it (pdf.py) under a lease, store the file, mark the row.

tasks.py calls these; nothing here enqueues. Status of a RenderedDocument: queued -> rendering -> done or
failed. A render holds a *lease* on its row (lease_owner, lease_until) and renews it from a thread every
fifth of PDF_LEASE_SECONDS while WeasyPrint works, so "stuck" means "nobody renews" and never "slow": a
live render is never taken over. A row in rendering whose lease expired (its process died) is claimed
again by a redelivered task at once, or put back in the queue by the sweep (Celery beat).
"""

import datetime
import errno
import hashlib
import logging
import os
import socket
import threading
import time
import uuid

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import pdf, word
from .models import RenderedDocument, RenderFailure, WorkerHeartbeat

logger = logging.getLogger(__name__)
Status = RenderedDocument.Status

STORAGE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG, errno.EACCES, errno.EPERM}


def warm_up():
    """What a worker child does as it starts, so no user waits for WeasyPrint to load."""
    pdf.warm_up()


def release():
    pdf.release()


def _lease_seconds():
    return datetime.timedelta(seconds=settings.PDF_LEASE_SECONDS)


def _expired_lease(now):
    return Q(status=Status.RENDERING) & (Q(lease_until__lt=now) | Q(lease_until__isnull=True))


def _give_up_if_exhausted(document_id, now):
    """A row whose lease expired after PDF_MAX_ATTEMPTS starts, or after the hard time limit, is failed.

    Returns True when it did (the user then sees the message and a retry button).
    """
    expired = RenderedDocument.objects.filter(_expired_lease(now), pk=document_id)
    # Renewed until the hard limit: the pool killed the render for taking too long (it would hang again).
    killed_at_limit = Q(lease_until__gte=F("started_at") + datetime.timedelta(seconds=settings.PDF_TIME_LIMIT))
    if expired.filter(killed_at_limit).update(status=Status.FAILED, error=RenderFailure.TOO_LONG,
                                                finished_at=now, lease_owner="", lease_until=None):
        logger.warning("document %s: the render hit the hard time limit; failed", document_id)
        return True
    attempts = expired.filter(attempts__gte=settings.PDF_MAX_ATTEMPTS).values_list("attempts", flat=True).first()
    if attempts is not None and expired.update(status=Status.FAILED, error=RenderFailure.GAVE_UP,
                                               finished_at=now, lease_owner="", lease_until=None):
        logger.warning("document %s was started %s times; failed", document_id, attempts)
        return True
    return False


def claim(document_id, owner):
    """Take the row for this process: queued, or rendering with an expired lease. True when it is ours.

    A row whose lease is still live may belong to a process that just died (a killed pool child whose task
    was handed back): wait until the lease has expired, then take it. If the holder keeps renewing, it is
    alive and the row is left to it.
    """
    deadline = time.monotonic() + settings.PDF_LEASE_SECONDS + 1
    while True:
        now = timezone.now()
        row = RenderedDocument.objects.filter(pk=document_id).values("status", "lease_until").first()
        if row is None or row["status"] in (Status.DONE, Status.FAILED):
            logger.info("document %s is %s; nothing to do", document_id, row and row["status"] or "gone")
            return False
        live = row["status"] == Status.RENDERING and row["lease_until"] and row["lease_until"] >= now
        if live:
            if time.monotonic() > deadline:
                logger.info("document %s is being rendered by a live process; nothing to do", document_id)
                return False
            time.sleep(min(1.0, (row["lease_until"] - now).total_seconds() + 0.05))
            continue
        if _give_up_if_exhausted(document_id, now):
            return False
        claimed = RenderedDocument.objects.filter(Q(status=Status.QUEUED) | _expired_lease(now), pk=document_id).update(
            status=Status.RENDERING, started_at=now, lease_owner=owner, lease_until=now + _lease_seconds(),
            attempts=F("attempts") + 1,
        )
        if claimed:
            attempts = RenderedDocument.objects.values_list("attempts", flat=True).get(pk=document_id)
            logger.info("document %s claimed by %s (attempt %s)", document_id, owner, attempts)
            return True
        # Someone else changed the row between the read and the update: look again.


class Lease(threading.Thread):
    """Renews the row's lease every fifth of PDF_LEASE_SECONDS until stopped, or until the row is not ours."""

    def __init__(self, document_id, owner):
        super().__init__(name=f"lease-{document_id}", daemon=True)
        self.document_id, self.owner = document_id, owner
        self.stopped = threading.Event()

    def run(self):
        interval = settings.PDF_LEASE_SECONDS / 5
        try:
            while not self.stopped.wait(interval):
                try:
                    renewed = RenderedDocument.objects.filter(
                        pk=self.document_id, status=Status.RENDERING, lease_owner=self.owner
                    ).update(lease_until=timezone.now() + _lease_seconds())
                except Exception:  # a busy database: try again at the next beat, the lease has room for four
                    logger.warning("document %s: could not renew the lease", self.document_id, exc_info=True)
                    continue
                if not renewed:
                    logger.warning("document %s: the lease was lost", self.document_id)
                    return
        finally:
            connection.close()  # this thread's own connection

    def stop(self):
        self.stopped.set()
        self.join(5)


def render(document_id):
    """Claim the row, render the PDF under a lease, store it with its sha256 and page count. The id when done.

    Idempotent: a row that is done, failed or live in another process is left alone.
    """
    owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    if not claim(document_id, owner):
        return None
    mine = RenderedDocument.objects.filter(pk=document_id, status=Status.RENDERING, lease_owner=owner)
    lease = Lease(document_id, owner)
    lease.start()
    started = time.monotonic()
    try:
        document = RenderedDocument.objects.select_related("version__policy__school", "meeting").get(
            pk=document_id)
        context = pdf.render_context(document)  # read once for every layout of the PDF and for its Word copy
        content, page_count = pdf.render_pdf(document, context)
        word_content = None if document.is_record else word.render_docx(document, context)  # a record has none
        stored = _store(document, owner, content, page_count, word_content)
    except Exception as e:
        logger.exception("rendering document %s failed", document_id)
        mine.update(status=Status.FAILED, error=_failure(e), finished_at=timezone.now(),
                    lease_until=None)
        return None
    finally:
        lease.stop()
    if not stored:
        logger.warning("document %s: the lease was taken over; this render is thrown away", document_id)
        return None
    logger.info("document %s rendered: %s pages in %.1f s", document_id, page_count, time.monotonic() - started)
    return document_id


def _failure(exc):
    """The RenderFailure code stored on the row; the page shows its message in the reader's language."""
    if isinstance(exc, SoftTimeLimitExceeded):
        return RenderFailure.TOO_LONG
    if isinstance(exc, OSError) and exc.errno in STORAGE_ERRORS:
        return RenderFailure.NOT_STORED
    return RenderFailure.FAILED


def _store(document, owner, content, page_count, word_content):
    """Write the files under names of this render's own, then, while holding the row, move them into place and
    mark the row done: one PDF (and its editable .docx copy) and one done row per edition, even if two renders
    ever raced. False when the row is no longer ours (nothing is changed then)."""
    name, word_name = document.storage_name, document.word_storage_name
    tag = owner.rsplit(":", 1)[1]
    partial, word_partial = f"{name}.{tag}.part", f"{word_name}.{tag}.part"
    saved = word_saved = None
    try:
        saved = default_storage.save(partial, ContentFile(content))
        if word_content is not None:
            word_saved = default_storage.save(word_partial, ContentFile(word_content))
        with transaction.atomic():
            row = RenderedDocument.objects.select_for_update().filter(
                pk=document.pk, status=Status.RENDERING, lease_owner=owner).first()
            if row is None:
                return False
            # FileSystemStorage: a rename in one folder is atomic, the old file (if any) is replaced whole.
            os.replace(default_storage.path(saved), default_storage.path(name))
            if word_saved is not None:
                os.replace(default_storage.path(word_saved), default_storage.path(word_name))
            saved = word_saved = None
            RenderedDocument.objects.filter(pk=document.pk).update(
                status=Status.DONE, file=name, word_file=word_name if word_content is not None else "",
                sha256=hashlib.sha256(content).hexdigest(), size=len(content), page_count=page_count, error="",
                finished_at=timezone.now(), lease_owner="", lease_until=None,
            )
        return True
    finally:
        for leftover in (saved, partial, word_saved, word_partial):
            if leftover and default_storage.exists(leftover):
                default_storage.delete(leftover)


def sweep(now=None):
    """Beat: put back in the queue what no live process is doing. Returns the ids to enqueue (tasks.py does).

    - rendering with an expired lease (its process died): queued again, or failed after PDF_MAX_ATTEMPTS
      starts or when it ran into the hard time limit;
    - queued while a worker is up, and sent longer than PDF_RESEND_AFTER ago: its message was lost (a worker
      died holding it), so it is sent again. While no worker is up the message simply waits in the queue.
    """
    now = now or timezone.now()
    ids = []
    for pk in RenderedDocument.objects.filter(_expired_lease(now)).values_list("pk", flat=True):
        if _give_up_if_exhausted(pk, now):
            continue
        if RenderedDocument.objects.filter(_expired_lease(now), pk=pk).update(
                status=Status.QUEUED, sent_at=now, lease_owner="", lease_until=None):
            logger.warning("document %s: its renderer stopped renewing the lease; queued again", pk)
            ids.append(pk)
    if WorkerHeartbeat.objects.fresh(now).exists():
        lost = Q(sent_at__lt=now - datetime.timedelta(seconds=settings.PDF_RESEND_AFTER)) | Q(sent_at__isnull=True)
        for pk in RenderedDocument.objects.filter(lost, status=Status.QUEUED).values_list("pk", flat=True):
            if RenderedDocument.objects.filter(lost, pk=pk, status=Status.QUEUED).update(sent_at=now):
                logger.warning("document %s waited long in the queue; sent again", pk)
                ids.append(pk)
    return ids
