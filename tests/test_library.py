"""The public content library: every page answers, shows the source texts, stays within its query budget."""

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from django.urls import reverse

from agreements.models import ConversationPrompt, ExampleAgreement, GlossaryTerm, Guideline, KeyRequirement, Theme
from agreements.views.library import public_urls

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content")]

QUERY_BUDGET = 15


def library_urls():
    """Every library page; the loops over it check the seven theme pages too (not an empty list)."""
    urls = public_urls()
    themes = [theme.get_absolute_url() for theme in Theme.objects.all()]
    assert len(themes) == 7 and set(themes) <= set(urls)
    return urls


def test_every_library_page_answers_within_the_query_budget(client, django_assert_max_num_queries):
    for url in library_urls():
        with django_assert_max_num_queries(QUERY_BUDGET):
            response = client.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/html")


def test_theme_page_shows_explanation_sketch_prompts_agreements_and_guidelines(client):
    theme = Theme.objects.get(number=5)
    html = client.get(theme.get_absolute_url()).content.decode()
    text = _visible_text(html)
    assert theme.title in text
    for paragraph in theme.explanation.split("\n\n"):
        assert paragraph in text
    for paragraph in theme.sketch.split("\n\n"):
        assert paragraph in text
    prompts, agreements = list(ConversationPrompt.objects.all()), list(theme.agreements.all())
    assert (len(prompts), len(agreements)) == (2, 2)
    for prompt in prompts:
        assert prompt.text in text
    for agreement in agreements:
        assert agreement.text in text
    guideline = Guideline.objects.filter(themes=theme).first()
    assert guideline is not None
    assert _visible_text(guideline.text)[:60] in text


def test_every_text_of_the_sources_is_readable_on_the_public_pages(client):
    """Theme titles, sketches, agreements, prompts, TWijs guidelines and PO-Raad recommendations, word for word."""
    pages = "".join(_visible_text(client.get(url).content.decode()) for url in library_urls())
    expected = []
    for theme in Theme.objects.all():
        expected += [theme.title, *theme.explanation.split("\n\n"), *theme.sketch.split("\n\n")]
    expected += [a.text for a in ExampleAgreement.objects.all()]
    expected += [p.text for p in ConversationPrompt.objects.all()]
    for g in Guideline.objects.all():
        expected += [g.title] if g.title else []
        expected += [_visible_text(block) for block in g.text.split("\n\n")]
    expected += [q.text for r in KeyRequirement.objects.all() for q in r.questions.all()]
    expected += [t.term for t in GlossaryTerm.objects.all()]
    assert len(expected) >= 7 + 18 + 2 + 23 + 36 + 28  # at least one text per theme, agreement, prompt, ...
    missing = [e for e in expected if _squash(e) not in _squash(pages)]
    assert missing == []


def test_search_finds_agreements_guidelines_and_terms(client):
    response = client.get(reverse("library:search"), {"q": "persoonsgegevens"})
    text = _visible_text(response.content.decode())
    assert "Voer geen persoonsgegevens in." in text
    assert "Richtlijnen" in text
    response = client.get(reverse("library:search"), {"q": "xyzzy-bestaat-niet"})
    assert 'Geen resultaten voor "xyzzy-bestaat-niet"' in _visible_text(response.content.decode())


def test_search_counts_one_resultaat_and_several_resultaten(client):
    one = _visible_text(client.get(reverse("library:search"), {"q": "Copilot"}).content.decode())
    several = _visible_text(client.get(reverse("library:search"), {"q": "chatbot"}).content.decode())
    assert '1 resultaat voor "Copilot".' in one
    assert re.search(r'\b([2-9]|\d\d+) resultaten voor "chatbot"\.', several)


def test_search_with_one_letter_asks_for_more(client):
    response = client.get(reverse("library:search"), {"q": "a"})
    assert "Typ minstens twee letters." in _visible_text(response.content.decode())


def test_search_shows_html_in_the_query_escaped(client):
    response = client.get(reverse("library:search"), {"q": "<script>alert(1)</script>"})
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content


def test_unknown_theme_is_404(client):
    assert client.get("/themas/bestaat-niet/").status_code == 404


def test_every_library_page_is_reached_by_links_from_the_home_page(client):
    seen, queue = set(), [reverse("library:home")]
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code == 200, url
        for href in _links(response.content.decode()):
            target = urlparse(urljoin(url, href))
            if target.netloc or target.query or not target.path.startswith("/"):
                continue
            if target.path.startswith("/static/"):
                continue
            if target.path not in seen:
                queue.append(target.path)
    expected = {u for u in library_urls() if "?" not in u}
    assert expected - seen == set()


def test_no_library_page_loads_anything_from_another_host(client):
    for url in library_urls():
        html = client.get(url).content.decode()
        resources = _resources(html)
        assert resources, url
        foreign = [r for r in resources if urlparse(r).netloc or r.startswith("//")]
        assert foreign == [], url
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", html), url


def test_security_headers_are_set(client):
    response = client.get(reverse("library:home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_contain_no_inline_scripts_or_styles(client):
    for url in library_urls():
        html = client.get(url).content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), url
        assert "<style" not in html, url
        assert not re.search(r"\sstyle=", html), url
        assert not re.search(r"\son[a-z]+=", html), url


# --- helpers -----------------------------------------------------------------------------------

class _Collector(HTMLParser):
    RESOURCE_ATTRS = {"script": "src", "link": "href", "img": "src", "iframe": "src", "source": "src",
                      "video": "src", "audio": "src", "form": "action", "object": "data", "embed": "src"}

    def __init__(self):
        super().__init__()
        self.text, self.links, self.resources, self._skip = [], [], [], 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        attr = self.RESOURCE_ATTRS.get(tag)
        if attr and attrs.get(attr):
            self.resources.append(attrs[attr])

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def _parse(html):
    c = _Collector()
    c.feed(html)
    return c


def _visible_text(html):
    return re.sub(r"\s+", " ", "".join(_parse(html).text)).strip()


def _squash(text):
    return re.sub(r"\s+", " ", text).strip()


def _links(html):
    return _parse(html).links


def _resources(html):
    return _parse(html).resources
