"""The PDF editions in English: the fixed texts (headings, introduction, verification text) are English, the
school's agreements are as the school wrote them. Chosen per edition when generating (edition x language)."""

import io

import pikepdf
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
    # The running footer and the cover's page label are English too.
    assert f"AI policy {adopted.policy.school.name}" in facts["text"]
    assert f"page 2 of {facts['pages']}" in facts["text"] and "pagina" not in facts["text"]
    assert cover_label(english) == "Cover"
    with default_storage.open(dutch.file.name, "rb") as f:
        dutch_facts = pdf_facts(f.read())
    assert "Waar gaat dit over?" in dutch_facts["text"]
    assert f"pagina 2 van {dutch_facts['pages']}" in dutch_facts["text"]
    assert f"AI-beleid {adopted.policy.school.name}" in dutch_facts["text"]
    assert cover_label(dutch) == "Omslag"

    page = client.get(reverse("documents:documents", args=[adopted.pk])).content.decode()
    assert "In het Engels" in page
    assert reverse("documents:download", args=[english.pk]) in page


def test_asking_twice_for_the_same_edition_and_language_renders_once(leader, adopted):
    first = documents.request_render(version=adopted, edition="team", by=leader, site_url="https://x.example/",
                                     language="en")
    again = documents.request_render(version=adopted, edition="team", by=leader, site_url="https://x.example/",
                                     language="en")
    assert first.pk == again.pk
    assert RenderedDocument.objects.filter(version=adopted, edition="team").count() == 1


def cover_label(document):
    with default_storage.open(document.file.name, "rb") as f, pikepdf.open(io.BytesIO(f.read())) as pdf:
        return str(pdf.Root.PageLabels.Nums[1].P)
