"""The public verification page: what was signed, and whether an uploaded PDF is exactly that file."""

import random
import re

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agreements import rendering
from agreements.models.document import normalise_verification_code
from agreements.services import documents
from tests.document_data import adopted_version

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content", "media_root")]


def text_of(response):
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def client(client):
    """Each test from its own address: the rate limit counts per address in the shared cache."""
    client.defaults["REMOTE_ADDR"] = f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}"
    return client


@pytest.fixture
def document(school, leader, mr_member):
    version = adopted_version(school=school, leader=leader, mr_member=mr_member)
    document = documents.request_render(version=version, edition="ouders", by=leader, site_url="http://testserver/")
    rendering.render(document.pk)
    document.refresh_from_db()
    return document


def pdf_bytes(document):
    with default_storage.open(document.file.name, "rb") as f:
        return f.read()


def verify_url(document):
    return reverse("documents:verify", args=[document.verification_code])


def test_the_verify_page_shows_school_version_edition_date_signers_and_fingerprint(client, document):
    response = client.get(verify_url(document))
    assert response.status_code == 200
    text = text_of(response)
    version = document.version
    assert "Basisschool De Regenboog, Utrecht" in text
    assert f"Versie {version.number}" in text
    assert "Editie voor ouders" in text
    assert f"Vastgesteld op {timezone.localtime(version.adopted_at).day}" in text  # the page's day (Amsterdam)
    assert "Lotte Leider, Directeur, ondertekend op" in text
    assert "Voorzitter MR: Mira MR" in text
    assert document.sha256 in text


def test_uploading_the_exact_file_confirms_it(client, document):
    upload = SimpleUploadedFile("beleid.pdf", pdf_bytes(document), content_type="application/pdf")
    response = client.post(verify_url(document), {"file": upload})
    assert response.status_code == 200
    assert f"Ja, dit klopt. Je bestand is precies de pdf met code {document.verification_code}." in text_of(response)


def test_uploading_a_changed_pdf_says_it_is_not_the_same_file(client, document):
    changed = pdf_bytes(document) + b"\n% een regel erbij\n"
    response = client.post(verify_url(document), {"file": SimpleUploadedFile("beleid.pdf", changed)})
    text = text_of(response)
    assert "Nee, dit is niet hetzelfde bestand." in text
    assert "Ja, dit klopt" not in text


def test_a_file_that_is_not_a_pdf_is_refused_by_its_content_not_its_name(client, document):
    fake = SimpleUploadedFile("beleid.pdf", b"<html>dit is geen pdf</html>", content_type="application/pdf")
    response = client.post(verify_url(document), {"file": fake})
    assert response.status_code == 400
    text = text_of(response)
    assert "Dit is geen pdf-bestand." in text
    assert "Ja, dit klopt" not in text and "Nee, dit is niet" not in text
    assert 'aria-describedby="id_file_helptext id_file_error"' in response.content.decode()


def test_an_upload_just_over_20_mb_is_refused(client, settings, document):
    big = b"%PDF-1.7\n" + b"0" * settings.VERIFY_UPLOAD_MAX_BYTES
    response = client.post(verify_url(document), {"file": SimpleUploadedFile("groot.pdf", big)})
    assert response.status_code == 400
    assert "Dit bestand is groter dan 20 MB." in text_of(response)


def test_a_much_larger_upload_is_refused_before_it_is_read(client, settings, document):
    big = b"%PDF-1.7\n" + b"0" * (settings.VERIFY_UPLOAD_MAX_BYTES + 200_000)
    response = client.post(verify_url(document), {"file": SimpleUploadedFile("groot.pdf", big)})
    assert response.status_code == 413
    assert "Dit bestand is groter dan 20 MB." in text_of(response)
    assert 'aria-describedby="id_file_helptext id_file_error"' in response.content.decode()


def test_an_upload_without_a_file_asks_for_one(client, document):
    response = client.post(verify_url(document), {})
    assert response.status_code == 400
    assert "Dit veld is verplicht." in text_of(response)


def test_an_unknown_code_gives_a_helpful_404(client, document):
    response = client.get(reverse("documents:verify", args=["ZZZZ-ZZZZ-ZZZZ"]))
    assert response.status_code == 404
    text = text_of(response)
    assert "Deze code kennen we niet" in text
    assert "Een code heeft 12 tekens in drie groepjes" in text
    assert 'value="ZZZZ-ZZZZ-ZZZZ"' in response.content.decode()


def test_a_code_is_only_known_once_its_pdf_is_done(client, school, leader, mr_member):
    version = adopted_version(school=school, leader=leader, mr_member=mr_member)
    queued = documents.request_render(version=version, edition="team", by=leader, site_url="http://testserver/")
    assert client.get(verify_url(queued)).status_code == 404


def test_a_loosely_typed_code_is_normalised(client, document):
    loose = document.verification_code.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert normalise_verification_code(loose) == document.verification_code
    response = client.get(reverse("documents:verify_start"), {"code": loose})
    assert response.status_code == 302
    assert response.url == verify_url(document)


def test_the_start_page_explains_and_refuses_a_malformed_code(client):
    response = client.get(reverse("documents:verify_start"), {"code": "12-34"})
    assert response.status_code == 200
    assert "Dit is geen geldige code." in text_of(response)


def test_uploads_are_rate_limited_per_address(client, settings, document):
    limit, _ = settings.VERIFY_RATE_LIMIT
    data = pdf_bytes(document)
    for _ in range(limit):
        response = client.post(verify_url(document), {"file": SimpleUploadedFile("b.pdf", data)})
        assert response.status_code == 200
    response = client.post(verify_url(document), {"file": SimpleUploadedFile("b.pdf", data)})
    assert response.status_code == 429
    assert "Je hebt het in korte tijd te vaak geprobeerd." in text_of(response)
    client.defaults["REMOTE_ADDR"] = "192.0.2.77"
    assert client.post(verify_url(document), {"file": SimpleUploadedFile("b.pdf", data)}).status_code == 200


def test_looking_up_unknown_codes_is_rate_limited(client, settings):
    limit, _ = settings.VERIFY_UNKNOWN_CODE_RATE_LIMIT
    for i in range(limit):
        assert client.get(reverse("documents:verify", args=[f"ZZZZ-ZZZZ-{i:04d}"])).status_code == 404
    assert client.get(reverse("documents:verify", args=["ZZZZ-ZZZZ-ZZZZ"])).status_code == 429


def test_the_upload_needs_the_csrf_token(document):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    upload = SimpleUploadedFile("beleid.pdf", pdf_bytes(document))
    assert strict.post(verify_url(document), {"file": upload}).status_code == 403
