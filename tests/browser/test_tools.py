"""In a real browser: a leader registers an AI tool, answers assessment questions, approves it under conditions,
links it to the privacy theme; the adopted policy then shows it in both PDF editions (and their previews)."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agreements import rendering
from agreements.models import Theme, Tool
from agreements.services import documents
from tests.browser.conftest import assert_page_ok
from tests.document_data import adopt, filled_draft, pdf_facts, squash

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db", "content", "media_root")]

CONDITIONS = "Alleen voor lesvoorbereiding, zonder namen van leerlingen."


def render(version, edition, user):
    document = documents.request_render(version=version, edition=edition, by=user, site_url="https://beleid.example/")
    rendering.render(document.pk)
    document.refresh_from_db()
    return pdf_facts(document.file.read())["text"]


def test_register_assess_approve_link_and_find_the_tool_in_both_editions(new_page, login, school, leader, mr_member):
    page = login(new_page(), leader)
    page.goto(f"/scholen/{school.pk}/")
    page.get_by_role("link", name="Naar het register").click()
    expect(page.get_by_role("heading", name="AI-tools van onze school")).to_be_visible()
    assert_page_ok(page)

    page.get_by_role("link", name="Tool toevoegen").click()
    page.get_by_role("button", name="Toevoegen").click()  # without a name
    expect(page.get_by_text("Vul de naam van de tool in.")).to_be_visible()
    assert_page_ok(page)
    page.get_by_label("Naam van de tool").fill("MagicSchool")
    page.get_by_label("Leverancier", exact=True).fill("MagicSchool AI")
    page.get_by_label("Waarvoor gebruiken jullie de tool?").fill("Lesideeën en feedback op teksten")
    page.get_by_label("Medewerkers en leerlingen").check()
    page.get_by_label("Leeftijdsgrens").fill("13+")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.get_by_text("MagicSchool staat in het register.")).to_be_visible()
    assert_page_ok(page)

    page.get_by_role("link", name="Vragen beantwoorden").click()
    question = page.get_by_role("group", name="Worden gegevens veilig behandeld en privacyregels nageleefd?")
    question.get_by_label("Deels").check()
    question.get_by_label("Toelichting").fill("De data staan in de VS.")
    assert_page_ok(page)
    page.get_by_role("button", name="Antwoorden opslaan").click()
    expect(page.get_by_text("De antwoorden zijn opgeslagen.")).to_be_visible()
    expect(page.get_by_text("1 van de 39 vragen beantwoord (versie 1).")).to_be_visible()

    page.get_by_role("link", name="Oordeel geven").click()
    page.get_by_label("Goedgekeurd onder voorwaarden").check()
    page.get_by_label("Voorwaarden", exact=True).fill(CONDITIONS)
    page.get_by_label("Opnieuw beoordelen op").fill(timezone.localdate().replace(year=timezone.localdate().year + 1)
                                                   .isoformat())
    assert_page_ok(page)
    page.get_by_role("button", name="Oordeel vastleggen").click()
    expect(page.get_by_text("Het oordeel over MagicSchool is vastgelegd.")).to_be_visible()

    privacy = Theme.objects.get(title__icontains="privacy")
    page.get_by_role("link", name="Koppelen aan thema's en afspraken").click()
    page.get_by_label(str(privacy)).check()
    assert_page_ok(page)
    page.get_by_role("button", name="Koppelingen opslaan").click()
    expect(page.get_by_text(f"Thema {privacy.number}: {privacy.title}")).to_be_visible()
    assert_page_ok(page)
    assert Tool.objects.approved().get().themes.get() == privacy

    version = adopt(filled_draft(school=school, by=leader), leader=leader, mr_member=mr_member)
    for edition, heading in (("team", "Bijlage: AI-tools"), ("ouders", "Deze AI-tools gebruiken wij")):
        page.goto(f"/versies/{version.pk}/voorbeeld/?editie={edition}")
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        assert_page_ok(page)

    team = render(version, "team", leader)
    assert "Bijlage: AI-tools" in team and squash(CONDITIONS) in team and "Goedgekeurd onder voorwaarden" in team
    parents = render(version, "ouders", leader)
    assert "Deze AI-tools gebruiken wij" in parents
    assert squash("Wie gebruikt het: medewerkers en leerlingen (leeftijdsgrens 13+)") in parents
    assert squash(f"Wat wij afspreken: {CONDITIONS}") in parents
