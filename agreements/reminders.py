"""The review reminders: beat calls send_due_reminders (through tasks.py) every hour.

Each leader of a school gets a mail 60, 30 and 7 days before the review date of the adopted version in force and
on the day; the MR members get a copy of the 7-day mail. One mail per milestone, never twice: the ReviewReminder
row is created in the transaction that sends the mail, and its unique constraint turns a second send (a restart,
two beats at once) into an IntegrityError that skips it. A mail that could not be sent rolls the row back, so the
next run tries again.
"""

import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from . import mail
from .models import ReviewReminder
from .queries.reviews import due_reminders, reminder_recipients

logger = logging.getLogger(__name__)


class NotSent(Exception):
    pass


def _link(version):
    return settings.SITE_URL.rstrip("/") + reverse("documents:documents", args=[version.pk]) + "#nieuw-titel"


def send_once(*, claim, groups, send, what):
    """Send a reminder once: `claim()` creates the row whose unique constraint means "sent", then `send(language,
    to)` sends one mail per language of `groups` ({language: addresses}), all in one transaction. True when this
    call sent it; False when it was sent already, or when a mail failed (the row is rolled back, the next run
    tries again). Review reminders and the tool register's re-assessment reminders both go this way."""
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim()
            except IntegrityError:
                return False  # sent already, by an earlier run or another beat
            for language, to in groups.items():  # one mail per language, each to its readers
                if not send(language, to):
                    raise NotSent
    except NotSent:
        logger.warning("%s not sent; the next run tries again", what)
        return False
    return True


def send_reminder(*, version, milestone, days_left):
    """Send this milestone's reminder once. True when this call sent it."""
    school = version.policy.school
    groups = reminder_recipients(school, milestone)
    return send_once(
        claim=lambda: ReviewReminder.objects.create(version=version, milestone=milestone,
                                                    review_date=version.review_date,
                                                    recipients=sum(len(to) for to in groups.values())),
        groups=groups,
        send=lambda language, to: mail.send_review_reminder(to=to, language=language, school=school, version=version,
                                                            milestone=milestone, days_left=days_left,
                                                            link=_link(version)),
        what=f"review reminder for version {version.pk} ({milestone} days)")


def send_due_reminders(today=None):
    """Send every reminder that is due today; returns how many went out."""
    today = today or timezone.localdate()
    return sum(send_reminder(version=v, milestone=m, days_left=d) for v, m, d in due_reminders(today))
