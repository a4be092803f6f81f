"""The policy PDF as a typeset document: themes flow, running headers, the signature block, all sources, the
glossary as a table, no page number on the cover, readable letter sizes and contrast, amendments marked, the
team's "- " lists as lists; the parents' edition short and without near-empty pages.

Pages are read with PyMuPDF (text, letter size, colour and position per span)."""

import io

import pymupdf
import pytest
from django.core.files.storage import default_storage

from agreements import rendering
from agreements.models import Source, Theme
from agreements.services import documents
from tests.document_data import LONG_WORD, big_adopted_version, realistic_adopted_version, squash
from tests.pdf_checkers import small_or_faint_text, spans

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content", "media_root")]


def rendered(version, edition, user):
    document = documents.request_render(version=version, edition=edition, by=user, site_url="https://beleid.example/")
    rendering.render(document.pk)
    document.refresh_from_db()
    assert document.status == "done", document.error
    with default_storage.open(document.file.name, "rb") as f:
        return pymupdf.open(stream=io.BytesIO(f.read()), filetype="pdf")


def page_texts(pdf):
    return [squash(page.get_text()) for page in pdf]


def header_of(page):
    """The running header: the text above the top margin (24 mm)."""
    top = 24 / 25.4 * 72
    return squash(" ".join(s["text"] for s in spans(page) if s["bbox"][3] < top))


@pytest.fixture
def policy(school, leader, mr_member):
    return realistic_adopted_version(school=school, leader=leader, mr_member=mr_member)


def test_the_team_edition_is_typeset_as_a_school_policy(leader, policy):
    pdf = rendered(policy, "team", leader)
    texts = page_texts(pdf)
    themes = list(Theme.objects.order_by("number"))

    # The cover has no page number, no header; the other pages say "pagina x van y".
    assert "pagina" not in texts[0]
    assert header_of(pdf[0]) == ""
    assert all(f"pagina {n} van {len(texts)}" in text for n, text in enumerate(texts[1:], start=2))

    # Themes flow: fewer pages than themes would need with a page each, and some page holds two theme headings.
    starts = [next(n for n, text in enumerate(texts) if f"Thema {t.number}. {t.title}" in text and n > 1)
              for t in themes]
    assert len(set(starts)) < len(themes)
    # Each page's running header names the theme it is in at its top: one that started on or before it, and
    # whose successor did not start on an earlier page.
    headed = 0
    for n, page in enumerate(pdf):
        header = header_of(page)
        if header.startswith("Thema "):
            k = int(header.split(".")[0].removeprefix("Thema "))
            words = themes[k - 1].title.split()
            # the theme, shortened to 5 words (a long running header reads as prose to a checker)
            assert header == f"Thema {k}. " + " ".join(words[:5]) + (" …" if len(words) > 5 else "")
            assert starts[k - 1] <= n and (k == len(themes) or starts[k] >= n), (n, header)
            headed += 1
    assert headed >= 3

    # The signature block: name, function and date for the leader and for the MR chair.
    signoff = next(text for text in texts if "Vaststelling en instemming" in text and "Naam" in text)
    assert "Ondertekening Vastgesteld door de schoolleider Instemming van de MR" in signoff
    assert "Naam Lotte Leider Mira MR Functie Directeur Voorzitter MR Datum" in signoff
    assert "Handtekening digitaal ondertekend digitaal ingestemd" in signoff

    # Every source with its attribution.
    everything = " ".join(texts)
    for source in Source.objects.all():
        assert squash(source.title) in everything
        assert squash(source.attribution) in everything
    assert Source.objects.count() >= 4

    # The glossary: its own pages from a new page on, with its name as the running header.
    first = next(n for n, text in enumerate(texts) if text.startswith("Bijlage: begrippen"))
    assert first > 2 and len(texts) - first > 1
    assert all(header_of(pdf[n]) == "Bijlage: begrippen" for n in range(first + 1, len(texts)))

    # The team's own words: the 60-letter word, diacritics, the "- " list as bullets, not as hyphens.
    assert LONG_WORD in everything
    assert "Şükran en Ödön Győri" in everything
    assert "of de tool op de lijst van de school staat;" in everything
    assert "- of de tool" not in everything  # a list item (its tags are checked in test_pdf_tags.py)

    # An amendment: the new text with the added words, then the example in a quieter style.
    amended = policy.decisions.filter(choice="amend").select_related("example").first()
    assert squash(f"Voorbeeldafspraak van Kennisnet {amended.example.text}") in everything


def test_every_letter_is_at_least_10_pt_and_has_a_contrast_of_at_least_4_5(leader, policy):
    for edition in ("team", "ouders"):
        pdf = rendered(policy, edition, leader)
        assert small_or_faint_text(pdf) == [], edition


def test_a_short_parents_edition_has_no_contents_page_and_no_near_empty_last_page(leader, policy):
    pdf = rendered(policy, "ouders", leader)
    texts = page_texts(pdf)
    assert len(texts) <= 6
    assert "Inhoud" not in " ".join(texts)
    assert "Waar gaat dit over?" in texts[1]
    last = pdf[-1]
    bottom = max(s["bbox"][3] for s in spans(last) if "pagina" not in s["text"] and "AI-beleid" not in s["text"])
    assert bottom > last.rect.height * 0.4


def test_a_long_parents_edition_has_a_contents_page(school, leader, mr_member):
    version = big_adopted_version(school=school, leader=leader, mr_member=mr_member)
    pdf = rendered(version, "ouders", leader)
    assert len(pdf) > 6
    assert "Inhoud" in page_texts(pdf)[1]
