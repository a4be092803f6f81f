"""The PDF editions in English: the fixed texts (headings, introduction, verification text) are English, the
school's agreements are as the school wrote them. Chosen per edition when generating (edition x language)."""

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from agreements import rendering
from agreements.models import RenderedDocument
from agreements.services import documents
from tests.document_data import adopted_version, pdf_facts, squash

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content", "media_root")]


@pytest.fixture
def adopted(school, leader, mr_member):
    return adopted_version(school=school, leader=leader, mr_member=mr_member)


def test_an_english_parents_edition_has_english_framing_and_the_agreements_as_written(client, leader, adopted):
    client.force_login(leader)
    client.post(reverse("documents:documents", args=[adopted.pk]), {"edition": "ouders", "language": "nl"})
    client.post(reverse("documents:documents", args=[adopted.pk]), {"edition": "ouders", "language": "en"})
    dutch, english = (RenderedDocument.objects.get(version=adopted, edition="ouders", language=code)
                      for code in ("nl", "en"))
    assert dutch.pk != english.pk
    for document in (dutch, english):
        rendering.render(document.pk)
        document.refresh_from_db()
    with default_storage.open(english.file.name, "rb") as f:
        facts = pdf_facts(f.read())
    assert facts["lang"] == "en"
    assert "What is this about?" in facts["text"] and "Waar gaat dit over?" not in facts["text"]
    for decision in adopted.decisions.adopted():
        assert squash(decision.current_text) in facts["text"], decision.code
    assert english.verification_code in facts["text"]
    with default_storage.open(dutch.file.name, "rb") as f:
        assert "Waar gaat dit over?" in pdf_facts(f.read())["text"]

    page = client.get(reverse("documents:documents", args=[adopted.pk])).content.decode()
    assert "In het Engels" in page
    assert reverse("documents:download", args=[english.pk]) in page
    # Downloaded side by side, the two files keep apart by name.
    for document, name in ((dutch, "AI-beleid-basisschool-de-regenboog-v1-ouders.pdf"),
                           (english, "AI-beleid-basisschool-de-regenboog-v1-ouders-en.pdf")):
        response = client.get(reverse("documents:download", args=[document.pk]))
        assert response["Content-Disposition"] == f'attachment; filename="{name}"'
        assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_asking_twice_for_the_same_edition_and_language_renders_once(leader, adopted):
    first = documents.request_render(version=adopted, edition="team", by=leader, site_url="https://x.example/",
                                     language="en")
    again = documents.request_render(version=adopted, edition="team", by=leader, site_url="https://x.example/",
                                     language="en")
    assert first.pk == again.pk
    assert RenderedDocument.objects.filter(version=adopted, edition="team").count() == 1
