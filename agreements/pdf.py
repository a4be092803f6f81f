"""HTML -> PDF/UA-1 with WeasyPrint: the last step of the worker's path (rendering.py calls it).

WeasyPrint is imported inside the functions only (importing it takes ~0.6 s), so a web process that never
renders never loads it. The document is the template of the HTML preview, wrapped in a standalone page with
print.css. Fonts come from static/fonts (Source Sans 3, embedded); nothing is fetched from the network.
What WeasyPrint's tags cannot say (artifacts, the TOC, link descriptions, …) pdf_tags.py adds afterwards.
"""

import atexit
import functools
import html
import re

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from . import pdf_tags, qr
from .models import RenderedDocument
from .queries.documents import document_context
from .queries.meetings import record

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


# A parents' edition of at most this many pages has no table of contents: it would only take a page.
SHORT_EDITION_PAGES = 6


# A last page filled less than this is laid out again a little tighter (parents' edition only: the team edition
# is long, a second layout would double its time).
NEAR_EMPTY_FILL = 0.4


def render_context(document):
    """What the document shows, read once per render: every layout of the PDF and its Word copy use it."""
    if document.is_record:
        context = record(document.meeting)
        context["document"] = document
    else:
        context = document_context(version=document.version, edition=document.edition, document=document)
    context["qr_data_uri"] = qr.svg_data_uri(document.verify_url)
    return context


def render_html(document, context, show_toc=True, compact=False):
    template = "meetings/record_pdf.html" if document.is_record else "documents/policy_pdf.html"
    with translation.override(document.language or "nl"):  # the edition's language, also for its dates
        return render_to_string(template, {**context, "show_toc": show_toc, "compact": compact})


def _tag_languages():
    """Give each structure element of an element with a lang attribute its /Lang, as PDF/UA asks for a change of
    language (WCAG 3.1.2): an English edition quotes the Dutch library, and a screen reader should read those
    words as Dutch. WeasyPrint (70) keeps only the document's language; its tree builder is wrapped here, once.
    It calls itself by its module name, so the wrapper sees every box (tests/test_pdf_tags.py checks the result).
    """
    import pydyf
    from weasyprint.pdf import tags

    build = tags._build_box_tree
    if getattr(build, "tags_languages", False):
        return

    def build_with_languages(box, *args):
        lang = box.element.get("lang") if box.element is not None and box.element_tag != "html" else None
        for element in build(box, *args):
            if lang and "Lang" not in element:
                element["Lang"] = pydyf.String(lang)
            yield element

    build_with_languages.tags_languages = True
    tags._build_box_tree = build_with_languages


@functools.cache
def _print_setup():
    """print.css with its fonts, parsed once per worker process (a worker renders many documents)."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    css_path = finders.find("css/print.css")
    fetcher = URLFetcher(allowed_protocols=["file", "data"])  # static files and the QR code only
    fonts = FontConfiguration()  # the @font-face rules of print.css need it
    stylesheet = weasyprint.CSS(filename=css_path, url_fetcher=fetcher, font_config=fonts)
    _tag_languages()
    return css_path, fetcher, fonts, stylesheet


def warm_up():
    """Load WeasyPrint, print.css and its fonts now (a worker child does this as it starts)."""
    _print_setup()


def release():
    """Let WeasyPrint delete its temporary font folder while it still can."""
    _print_setup.cache_clear()


# Drop it before interpreter shutdown, while WeasyPrint can still delete its temporary font folder.
atexit.register(release)


def _layout(document, context, show_toc, compact=False):
    """WeasyPrint's layout of the document, with the text of each link inside it (anchor -> words)."""
    import weasyprint

    css_path, fetcher, fonts, stylesheet = _print_setup()
    source = render_html(document, context, show_toc, compact)
    html = weasyprint.HTML(string=source, base_url=css_path, url_fetcher=fetcher)
    rendered = html.render(stylesheets=[stylesheet], font_config=fonts, **PDF_OPTIONS)
    rendered.link_texts = link_texts(source)
    return rendered


INTERNAL_LINK = re.compile(r'<a href="#([^"]+)"[^>]*>(.*?)</a>', re.S)


def link_texts(source):
    """{anchor: the words of the link to it} for the links inside the document (the table of contents)."""
    return {anchor: " ".join(html.unescape(strip_tags(words)).split())
            for anchor, words in INTERNAL_LINK.findall(source)}


def last_page_fill(rendered):
    """The part (0..1) of the last page's text area that its content takes."""
    page_box = rendered.pages[-1]._page_box  # WeasyPrint's layout of the page; its children: html, margin boxes
    html = [child for child in page_box.children if child.element_tag == "html"]
    return sum(child.margin_height() for child in html) / page_box.height


def render_pdf(document, context):
    """The PDF bytes and the number of pages.

    The parents' edition is laid out without a table of contents first; only when it is longer than
    SHORT_EDITION_PAGES is it laid out again with one. When its last page is near empty it is laid out once
    more, a little tighter, and that layout is kept when it has a page less. The team edition always has a
    table of contents and one layout; so has a meeting record (its agenda). All go through pdf_tags.
    `context` is `render_context(document)`.
    """
    is_parents = document.edition == RenderedDocument.Edition.PARENTS
    rendered = _layout(document, context, show_toc=not is_parents)  # a meeting record: one layout, its agenda links
    if is_parents and len(rendered.pages) > SHORT_EDITION_PAGES:
        rendered = _layout(document, context, show_toc=True)
    if is_parents and len(rendered.pages) > 1 and last_page_fill(rendered) < NEAR_EMPTY_FILL:
        tighter = _layout(document, context, show_toc=len(rendered.pages) > SHORT_EDITION_PAGES, compact=True)
        if len(tighter.pages) < len(rendered.pages):
            rendered = tighter
        del tighter
    data, pages, links = rendered.write_pdf(**PDF_OPTIONS), len(rendered.pages), rendered.link_texts
    del rendered  # WeasyPrint's layout is no longer needed: free it before pikepdf reads the PDF (peak memory)
    with translation.override(document.language or "nl"):
        cover_label = _("Omslag")  # the page label of the first page, in the edition's language
    return pdf_tags.finish(data, links, cover_label=cover_label), pages
