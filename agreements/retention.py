"""Retention: forget personal data once its period (agreements/privacy.py) has passed.

One function per kind of agreements/privacy.py that has a period; beat runs each through tasks.apply_retention.
Each is idempotent (a second run finds nothing more to do) and logs what it removed. Counts stay: a meeting's
ballots are kept, only the participant's name and link to an account go.
"""

import logging
from pathlib import Path

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import (
    Decision,
    Invitation,
    Meeting,
    Participant,
    PolicyVersion,
    RemovedDocument,
    RenderedDocument,
    School,
)
from .privacy import period

logger = logging.getLogger(__name__)


def forget_meeting_participants(now):
    """Names (and the link to an account) of the participants of meetings closed longer ago than the period."""
    meetings = Meeting.objects.filter(status=Meeting.Status.CLOSED, closed_at__lte=now - period("meeting_participants"))
    participants = Participant.objects.filter(meeting__in=meetings).exclude(name="", user__isnull=True)
    return participants.update(name="", user=None)


def delete_old_invitations(now):
    """Invitations used, revoked or expired longer ago than the period."""
    cutoff = now - period("invitations")
    done = Q(accepted_at__lte=cutoff) | Q(revoked_at__lte=cutoff) | Q(expires_at__lte=cutoff)
    count, _ = Invitation.objects.filter(done).delete()
    return count


def delete_old_mail_files(now):
    """Mail written to files (when no mail server is configured) older than the period."""
    folder = getattr(settings, "EMAIL_FILE_PATH", None)
    if not folder or not Path(folder).is_dir():
        return 0
    cutoff = now.timestamp() - period("mail_files").total_seconds()
    count = 0
    for path in Path(folder).iterdir():
        try:
            if path.is_file() and path.stat().st_mtime <= cutoff:
                path.unlink()
                count += 1
        except FileNotFoundError:  # another run removed it first
            continue
    return count


def delete_old_access_logs(now):
    """django-axes' records of logins and failed attempts older than the period."""
    cutoff = now - period("access_logs")
    count = 0
    for model, field in ((AccessLog, "attempt_time"), (AccessFailureLog, "attempt_time"),
                         (AccessAttempt, "attempt_time")):
        deleted, _ = model.objects.filter(**{f"{field}__lte": cutoff}).delete()
        count += deleted
    return count


def delete_expired_sessions(now):
    """Sessions past their expiry (set from the same period: SESSION_COOKIE_AGE)."""
    count, _ = Session.objects.filter(expire_date__lte=now).delete()
    return count


def delete_schools(now):
    """Schools whose deletion was asked longer ago than the grace period: everything of the school, its PDF files
    included; each PDF's verification code is kept alone, so the verify page can say it is no longer kept."""
    count = 0
    for school in School.objects.filter(deletion_requested_at__lte=now - period("deleted_schools")):
        files = []
        with transaction.atomic():
            school = School.objects.select_for_update().filter(pk=school.pk,
                                                               deletion_requested_at__isnull=False).first()
            if school is None:  # undone, or deleted by another run meanwhile
                continue
            documents = RenderedDocument.objects.filter(version__policy__school=school)
            RemovedDocument.objects.bulk_create(
                [RemovedDocument(verification_code=code, removed_at=now)
                 for code in documents.values_list("verification_code", flat=True)],
                ignore_conflicts=True)
            files = [name for pair in documents.values_list("file", "word_file") for name in pair if name]
            versions = list(PolicyVersion.objects.filter(policy__school=school).values_list("pk", flat=True))
            school.delete()
            # After the cascade: deleting the decisions wrote one more history record each.
            Decision.history.filter(version_id__in=versions).delete()
        for name in files:
            default_storage.delete(name)
        count += 1
    return count


# Kind of agreements/privacy.py -> the function that applies its period.
RETENTION = {
    "meeting_participants": forget_meeting_participants,
    "invitations": delete_old_invitations,
    "mail_files": delete_old_mail_files,
    "access_logs": delete_old_access_logs,
    "deleted_schools": delete_schools,
    "sessions": delete_expired_sessions,
}


def apply(key, now=None):
    """Apply the retention period of one kind; returns how many records it removed, and logs it."""
    now = now or timezone.now()
    count = RETENTION[key](now)
    logger.info("retention %s: %d removed (period %s)", key, count, period(key))
    return count
