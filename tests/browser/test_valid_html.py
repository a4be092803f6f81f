"""The Nu HTML Checker the browser tests run at the end of the session does find errors."""

import pytest

from tests.browser.conftest import nu_html_errors

pytestmark = pytest.mark.browser

PAGE = '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>T</title></head><body>{}</body></html>'


def test_the_html_checker_refuses_hx_attributes_and_a_bad_datetime_and_passes_valid_html():
    errors = nu_html_errors({
        "a": ("/a/", PAGE.format('<form hx-post="/x/"></form>')),
        "b": ("/b/", PAGE.format('<time datetime="1 december 2026 om 10:00">toen</time>')),
        "c": ("/c/", PAGE.format('<form data-hx-post="/x/"></form><time datetime="2026-12-01T10:00">toen</time>')),
    })
    assert [e.split(" line ")[0] for e in errors] == ["/a/", "/b/"]
    assert "hx-post" in errors[0] and "datetime" in errors[1]
