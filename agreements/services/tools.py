"""Writes of the AI-tool register: tools, comments, the assessment and its verdict, and links to the policy.
Keyword arguments; each owns its transaction and refuses with a Dutch message (ToolError).

A tool is never deleted for real: `deleted_at` hides it from the register and keeps its history. The assessment
carries a `number` (its version) that every saved change raises; a save that started from an older number is a
conflict, never a silent overwrite. A changed answer after a verdict sets `needs_reconfirm`: the tool no longer
counts as approved until the leader confirms the verdict again.
"""

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Answer, Assessment, Tool, ToolComment
from ..queries import tools as queries

TOOL_FIELDS = ("name", "vendor", "purpose", "users", "age_limit", "personal_data", "data_location",
               "processing_agreement", "privacy_url")


class ToolError(Exception):
    """A refused change, with a message in Dutch for the user."""


class AssessmentConflict(ToolError):
    """Someone saved the assessment since the user loaded it."""

    def __init__(self):
        super().__init__(_("Iemand anders heeft deze beoordeling net gewijzigd. Bekijk de nieuwe versie en "
                           "sla je antwoorden opnieuw op."))


def clean_name(name):
    return " ".join((name or "").split())


def _require_unique_name(school, name, exclude=None):
    if not name:
        raise ToolError(_("Vul de naam van de tool in."))
    same = Tool.objects.active().filter(school=school).annotate(lower=Lower("name")).filter(lower=name.lower())
    if exclude is not None:
        same = same.exclude(pk=exclude.pk)
    if same.exists():
        raise ToolError(_("Er staat al een tool met de naam “%(name)s” in het register.") % {"name": name})


def _require_live(tool):
    if Tool.objects.filter(pk=tool.pk, deleted_at__isnull=False).exists():
        raise ToolError(_("Deze tool is verwijderd. Zet hem eerst terug."))


def _save(tool, by, **kwargs):
    tool._history_user = by
    try:
        with transaction.atomic():
            tool.save(**kwargs)
    except IntegrityError as error:  # two people added the same name at the same moment
        message = _("Er staat al een tool met de naam “%(name)s” in het register.") % {"name": tool.name}
        raise ToolError(message) from error


# --- Tools ------------------------------------------------------------------------------------------


@transaction.atomic
def add_tool(*, school, by, **fields):
    """A new tool in the school's register, with an empty assessment."""
    fields["name"] = clean_name(fields.get("name"))
    _require_unique_name(school, fields["name"])
    tool = Tool(school=school, created_by=by, **{k: v for k, v in fields.items() if k in TOOL_FIELDS})
    _save(tool, by)
    assessment = Assessment(tool=tool)
    assessment._history_user = by
    assessment.save()
    return tool


@transaction.atomic
def save_tool(*, tool, by, **fields):
    _require_live(tool)
    fields["name"] = clean_name(fields.get("name"))
    _require_unique_name(tool.school, fields["name"], exclude=tool)
    stored = Tool.objects.select_for_update().get(pk=tool.pk)  # compare with the row, not a form's instance
    changed = [k for k in TOOL_FIELDS if k in fields and getattr(stored, k) != fields[k]]
    if not changed:
        return stored
    for name in changed:
        setattr(stored, name, fields[name])
    _save(stored, by)
    return stored


@transaction.atomic
def delete_tool(*, tool, by):
    """Soft delete: the tool leaves the register (and the next PDF); its history and assessment stay."""
    _require_live(tool)
    tool.deleted_at = timezone.now()
    _save(tool, by)
    return tool


@transaction.atomic
def restore_tool(*, tool, by):
    if not tool.is_deleted:
        return tool
    _require_unique_name(tool.school, tool.name, exclude=tool)
    tool.deleted_at = None
    _save(tool, by)
    return tool


@transaction.atomic
def add_comment(*, tool, by, text):
    """Every member of the school (MR members too) comments on a tool."""
    _require_live(tool)
    text = (text or "").strip()
    if not text:
        raise ToolError(_("Schrijf eerst je opmerking."))
    return ToolComment.objects.create(tool=tool, author=by, text=text)


@transaction.atomic
def link_tool(*, tool, by, themes, agreements):
    """Link the tool to themes and example agreements of the policy (e.g. the privacy theme)."""
    _require_live(tool)
    tool._history_user = by
    tool.themes.set(themes)
    tool.agreements.set(agreements)
    tool.save()  # one history row with the new links
    return tool


# --- The assessment ---------------------------------------------------------------------------------


def _locked_assessment(assessment, number):
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if number is not None and current.number != number:
        raise AssessmentConflict()
    return current


@transaction.atomic
def save_answers(*, tool, by, answers, number):
    """`answers`: {question key: (value, note)} for the questions of queries.tools.assessment_questions().

    An empty value with an empty note leaves (or makes) the question unanswered. A change after a verdict asks
    the leader to re-confirm it. Returns the assessment; nothing changed means no new version.
    """
    _require_live(tool)
    assessment = _locked_assessment(tool.assessment, number)
    questions = queries.question_index()
    existing = {a.key: a for a in assessment.answers.all()}
    changed = False
    for key, (value, note) in answers.items():
        question = questions.get(key)
        if question is None:
            continue
        value, note = value or "", (note or "").strip()
        if value and value not in Answer.Value.values:
            raise ToolError(_("Kies bij elke vraag ja, deels, nee of weet ik niet."))
        if note and not value:
            raise ToolError(_("Kies bij “%(question)s” eerst een antwoord bij je toelichting.")
                            % {"question": question.text[:80]})
        answer = existing.get(key)
        if answer is None and value:
            answer = Answer(assessment=assessment, value=value, note=note, **queries.question_fields(question))
        elif answer is not None and not value:
            answer._history_user = by
            answer.delete()
            changed = True
            continue
        elif answer is None or (answer.value, answer.note) == (value, note):
            continue
        answer.value, answer.note = value, note
        answer._history_user = by
        answer.save()
        changed = True
    if changed:
        assessment.number += 1
        if assessment.verdict:
            assessment.needs_reconfirm = True
        assessment._history_user = by
        assessment.save()
    return assessment


@transaction.atomic
def decide(*, tool, by, verdict, conditions, reassess_on, number=None):
    """The leader's verdict: goedgekeurd, goedgekeurd onder voorwaarden (with its conditions) or niet goedgekeurd,
    with a re-assessment date that is not in the past. Deciding again also confirms after a changed answer."""
    _require_live(tool)
    assessment = _locked_assessment(tool.assessment, number)
    conditions = (conditions or "").strip()
    if verdict not in (Assessment.Verdict.APPROVED, Assessment.Verdict.CONDITIONAL, Assessment.Verdict.REJECTED):
        raise ToolError(_("Kies een oordeel: goedgekeurd, goedgekeurd onder voorwaarden of niet goedgekeurd."))
    if verdict == Assessment.Verdict.CONDITIONAL and not conditions:
        raise ToolError(_("Schrijf op onder welke voorwaarden de tool is goedgekeurd."))
    if verdict in Assessment.APPROVING and reassess_on is None:
        raise ToolError(_("Kies een datum waarop jullie de tool opnieuw beoordelen."))
    if reassess_on is not None and reassess_on < timezone.localdate():
        raise ToolError(_("De datum voor de nieuwe beoordeling ligt in het verleden. Kies een datum vanaf vandaag."))
    assessment.verdict = verdict
    assessment.conditions = conditions
    assessment.reassess_on = reassess_on
    assessment.needs_reconfirm = False
    assessment.decided_at = timezone.now()
    assessment.decided_by = by
    assessment.number += 1
    assessment._history_user = by
    assessment.save()
    return assessment
