"""The review reminders: with a moving clock the leaders get one mail 60, 30 and 7 days before the review date
and one on the day, the MR a copy of the 7-day mail; never twice (runs again, restarts, two beats at once)."""

import datetime
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.urls import reverse

from agreements import reminders, tasks
from agreements.models import ReviewReminder
from agreements.services import documents
from tests.document_data import adopt, adopted_version

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
REVIEW_DATE = datetime.date(2027, 6, 30)


def at(day, hour=9):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=AMSTERDAM)


@pytest.fixture
def adopted(school, leader, mr_member, teacher):
    version = adopted_version(school=school, leader=leader, mr_member=mr_member)
    version.review_date = REVIEW_DATE
    version.save(update_fields=["review_date"])
    return version


def run_every_hour(start, end):
    """The beat task, hourly from `start` up to and including `end` (dates): what it sends."""
    moment = at(start, 0)
    with time_machine.travel(moment, tick=False) as clock:
        while moment.date() <= end:
            tasks.send_review_reminders()
            moment += datetime.timedelta(hours=6)
            clock.move_to(moment)


def test_the_leaders_get_one_mail_per_milestone_and_the_mr_a_copy_of_the_seven_day_mail(adopted, settings):
    run_every_hour(REVIEW_DATE - datetime.timedelta(days=75), REVIEW_DATE + datetime.timedelta(days=20))
    subjects = [(m.subject, m.to) for m in mail.outbox]
    leaders, with_mr = ["lotte@regenboog.example"], ["lotte@regenboog.example", "mira@regenboog.example"]
    assert subjects == [
        ("Over 60 dagen: evaluatie van het AI-beleid van Basisschool De Regenboog", leaders),
        ("Over 30 dagen: evaluatie van het AI-beleid van Basisschool De Regenboog", leaders),
        ("Over 7 dagen: evaluatie van het AI-beleid van Basisschool De Regenboog", with_mr),
        ("Tijd voor de evaluatie van het AI-beleid van Basisschool De Regenboog", leaders),
    ]
    assert list(ReviewReminder.objects.filter(version=adopted).values_list("milestone", flat=True)) == [60, 30, 7, 0]
    first = mail.outbox[0]
    link = settings.SITE_URL.rstrip("/") + reverse("documents:documents", args=[adopted.pk]) + "#nieuw-titel"
    assert link.startswith("http") and link in first.body
    assert "Over 60 dagen, op 30 juni 2027, is het tijd om versie 1 van jullie AI-beleid te evalueren." in first.body
    html = first.alternatives[0][0]
    assert "Begin de evaluatie" in html and "30 juni 2027" in html
    assert "De leden van de MR krijgen een kopie van deze mail." in mail.outbox[2].body


def test_running_again_sends_nothing_more(adopted):
    with time_machine.travel(at(REVIEW_DATE - datetime.timedelta(days=7)), tick=False):
        assert reminders.send_due_reminders() == 1
        assert reminders.send_due_reminders() == 0
        tasks.send_review_reminders()
    assert len(mail.outbox) == 1


def test_a_first_run_late_sends_only_the_latest_milestone(adopted):
    with time_machine.travel(at(REVIEW_DATE - datetime.timedelta(days=20)), tick=False):
        tasks.send_review_reminders()
    assert [m.subject for m in mail.outbox] == [
        "Over 20 dagen: evaluatie van het AI-beleid van Basisschool De Regenboog"]
    assert list(ReviewReminder.objects.values_list("milestone", flat=True)) == [30]


def test_nothing_before_sixty_days_nor_long_after_the_date(adopted):
    for day in (REVIEW_DATE - datetime.timedelta(days=61), REVIEW_DATE + datetime.timedelta(days=8)):
        with time_machine.travel(at(day), tick=False):
            tasks.send_review_reminders()
    assert mail.outbox == []


def test_a_newer_adopted_version_takes_over_the_reminders(adopted, leader, mr_member):
    draft = documents.start_new_draft_from(version=adopted, by=leader)
    newer = adopt(draft, leader=leader, mr_member=mr_member)
    newer.review_date = REVIEW_DATE + datetime.timedelta(days=365)
    newer.save(update_fields=["review_date"])
    with time_machine.travel(at(REVIEW_DATE - datetime.timedelta(days=7)), tick=False):
        tasks.send_review_reminders()
    assert mail.outbox == []


def test_a_failing_mail_server_is_tried_again_on_the_next_run(adopted, settings):
    settings.EMAIL_BACKEND = "tests.test_review_reminders.FailingBackend"
    with time_machine.travel(at(REVIEW_DATE - datetime.timedelta(days=60)), tick=False):
        assert reminders.send_due_reminders() == 0
        assert not ReviewReminder.objects.exists()
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        assert reminders.send_due_reminders() == 1
    assert len(mail.outbox) == 1


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")


@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_send_one_mail(school, leader, mr_member):
    version = adopted_version(school=school, leader=leader, mr_member=mr_member)
    version.review_date = REVIEW_DATE
    version.save(update_fields=["review_date"])
    start = threading.Barrier(2)
    sent = []

    def beat():
        try:
            start.wait()
            sent.append(reminders.send_due_reminders())
        finally:
            connection.close()

    with time_machine.travel(at(REVIEW_DATE - datetime.timedelta(days=30)), tick=False):
        threads = [threading.Thread(target=beat) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert sorted(sent) == [0, 1]
    assert len(mail.outbox) == 1
    assert ReviewReminder.objects.filter(version=version, milestone=30).count() == 1


def test_the_dashboard_counts_down_to_the_review_date_and_shows_the_review(client, adopted, leader, teacher):
    dashboard = reverse("schools:dashboard", args=[adopted.policy.school_id])
    with time_machine.travel(at(REVIEW_DATE - datetime.timedelta(days=100)), tick=False):
        client.force_login(teacher)  # a session of that day
        page = client.get(dashboard).content.decode()
    assert "Versie 1 evalueren jullie op <strong>30 juni 2027</strong>." in page
    assert "Nog 100 dagen." in page and "Jullie hoeven nog niets te doen." in page
    assert "Evaluatie beginnen" not in page  # only the leader starts it
    with time_machine.travel(at(REVIEW_DATE - datetime.timedelta(days=1)), tick=False):
        client.force_login(leader)
        page = client.get(dashboard).content.decode()
        assert "Nog 1 dag." in page and "De evaluatie is nog niet begonnen." in page
        assert reverse("documents:new_draft", args=[adopted.pk]) in page
        response = client.post(reverse("documents:new_draft", args=[adopted.pk]))
        assert response.status_code == 302
        page = client.get(dashboard).content.decode()
    assert "De evaluatie is begonnen: versie 2 is een concept." in page
    with time_machine.travel(at(REVIEW_DATE + datetime.timedelta(days=3)), tick=False):
        client.force_login(leader)
        assert "Dat was 3 dagen geleden." in client.get(dashboard).content.decode()


def test_the_dashboard_has_no_review_before_a_version_is_adopted(client, leader, school):
    client.force_login(leader)
    page = client.get(reverse("schools:dashboard", args=[school.pk])).content.decode()
    assert "Evaluatie van het beleid" not in page


def test_each_reader_gets_the_reminder_in_their_own_language(adopted, leader):
    leader.language = "en"
    leader.save(update_fields=["language"])
    with time_machine.travel(at(REVIEW_DATE - datetime.timedelta(days=60)), tick=False):
        tasks.send_review_reminders()
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("In 60 days: review of the AI policy of Basisschool De Regenboog", ["lotte@regenboog.example"])]
    assert "In 60 days, on 30 June 2027, it is time to review version 1 of your AI policy." in mail.outbox[0].body
