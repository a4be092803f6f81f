"""Re-assessment reminders of the AI-tool register: the leaders get one mail when an approved tool's date comes
near (14 days) or has passed, once per tool and date, in their own language; beat sends them through tasks.py."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from agreements import tasks, tool_reminders
from agreements.models import ReassessmentReminder
from agreements.services import tools as services
from tests.factories import AssessmentFactory, ToolFactory

pytestmark = pytest.mark.usefixtures("content")


def approved_tool(school, name, *, in_days, verdict="approved"):
    tool = ToolFactory(school=school, name=name, assessment=None)
    AssessmentFactory(tool=tool, verdict=verdict, reassess_on=timezone.localdate() + timedelta(days=in_days),
                      conditions="Alleen zonder namen" if verdict == "conditional" else "")
    return tool


def test_the_leaders_get_one_mail_when_the_date_comes_near(school, leader, teacher, mailoutbox):
    tool = approved_tool(school, "MagicSchool", in_days=10, verdict="conditional")

    assert tasks.send_reassessment_reminders() == 1
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["lotte@regenboog.example"]
    assert message.subject == "Beoordeel MagicSchool opnieuw (Basisschool De Regenboog)"
    assert "Voorwaarden: Alleen zonder namen" in message.body
    assert f"{settings.SITE_URL.rstrip('/')}/ai-tools/{tool.pk}/" in message.body

    assert tasks.send_reassessment_reminders() == 0  # once per date
    assert len(mailoutbox) == 1 and ReassessmentReminder.objects.count() == 1


def test_a_passed_date_says_so(school, leader, mailoutbox):
    approved_tool(school, "Diffit", in_days=-3)
    tool_reminders.send_due_reminders()
    assert "Die datum is voorbij." in mailoutbox[0].body


def test_no_mail_for_a_date_far_away_a_rejected_tool_or_a_removed_one(school, leader, mailoutbox):
    approved_tool(school, "Ver weg", in_days=30)
    approved_tool(school, "Afgekeurd", in_days=5, verdict="rejected")
    removed = approved_tool(school, "Weg", in_days=5)
    services.delete_tool(tool=removed, by=leader)

    assert tool_reminders.send_due_reminders() == 0
    assert mailoutbox == []


def test_a_new_date_gets_its_own_reminder(school, leader, mailoutbox):
    tool = approved_tool(school, "Gemini", in_days=1)
    tool_reminders.send_due_reminders()
    services.decide(tool=tool, by=leader, verdict="approved", conditions="",
                    reassess_on=timezone.localdate() + timedelta(days=7))
    assert tool_reminders.send_due_reminders() == 1
    assert len(mailoutbox) == 2


def test_a_leader_who_chose_english_gets_it_in_english(school, leader, mailoutbox):
    leader.language = "en"
    leader.save()
    approved_tool(school, "Copilot", in_days=2)
    tool_reminders.send_due_reminders()
    assert mailoutbox[0].subject == "Assess Copilot again (Basisschool De Regenboog)"


def test_a_mail_server_that_fails_leaves_the_reminder_for_the_next_run(school, leader, settings, mailoutbox):
    approved_tool(school, "Copilot", in_days=2)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    assert tool_reminders.send_due_reminders() == 0
    assert not ReassessmentReminder.objects.exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert tool_reminders.send_due_reminders() == 1


def test_beat_sends_the_reminders_every_hour():
    entry = settings.CELERY_BEAT_SCHEDULE["reassessment-reminders"]
    assert entry == {"task": "agreements.tasks.send_reassessment_reminders", "schedule": 3600.0}
