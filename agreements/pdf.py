"""HTML -> PDF/UA-1 with WeasyPrint: the last step of the worker's path (rendering.py calls it).

WeasyPrint is imported inside the functions only (importing it takes ~0.6 s), so a web process that never
renders never loads it. The document is the template of the HTML preview, wrapped in a standalone page with
print.css. Fonts come from static/fonts (Source Sans 3, embedded); nothing is fetched from the network.
"""

import atexit
import functools

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from . import qr
from .queries.documents import document_context
from .queries.meetings import record

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


def render_html(document):
    if document.is_record:
        context, template = record(document.meeting), "meetings/record_pdf.html"
        context["document"] = document
    else:
        context = document_context(version=document.version, edition=document.edition, document=document)
        template = "documents/policy_pdf.html"
    context["qr_data_uri"] = qr.svg_data_uri(document.verify_url)
    with translation.override("nl"):  # dates in Dutch, also in a worker that activated nothing
        return render_to_string(template, context)


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
    return css_path, fetcher, fonts, stylesheet


def warm_up():
    """Load WeasyPrint, print.css and its fonts now (a worker child does this as it starts)."""
    _print_setup()


def release():
    """Let WeasyPrint delete its temporary font folder while it still can."""
    _print_setup.cache_clear()


# Drop it before interpreter shutdown, while WeasyPrint can still delete its temporary font folder.
atexit.register(release)


def render_pdf(document):
    """The PDF bytes and the number of pages."""
    import weasyprint

    css_path, fetcher, fonts, stylesheet = _print_setup()
    html = weasyprint.HTML(string=render_html(document), base_url=css_path, url_fetcher=fetcher)
    rendered = html.render(stylesheets=[stylesheet], font_config=fonts, **PDF_OPTIONS)
    return rendered.write_pdf(**PDF_OPTIONS), len(rendered.pages)
