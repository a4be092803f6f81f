"""The status of a waiting PDF tells the truth: when it has waited over PDF_WAIT_NOTICE_SECONDS and no worker
is up, the fragment says the PDF-maker is not running and that the request is kept (and /healthz is 503)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import RenderedDocument, WorkerHeartbeat
from agreements.services import documents
from tests.document_data import adopted_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content")]
NOTICE = "De pdf-maker draait nu niet."
KEPT = "Je aanvraag blijft bewaard. De pdf wordt gemaakt zodra de pdf-maker weer draait."


@pytest.fixture
def waiting(school, leader, mr_member):
    version = adopted_version(school=school, leader=leader, mr_member=mr_member)
    document = documents.request_render(version=version, edition="team", by=leader, site_url="http://testserver/")
    RenderedDocument.objects.filter(pk=document.pk).update(queued_at=timezone.now() - datetime.timedelta(seconds=31))
    return document


def fragment(client, document, seen=None):
    url = reverse("documents:status", args=[document.pk]) + (f"?seen={seen}" if seen else "")
    return client.get(url)


def test_a_render_waiting_without_a_worker_says_the_pdf_maker_is_not_running(client, leader, waiting):
    client.force_login(leader)
    html = fragment(client, waiting).content.decode()
    assert "Stap 1 van 3: de pdf staat in de wachtrij." in html
    assert NOTICE in html and KEPT in html
    assert "?seen=queued-stil" in html  # it keeps polling, and is sent again when the worker is back
    page = client.get(reverse("documents:documents", args=[waiting.version_id])).content.decode()
    assert NOTICE in page
    assert client.get("/healthz").status_code == 503


def test_the_fragment_is_sent_again_when_the_notice_appears_and_not_while_nothing_changed(client, leader, waiting):
    client.force_login(leader)
    assert fragment(client, waiting, seen="queued").status_code == 200
    assert fragment(client, waiting, seen="queued-stil").status_code == 204


def test_with_a_worker_up_there_is_no_notice(client, leader, waiting):
    WorkerHeartbeat.objects.create(hostname="w1", seen_at=timezone.now() - datetime.timedelta(seconds=5))
    client.force_login(leader)
    response = fragment(client, waiting, seen="queued")
    assert response.status_code == 204
    assert NOTICE not in fragment(client, waiting).content.decode()


def test_a_render_asked_for_a_moment_ago_has_no_notice_yet(client, leader, waiting):
    RenderedDocument.objects.filter(pk=waiting.pk).update(queued_at=timezone.now() - datetime.timedelta(seconds=5))
    client.force_login(leader)
    assert NOTICE not in fragment(client, waiting).content.decode()


def test_a_stale_worker_heartbeat_counts_as_no_worker(client, settings, leader, waiting):
    WorkerHeartbeat.objects.create(hostname="w1", seen_at=timezone.now() - settings.WORKER_HEARTBEAT_MAX_AGE
                                   - datetime.timedelta(seconds=1))
    client.force_login(leader)
    assert NOTICE in fragment(client, waiting).content.decode()
