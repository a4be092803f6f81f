"""QR codes, made on our own server with segno (no outside service ever sees a join or verification URL)."""

import io

import segno


def svg_bytes(url, *, title):
    """A QR code for `url` as an SVG document (the projector's join code)."""
    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=10, border=2, light="#fff", title=title)
    return buffer.getvalue()


def svg_data_uri(url):
    """A QR code for `url` as a data: URI (embedded in the PDF, which fetches nothing)."""
    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)
