"""The worker's side of the policy PDF: claim a queued row, render it (pdf.py), store the file, mark the row.

tasks.py calls these; nothing here enqueues. Status of a RenderedDocument: queued -> rendering -> done or
failed. The sweep (Celery beat) finds rows stuck in rendering (a worker died) or never picked up (a message
was lost) and returns the ids to queue again; tasks.py enqueues them.
"""

import datetime
import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import F, Q
from django.utils import timezone

from . import pdf
from .models import RenderedDocument

logger = logging.getLogger(__name__)

RENDER_FAILED = (
    "Het maken van de pdf is mislukt. Probeer het opnieuw. Lukt het dan nog niet? Neem contact op met de beheerder."
)
RENDER_GAVE_UP = (
    "Het maken van de pdf is {attempts} keer afgebroken. Probeer het opnieuw. "
    "Lukt het dan nog niet? Neem contact op met de beheerder."
)


def warm_up():
    """What a worker child does as it starts, so no user waits for WeasyPrint to load."""
    pdf.warm_up()


def release():
    pdf.release()


def render(document_id):
    """Claim the queued row, render the PDF, store it with its sha256 and page count. Returns the id when done.

    Idempotent: a row that is not queued (done, failed, or claimed by another worker) is left alone. The
    claim is the row's started_at; a render whose claim was taken over by the sweep does not mark the row.
    """
    started = timezone.now()
    claimed = RenderedDocument.objects.filter(pk=document_id, status=RenderedDocument.Status.QUEUED).update(
        status=RenderedDocument.Status.RENDERING, started_at=started, attempts=F("attempts") + 1
    )
    if not claimed:
        logger.info("document %s is not queued (gone, busy or done); nothing to do", document_id)
        return None
    mine = RenderedDocument.objects.filter(pk=document_id, status=RenderedDocument.Status.RENDERING,
                                           started_at=started)
    document = RenderedDocument.objects.select_related("version__policy__school").get(pk=document_id)
    try:
        content, page_count = pdf.render_pdf(document)
        if not mine.exists():
            return None
        name = document.storage_name
        if default_storage.exists(name):  # a partial file from a worker that died while writing
            default_storage.delete(name)
        saved = default_storage.save(name, ContentFile(content))
    except Exception:
        logger.exception("rendering document %s failed", document_id)
        mine.update(status=RenderedDocument.Status.FAILED, error=RENDER_FAILED, finished_at=timezone.now())
        return None
    mine.update(
        status=RenderedDocument.Status.DONE, file=saved, sha256=hashlib.sha256(content).hexdigest(),
        size=len(content), page_count=page_count, error="", finished_at=timezone.now(),
    )
    return document_id


def sweep(now=None):
    """Put rows stuck in rendering (a worker died) or never picked up (the message was lost) back in the queue.

    Rows that were started PDF_MAX_ATTEMPTS times are marked failed instead: the user sees a retry button.
    Returns the ids that are queued again (the caller enqueues them).
    """
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.PDF_STUCK_AFTER)
    stuck_filter = Q(status=RenderedDocument.Status.RENDERING, started_at__lt=cutoff) | Q(
        status=RenderedDocument.Status.QUEUED, queued_at__lt=cutoff
    )
    requeued = []
    for pk, attempts in RenderedDocument.objects.filter(stuck_filter).values_list("pk", "attempts"):
        row = RenderedDocument.objects.filter(stuck_filter, pk=pk)
        if attempts >= settings.PDF_MAX_ATTEMPTS:
            row.update(status=RenderedDocument.Status.FAILED, error=RENDER_GAVE_UP.format(attempts=attempts),
                       finished_at=now)
        elif row.update(status=RenderedDocument.Status.QUEUED, queued_at=now, started_at=None):
            logger.warning("document %s was stuck; queued again", pk)
            requeued.append(pk)
    return requeued
