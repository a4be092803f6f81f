"""WCAG 2.2 AA measurements in a real browser, beside axe: focus ring contrast, target sizes, reflow at 320 px.

- `focus_ring_failures(page)` tabs through the page and, at every stop, reads the computed outline of the
  focused element and the colours just outside it (where the ring is drawn, found with elementsFromPoint):
  the ring must be at least 2 px wide and reach 3:1 against each of them (1.4.11, 2.4.7).
- `small_targets(page, 24)` lists targets under 24×24 px that also fail the spacing exception (2.5.8); links
  inside a sentence are exempt, as WCAG says. `small_targets(page, 44, spacing=False)`: the phone's controls.
- `horizontal_overflow(page)`: how many px the page is wider than the window (1.4.10: 0 at 320 px).
"""

from pathlib import Path

WCAG_JS = (Path(__file__).parent / "wcag.js").read_text()


def _load(page):
    if not page.evaluate("() => !!window.wcag"):
        page.evaluate(WCAG_JS)


def focus_stops(page, limit=120):
    """Tab from the top of the page through at most `limit` stops; the ring at each (measured once each)."""
    page.evaluate("() => { window.scrollTo(0, 0); document.activeElement && document.activeElement.blur(); }")
    page.locator("body").focus()
    stops, seen = [], set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        _load(page)
        stop = page.evaluate("() => window.wcag.focusStop()")
        if stop is None or stop["key"] in seen:
            break
        seen.add(stop["key"])
        stops.append(stop)
    return stops


def focus_ring_failures(page, limit=120):
    stops = focus_stops(page, limit)
    assert stops, f"nothing to focus with Tab on {page.url}"
    return [f"{s['what']}: ring {s['style']} {s['width']}px {s['ring']} on {s['background']} = {s['ratio']}:1"
            for s in stops if s["style"] == "none" or s["width"] < 2 or s["ratio"] < 3]


def lowest_focus_contrast(page, limit=120):
    return min(s["ratio"] for s in focus_stops(page, limit))




def target_sizes(page, minimum=24, spacing=True):
    """{count, small (under minimum), failing (under minimum and too close to another target)}."""
    _load(page)
    return page.evaluate("(args) => window.wcag.targets(args)", [minimum, spacing])


def small_targets(page, minimum=24, spacing=True):
    return target_sizes(page, minimum, spacing)["failing"]


def horizontal_overflow(page):
    """'' when the page fits the window's width; else how much wider it is and the elements that stick out."""
    _load(page)
    return page.evaluate("() => window.wcag.overflow()")
