"""In a real browser: a PDF asked for while no worker runs says so, and appears without a click once a worker
starts."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_page_ok
from tests.document_data import adopted_version

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.xdist_group("worker"),
              pytest.mark.usefixtures("transactional_db", "content", "media_root")]


def test_the_page_says_the_pdf_maker_is_not_running_and_shows_the_pdf_when_it_is_back(
        new_page, login, celery_worker_process, settings, school, leader, mr_member):
    settings.PDF_WAIT_NOTICE_SECONDS = 1
    version = adopted_version(school=school, leader=leader, mr_member=mr_member)
    page = login(new_page(viewport={"width": 390, "height": 844}), leader)
    page.goto(f"/versies/{version.pk}/documenten/")
    page.get_by_role("button", name="Maak de pdf: teameditie").click()
    notice = page.get_by_text("De pdf-maker draait nu niet.")
    expect(notice).to_be_visible(timeout=10_000)
    expect(page.get_by_text("Je aanvraag blijft bewaard.", exact=False)).to_be_visible()
    assert_page_ok(page)

    celery_worker_process()  # the worker comes back; nobody clicks anything
    expect(page.get_by_role("link", name="Download de pdf (teameditie)")).to_be_visible(timeout=60_000)
    expect(notice).to_have_count(0)
    assert_page_ok(page)
