"""Render plain texts as HTML: the content library's texts (`rich`) and the texts a team typed (`user_text`).

Both escape every character of the text first and only then add their own tags, so no text can bring HTML.
"""

import difflib
import re

from django import template
from django.utils import translation
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from ..models.content import SOURCE_LANGUAGE

register = template.Library()

TOKENS = re.compile(r"\s+|[^\s]+")
LIST_ITEM = re.compile(r"^\s*[-•]\s+")


@register.simple_tag
def library_language_differs():
    """True when the page (or edition) is in another language than the library's texts: `{% library_language_differs
    as quoting %}{% if quoting %}…a note that the sources are Dutch…{% endif %}`."""
    return translation.get_language() != SOURCE_LANGUAGE


def _source_lang_attr():
    """' lang="nl"' when the interface is in another language than the library's texts, else ''."""
    return f' lang="{SOURCE_LANGUAGE}"' if library_language_differs() else ""


def _block(block, lang):
    lines = [line.strip() for line in block.split("\n") if line.strip()]
    if lines and all(line.startswith("- ") for line in lines):
        items = format_html_join("", "<li>{}</li>", ((line[2:],) for line in lines))
        return f"<ul{lang}>{items}</ul>"
    return f"<p{lang}>{escape(' '.join(lines))}</p>"


@register.filter
def rich(text):
    """Paragraphs and bullet lists, everything escaped; marked lang="nl" in an interface in another language."""
    if not text:
        return ""
    lang = _source_lang_attr()
    blocks = [b for b in str(text).split("\n\n") if b.strip()]
    return mark_safe("".join(_block(b, lang) for b in blocks))


@register.filter
def source(text):
    """A short text from the content library (a title, a term, an agreement): lang="nl" outside the Dutch UI."""
    if not library_language_differs():
        return text
    return format_html('<span lang="{}">{}</span>', SOURCE_LANGUAGE, text)


@register.filter
def source_unless(text, own_words):
    """`source`, except for the school's own words: `{{ d.current_text|source_unless:d.has_own_words }}` marks an
    example agreement taken word for word, and leaves an amended or own agreement as the school wrote it."""
    return text if own_words else source(text)


def _lines(segments):
    """[(text, tag)] -> lines, each a list of (text, tag) without the newline."""
    lines = [[]]
    for text, tag in segments:
        for k, part in enumerate(text.split("\n")):
            if k:
                lines.append([])
            if part:
                lines[-1].append((part, tag))
    return lines


def _html(segments):
    return "".join(f"<{tag}>{escape(text)}</{tag}>" if tag else escape(text) for text, tag in segments)


def _strip_bullet(line):
    """The line without its leading "- " (the bullet is in the first segments), or None when it has none."""
    plain = "".join(text for text, _ in line)
    bullet = LIST_ITEM.match(plain)
    if not bullet:
        return None
    cut, rest = bullet.end(), []
    for text, tag in line:
        if cut >= len(text):
            cut -= len(text)
            continue
        rest.append((text[cut:], tag))
        cut = 0
    return rest


def _user_html(segments, css_class, lang=""):
    """Paragraphs (blank line between), line breaks inside them, and runs of "- " lines as a <ul>."""
    out, paragraph, items = [], [], []

    def flush():
        if paragraph:
            out.append("<p>" + "<br>".join(_html(line) for line in paragraph) + "</p>")
            paragraph.clear()
        if items:
            out.append("<ul>" + "".join(f"<li>{_html(item)}</li>" for item in items) + "</ul>")
            items.clear()

    for line in _lines(segments):
        if not "".join(text for text, _ in line).strip():
            flush()
            continue
        item = _strip_bullet(line)
        if item is not None:
            if paragraph:
                flush()
            items.append(item)
        else:
            if items:
                flush()
            paragraph.append(line)
    flush()
    return mark_safe(f'<div class="{css_class}"{lang}>' + "".join(out) + "</div>")


@register.filter
def user_text(text, css_class="user-text"):
    """A text a team typed: escaped, paragraphs kept, lines starting with "- " as a real list."""
    return _user_html([(str(text or ""), None)], css_class)


@register.filter
def decision_text(decision, css_class="user-text"):
    """A decision's current text laid out as `user_text`; marked lang="nl" outside the Dutch UI when it is the
    example agreement word for word (the library's words), as written when it is the school's own."""
    lang = "" if decision.has_own_words else _source_lang_attr()
    return _user_html([(str(decision.current_text or ""), None)], css_class, lang)


@register.simple_tag
def source_lang(own_words=False):
    """' lang="nl"' for an element holding library texts when the interface (or edition) is not Dutch; nothing
    when `own_words` says the element holds the school's own words instead (`{% source_lang d.has_own_words %}`)."""
    return mark_safe("" if own_words else _source_lang_attr())


def word_changes(original, changed):
    """Both texts as words and spaces, and difflib's opcodes from the one to the other (also `word_diff`'s)."""
    old, new = TOKENS.findall(original or ""), TOKENS.findall(changed or "")
    return old, new, difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()


@register.simple_tag
def changed_text(original, changed, side="new", css_class="user-text"):
    """One side of an amendment as `user_text`: side "new" marks the added words with <ins>, side "old" marks
    the words that went with <del>. Each side stays the whole text, so it reads on its own."""
    old, new, opcodes = word_changes(original, changed)
    segments = []
    for op, i1, i2, j1, j2 in opcodes:
        if side == "new" and op != "delete":
            segments.append(("".join(new[j1:j2]), None if op == "equal" else "ins"))
        elif side == "old" and op != "insert":
            segments.append(("".join(old[i1:i2]), None if op == "equal" else "del"))
    # The old side is the example agreement: the library's words.
    return _user_html(segments, css_class, _source_lang_attr() if side == "old" else "")
