"""Every public library page in a real browser: axe finds nothing, nothing loads from another host."""

import pytest
from django.urls import reverse

from agreements.models import Theme
from agreements.views.library import public_urls
from tests.browser.conftest import assert_page_ok

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("content")]


def test_every_library_page_passes_axe_and_stays_on_this_host(page, transactional_db, content):
    urls = public_urls()
    themes = [theme.get_absolute_url() for theme in Theme.objects.all()]
    assert len(themes) == 7 and set(themes) <= set(urls)  # the loop checks the seven theme pages too
    for url in urls:
        response = page.goto(url)
        assert response.status == 200, url
        assert_page_ok(page)


def test_a_visitor_finds_a_theme_from_the_home_page_and_searches(page, transactional_db, content):
    page.goto("/")
    page.get_by_role("link", name="Bekijk de zeven thema's").click()
    page.get_by_role("link", name="Thema 5: Bescherm je eigen privacy en die van anderen").click()
    assert page.get_by_role("heading", level=1).inner_text().endswith("Bescherm je eigen privacy en die van anderen")
    assert page.get_by_text("Voer geen persoonsgegevens in.").is_visible()
    page.goto(reverse("library:search"))
    page.get_by_label("Zoek in thema's, afspraken, richtlijnen en begrippen").fill("persoonsgegevens")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    assert page.get_by_role("link", name="5.1 Voer geen persoonsgegevens in.").is_visible()
    assert_page_ok(page)


def test_the_menu_works_on_a_phone(new_page, transactional_db, content):
    page = new_page(viewport={"width": 390, "height": 844})
    page.goto("/")
    page.get_by_role("button", name="Menu openen").click()
    page.get_by_role("link", name="Begrippen", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Begrippen"
    assert_page_ok(page)
