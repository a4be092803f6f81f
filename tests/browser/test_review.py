"""In a real browser: the yearly review. The leader starts the review from the dashboard, the team adds an
agreement and ticks the checklist, compares the draft with version 1, adopts version 2, and the parents' PDF made
by a real worker says what changed."""

import io

import pypdf
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_page_ok
from tests.document_data import adopted_version

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("worker"),
              pytest.mark.usefixtures("transactional_db", "content", "media_root")]

NEW_TEXT = "Ouders krijgen elk jaar een avond over AI op school."


@pytest.mark.worker
def test_start_review_change_compare_adopt_and_the_pdf_shows_the_changes(new_page, login, celery_worker_process,
                                                                         school, leader, mr_member, tmp_path):
    celery_worker_process()
    v1 = adopted_version(school=school, leader=leader, mr_member=mr_member)
    page = login(new_page(), leader)

    page.goto(f"/scholen/{school.pk}/")
    expect(page.get_by_role("heading", name="Evaluatie van het beleid")).to_be_visible()
    expect(page.get_by_text("Versie 1 evalueren jullie op")).to_be_visible()
    assert_page_ok(page)
    page.get_by_role("button", name="Evaluatie beginnen: nieuw concept").click()
    expect(page.get_by_text("Versie 2 is begonnen als concept")).to_be_visible()
    v2 = v1.policy.versions.get(number=2)

    page.goto(f"/versies/{v2.pk}/thema/1/")
    page.get_by_label("Nieuwe afspraak").fill(NEW_TEXT)
    page.get_by_role("button", name="Afspraak toevoegen").click()
    expect(page.locator(".decision-own").filter(has_text=NEW_TEXT)).to_have_count(1)

    page.goto(f"/versies/{v2.pk}/controleren/")
    expect(page.get_by_role("heading", name="Evaluatielijst")).to_be_visible()
    page.get_by_label("1. Jaarlijks AI-richtlijnen beoordelen en bijwerken").check()
    page.get_by_label("Notitie").first.fill("Gedaan op de studiedag.")
    page.get_by_role("button", name="Opslaan evaluatiepunt 1").click()
    expect(page.get_by_text("Evaluatiepunt 1 is opgeslagen.")).to_be_visible()
    expect(page.get_by_label("1. Jaarlijks AI-richtlijnen beoordelen en bijwerken")).to_be_checked()
    assert_page_ok(page)

    page.get_by_role("link", name="Vergelijk dit concept met versie 1").click()
    expect(page.get_by_role("heading", name="Wat is er veranderd van versie 1 naar versie 2")).to_be_visible()
    expect(page.locator(".compare-summary")).to_contain_text("1 nieuw")
    expect(page.locator(".compare-added")).to_contain_text(NEW_TEXT)
    assert_page_ok(page)

    page.goto(f"/versies/{v2.pk}/afronden/")
    page.get_by_role("button", name="Beleid afronden").click()
    expect(page.get_by_text("Het beleid is afgerond.")).to_be_visible()
    page.get_by_label("Functie").fill("Directeur")
    page.get_by_role("button", name="Ondertekenen").click()
    expect(page.get_by_text("Ondertekend door Lotte Leider, Directeur, op")).to_be_visible()
    mr_page = login(new_page(), mr_member)
    mr_page.goto(f"/versies/{v2.pk}/ondertekenen/")
    mr_page.get_by_label("Naam van de voorzitter van de MR").fill("Mira MR")
    mr_page.get_by_role("button", name="Instemming vastleggen").click()
    expect(mr_page.get_by_text("Het beleid is vastgesteld. Je kunt nu de pdf maken.")).to_be_visible()

    page.goto(f"/versies/{v2.pk}/documenten/")
    page.get_by_role("button", name="Maak de pdf: editie voor ouders").click()
    download_link = page.get_by_role("link", name="Download de pdf (editie voor ouders)")
    expect(download_link).to_be_visible(timeout=90_000)
    assert_page_ok(page)
    with page.expect_download() as info:
        download_link.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    reader = pypdf.PdfReader(io.BytesIO(path.read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "Wat is er veranderd sinds versie 1" in text
    assert f"Nieuwe afspraak: {NEW_TEXT}" in text
