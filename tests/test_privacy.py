"""Privacy: the page lists what the app keeps, and the retention tasks forget it after the same periods.

The clock moves with time-machine: each kind is still there one day before its period ends and gone one day
after. Each task is idempotent (a second run removes nothing) and logs what it did.
"""

import logging
import os
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from agreements import privacy, retention, tasks
from agreements.models import Ballot, Invitation, Meeting, Participant
from tests.factories import BallotFactory, InvitationFactory, ItemFactory, MeetingFactory, ParticipantFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def later(days):
    return time_machine.travel(NOW + timedelta(days=days), tick=False)


# --- The page and the tasks come from one list ------------------------------------------------------


def test_every_kind_with_a_period_has_a_retention_task_and_a_beat_entry():
    with_period = {kind.key for kind in privacy.DATA_KINDS if kind.period_setting}
    assert with_period == set(retention.RETENTION)
    scheduled = {entry["args"][0] for entry in settings.CELERY_BEAT_SCHEDULE.values()
                 if entry["task"] == "agreements.tasks.apply_retention"}
    assert scheduled == with_period


def test_the_privacy_page_lists_every_kind_with_the_period_the_tasks_use(client, settings):
    settings.RETENTION_MEETING_PARTICIPANT_DAYS = 17
    settings.RETENTION_ACCESS_LOG_DAYS = 1
    page = client.get(reverse("privacy")).content.decode()
    for kind in privacy.DATA_KINDS:
        assert all(escape(str(text)) in page for text in (kind.what, kind.why, kind.who))
    assert "17 dagen nadat de vergadering is afgelopen" in page
    assert privacy.period("meeting_participants") == timedelta(days=17)
    assert "1 dag." in page
    assert privacy.period("access_logs") == timedelta(days=1)


def test_the_footer_links_to_the_privacy_page(client):
    assert f'href="{reverse("privacy")}"' in client.get(reverse("library:home")).content.decode()


def test_the_defaults_are_the_documented_ones():
    readme = (settings.BASE_DIR / "README.md").read_text()
    for kind in privacy.DATA_KINDS:
        if kind.period_setting:
            assert f"`{kind.period_setting}` | `{kind.days}`" in readme
    assert [privacy.kind(k).days for k in ("meeting_participants", "invitations", "mail_files", "access_logs")] \
        == [30, 30, 30, 90]


# --- Meetings: names and the link to an account go, counts stay ----------------------------------------


def test_participant_names_are_forgotten_30_days_after_the_meeting_closed(teacher, caplog):
    meeting = MeetingFactory(status=Meeting.Status.CLOSED, closed_at=NOW)
    open_meeting = MeetingFactory()
    item = ItemFactory(meeting=meeting)
    named = ParticipantFactory(meeting=meeting, name="Tim", user=teacher)
    BallotFactory(item=item, participant=named, choice=Ballot.Choice.SUPPORT)
    ParticipantFactory(meeting=open_meeting, name="Nog bezig")

    with later(29):
        assert tasks.apply_retention("meeting_participants") == 0
    assert Participant.objects.get(pk=named.pk).name == "Tim"

    caplog.set_level(logging.INFO, logger="agreements.retention")
    with later(31):
        assert tasks.apply_retention("meeting_participants") == 1
        assert tasks.apply_retention("meeting_participants") == 0  # idempotent
    named.refresh_from_db()
    assert (named.name, named.user) == ("", None)
    assert Ballot.objects.filter(item=item, choice=Ballot.Choice.SUPPORT).count() == 1  # counts stay
    assert Participant.objects.get(meeting=open_meeting).name == "Nog bezig"
    assert "retention meeting_participants: 1 removed" in caplog.text


# --- Invitations ----------------------------------------------------------------------------------


def test_invitations_are_deleted_30_days_after_expiry_use_or_revocation(school, leader):
    with time_machine.travel(NOW - timedelta(days=14), tick=False):
        expiring = InvitationFactory(school=school, email="a@school.example")  # expires at NOW
    used = InvitationFactory(school=school, accepted_at=NOW, accepted_by=leader)
    revoked = InvitationFactory(school=school, revoked_at=NOW)
    pending = InvitationFactory(school=school)  # expires NOW + 14 days

    with later(29):
        assert retention.apply("invitations") == 0
    with later(31):
        assert retention.apply("invitations") == 3
        assert retention.apply("invitations") == 0
    assert list(Invitation.objects.all()) == [pending]
    assert not Invitation.objects.filter(pk__in=[expiring.pk, used.pk, revoked.pk]).exists()


# --- Mail files -----------------------------------------------------------------------------------


def test_mail_files_are_deleted_after_30_days(settings, tmp_path):
    settings.EMAIL_FILE_PATH = tmp_path
    old, fresh = tmp_path / "old.log", tmp_path / "fresh.log"
    for path, age in ((old, 31), (fresh, 29)):
        path.write_text("Subject: Uitnodiging\n")
        stamp = (NOW - timedelta(days=age)).timestamp()
        os.utime(path, (stamp, stamp))
    with later(0):
        assert retention.apply("mail_files") == 1
        assert retention.apply("mail_files") == 0
    assert [p.name for p in tmp_path.iterdir()] == ["fresh.log"]


def test_no_mail_folder_is_nothing_to_do(settings, tmp_path):
    settings.EMAIL_FILE_PATH = tmp_path / "bestaat-niet"
    assert retention.apply("mail_files") == 0


# --- Access logs and sessions ---------------------------------------------------------------------


def test_login_records_are_deleted_after_90_days():
    with time_machine.travel(NOW, tick=False):
        AccessLog.objects.create(username="tim@regenboog.example", ip_address="10.0.0.1", user_agent="x")
        AccessAttempt.objects.create(username="tim@regenboog.example", ip_address="10.0.0.1", user_agent="x",
                                     failures_since_start=1, get_data="", post_data="")
    with later(89):
        assert retention.apply("access_logs") == 0
    with later(91):
        assert retention.apply("access_logs") == 2
        assert retention.apply("access_logs") == 0
    assert not AccessLog.objects.exists() and not AccessAttempt.objects.exists()


def test_sessions_are_deleted_when_they_expire_after_the_period():
    with time_machine.travel(NOW, tick=False):
        session = SessionStore()
        session["x"] = 1
        session.create()
    with later(13):
        assert retention.apply("sessions") == 0
    with later(15):
        assert retention.apply("sessions") == 1
    assert not Session.objects.exists()
