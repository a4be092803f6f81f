"""The editable Word copy: made by the same render as the PDF, with real headings, lists and the signature
table; downloadable by members; never accepted by the verify page."""

import io
import zipfile

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements import rendering
from agreements.models import Decision
from agreements.services import documents
from tests.document_data import adopted_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content", "media_root")]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def adopted(school, leader, mr_member):
    version = adopted_version(school=school, leader=leader, mr_member=mr_member)
    own = version.decisions.own().first()
    Decision.objects.filter(pk=own.pk).update(text="Wij spreken af:\n\n- geen namen in een chatbot\n- bronnen noemen")
    return version


def rendered(version, edition, user):
    document = documents.request_render(version=version, edition=edition, by=user, site_url="https://beleid.example/")
    rendering.render(document.pk)
    document.refresh_from_db()
    return document


def read(document):
    data = document.word_file.read()
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    return docx.Document(io.BytesIO(data))


def headings(doc, level):
    return [p.text for p in doc.paragraphs if p.style.name == f"Heading {level}"]


def test_the_team_copy_has_word_headings_lists_actions_and_the_signature_table(adopted, leader):
    document = rendered(adopted, "team", leader)
    assert document.word_file.name == f"documenten/{adopted.pk}/team-{document.verification_code}.docx"
    doc = read(document)
    level_one = headings(doc, 1)
    assert level_one[0] == "Over dit beleid"
    assert [h for h in level_one if h.startswith("Thema ")] == [
        f"Thema {n}. {t}" for n, t in adopted.decisions.values_list("theme__number", "theme__title")
        .order_by("theme__number").distinct()]
    assert {"Vaststelling en instemming", "Bronnen", "Bijlage: begrippen"} <= set(level_one)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Dit is een bewerkbare kopie, niet het ondertekende document." in text
    assert document.verification_code in text and document.verify_url in text
    assert "Wat is hiervoor nodig?" in text
    bullets = [p.text for p in doc.paragraphs if p.style.name == "List Bullet"]
    assert {"geen namen in een chatbot", "bronnen noemen"} <= set(bullets)
    [table] = doc.tables
    assert table.cell(1, 0).text == "Lotte Leider" and table.cell(2, 0).text == "Directeur"
    assert table.cell(1, 1).text == "Mira MR"
    assert doc.core_properties.language == "nl-NL"
    assert document.verification_code in doc.sections[0].footer.paragraphs[0].text


def test_the_parents_copy_has_the_agreements_and_the_contact_but_no_actions_or_votes(adopted, leader):
    doc = read(rendered(adopted, "ouders", leader))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert headings(doc, 1)[0] == "Waar gaat dit over?"
    assert "Heb je vragen?" in headings(doc, 1)
    assert "directie@regenboog.example" in text
    for team_only in ("Wat is hiervoor nodig?", "Teamvergadering van", "Bijlage: begrippen", "Niet overgenomen"):
        assert team_only not in text


def test_members_download_the_copy_and_the_verify_page_refuses_it(client, adopted, leader, teacher):
    document = rendered(adopted, "team", leader)
    client.force_login(teacher)
    page = client.get(reverse("documents:documents", args=[adopted.pk]))
    assert reverse("documents:download_word", args=[document.pk]) in page.content.decode()
    response = client.get(reverse("documents:download_word", args=[document.pk]))
    assert response.status_code == 200 and response["Content-Type"] == DOCX
    assert response["Content-Disposition"].endswith('-bewerkbaar.docx"')
    assert "no-store" in response["Cache-Control"]
    data = b"".join(response.streaming_content)
    checked = client.post(reverse("documents:verify", args=[document.verification_code]),
                          {"file": SimpleUploadedFile("beleid.docx", data, content_type=DOCX)})
    assert checked.status_code == 400
    assert "Dit is geen pdf-bestand." in checked.content.decode()
