"""The PDF editions in English: the fixed texts (headings, introduction, verification text) are English, the
school's agreements are as the school wrote them. Chosen per edition when generating (edition x language)."""

import datetime
import io

import docx
import pikepdf
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

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
    assert "The agreements themselves are in Dutch" in facts["text"]
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
    assert "De afspraken zelf staan in het Nederlands" not in dutch_facts["text"]
    assert f"pagina 2 van {dutch_facts['pages']}" in dutch_facts["text"]
    assert f"AI-beleid {adopted.policy.school.name}" in dutch_facts["text"]
    assert cover_label(dutch) == "Omslag"
    # The editable Word copy is in the edition's language too.
    assert word_copy(english) == ("en-GB", True)
    assert word_copy(dutch) == ("nl-NL", False)

    page = client.get(reverse("documents:documents", args=[adopted.pk])).content.decode()
    assert "In het Engels" in page
    assert reverse("documents:download", args=[english.pk]) in page
    # The two Word links of one edition say which language each is (the same words for two files otherwise).
    word_link = reverse("documents:download_word", args=[english.pk])
    hidden = '<span class="visually-hidden"> (editie voor ouders, English)'
    assert f'{word_link}">Bewerkbare kopie in Word (.docx){hidden}' in page
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


# --- Why a render failed, in the reader's language ------------------------------------------------


def documents_page(client, user, version, language):
    """The documents page as `user` sees it with their language set to `language`."""
    user.language = language
    user.save(update_fields=["language"])
    client.force_login(user)
    return client.get(reverse("documents:documents", args=[version.pk])).content.decode()


def test_a_render_that_gave_up_is_explained_in_the_language_of_the_reader(client, leader, adopted):
    document = documents.request_render(version=adopted, edition="team", by=leader, site_url="http://testserver/")
    # Its process died three times: the sweep gives up on it.
    RenderedDocument.objects.filter(pk=document.pk).update(
        status="rendering", attempts=3, started_at=timezone.now() - datetime.timedelta(seconds=60),
        lease_until=timezone.now() - datetime.timedelta(seconds=5))
    assert rendering.sweep() == []
    document.refresh_from_db()
    assert (document.status, document.error) == ("failed", "gave_up")  # a code; the message is made when shown

    english = documents_page(client, leader, adopted, "en")
    assert "Making the PDF was interrupted 3 times. Please try again." in english
    assert "afgebroken" not in english
    assert "Try again" in english
    dutch = documents_page(client, leader, adopted, "nl")
    assert "Het maken van de pdf is 3 keer afgebroken. Probeer het opnieuw." in dutch


def test_a_render_that_failed_is_explained_in_english_to_an_english_reader(client, settings, tmp_path, leader,
                                                                            adopted):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("the storage cannot write below a file")
    settings.MEDIA_ROOT = blocked
    document = documents.request_render(version=adopted, edition="ouders", by=leader, site_url="http://testserver/",
                                        language="en")
    assert rendering.render(document.pk) is None
    document.refresh_from_db()
    assert (document.status, document.error) == ("failed", "failed")
    assert "Making the PDF failed. Please try again." in documents_page(client, leader, adopted, "en")
    assert "Het maken van de pdf is mislukt. Probeer het opnieuw." in documents_page(client, leader, adopted, "nl")


def test_a_failed_row_from_before_the_codes_still_shows_its_message(client, leader, adopted):
    """Rows failed before the codes hold the Dutch message itself: shown translated when the catalogue knows it,
    else as it was stored."""
    team = documents.request_render(version=adopted, edition="team", by=leader, site_url="http://testserver/")
    parents = documents.request_render(version=adopted, edition="ouders", by=leader, site_url="http://testserver/")
    too_long = ("Het maken van de pdf duurde te lang en is gestopt. Probeer het opnieuw. Lukt het dan nog niet? "
                "Neem contact op met de beheerder.")
    gave_up = ("Het maken van de pdf is 3 keer afgebroken. Probeer het opnieuw. Lukt het dan nog niet? "
               "Neem contact op met de beheerder.")
    RenderedDocument.objects.filter(pk=team.pk).update(status="failed", error=too_long)
    RenderedDocument.objects.filter(pk=parents.pk).update(status="failed", error=gave_up, attempts=3)
    english = documents_page(client, leader, adopted, "en")
    assert "Making the PDF took too long, so it was stopped. Please try again." in english
    assert gave_up in english


def cover_label(document):
    with default_storage.open(document.file.name, "rb") as f, pikepdf.open(io.BytesIO(f.read())) as pdf:
        return str(pdf.Root.PageLabels.Nums[1].P)


def word_copy(document):
    """(the .docx's language, whether it has the English heading of the parents' introduction)."""
    with default_storage.open(document.word_file.name, "rb") as f:
        word = docx.Document(io.BytesIO(f.read()))
    return word.core_properties.language, any(p.text == "What is this about?" for p in word.paragraphs)
