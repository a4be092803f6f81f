"""In a real browser: the privacy page from the footer, the account pages and deleting a school pass axe, and a
leader asks to delete a school by typing its name, then undoes it."""

import pytest
from playwright.sync_api import expect

from agreements.models import School
from tests.browser.conftest import assert_page_ok

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db", "content")]


def test_the_privacy_and_account_pages(new_page, login, school, leader):
    page = login(new_page(), leader)
    page.goto("/")
    page.get_by_role("link", name="Privacy", exact=True).click()
    expect(page.get_by_role("heading", name="Privacy: wat we bewaren en waarom")).to_be_visible()
    assert_page_ok(page)
    page.get_by_role("link", name="Mijn account").first.click()
    expect(page.get_by_role("heading", name="Mijn account")).to_be_visible()
    assert_page_ok(page)
    page.get_by_role("textbox", name="Je naam").fill("Lotte van der Leider")
    page.get_by_role("button", name="Naam opslaan").click()
    expect(page.get_by_text("Je naam is gewijzigd.")).to_be_visible()
    page.get_by_role("link", name="E-mailadres wijzigen").click()
    expect(page.get_by_role("heading", level=1, name="E-mailadres wijzigen")).to_be_visible()
    assert_page_ok(page)
    page.goto("/account/verwijderen/")
    expect(page.get_by_text("Je bent de enige schoolleider van Basisschool De Regenboog.")).to_be_visible()
    assert_page_ok(page)


def test_a_leader_deletes_the_school_and_undoes_it(new_page, login, school, leader):
    page = login(new_page(), leader)
    page.goto(f"/scholen/{school.pk}/")
    page.get_by_role("link", name="School verwijderen").click()
    assert_page_ok(page)
    page.get_by_label("Typ de naam van de school").fill("Basisschool De Regenboog")
    page.get_by_role("button", name="Verwijder de school").click()
    expect(page.get_by_text("Deze school wordt op")).to_be_visible()
    assert_page_ok(page)
    page.get_by_role("button", name="Niet verwijderen").click()
    expect(page.get_by_text("Basisschool De Regenboog wordt niet verwijderd.")).to_be_visible()
    assert School.objects.get(pk=school.pk).deletion_requested_at is None
