"""The school export: everything of one school as plain data (schema SCHEMA_VERSION), for moving house and the AVG.

People are named by e-mail address, content-library rows by their natural keys (theme number, example
agreement "theme.number"), policy versions by their number and decisions by their key within the version
("3.2" for example agreement 2 of theme 3, "3.E1" for the school's first own agreement in theme 3), so the
file means the same on another installation. Never in it: password hashes, ballots linked to a participant,
participants' names, join codes, invitation or share tokens. The fields listed in VOLATILE_FIELDS differ
between an export and the export of its import; everything else is identical.
"""

from django.core.exceptions import ObjectDoesNotExist

from ..models import Comment, Decision, Meeting, PolicyVersion, Signature, User
from ..models.tools import Assessment, Tool, ToolComment

SCHEMA = "ai-beleidsbouwer/school-export"
SCHEMA_VERSION = 1
# Differ between an export and the export of its import: the moment of export, and where a PDF lies in the
# media folder (its path holds the version's id on that installation).
VOLATILE_FIELDS = ("exported_at", "versions[].documents[].file")


def _when(value):
    return value.isoformat() if value else None


def _email(user):
    return user.email if user else None


def _history(records, users):
    return [
        {
            "at": _when(record.history_date),
            "type": record.history_type,
            "by": users.get(record.history_user_id),
            "choice": record.choice,
            "text": record.text,
            "reason": record.reason,
        }
        for record in records
    ]


def _decision(decision, users, history):
    return {
        "key": decision.code,
        "theme": decision.theme.number,
        "example": decision.example.number if decision.example_id else None,
        "choice": decision.choice,
        "text": decision.text,
        "reason": decision.reason,
        "position": decision.position,
        "updated_by": users.get(decision.updated_by_id),
        "meeting_date": _when(decision.meeting_date),
        "votes_support": decision.votes_support,
        "votes_support_amended": decision.votes_support_amended,
        "votes_against": decision.votes_against,
        "actions": [
            {"what": a.what, "who": a.who, "due": _when(a.due), "position": a.position,
             "created_at": _when(a.created_at)}
            for a in decision.actions.all()
        ],
        "comments": [
            {"author": users.get(c.author_id), "text": c.text, "created_at": _when(c.created_at)}
            for c in decision.comments.all()
        ],
        "history": _history(history.get(decision.pk, []), users),
    }


def _counts(item):
    counts = {choice: 0 for choice, _ in item.ballots.model.Choice.choices}
    for ballot in item.ballots.all():
        counts[ballot.choice] += 1
    return counts


def _meeting(meeting, users, keys):
    return {
        "audience": meeting.audience,
        "hide_tally": meeting.hide_tally,
        "status": meeting.status,
        "created_at": _when(meeting.created_at),
        "created_by": users.get(meeting.created_by_id),
        "closed_at": _when(meeting.closed_at),
        "participants": len(meeting.participants.all()),
        "items": [
            {"position": item.position, "decision": keys[item.decision_id], "text": item.text,
             "status": item.status, "opened_at": _when(item.opened_at), "closed_at": _when(item.closed_at),
             "outcome": item.outcome, "applied_at": _when(item.applied_at), "counts": _counts(item),
             "comments": sorted(b.comment for b in item.ballots.all() if b.comment)}
            for item in meeting.items.all()
        ],
    }


def _version(version, users):
    decisions = list(
        Decision.objects.filter(version=version)
        .select_related("theme", "example")
        .prefetch_related("actions", "comments")
        .in_document_order()
    )
    history = {}
    for record in Decision.history.model.objects.filter(version_id=version.pk).order_by("history_date", "history_id"):
        history.setdefault(record.id, []).append(record)
    keys = {d.pk: d.code for d in decisions}
    meetings = (Meeting.objects.filter(version=version).order_by("created_at", "pk")
                .prefetch_related("items__ballots", "participants"))
    return {
        "number": version.number,
        "status": version.status,
        "based_on": version.based_on.number if version.based_on_id else None,
        "created_at": _when(version.created_at),
        "created_by": users.get(version.created_by_id),
        "finalised_at": _when(version.finalised_at),
        "finalised_by": users.get(version.finalised_by_id),
        "adopted_at": _when(version.adopted_at),
        "review_date": _when(version.review_date),
        "parent_contact": version.parent_contact,
        "tools_snapshot": version.tools_snapshot,
        "themes": [
            {"theme": state.theme.number, "note": state.note, "done": state.done}
            for state in version.theme_states.select_related("theme").order_by("theme__number")
        ],
        "decisions": [_decision(d, users, history) for d in decisions],
        "signatures": [
            {"kind": s.kind, "name": s.name, "role": s.role, "signed_on": _when(s.signed_on),
             "recorded_by": users.get(s.recorded_by_id), "created_at": _when(s.created_at)}
            for s in version.signatures.order_by("kind", "pk")
        ],
        "documents": [
            {"edition": d.edition, "status": d.status, "verification_code": d.verification_code,
             "sha256": d.sha256, "size": d.size, "page_count": d.page_count, "site_url": d.site_url,
             "file": d.file.name or None, "finished_at": _when(d.finished_at), "shared": d.is_shared}
            for d in version.documents.order_by("edition")
        ],
        "meetings": [_meeting(m, users, keys) for m in meetings],
    }


def school_export(school, *, now):
    """The whole school as a dict that json.dumps can write (see the module docstring)."""
    memberships = list(school.memberships.select_related("user").order_by("user__email"))
    people = _people_of(school)
    users = {pk: email for pk, (email, _) in people.items()}
    names = dict(people.values())
    versions = school.policy.versions.select_related("based_on").order_by("number") if _has_policy(school) else []
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "exported_at": _when(now),
        "school": {"name": school.name, "sector": school.sector, "place": school.place, "brin": school.brin,
                   "created_at": _when(school.created_at)},
        "members": [
            {"name": m.user.name, "email": m.user.email, "role": m.role, "joined_at": _when(m.joined_at)}
            for m in memberships
        ],
        "people": [{"email": email, "name": name} for email, name in sorted(names.items())],
        "versions": [_version(v, users) for v in versions],
        "tools": [_tool(t, users) for t in Tool.objects.filter(school=school).order_by("created_at", "pk")
                  .prefetch_related("themes", "agreements__theme", "comments", "assessment__answers__tool_question",
                                    "assessment__answers__guiding_question__requirement")],
    }


def _tool(tool, users):
    """A tool of the register, its comments and its assessment; questions by their natural keys."""
    assessment = getattr(tool, "assessment", None)
    return {
        "name": tool.name, "vendor": tool.vendor, "purpose": tool.purpose, "users": tool.users,
        "age_limit": tool.age_limit, "personal_data": tool.personal_data, "data_location": tool.data_location,
        "processing_agreement": tool.processing_agreement, "privacy_url": tool.privacy_url,
        "themes": sorted(t.number for t in tool.themes.all()),
        "agreements": sorted(f"{a.theme.number}.{a.number}" for a in tool.agreements.all()),
        "created_at": _when(tool.created_at), "created_by": users.get(tool.created_by_id),
        "deleted_at": _when(tool.deleted_at),
        "comments": [{"author": users.get(c.author_id), "text": c.text, "created_at": _when(c.created_at)}
                     for c in sorted(tool.comments.all(), key=lambda c: (c.created_at, c.pk))],
        "assessment": None if assessment is None else {
            "number": assessment.number, "verdict": assessment.verdict, "conditions": assessment.conditions,
            "reassess_on": _when(assessment.reassess_on), "needs_reconfirm": assessment.needs_reconfirm,
            "decided_at": _when(assessment.decided_at), "decided_by": users.get(assessment.decided_by_id),
            "answers": sorted(({
                "tool_question": [a.tool_question.kind, a.tool_question.number] if a.tool_question_id else None,
                "guiding_question": ([a.guiding_question.requirement.number, a.guiding_question.number]
                                     if a.guiding_question_id else None),
                "value": a.value, "note": a.note} for a in assessment.answers.all()),
                key=lambda row: json_key(row)),
        },
    }


def json_key(row):
    return (row["tool_question"] or [], row["guiding_question"] or [])


def _has_policy(school):
    try:
        return school.policy is not None
    except ObjectDoesNotExist:
        return False


def _people_of(school):
    """user id -> (e-mail, name) for everyone the school's records name: members, and former members in its history."""
    versions = PolicyVersion.objects.filter(policy__school=school)
    decisions = Decision.objects.filter(version__in=versions)
    ids = set(school.memberships.values_list("user_id", flat=True))
    for queryset, field in (
        (versions, "created_by"), (versions, "finalised_by"), (decisions, "updated_by"),
        (Decision.history.model.objects.filter(version_id__in=versions.values("pk")), "history_user"),
        (Comment.objects.filter(decision__in=decisions), "author"),
        (Signature.objects.filter(version__in=versions), "recorded_by"),
        (Meeting.objects.filter(version__in=versions), "created_by"),
        (Tool.objects.filter(school=school), "created_by"),
        (ToolComment.objects.filter(tool__school=school), "author"),
        (Assessment.objects.filter(tool__school=school), "decided_by"),
    ):
        ids |= set(queryset.exclude(**{field: None}).values_list(f"{field}_id", flat=True))
    return {pk: (email, name) for pk, email, name in User.objects.filter(pk__in=ids).values_list("pk", "email", "name")}
