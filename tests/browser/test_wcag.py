"""WCAG 2.2 AA measured on every kind of page (issue 13): a focus ring of 3:1 on whatever it is drawn on,
targets of at least 24×24 px (the phone's voting controls 44 px), no sideways scrolling at 320 px.
axe (with the wcag22aa rules) runs on every page through assert_page_ok."""

import pytest
from django.urls import reverse

from agreements.models import Theme
from tests.browser.conftest import assert_page_ok
from tests.browser.wcag import focus_ring_failures, horizontal_overflow, small_targets, target_sizes

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("content")]

PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 640}


def public_pages():
    theme = Theme.objects.order_by("number").first()
    return [reverse("library:home"), reverse("library:theme", args=[theme.slug]), reverse("library:glossary"),
            reverse("library:search") + "?q=toetsen", reverse("login"), reverse("register"),
            reverse("documents:verify_start"), reverse("meetings:enter")]


def leader_pages(school, busy):
    version, meeting = busy["version"].pk, busy["meeting"].pk
    return [reverse("schools:dashboard", args=[school.pk]), reverse("schools:team", args=[school.pk]),
            reverse("policy:overview", args=[version]), reverse("policy:step", args=[version, 1]),
            reverse("policy:review", args=[version]), reverse("policy:history", args=[busy["decision"].pk]),
            reverse("documents:preview", args=[version]), reverse("meetings:control", args=[meeting]),
            reverse("meetings:projector", args=[meeting]), reverse("meetings:results", args=[meeting])]


def visit_all(new_page, login, leader, school, busy, viewport, check):
    """Run `check(page)` on every page (public ones signed out); {path: what it found} for the failures."""
    found = {}
    anonymous, signed_in = new_page(viewport), login(new_page(viewport), leader)
    for page, paths in [(anonymous, public_pages()), (signed_in, leader_pages(school, busy))]:
        for path in paths:
            page.goto(path)
            result = check(page)
            if result:
                found[path] = result
    return found


def listed(failures):
    return "\n".join(f"{path}: {found}" for path, found in failures.items())


def test_the_focus_ring_reaches_3_to_1_on_every_background(new_page, login, leader, school, busy_school):
    failures = visit_all(new_page, login, leader, school, busy_school, None, focus_ring_failures)
    assert failures == {}, listed(failures)


def test_every_target_is_24_px_or_spaced_apart_on_a_laptop_and_a_phone(new_page, login, leader, school,
                                                                       busy_school):
    for viewport in (None, PHONE):
        failures = visit_all(new_page, login, leader, school, busy_school, viewport, small_targets)
        assert failures == {}, f"{viewport}:\n{listed(failures)}"


def test_nothing_scrolls_sideways_at_320_px(new_page, login, leader, school, busy_school):
    failures = visit_all(new_page, login, leader, school, busy_school, NARROW, horizontal_overflow)
    assert failures == {}, listed(failures)


def test_every_page_passes_axe_with_the_wcag_2_2_rules(new_page, login, leader, school, busy_school):
    visit_all(new_page, login, leader, school, busy_school, None, assert_page_ok)


def test_the_phones_voting_controls_are_44_px(new_page, busy_school):
    meeting = busy_school["meeting"]
    phone = new_page(PHONE)
    phone.goto(reverse("meetings:enter"))
    assert small_targets(phone, 44, spacing=False) == []
    phone.goto(reverse("meetings:vote", args=[meeting.join_code]))
    assert small_targets(phone, 44, spacing=False) == []
    phone.get_by_role("button", name="Doe mee").click()
    phone.get_by_role("button", name="Steun", exact=True).wait_for()
    sizes = target_sizes(phone, 44, spacing=False)
    assert sizes["failing"] == [] and sizes["count"] >= 4
    assert_page_ok(phone)
