"""Reads for the policy document (HTML preview and PDF), its signatures and the documents of a version."""

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from ..models import Decision, GlossaryTerm, RenderedDocument, Signature, Source, Theme, WorkerHeartbeat
from .compare import compare_versions
from .tools import readable_snapshot, tool_snapshot


def signatures_of(version):
    """{"leader_signature": …, "mr_consent": …}, each None while missing."""
    signatures = {s.kind: s for s in version.signatures.all()}
    return {"leader_signature": signatures.get(Signature.Kind.LEADER),
            "mr_consent": signatures.get(Signature.Kind.MR_CONSENT)}


def note_stalled(documents, now=None):
    """Set `stalled` on each document: it has waited over PDF_WAIT_NOTICE_SECONDS and no worker is up.

    The status fragment then tells the truth: the PDF-maker is not running, the request is kept.
    """
    now = now or timezone.now()
    waiting = [d for d in documents
               if d.is_pending and (now - d.queued_at).total_seconds() > settings.PDF_WAIT_NOTICE_SECONDS]
    down = bool(waiting) and not WorkerHeartbeat.objects.fresh(now).exists()
    for document in documents:
        document.stalled = down and document in waiting
    return documents


def editions_of(version):
    """Each edition with its RenderedDocument in Dutch (or None), its other languages' documents, and the
    languages it can still be made in, for the documents page."""
    documents = list(version.documents.filter(meeting__isnull=True))
    for document in documents:
        document.version = version  # for download_name without another query
    note_stalled(documents)
    editions = []
    for value, label in RenderedDocument.Edition.choices:
        mine = {d.language: d for d in documents if d.edition == value}
        editions.append({
            "value": value, "label": label, "document": mine.get(settings.LANGUAGE_CODE),
            "translations": [mine[code] for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
                             and code in mine],
            "missing_languages": [(code, name) for code, name in settings.LANGUAGES
                                  if code != settings.LANGUAGE_CODE and code not in mine],
        })
    return editions


def document_context(*, version, edition, document=None, show_toc=True):
    """Everything the policy document template shows, for the preview and the PDF alike.

    `show_toc=False` leaves out the table of contents (a short parents' edition has none).
    """
    decisions = list(
        version.decisions.select_related("theme", "example").prefetch_related("actions").order_by(
            # per theme the example agreements in their own order, then the school's own agreements
            "theme__number", F("example__number").asc(nulls_last=True), "position", "pk"
        )
    )
    notes = dict(version.theme_states.values_list("theme_id", "note"))
    themes = []
    for theme in Theme.objects.all():
        own = [d for d in decisions if d.theme_id == theme.pk]
        themes.append({
            "theme": theme,
            "anchor": f"thema-{theme.number}",
            "note": notes.get(theme.pk, ""),
            "agreements": [d for d in own if d.is_adopted],
            "rejected": [d for d in own if d.choice == Decision.Choice.REJECT],
            "open": [d for d in own if d.choice == Decision.Choice.OPEN],
        })
    is_team = edition == RenderedDocument.Edition.TEAM
    return {
        "version": version,
        "school": version.policy.school,
        "edition": edition,
        "edition_label": RenderedDocument.Edition(edition).label,
        "is_team": is_team,
        "themes": themes,
        "agreement_count": sum(len(t["agreements"]) for t in themes),
        "open_count": sum(len(t["open"]) for t in themes),
        **signatures_of(version),
        "sources": Source.objects.order_by("order", "pk"),  # all four, also those no theme or term names
        "glossary": GlossaryTerm.objects.all() if is_team else [],
        "document": document,
        "show_toc": show_toc,
        # "Wat is er veranderd sinds versie N" (templates/documents/_changes.html), for a version based on another.
        "changes": compare_versions(version.based_on, version) if version.based_on_id else None,
        # An adopted version shows the AI tools approved when it was adopted; a draft's preview those approved now.
        "tools": readable_snapshot(
            version.tools_snapshot if version.adopted_at else tool_snapshot(version.policy.school)),
    }
