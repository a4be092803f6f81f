"""Display helpers for the policy wizard."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from .content_text import word_changes

register = template.Library()


@register.simple_tag
def word_diff(original, changed):
    """The changes from `original` to `changed`, word by word, as escaped <del>/<ins> markup.

    Screen readers do not announce <del>/<ins> everywhere, so each change also says what it is.
    """
    old, new, opcodes = word_changes(original, changed)
    # What a screen reader says around a removed / added piece (the lines through and under are not read).
    removed, added = escape(_("[weg: ")), escape(_("[nieuw: "))
    parts = []
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            parts.append(escape("".join(old[i1:i2])))
            continue
        if op in ("delete", "replace"):
            parts.append(
                f'<del><span class="visually-hidden">{removed}</span>{escape("".join(old[i1:i2]))}'
                f'<span class="visually-hidden">]</span></del>'
            )
        if op in ("insert", "replace"):
            parts.append(
                f'<ins><span class="visually-hidden">{added}</span>{escape("".join(new[j1:j2]))}'
                f'<span class="visually-hidden">]</span></ins>'
            )
    return mark_safe("".join(parts))
