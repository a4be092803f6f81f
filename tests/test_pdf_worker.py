"""A real Celery worker process renders the policy PDF; after a worker is killed with SIGKILL in the middle of
rendering, the sweep and a fresh worker complete it once its lease expired: one file, nothing lost. A render
over the soft or the hard time limit fails with a retry button."""

import time

import pytest
from django.core.files.storage import default_storage

from agreements import tasks
from agreements.models import RenderedDocument
from agreements.services import documents
from tests.conftest import wait_for
from tests.document_data import adopted_version, big_adopted_version, pdf_facts, squash

pytestmark = [pytest.mark.worker, pytest.mark.xdist_group("worker"), pytest.mark.usefixtures("content", "media_root")]


def status_of(document):
    return RenderedDocument.objects.values_list("status", flat=True).get(pk=document.pk)


def files_below(folder):
    return sorted(p for p in folder.rglob("*") if p.is_file())


def test_a_real_worker_renders_the_team_edition(celery_worker_process, school, leader, mr_member, media_root):
    worker = celery_worker_process()
    version = adopted_version(school=school, leader=leader, mr_member=mr_member)
    document = documents.request_render(version=version, edition="team", by=leader, site_url="http://testserver/")
    wait_for(lambda: status_of(document) in ("done", "failed"), timeout=90, message="the worker to render the pdf")
    document.refresh_from_db()
    assert document.status == "done", worker.output()
    with default_storage.open(document.file.name, "rb") as f:
        facts = pdf_facts(f.read())
    assert facts["pages"] == document.page_count > 5
    agreements = list(version.decisions.adopted())
    assert len(agreements) == 22  # adopted_version: 15 example agreements adopted or amended, 7 own ones
    for decision in agreements:
        assert squash(decision.current_text) in facts["text"], decision.code
    assert (facts["lang"], facts["marked"], facts["has_struct_tree"]) == ("nl", True, True)
    assert facts["title"] == "AI-beleid Basisschool De Regenboog, versie 1 (teameditie)"
    assert facts["author"] == "Basisschool De Regenboog"
    assert facts["unembedded_fonts"] == []
    assert document.verification_code in facts["text"]
    assert files_below(media_root) == sorted([media_root / document.file.name, media_root / document.word_file.name])


def test_a_render_killed_with_its_worker_is_taken_over_once_its_lease_expired(
    celery_worker_process, settings, monkeypatch, school, leader, mr_member, media_root
):
    settings.PDF_LEASE_SECONDS = 2
    monkeypatch.setenv("PDF_LEASE_SECONDS", "2")
    worker = celery_worker_process()
    version = big_adopted_version(school=school, leader=leader, mr_member=mr_member)
    document = documents.request_render(version=version, edition="team", by=leader, site_url="http://testserver/")
    wait_for(lambda: status_of(document) == "rendering", timeout=60, interval=0.02,
             message="the worker to start rendering")
    worker.kill()
    assert status_of(document) == "rendering", "the render finished before the kill; make the document bigger"

    # Its message stays with the dead worker until Redis' visibility timeout; nobody renews the lease, so once
    # it has expired the sweep queues the row again, and a new worker renders it.
    assert tasks.sweep_stuck_documents() == []
    time.sleep(settings.PDF_LEASE_SECONDS + 0.5)
    assert tasks.sweep_stuck_documents() == [document.pk]
    celery_worker_process()
    wait_for(lambda: status_of(document) in ("done", "failed"), timeout=90, message="the new worker to finish")

    document.refresh_from_db()
    assert document.status == "done", worker.output()
    assert document.attempts == 2
    assert RenderedDocument.objects.filter(version=version).count() == 1
    assert files_below(media_root) == sorted([media_root / document.file.name, media_root / document.word_file.name])
    with default_storage.open(document.file.name, "rb") as f:
        facts = pdf_facts(f.read())
    assert facts["pages"] == document.page_count >= 20
    agreements = list(version.decisions.adopted())
    assert len(agreements) == 50  # big_adopted_version: 15 example agreements adopted or amended, 35 own ones
    for decision in agreements:
        assert squash(decision.current_text) in facts["text"], decision.code


def test_a_render_over_the_soft_time_limit_fails_with_a_retry(celery_worker_process, monkeypatch, school, leader,
                                                              mr_member, media_root):
    monkeypatch.setenv("PDF_SOFT_TIME_LIMIT", "1")  # the worker's own setting decides
    worker = celery_worker_process()
    version = big_adopted_version(school=school, leader=leader, mr_member=mr_member)
    document = documents.request_render(version=version, edition="team", by=leader, site_url="http://testserver/")
    wait_for(lambda: status_of(document) in ("done", "failed"), timeout=60, message="the time limit")
    document.refresh_from_db()
    assert (document.status, document.error) == ("failed", "too_long"), worker.output()
    assert files_below(media_root) == []


def test_a_render_killed_at_the_hard_time_limit_fails_with_a_retry(celery_worker_process, settings, monkeypatch,
                                                                   school, leader, mr_member, media_root):
    # The soft limit never fires (as when WeasyPrint hangs inside C code): the pool kills the child.
    settings.PDF_LEASE_SECONDS = 1
    settings.PDF_TIME_LIMIT = 1
    monkeypatch.setenv("PDF_LEASE_SECONDS", "1")
    monkeypatch.setenv("PDF_SOFT_TIME_LIMIT", "0")
    monkeypatch.setenv("PDF_TIME_LIMIT", "1")
    worker = celery_worker_process()
    version = big_adopted_version(school=school, leader=leader, mr_member=mr_member)
    document = documents.request_render(version=version, edition="team", by=leader, site_url="http://testserver/")
    wait_for(lambda: "Hard time limit (1s) exceeded" in worker.output(), timeout=60, message="the hard time limit")
    time.sleep(settings.PDF_LEASE_SECONDS + 0.5)
    tasks.sweep_stuck_documents()  # beat would; a task handed back after the kill does the same
    document.refresh_from_db()
    assert (document.status, document.error, document.attempts) == (
        "failed", "too_long", 1), worker.output()
    assert files_below(media_root) == []
