"""A render holds a lease on its row; the sweep and a redelivered task take over only what nobody renews.
A full or read-only disk fails the render with a clear message and keeps what exists; the retry works."""

import datetime
import subprocess
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from agreements import rendering, tasks
from agreements.models import RenderedDocument, WorkerHeartbeat
from agreements.services import documents
from tests.document_data import adopted_version

pytestmark = [pytest.mark.usefixtures("content", "media_root")]


@pytest.fixture
def adopted(school, leader, mr_member):
    return adopted_version(school=school, leader=leader, mr_member=mr_member)


@pytest.fixture
def document(adopted, leader):
    return documents.request_render(version=adopted, edition="team", by=leader, site_url="http://testserver/")


def seconds_ago(n):
    return timezone.now() - datetime.timedelta(seconds=n)


def set_row(document, **fields):
    RenderedDocument.objects.filter(pk=document.pk).update(**fields)
    document.refresh_from_db()
    return document


@pytest.mark.django_db
def test_the_sweep_queues_again_a_render_whose_lease_expired(document, django_capture_on_commit_callbacks):
    set_row(document, status="rendering", started_at=seconds_ago(30), lease_owner="w1:123:abc",
            lease_until=seconds_ago(1), attempts=1)
    with django_capture_on_commit_callbacks() as enqueued:
        assert tasks.sweep_stuck_documents() == [document.pk]
    assert len(enqueued) == 1
    document.refresh_from_db()
    assert (document.status, document.lease_owner, document.lease_until, document.attempts) == ("queued", "", None, 1)
    rendering.render(document.pk)
    document.refresh_from_db()
    assert (document.status, document.attempts, document.lease_owner) == ("done", 2, "")


@pytest.mark.django_db
def test_the_sweep_never_takes_over_a_render_whose_lease_is_renewed_however_long_it_runs(document):
    set_row(document, status="rendering", started_at=seconds_ago(600), lease_owner="w1:123:abc",
            lease_until=timezone.now() + datetime.timedelta(seconds=5), attempts=1)
    assert rendering.sweep() == []
    document.refresh_from_db()
    assert (document.status, document.lease_owner, document.attempts) == ("rendering", "w1:123:abc", 1)


@pytest.mark.django_db
def test_the_sweep_fails_a_document_after_three_attempts(document):
    set_row(document, status="rendering", started_at=seconds_ago(60), lease_until=seconds_ago(5), attempts=3)
    assert rendering.sweep() == []
    document.refresh_from_db()
    assert document.status == "failed"
    assert document.error == "gave_up"
    assert document.error_message.startswith("Het maken van de pdf is 3 keer afgebroken. Probeer het opnieuw.")


@pytest.mark.django_db
def test_a_render_ended_by_the_hard_time_limit_fails_with_a_retry_instead_of_running_again(
        client, settings, leader, document):
    # Its lease was renewed until the pool killed it at PDF_TIME_LIMIT: it would hang again.
    started = seconds_ago(settings.PDF_TIME_LIMIT + 30)
    set_row(document, status="rendering", started_at=started, attempts=1,
            lease_until=started + datetime.timedelta(seconds=settings.PDF_TIME_LIMIT + 15))
    assert rendering.sweep() == []
    document.refresh_from_db()
    assert (document.status, document.error) == ("failed", "too_long")
    client.force_login(leader)
    fragment = client.get(reverse("documents:status", args=[document.pk])).content.decode()
    assert "Het maken van de pdf duurde te lang en is gestopt. Probeer het opnieuw." in fragment
    assert "Opnieuw proberen" in fragment


@pytest.mark.django_db
def test_a_queued_row_is_sent_again_only_when_a_worker_is_up_and_its_message_is_old(settings, document):
    set_row(document, sent_at=seconds_ago(settings.PDF_RESEND_AFTER + 5), queued_at=seconds_ago(600))
    assert rendering.sweep() == []  # no worker: the message waits in the queue for it
    WorkerHeartbeat.objects.create(hostname="w1", seen_at=timezone.now())
    assert rendering.sweep() == [document.pk]
    assert rendering.sweep() == []  # sent just now
    document.refresh_from_db()
    assert document.status == "queued"
    assert document.queued_at < seconds_ago(599)  # the user's waiting time is not reset


@pytest.mark.django_db
def test_a_fresh_queued_row_is_left_alone(document):
    WorkerHeartbeat.objects.create(hostname="w1", seen_at=timezone.now())
    assert rendering.sweep() == []


def test_the_sweep_runs_on_the_beat_schedule_more_often_than_a_lease_lasts(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["sweep-stuck-documents"]
    assert entry["task"] == "agreements.tasks.sweep_stuck_documents"
    assert entry["schedule"] == settings.PDF_SWEEP_SECONDS < settings.PDF_LEASE_SECONDS
    assert tasks.render_document.soft_time_limit == settings.PDF_SOFT_TIME_LIMIT == 300
    assert tasks.render_document.time_limit == settings.PDF_TIME_LIMIT == 330


@pytest.mark.django_db(transaction=True)
def test_a_redelivered_task_waits_for_a_live_lease_and_takes_over_once_it_expires(settings, document):
    """The holder here is a Lease thread renewing for another process; while it renews, render() leaves the row
    alone; once it stops (its process died) the next render() takes the row over."""
    settings.PDF_LEASE_SECONDS = 1
    set_row(document, status="rendering", started_at=timezone.now(), lease_owner="other:1:abc",
            lease_until=timezone.now() + datetime.timedelta(seconds=1), attempts=1)
    holder = rendering.Lease(document.pk, "other:1:abc")
    holder.start()
    try:
        assert rendering.render(document.pk) is None
        document.refresh_from_db()
        assert (document.status, document.lease_owner, document.attempts) == ("rendering", "other:1:abc", 1)
    finally:
        holder.stop()
    result = {}

    def worker_child():  # a thread with its own connection, closed at the end like a worker child's
        try:
            result["id"] = rendering.render(document.pk)
        finally:
            connection.close()

    thread = threading.Thread(target=worker_child)
    thread.start()
    thread.join(60)
    document.refresh_from_db()
    assert result == {"id": document.pk}
    assert (document.status, document.attempts, document.lease_owner) == ("done", 2, "")


# --- A full or read-only disk ----------------------------------------------------------------------------


@pytest.fixture
def disk(tmp_path):
    """A folder on a filesystem of its own (tmpfs), mounted as the test asks; unmounted afterwards."""
    path = tmp_path / "disk"
    path.mkdir()
    mounted = []

    def mount(options):
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
        if done.returncode:
            pytest.skip(f"cannot mount a tmpfs here (needs root): {done.stderr.decode().strip()}")
        mounted.append(path)
        return path

    yield mount
    for p in mounted:
        subprocess.run(["umount", str(p)], check=True)


def stored_files(folder):
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.mark.django_db
def test_a_full_disk_fails_the_render_with_a_clear_message_keeps_what_exists_and_the_retry_works(
        client, settings, disk, media_root, leader, adopted):
    full = disk("size=48k,mode=0755")  # the PDF is larger than this disk
    (full / "documenten").mkdir()
    (full / "documenten" / "eerder.pdf").write_bytes(b"%PDF- a file that was there before")
    settings.MEDIA_ROOT = full
    document = documents.request_render(version=adopted, edition="team", by=leader, site_url="http://testserver/")
    assert rendering.render(document.pk) is None
    document.refresh_from_db()
    assert (document.status, document.error) == ("failed", "not_stored")
    assert stored_files(full) == ["documenten/eerder.pdf"]  # no partial file; the earlier file untouched
    client.force_login(leader)
    page = client.get(reverse("documents:documents", args=[adopted.pk])).content.decode()
    assert "De pdf is gemaakt, maar kon niet worden opgeslagen: de schijf van de server is vol of alleen-lezen." in page
    assert "Opnieuw proberen" in page

    settings.MEDIA_ROOT = media_root  # room again
    client.post(reverse("documents:retry", args=[document.pk]))
    rendering.render(document.pk)
    document.refresh_from_db()
    assert document.status == "done"
    assert stored_files(media_root) == sorted([document.file.name, document.word_file.name])


@pytest.mark.django_db
def test_a_read_only_disk_fails_the_render_with_the_same_clear_message(settings, disk, leader, adopted):
    settings.MEDIA_ROOT = disk("ro")
    document = documents.request_render(version=adopted, edition="team", by=leader, site_url="http://testserver/")
    assert rendering.render(document.pk) is None
    document.refresh_from_db()
    assert (document.status, document.error) == ("failed", "not_stored")
