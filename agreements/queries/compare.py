"""Compare two versions of a school's policy: per theme the agreements added, removed and changed, the note and
the actions. Reads only.

An agreement is "in the policy" when it is adopted (overnemen or aanpassen; the school's own agreements always
are). Agreements are paired across versions by their lineage: the example agreement, or for the school's own
agreements the row they were first written in (`Decision.origin`).
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Action, Decision, Theme


@dataclass
class AgreementChange:
    """One agreement that differs: `kind` is "added", "removed" or "changed"; `old`/`new` the decisions."""

    kind: str
    old: Decision | None
    new: Decision | None
    old_text: str = ""
    new_text: str = ""
    actions_old: list = field(default_factory=list)
    actions_new: list = field(default_factory=list)
    reason: str = ""  # why a removed example agreement is no longer adopted

    @property
    def decision(self):
        return self.new or self.old

    @property
    def text_changed(self):
        return self.kind == "changed" and self.old_text != self.new_text

    @property
    def actions_changed(self):
        return self.actions_old != self.actions_new

    @property
    def label(self):
        return {"added": _("Nieuw"), "removed": _("Vervallen"), "changed": _("Gewijzigd")}[self.kind]


@dataclass
class ThemeChanges:
    theme: Theme
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    note_old: str = ""
    note_new: str = ""

    @property
    def note_changed(self):
        return self.note_old != self.note_new

    @property
    def changed_for_parents(self):
        """What pupils and parents notice: agreements added, removed, or with another text. No actions, no notes."""
        return sorted(self.added + [c for c in self.changed if c.text_changed],
                      key=lambda c: _order(c.decision)) + self.removed

    @property
    def has_changes(self):
        return bool(self.added or self.removed or self.changed or self.note_changed)

    @property
    def summary(self):
        """One line: "2 gewijzigd, 1 nieuw, 1 vervallen, notitie gewijzigd" or "Geen wijzigingen"."""
        parts = []
        if self.changed:
            parts.append(ngettext("%(n)d gewijzigd", "%(n)d gewijzigd", len(self.changed)) % {"n": len(self.changed)})
        if self.added:
            parts.append(ngettext("%(n)d nieuw", "%(n)d nieuw", len(self.added)) % {"n": len(self.added)})
        if self.removed:
            parts.append(ngettext("%(n)d vervallen", "%(n)d vervallen", len(self.removed)) % {"n": len(self.removed)})
        if self.note_changed:
            parts.append(_("notitie gewijzigd"))
        return ", ".join(parts) if parts else _("Geen wijzigingen")


@dataclass
class Comparison:
    old: object
    new: object
    themes: list = field(default_factory=list)

    @property
    def changed_themes(self):
        return [t for t in self.themes if t.has_changes]

    @property
    def has_changes(self):
        return bool(self.changed_themes)

    @property
    def has_changes_for_parents(self):
        return any(t.changed_for_parents for t in self.themes)

    def count(self, kind):
        return sum(len(getattr(t, kind)) for t in self.themes)


def _order(decision):
    return (decision.example.number if decision.example_id else 1000 + decision.position, decision.pk)


def _decisions(version):
    return {
        d.lineage: d
        for d in version.decisions.select_related("theme", "example").prefetch_related(
            Prefetch("actions", queryset=Action.objects.all(), to_attr="action_list"))
    }


def _actions(decision):
    return [(a.what, a.who, a.due) for a in decision.action_list] if decision and decision.is_adopted else []


def _action_rows(decision):
    return [{"what": a.what, "who": a.who, "due": a.due} for a in decision.action_list] if decision else []


def compare_versions(old, new):
    """What changed from version `old` to version `new` (any two versions of one policy). Five queries."""
    before, after = _decisions(old), _decisions(new)
    notes_old = dict(old.theme_states.values_list("theme_id", "note"))
    notes_new = dict(new.theme_states.values_list("theme_id", "note"))
    themes = {t.pk: ThemeChanges(theme=t, note_old=notes_old.get(t.pk, ""), note_new=notes_new.get(t.pk, ""))
              for t in Theme.objects.all()}
    for key in sorted(before.keys() | after.keys(), key=lambda k: _order(after.get(k) or before[k])):
        o, n = before.get(key), after.get(key)
        was, now = bool(o and o.is_adopted), bool(n and n.is_adopted)
        if not was and not now:
            continue
        theme = themes[(n or o).theme_id]
        change = AgreementChange(
            kind="added" if not was else "removed" if not now else "changed", old=o if was else None,
            new=n if now else None, old_text=o.current_text if was else "", new_text=n.current_text if now else "",
        )
        change.actions_old, change.actions_new = _action_rows(change.old), _action_rows(change.new)
        if change.kind == "changed":
            if change.old_text == change.new_text and _actions(o) == _actions(n):
                continue
            theme.changed.append(change)
        elif change.kind == "added":
            theme.added.append(change)
        else:
            change.reason = n.reason if n and n.choice == Decision.Choice.REJECT else ""
            theme.removed.append(change)
    return Comparison(old=old, new=new, themes=list(themes.values()))


def order_pair(a, b):
    """The two versions oldest first."""
    return (a, b) if a.number <= b.number else (b, a)
