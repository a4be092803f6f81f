"""Re-assessment reminders of the AI-tool register: beat calls send_due_reminders (through tasks.py) every hour.

When an approved tool's re-assessment date is within REMIND_DAYS_AHEAD days (or has passed), the school's leaders
get one mail, in their own language. Once per assessment and date: the ReassessmentReminder row is created in the
transaction that sends the mail, and its unique constraint turns a second send (a restart, two beats at once) into
an IntegrityError that skips it. A mail that could not be sent rolls the row back, so the next run tries again.
A new date (the leader re-assessed) gets its own reminder.
"""

from django.conf import settings
from django.utils import timezone

from . import mail
from .models import ReassessmentReminder
from .queries.tools import due_for_reassessment, reminder_recipients
from .reminders import send_once

REMIND_DAYS_AHEAD = 14


def _link(tool):
    return settings.SITE_URL.rstrip("/") + tool.get_absolute_url()


def send_reminder(*, assessment, today):
    """Send the reminder for this assessment's current date once. True when this call sent it."""
    tool = assessment.tool
    return send_once(
        claim=lambda: ReassessmentReminder.objects.create(assessment=assessment, due_on=assessment.reassess_on),
        groups=reminder_recipients(tool.school),
        send=lambda language, to: mail.send_reassessment_reminder(assessment=assessment, to=to, language=language,
                                                                  link=_link(tool), today=today),
        what=f"re-assessment reminder for tool {tool.pk}")


def send_due_reminders(today=None):
    """Send every re-assessment reminder that is due; returns how many went out."""
    today = today or timezone.localdate()
    due = due_for_reassessment(today=today, days_ahead=REMIND_DAYS_AHEAD)
    return sum(send_reminder(assessment=assessment, today=today) for assessment in due)
