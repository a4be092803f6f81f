"""Render the plain texts of the content library: paragraphs split by a blank line, lists by "- "."""

from django import template
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _block(block):
    lines = [line.strip() for line in block.split("\n") if line.strip()]
    if lines and all(line.startswith("- ") for line in lines):
        items = format_html_join("", "<li>{}</li>", ((line[2:],) for line in lines))
        return f"<ul>{items}</ul>"
    return f"<p>{escape(' '.join(lines))}</p>"


@register.filter
def rich(text):
    """Paragraphs and bullet lists, everything escaped."""
    if not text:
        return ""
    blocks = [b for b in str(text).split("\n\n") if b.strip()]
    return mark_safe("".join(_block(b) for b in blocks))
