"""Recreate a school from its export (queries/export.py) on this installation, in one transaction.

Content-library rows are matched by their natural keys; people by e-mail address. A member without an
account here gets an inactive account and a mail with a link to set a password (that link activates it);
people only named in the records (former members) get an inactive account without a mail. Ids are new;
codes, hashes and dates are carried over, so the verify page accepts the old PDFs. The PDF files themselves
come along when the old installation's media folder is given (`media_dir`); else the documents are listed
without a file: they still verify by code and hash, and the PDFs can be made again as a new version.
"""

import shutil
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from .. import mail
from ..models import (
    Action,
    Ballot,
    Comment,
    Decision,
    ExampleAgreement,
    Item,
    Meeting,
    Membership,
    Participant,
    Policy,
    PolicyVersion,
    RenderedDocument,
    School,
    Signature,
    Theme,
    ThemeState,
    User,
)
from ..models.content import ChecklistItem, GuidingQuestion
from ..models.document import new_share_token
from ..models.meeting import new_join_code
from ..models.tools import Answer, Assessment, Tool, ToolComment
from ..queries.export import SCHEMA, SCHEMA_VERSION


class ImportRefused(Exception):
    """Why the file cannot be imported, in Dutch for the person who chose it. Nothing was written."""


@dataclass
class ImportResult:
    school: School
    created_people: list = field(default_factory=list)
    invited: list = field(default_factory=list)
    files_copied: int = 0
    files_missing: int = 0


def _dt(value):
    return datetime.fromisoformat(value) if value else None


def _d(value):
    return date.fromisoformat(value) if value else None


def _check_shape(data):
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ImportRefused(_("Dit is geen export van AI-beleidsbouwer. Kies het JSON-bestand dat je bij "
                              "‘Gegevens van de school downloaden’ kreeg."))
    version = data.get("schema_version")
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise ImportRefused(_("Dit bestand komt uit een nieuwere versie van AI-beleidsbouwer (schema %(found)s; "
                              "deze installatie kent schema %(known)s). Werk deze installatie eerst bij.")
                            % {"found": version, "known": SCHEMA_VERSION})
    if version < 1:
        raise ImportRefused(_("Het schema van dit bestand (%(found)s) is onbekend.") % {"found": version})


def _content_maps(data):
    """Theme number -> Theme and "theme.number" -> ExampleAgreement, refused when the file names one we lack."""
    themes = {t.number: t for t in Theme.objects.all()}
    examples = {f"{e.theme.number}.{e.number}": e for e in ExampleAgreement.objects.select_related("theme")}
    for version in data["versions"]:
        for decision in version["decisions"]:
            if decision["theme"] not in themes:
                raise ImportRefused(_("Thema %(theme)s uit het bestand staat niet in de inhoudsbibliotheek van deze "
                                      "installatie. Laad eerst de inhoud (make setup).") % {"theme": decision["theme"]})
            key = f"{decision['theme']}.{decision['example']}"
            if decision["example"] is not None and key not in examples:
                raise ImportRefused(_("Voorbeeldafspraak %(key)s uit het bestand staat niet in de inhoudsbibliotheek "
                                      "van deze installatie.") % {"key": key})
    return themes, examples


def _refuse_existing(data):
    school = data["school"]
    existing = School.objects.filter(name=school["name"], place=school["place"])
    if school.get("brin"):
        existing = existing | School.objects.filter(brin=school["brin"])
    if existing.exists():
        raise ImportRefused(_("Er is op deze installatie al een school %(name)s (%(place)s). Er is niets "
                              "geïmporteerd.") % {"name": school["name"], "place": school["place"]})
    codes = [d["verification_code"] for v in data["versions"] for d in v["documents"]]
    if RenderedDocument.objects.filter(verification_code__in=codes).exists():
        raise ImportRefused(_("Documenten uit dit bestand staan al op deze installatie. Er is niets geïmporteerd."))


def _people(data, result):
    """e-mail -> User: existing accounts by address, else a new inactive one."""
    members = {m["email"].lower() for m in data["members"]}
    users = {}
    for person in data["people"]:
        email = person["email"].lower()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(email=email, name=person["name"], is_active=False)
            user.set_unusable_password()
            user.save()
            result.created_people.append(user)
            if email in members:
                result.invited.append(user)
        users[person["email"]] = user
    return users


def _set_dates(objects, *fields):
    """auto_now_add fields take the exported moments (bulk_update does not run pre_save)."""
    changed = []
    for obj, values in objects:
        for name, value in values.items():
            setattr(obj, name, value)
        changed.append(obj)
    if changed:
        type(changed[0]).objects.bulk_update(changed, list(fields))


def _decisions(version, rows, themes, examples, users):
    decisions = Decision.objects.bulk_create([
        Decision(version=version, theme=themes[row["theme"]],
                 example=examples[f"{row['theme']}.{row['example']}"] if row["example"] is not None else None,
                 choice=row["choice"], text=row["text"], reason=row["reason"], position=row["position"],
                 updated_by=users.get(row["updated_by"]), meeting_date=_d(row["meeting_date"]),
                 votes_support=row["votes_support"], votes_support_amended=row["votes_support_amended"],
                 votes_against=row["votes_against"])
        for row in rows
    ])
    by_key = {}
    actions, comments, history = [], [], []
    History = Decision.history.model
    for decision, row in zip(decisions, rows, strict=True):
        by_key[row["key"]] = decision
        actions += [(Action(decision=decision, what=a["what"], who=a["who"], due=_d(a["due"]), position=a["position"]),
                     {"created_at": _dt(a["created_at"])}) for a in row["actions"]]
        comments += [(Comment(decision=decision, author=users.get(c["author"]), text=c["text"]),
                      {"created_at": _dt(c["created_at"])}) for c in row["comments"]]
        for record in row["history"]:
            history.append(History(
                id=decision.pk, version_id=version.pk, theme_id=decision.theme_id, example_id=decision.example_id,
                choice=record["choice"], text=record["text"], reason=record["reason"], position=decision.position,
                revision=decision.revision, updated_by_id=decision.updated_by_id, meeting_date=decision.meeting_date,
                votes_support=decision.votes_support, votes_support_amended=decision.votes_support_amended,
                votes_against=decision.votes_against, history_date=_dt(record["at"]),
                history_type=record["type"], history_user=users.get(record["by"]),
            ))
    for objects in (actions, comments):
        if objects:
            type(objects[0][0]).objects.bulk_create([obj for obj, _dates in objects])
        _set_dates(objects, "created_at")
    History.objects.bulk_create(history)
    return by_key


def _meetings(version, rows, by_key, users):
    for row in rows:
        meeting = Meeting.objects.create(version=version, join_code=new_join_code(), audience=row["audience"],
                                         hide_tally=row["hide_tally"], status=row["status"],
                                         created_by=users.get(row["created_by"]), closed_at=_dt(row["closed_at"]))
        Meeting.objects.filter(pk=meeting.pk).update(created_at=_dt(row["created_at"]))
        participants = Participant.objects.bulk_create([Participant(meeting=meeting)
                                                        for _i in range(row["participants"])])
        current = None
        for item_row in row["items"]:
            item = Item.objects.create(meeting=meeting, decision=by_key[item_row["decision"]],
                                       position=item_row["position"], text=item_row["text"],
                                       status=item_row["status"], opened_at=_dt(item_row["opened_at"]),
                                       closed_at=_dt(item_row["closed_at"]), outcome=item_row["outcome"],
                                       applied_at=_dt(item_row["applied_at"]))
            choices = [choice for choice, n in sorted(item_row["counts"].items()) for _i in range(n)]
            if len(choices) > len(participants):
                raise ImportRefused(_("Een vergadering in het bestand heeft meer stemmen dan deelnemers. Het bestand "
                                      "is aangepast of beschadigd; er is niets geïmporteerd."))
            comments = list(item_row.get("comments", []))
            Ballot.objects.bulk_create([
                Ballot(item=item, participant=p, choice=c, comment=comments.pop() if comments else "")
                for p, c in zip(participants, choices, strict=False)
            ])
            if item_row["status"] == Item.Status.OPEN:
                current = item
        if current:
            Meeting.objects.filter(pk=meeting.pk).update(current_item=current)


def _documents(version, rows, users, media_dir, result):
    for row in rows:
        document = RenderedDocument(version=version, edition=row["edition"], status=row["status"],
                                    verification_code=row["verification_code"], sha256=row["sha256"],
                                    size=row["size"], page_count=row["page_count"], site_url=row["site_url"],
                                    queued_at=_dt(row["finished_at"]) or version.created_at,
                                    finished_at=_dt(row["finished_at"]))
        source = Path(media_dir) / row["file"] if media_dir and row.get("file") else None
        if row["status"] == RenderedDocument.Status.DONE:
            if source and source.is_file():
                target = Path(settings.MEDIA_ROOT) / document.storage_name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
                document.file = document.storage_name
                result.files_copied += 1
            else:
                # Still done: the printed or mailed PDF verifies by its code and hash; only the file is not here.
                result.files_missing += 1
        if row.get("shared") and document.file:
            document.share_token = new_share_token()  # the old link pointed at the old installation
        document.save()


def _tools(school, rows, themes, examples, users):
    """The AI-tool register: tools with their links, comments and assessment (answers by natural keys)."""
    checklist = {(c.kind, c.number): c for c in ChecklistItem.objects.all()}
    guiding = {(q.requirement.number, q.number): q for q in GuidingQuestion.objects.select_related("requirement")}
    for row in rows:
        tool = Tool.objects.create(
            school=school, name=row["name"], vendor=row["vendor"], purpose=row["purpose"], users=row["users"],
            age_limit=row["age_limit"], personal_data=row["personal_data"], data_location=row["data_location"],
            processing_agreement=row["processing_agreement"], privacy_url=row["privacy_url"],
            created_by=users.get(row["created_by"]), deleted_at=_dt(row["deleted_at"]))
        Tool.objects.filter(pk=tool.pk).update(created_at=_dt(row["created_at"]))
        tool.themes.set([themes[n] for n in row["themes"]])
        tool.agreements.set([examples[key] for key in row["agreements"]])
        comments = [(ToolComment(tool=tool, author=users.get(c["author"]), text=c["text"]),
                     {"created_at": _dt(c["created_at"])}) for c in row["comments"]]
        ToolComment.objects.bulk_create([c for c, _dates in comments])
        _set_dates(comments, "created_at")
        a = row["assessment"]
        if a is None:
            continue
        assessment = Assessment.objects.create(
            tool=tool, number=a["number"], verdict=a["verdict"], conditions=a["conditions"],
            reassess_on=_d(a["reassess_on"]), needs_reconfirm=a["needs_reconfirm"], decided_at=_dt(a["decided_at"]),
            decided_by=users.get(a["decided_by"]))
        for answer in a["answers"]:
            Answer.objects.create(
                assessment=assessment, value=answer["value"], note=answer["note"],
                tool_question=checklist[tuple(answer["tool_question"])] if answer["tool_question"] else None,
                guiding_question=guiding[tuple(answer["guiding_question"])] if answer["guiding_question"] else None)


@transaction.atomic
def import_school(data, *, site_url, media_dir=None):
    """The school in `data` (a parsed export), recreated here. ImportRefused when it cannot be, nothing written.

    Once committed, every member with a new (inactive) account gets the mail to choose a password.
    """
    _check_shape(data)
    try:
        result = _import(data, media_dir)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ImportRefused(_("Het bestand is onvolledig of met de hand aangepast (%(detail)s). Er is niets "
                              "geïmporteerd.") % {"detail": exc.__class__.__name__}) from exc
    transaction.on_commit(lambda: _send_activations(result, site_url))
    return result


def _send_activations(result, site_url):
    for user in result.invited:
        path = reverse("account_activate", args=[urlsafe_base64_encode(force_bytes(user.pk)),
                                                 default_token_generator.make_token(user)])
        mail.send_activation(user=user, link=site_url.rstrip("/") + path, school=result.school)


def _import(data, media_dir):
    themes, examples = _content_maps(data)
    _refuse_existing(data)
    school_row = data["school"]
    school = School.objects.create(name=school_row["name"], sector=school_row["sector"], place=school_row["place"],
                                   brin=school_row["brin"])
    School.objects.filter(pk=school.pk).update(created_at=_dt(school_row["created_at"]))
    result = ImportResult(school=school)
    users = _people(data, result)
    for member in data["members"]:
        membership = Membership.objects.create(user=users[member["email"]], school=school, role=member["role"])
        Membership.objects.filter(pk=membership.pk).update(joined_at=_dt(member["joined_at"]))
    policy = Policy.objects.create(school=school)
    numbers = {}
    for row in data["versions"]:
        version = PolicyVersion.objects.create(
            policy=policy, number=row["number"], status=row["status"], based_on=numbers.get(row["based_on"]),
            created_by=users.get(row["created_by"]), finalised_at=_dt(row["finalised_at"]),
            finalised_by=users.get(row["finalised_by"]), adopted_at=_dt(row["adopted_at"]),
            review_date=_d(row["review_date"]), parent_contact=row["parent_contact"],
            tools_snapshot=row.get("tools_snapshot", []))
        PolicyVersion.objects.filter(pk=version.pk).update(created_at=_dt(row["created_at"]))
        numbers[row["number"]] = version
        ThemeState.objects.bulk_create([
            ThemeState(version=version, theme=themes[t["theme"]], note=t["note"], done=t["done"]) for t in row["themes"]
        ])
        by_key = _decisions(version, row["decisions"], themes, examples, users)
        signatures = [(Signature(version=version, kind=s["kind"], name=s["name"], role=s["role"],
                                 signed_on=_d(s["signed_on"]), recorded_by=users.get(s["recorded_by"])),
                       {"created_at": _dt(s["created_at"])}) for s in row["signatures"]]
        Signature.objects.bulk_create([s for s, _dates in signatures])
        _set_dates(signatures, "created_at")
        _documents(version, row["documents"], users, media_dir, result)
        _meetings(version, row["meetings"], by_key, users)
    _tools(school, data.get("tools", []), themes, examples, users)
    school.refresh_from_db()
    return result

