"""Reads of the AI-tool register: the register page, a tool with its assessment, the questions, the snapshot of the
approved tools that a version stores at adoption, the review of the policy's links, and the reminders due."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, F, Prefetch
from django.utils.translation import gettext as _

from ..models import (
    Answer,
    Assessment,
    ChecklistItem,
    GuidingQuestion,
    Membership,
    Role,
    Theme,
    Tool,
    ToolComment,
)


def register(school):
    """The school's live tools (with assessment and linked themes) and its deleted ones. Four queries."""
    tools = (
        Tool.objects.filter(school=school)
        .select_related("assessment")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("number")))
    )
    live, deleted = [], []
    for tool in tools:
        (deleted if tool.is_deleted else live).append(tool)
    return {
        "tools": live,
        "deleted_tools": deleted,
        "approved_count": sum(1 for t in live if t.assessment.is_approved),
    }


# --- The questions ----------------------------------------------------------------------------------


def tool_questions():
    return ChecklistItem.objects.filter(kind=ChecklistItem.Kind.TOOL_QUESTION).select_related("source")


def guiding_questions():
    return GuidingQuestion.objects.select_related("requirement")


def key_of(question):
    return f"tq-{question.pk}" if isinstance(question, ChecklistItem) else f"eu-{question.pk}"


def question_fields(question):
    """The Answer field that points at this question."""
    if isinstance(question, ChecklistItem):
        return {"tool_question": question}
    return {"guiding_question": question}


def question_index():
    """{key: question} for every question an assessment asks."""
    return {key_of(q): q for q in [*tool_questions(), *guiding_questions()]}


def assessment_questions():
    """The questions in groups: the AI-tool questions first, then the EU guiding questions per key requirement.

    Each group: {"title", "source", "questions": [(key, question)]}. Two queries."""
    groups = []
    tool_qs = list(tool_questions())
    if tool_qs:
        groups.append({"title": tool_qs[0].group or tool_qs[0].get_kind_display(), "source": tool_qs[0].source,
                       "questions": [(key_of(q), q) for q in tool_qs]})
    current = None
    for question in guiding_questions():
        if current is None or current["requirement"] != question.requirement:
            current = {"title": str(question.requirement), "requirement": question.requirement, "source": None,
                       "questions": []}
            groups.append(current)
        current["questions"].append((key_of(question), question))
    return groups


def answers_by_key(assessment):
    return {a.key: a for a in assessment.answers.all()}


def summary(answers):
    """How many answers of each kind: {"yes": n, "partly": n, "no": n, "unknown": n}."""
    counts = dict.fromkeys(Answer.Value.values, 0)
    for answer in answers:
        counts[answer.value] += 1
    return counts


# --- One tool ---------------------------------------------------------------------------------------


def tool_detail(tool):
    """What a tool's page shows: the assessment, its answers in question order, comments, links."""
    assessment = tool.assessment
    answers = answers_by_key(assessment)
    groups = assessment_questions()
    question_count = sum(len(g["questions"]) for g in groups)
    answered_groups = [
        {**group, "questions": [(key, q, answers.get(key)) for key, q in group["questions"]]} for group in groups
    ]
    return {
        "assessment": assessment,
        "groups": answered_groups,
        "summary": summary(answers.values()),
        "answered_count": len(answers),
        "question_count": question_count,
        "comments": ToolComment.objects.filter(tool=tool).select_related("author"),
        "themes": list(tool.themes.order_by("number")),
        "agreements": list(tool.agreements.select_related("theme")),
    }


TOOL_HISTORY_FIELDS = ("name", "vendor", "purpose", "users", "age_limit", "personal_data", "data_location",
                       "processing_agreement", "privacy_url", "deleted_at")
ASSESSMENT_HISTORY_FIELDS = ("verdict", "conditions", "reassess_on", "needs_reconfirm")


def _readable(model, change):
    """A change with the field's Dutch name and the labels of choice values."""
    field = model._meta.get_field(change.field)
    old, new = change.old, change.new
    if field.choices:
        labels = dict(field.choices)
        old, new = labels.get(old, old), labels.get(new, new)
    if isinstance(old, bool) or isinstance(new, bool):
        old, new = (yesno(old), yesno(new))
    return {"field": change.field, "label": field.verbose_name, "old": old, "new": new}


def yesno(value):
    return _("ja") if value else _("nee")


def _entries(records, fields, kind):
    model = Tool if kind == "tool" else Assessment
    entries, previous = [], None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, included_fields=list(fields))
            changes = [_readable(model, c) for c in delta.changes if c.old != c.new]
        entries.append({"kind": kind, "record": record, "changes": changes, "first": previous is None})
        previous = record
    return entries


def tool_history(tool):
    """Every saved change of the tool and of its assessment, newest first."""
    tool_records = list(tool.history.select_related("history_user").order_by("history_date", "history_id"))
    assessment_records = list(
        Assessment.history.filter(tool_id=tool.pk).select_related("history_user")
        .order_by("history_date", "history_id")
    )
    entries = _entries(tool_records, TOOL_HISTORY_FIELDS, "tool")
    entries += [e for e in _entries(assessment_records, ASSESSMENT_HISTORY_FIELDS, "assessment") if not e["first"]]
    entries.sort(key=lambda e: (e["record"].history_date, e["record"].history_id), reverse=True)
    return entries


# --- The policy: snapshot at adoption, and the review ---------------------------------------------


def approved_tools(school):
    return (
        Tool.objects.filter(school=school).approved()
        .select_related("assessment")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("number")),
            Prefetch("assessment__answers", queryset=Answer.objects.select_related("tool_question",
                                                                                   "guiding_question")),
        )
    )


def tool_snapshot(school):
    """The approved tools as plain data, stored on a version when it is adopted (and read by its PDF)."""
    snapshot = []
    for tool in approved_tools(school):
        assessment = tool.assessment
        answers = list(assessment.answers.all())
        concerns = [
            {"question": (a.tool_question or a.guiding_question).text, "value": a.value, "note": a.note}
            for a in answers if a.value != Answer.Value.YES
        ]
        snapshot.append({
            "name": tool.name,
            "vendor": tool.vendor,
            "purpose": tool.purpose,
            "users": tool.users,
            "age_limit": tool.age_limit,
            "personal_data": tool.personal_data,
            "data_location": tool.data_location,
            "processing_agreement": tool.processing_agreement,
            "privacy_url": tool.privacy_url,
            "verdict": assessment.verdict,
            "conditions": assessment.conditions,
            "reassess_on": assessment.reassess_on.isoformat() if assessment.reassess_on else "",
            "assessment_number": assessment.number,
            "summary": summary(answers),
            "concerns": concerns,
            "themes": [theme.title for theme in tool.themes.all()],
        })
    return snapshot


def readable_snapshot(snapshot):
    """The stored snapshot with the labels of its choices, for the document templates."""
    readable = []
    for entry in snapshot:
        readable.append({
            **entry,
            "users_label": Tool.Users(entry["users"]).label,
            "processing_agreement_label": Tool.ProcessingAgreement(entry["processing_agreement"]).label,
            "verdict_label": Assessment.Verdict(entry["verdict"]).label,
            "is_conditional": entry["verdict"] == Assessment.Verdict.CONDITIONAL,
            "reassess_date": date.fromisoformat(entry["reassess_on"]) if entry.get("reassess_on") else None,
            "concerns": [{**c, "value_label": Answer.Value(c["value"]).label} for c in entry.get("concerns", [])],
        })
    return readable


def policy_review(school):
    """For the policy's review page: approved tools that no theme or agreement is linked to, and linked tools
    that are not approved. Two queries."""
    tools = Tool.objects.active().filter(school=school).select_related("assessment").annotate(
        link_count=Count("themes", distinct=True) + Count("agreements", distinct=True)
    )
    tools = list(tools)
    return {
        "approved_unlinked": [t for t in tools if t.assessment.is_approved and not t.link_count],
        "linked_unapproved": [t for t in tools if t.link_count and not t.assessment.is_approved],
        "tool_count": len(tools),
    }


# --- Reminders ----------------------------------------------------------------------------------


def due_for_reassessment(*, today, days_ahead):
    """Approved tools' assessments whose re-assessment date is within `days_ahead` days (or passed) and that were
    not reminded for that date yet."""
    return (
        Assessment.objects.filter(tool__deleted_at__isnull=True, verdict__in=Assessment.APPROVING,
                                  reassess_on__lte=today + timedelta(days=days_ahead))
        .exclude(reminders__due_on=F("reassess_on"))
        .select_related("tool__school")
        .order_by("reassess_on", "pk")
    )


def reminder_recipients(school):
    """{language: [addresses]} of the school's leaders, each in the language they chose (Dutch when none)."""
    groups = {}
    leaders = (Membership.objects.filter(school=school, role=Role.LEADER).exclude(user__email="")
               .values_list("user__email", "user__language").order_by("user__email"))
    for email, language in leaders:
        groups.setdefault(language or settings.LANGUAGE_CODE, []).append(email)
    return groups
