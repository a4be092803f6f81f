"""Pictures where people look, the first decision in view, the main action on top, print and layout shift
(issue 13)."""

import time

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from agreements.models import Decision
from agreements.services import meetings as meeting_services
from agreements.views.library import public_urls
from tests.browser.conftest import assert_page_ok

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("content")]

LAPTOP = {"width": 1366, "height": 800}


def meters(locator):
    return locator.locator("meter").evaluate_all("bars => bars.map(b => [b.value, b.max])")


def test_the_wizard_step_shows_the_first_decision_above_the_fold(new_page, login, leader, busy_school):
    page = login(new_page(LAPTOP), leader)
    page.goto(reverse("policy:step", args=[busy_school["version"].pk, 1]))
    choice = page.locator(".decision-card").first.get_by_label("Overnemen", exact=True)
    assert choice.bounding_box()["y"] + choice.bounding_box()["height"] < LAPTOP["height"]
    assert page.get_by_role("heading", name="Situatieschets").bounding_box()["y"] < LAPTOP["height"]


def test_the_review_leads_with_what_is_open_and_the_main_action_and_draws_the_coverage(
        new_page, login, leader, busy_school):
    page = login(new_page(LAPTOP), leader)
    page.goto(reverse("policy:review", args=[busy_school["version"].pk]))
    action = page.get_by_role("link", name="Beleid afronden")
    assert action.bounding_box()["y"] + action.bounding_box()["height"] < LAPTOP["height"]
    headings = page.get_by_role("heading", level=2).all_inner_texts()
    assert headings.index("Nog te doen") < headings.index("Wat jullie afspraken afdekken") < headings.index(
        "Het hele concept")
    bars = page.locator(".coverage-bars")
    twijs, eu = meters(bars.nth(0)), meters(bars.nth(1))
    assert [total for _, total in twijs] == [7, 4, 4, 3] and sum(v for v, _ in twijs) == 3
    assert len(eu) == 7 and sorted(v for v, _ in eu)[-1] >= 1
    expect(bars.nth(1).locator(".coverage-none").first).to_contain_text("0 afspraken")
    assert_page_ok(page)


def test_the_results_and_the_meeting_record_draw_the_projectors_bars(new_page, login, leader, busy_school):
    meeting = busy_school["meeting"]
    item = meeting.items.first()
    meeting_services.close_item(meeting=meeting, item=item)
    page = login(new_page(LAPTOP), leader)
    page.goto(reverse("meetings:results", args=[meeting.pk]))
    first = page.locator(".result-item").first
    assert meters(first) == [[1, 1], [0, 1], [0, 1]]
    expect(first.locator(".tally-row").first.locator(".tally-count")).to_have_text("1 100%")
    page.get_by_role("button", name="Verwerk uitkomst").click()
    decision = Decision.objects.get(pk=item.decision_id)
    page.goto(reverse("policy:step", args=[busy_school["version"].pk, decision.theme.number]))
    record = page.locator(f"#afspraak-{decision.pk} .meeting-result")
    assert meters(record) == [[1, 1], [0, 1], [0, 1]]
    assert_page_ok(page)


def test_printing_a_page_prints_its_content_only(new_page, login, leader, busy_school):
    version, meeting = busy_school["version"].pk, busy_school["meeting"].pk
    page = login(new_page(LAPTOP), leader)
    page.emulate_media(media="print")
    for path in [reverse("policy:review", args=[version]), reverse("meetings:results", args=[meeting]),
                 reverse("documents:preview", args=[version]), reverse("policy:step", args=[version, 1])]:
        page.goto(path)
        visible = page.evaluate("""() => [...document.querySelectorAll(
            'body > header, nav:not(.doc-toc), button, .btn, select, .site-footer, .wizard-sidebar')]
            .filter(e => e.getClientRects().length > 0).map(e => e.outerHTML.slice(0, 80))""")
        assert visible == [], path
        expect(page.get_by_role("heading", level=1)).to_be_visible()


CLS_OBSERVER = """
window.__cls = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({type: 'layout-shift', buffered: true});
"""


def slow_fonts(route):
    """The fonts arrive late, as on a school's busy network: the page must not jump when they do."""
    time.sleep(0.4)
    route.continue_()


def test_no_library_page_shifts_its_layout_while_loading(new_page):
    page = new_page(LAPTOP)
    page.add_init_script(CLS_OBSERVER)
    page.route("**/*.woff2", slow_fonts)
    shifts = {}
    for path in public_urls():
        page.goto(path, wait_until="load")
        page.wait_for_timeout(500)
        shifts[path] = round(page.evaluate("window.__cls"), 3)
    assert {path: cls for path, cls in shifts.items() if cls >= 0.1} == {}, shifts
