"""A real Celery worker process on the embedded default renders the policy PDF; after a worker is killed
with SIGKILL in the middle of rendering, the sweep and a fresh worker complete it: one file, nothing lost."""

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
    assert files_below(media_root) == [media_root / document.file.name]


def test_a_render_killed_with_its_worker_completes_after_a_restart_and_the_sweep(
    celery_worker_process, settings, school, leader, mr_member, media_root
):
    settings.PDF_STUCK_AFTER = 2
    worker = celery_worker_process()
    version = big_adopted_version(school=school, leader=leader, mr_member=mr_member)
    document = documents.request_render(version=version, edition="team", by=leader, site_url="http://testserver/")
    wait_for(lambda: status_of(document) == "rendering", timeout=60, interval=0.02,
             message="the worker to start rendering")
    worker.kill()
    assert status_of(document) == "rendering", "the render finished before the kill; make the document bigger"

    # The filesystem broker deleted the message when the worker took it: only the sweep brings it back.
    celery_worker_process()
    time.sleep(settings.PDF_STUCK_AFTER + 0.5)
    assert tasks.sweep_stuck_documents() == [document.pk]
    wait_for(lambda: status_of(document) in ("done", "failed"), timeout=90, message="the new worker to finish")

    document.refresh_from_db()
    assert document.status == "done", worker.output()
    assert document.attempts == 2
    assert RenderedDocument.objects.filter(version=version).count() == 1
    assert files_below(media_root) == [media_root / document.file.name]
    with default_storage.open(document.file.name, "rb") as f:
        facts = pdf_facts(f.read())
    assert facts["pages"] == document.page_count >= 20
    agreements = list(version.decisions.adopted())
    assert len(agreements) == 50  # big_adopted_version: 15 example agreements adopted or amended, 35 own ones
    for decision in agreements:
        assert squash(decision.current_text) in facts["text"], decision.code
