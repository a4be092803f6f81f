"""Rendering in the worker's code path, in-process: the PDF itself (PDF/UA-1, text, fonts, code), the stored
file, idempotence, failure and retry. The lease and the sweep are in test_render_lease.py."""

import hashlib
import subprocess
import sys

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from agreements import rendering
from agreements.models import Decision
from agreements.services import documents
from tests.document_data import adopted_version, pdf_facts, squash

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content", "media_root")]


@pytest.fixture
def adopted(school, leader, mr_member):
    return adopted_version(school=school, leader=leader, mr_member=mr_member)


def render(version, edition, user):
    document = documents.request_render(version=version, edition=edition, by=user, site_url="https://beleid.example/")
    rendering.render(document.pk)
    document.refresh_from_db()
    return document


def stored_bytes(document):
    with default_storage.open(document.file.name, "rb") as f:
        return f.read()


def test_the_team_edition_is_a_tagged_pdf_ua_with_every_adopted_agreement(leader, adopted):
    document = render(adopted, "team", leader)
    assert document.status == "done"
    data = stored_bytes(document)
    facts = pdf_facts(data)
    assert facts["pages"] == document.page_count
    assert facts["pages"] >= 10
    agreements = list(adopted.decisions.adopted())
    assert len(agreements) == 22  # adopted_version: 15 example agreements adopted or amended, 7 own ones
    for decision in agreements:
        assert squash(decision.current_text) in facts["text"], decision.code
    assert "Lesbrief maken bij 1.1 (1)" in facts["text"]
    assert "12 steun, 3 steun met aanpassing, 1 geen steun" in facts["text"]
    assert "Naam Lotte Leider Mira MR Functie Directeur Voorzitter MR Datum" in facts["text"]
    assert "Bijlage: begrippen" in facts["text"]
    assert "pagina 1 van" not in facts["text"]  # the cover has no page number
    assert f"pagina 2 van {facts['pages']}" in facts["text"]
    assert f"pagina {facts['pages']} van {facts['pages']}" in facts["text"]
    assert facts["lang"] == "nl"
    assert facts["title"] == "AI-beleid Basisschool De Regenboog, versie 1 (teameditie)"
    assert facts["author"] == "Basisschool De Regenboog"
    assert facts["marked"] is True
    assert facts["has_struct_tree"] is True
    assert "pdfuaid:part" in facts["xmp"]
    assert facts["unembedded_fonts"] == []
    assert facts["fonts"] and all("Source-Sans-3" in name for name in facts["fonts"])
    assert document.verification_code in facts["text"]
    assert f"https://beleid.example/verifieer/{document.verification_code}/" in facts["text"]
    assert "Thema 1. Zet de mens centraal" in facts["outlines"]
    assert "Bijlage: begrippen" in facts["outlines"]
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.size == len(data)


def test_the_parents_edition_has_the_agreements_and_the_contact_but_no_actions_or_votes(leader, adopted):
    document = render(adopted, "ouders", leader)
    facts = pdf_facts(stored_bytes(document))
    agreements = list(adopted.decisions.adopted())
    assert len(agreements) == 22  # adopted_version: 15 example agreements adopted or amended, 7 own ones
    for decision in agreements:
        assert squash(decision.current_text) in facts["text"], decision.code
    assert "Waar gaat dit over?" in facts["text"]
    assert "Lotte Leider, directeur: directie@regenboog.example" in facts["text"]
    assert "Lesbrief" not in facts["text"]
    assert "steun" not in facts["text"]
    assert "Niet overgenomen" not in facts["text"]
    assert facts["title"] == "AI-beleid Basisschool De Regenboog, versie 1 (editie voor ouders)"
    assert (facts["lang"], facts["marked"], facts["has_struct_tree"]) == ("nl", True, True)
    assert document.verification_code in facts["text"]


def test_the_stored_file_has_a_fixed_name_and_rendering_a_done_document_again_changes_nothing(leader, adopted,
                                                                                            media_root):
    document = render(adopted, "team", leader)
    assert document.file.name == f"documenten/{adopted.pk}/team-{document.verification_code}.pdf"
    before = (document.file.name, document.sha256, document.finished_at, document.attempts)
    assert rendering.render(document.pk) is None
    document.refresh_from_db()
    assert (document.file.name, document.sha256, document.finished_at, document.attempts) == before
    assert sorted(p.name for p in (media_root / "documenten" / str(adopted.pk)).iterdir()) == [
        f"team-{document.verification_code}.docx", f"team-{document.verification_code}.pdf"]


def test_a_failed_render_shows_a_clear_message_and_the_retry_renders_it(client, settings, tmp_path, leader, adopted,
                                                                        media_root,
                                                                        django_capture_on_commit_callbacks):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("the storage cannot write below a file")
    settings.MEDIA_ROOT = blocked
    document = render(adopted, "team", leader)
    assert (document.status, document.error, document.attempts) == ("failed", "failed", 1)
    client.force_login(leader)
    page = client.get(reverse("documents:documents", args=[adopted.pk])).content.decode()
    assert "Het maken van de pdf is mislukt. Probeer het opnieuw." in page
    assert reverse("documents:retry", args=[document.pk]) in page
    assert "Opnieuw proberen" in page

    settings.MEDIA_ROOT = media_root
    with django_capture_on_commit_callbacks() as enqueued:
        response = client.post(reverse("documents:retry", args=[document.pk]), HTTP_HX_REQUEST="true")
    assert len(enqueued) == 1
    assert "Stap 1 van 3: de pdf staat in de wachtrij." in response.content.decode()
    document.refresh_from_db()
    assert (document.status, document.error) == ("queued", "")
    rendering.render(document.pk)
    document.refresh_from_db()
    assert document.status == "done"
    assert stored_bytes(document).startswith(b"%PDF-")


def test_retrying_a_document_that_did_not_fail_changes_nothing(client, leader, adopted,
                                                              django_capture_on_commit_callbacks):
    document = render(adopted, "team", leader)
    client.force_login(leader)
    with django_capture_on_commit_callbacks() as enqueued:
        client.post(reverse("documents:retry", args=[document.pk]))
    assert enqueued == []
    document.refresh_from_db()
    assert document.status == "done"


def test_a_strangers_retry_is_404(client, other_leader, leader, adopted):
    document = documents.request_render(version=adopted, edition="team", by=leader, site_url="http://testserver/")
    client.force_login(other_leader)
    assert client.post(reverse("documents:retry", args=[document.pk])).status_code == 404


def test_own_agreements_and_amendments_appear_with_their_labels(leader, adopted):
    own = adopted.decisions.own().first()
    document = render(adopted, "team", leader)
    text = pdf_facts(stored_bytes(document))["text"]
    assert f"{own.code} Eigen afspraak" in text
    amended = adopted.decisions.filter(choice=Decision.Choice.AMEND).first()
    assert f"{amended.code} Aangepast" in text
    assert squash(f"Voorbeeldafspraak van Kennisnet {amended.example.text}") in text


def test_the_views_never_import_weasyprint(settings):
    code = ("import sys, django; django.setup(); import policybuilder.urls, agreements.views.documents; "
            "from django.urls import reverse; reverse('documents:verify_start'); print('weasyprint' in sys.modules)")
    env = {"DJANGO_SETTINGS_MODULE": "policybuilder.settings", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=settings.BASE_DIR, env=env)
    assert out.stdout.strip().splitlines()[-1] == "False"


def test_letters_beyond_western_european_use_the_vendored_font_too(leader, mr_member, school):
    school.name = "Basisschool Şükrü Yılmaz Łódź"
    school.save()
    version = adopted_version(school=school, leader=leader, mr_member=mr_member)
    facts = pdf_facts(stored_bytes(render(version, "ouders", leader)))
    assert "Basisschool Şükrü Yılmaz Łódź" in facts["text"]
    assert facts["unembedded_fonts"] == []
    assert facts["fonts"] and all("Source-Sans-3" in name for name in facts["fonts"])
