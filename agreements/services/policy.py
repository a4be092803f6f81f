"""Writes that span several policy models. Keyword arguments; each owns its transaction.

Every write refuses (PolicyError) when the version is no longer a draft. Saves of an agreement's
text or choice, and of a theme's note, carry the revision the user started from: a save from an
older revision raises Conflict, never a silent overwrite (optimistic locking).
"""

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from ..models import Action, Comment, Decision, ExampleAgreement, Policy, PolicyVersion, ReviewCheck, Theme, ThemeState
from ..models.policy import READ_ONLY_MESSAGES, TEXT_LIMIT


class PolicyError(Exception):
    """A refused change, with a message in Dutch for the user."""


class Conflict(PolicyError):
    """Someone else saved this object since the user loaded it; `current` is the object as it is now."""

    def __init__(self, current):
        super().__init__(_("Iemand anders heeft dit net gewijzigd. Kies welke tekst je wilt houden."))
        self.current = current


def _require_draft(version_id):
    """Read the status from the database (not from a possibly stale object) and refuse a non-draft."""
    status = PolicyVersion.objects.filter(pk=version_id).values_list("status", flat=True).first()
    if status != PolicyVersion.Status.DRAFT:
        raise PolicyError(READ_ONLY_MESSAGES.get(status, _("Deze versie kan niet meer worden gewijzigd.")))


@transaction.atomic
def start_policy(*, school, by):
    """A new draft, with one open decision per example agreement. One draft at a time.

    The decisions are created with their first history row ("aangemaakt"), so that every
    agreement's history starts at the start of the draft.
    """
    policy, _created = Policy.objects.get_or_create(school=school, defaults={"created_by": by})
    if policy.versions.drafts().exists():
        raise PolicyError(_("Er is al een concept. Werk daarin verder."))
    number = (policy.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = PolicyVersion.objects.create(policy=policy, number=number, created_by=by)
    ThemeState.objects.bulk_create(ThemeState(version=version, theme=t) for t in Theme.objects.all())
    bulk_create_with_history(
        [
            Decision(version=version, theme_id=e.theme_id, example=e, position=e.number, updated_by=by)
            for e in ExampleAgreement.objects.all()
        ],
        Decision,
        default_user=by,
    )
    return version


# --- Agreements -------------------------------------------------------------------------------


def _save_with_revision(decision, *, by, expected_revision, **values):
    """Update the row only if nobody saved it since `expected_revision`; record the history."""
    updated = Decision.objects.filter(pk=decision.pk, revision=expected_revision).update(
        revision=F("revision") + 1, updated_by=by, **values
    )
    if not updated:
        current = Decision.objects.select_related("updated_by", "example", "theme").get(pk=decision.pk)
        raise Conflict(current)
    decision.refresh_from_db()
    Decision.history.bulk_history_create([decision], update=True, default_user=by)
    return decision


def _reopen_theme_if_needed(decision):
    """A theme marked done is no longer done when one of its agreements is open again."""
    if decision.choice == Decision.Choice.OPEN:
        ThemeState.objects.filter(version_id=decision.version_id, theme_id=decision.theme_id, done=True).update(
            done=False, revision=F("revision") + 1
        )


@transaction.atomic
def save_decision(*, decision, by, choice, text, reason, revision):
    """The team's choice for an example agreement: adopt, amend (with its text), not adopt (with a reason).

    The amended text and the reason are kept whatever the choice, so switching back and forth
    loses nothing. A save that changes nothing is not recorded.
    """
    _require_draft(decision.version_id)
    if decision.is_own:
        raise PolicyError(_("Bij een eigen afspraak pas je alleen de tekst aan."))
    text, reason = text.strip(), reason.strip()
    if choice == Decision.Choice.AMEND and not text:
        raise PolicyError(_("Vul de aangepaste tekst in."))
    if choice != Decision.Choice.AMEND and text == decision.example.text:
        text = ""  # the unchanged example text was only shown as a starting point
    if (choice, text, reason) == (decision.choice, decision.text, decision.reason):
        return decision  # nothing to save, and nothing of someone else's to overwrite
    _save_with_revision(decision, by=by, expected_revision=revision, choice=choice, text=text, reason=reason)
    _reopen_theme_if_needed(decision)
    return decision


@transaction.atomic
def add_own_agreement(*, version, theme, by, text):
    """One of the school's own agreements ("Welke aanvullende afspraken zijn nodig op onze school?")."""
    _require_draft(version.pk)
    text = text.strip()
    if not text:
        raise PolicyError(_("Vul de tekst van de afspraak in."))
    last = Decision.objects.own().filter(version=version, theme=theme).aggregate(m=Max("position"))["m"] or 0
    decision = Decision(
        version=version, theme=theme, example=None, choice=Decision.Choice.ADOPT, text=text,
        position=last + 1, updated_by=by,
    )
    decision._history_user = by
    decision.save()
    return decision


@transaction.atomic
def save_own_agreement(*, decision, by, text, revision):
    _require_draft(decision.version_id)
    if not decision.is_own:
        raise PolicyError(_("Dit is een voorbeeldafspraak: kies overnemen, aanpassen of niet overnemen."))
    text = text.strip()
    if not text:
        raise PolicyError(_("Vul de tekst van de afspraak in."))
    if text == decision.text:
        return decision
    return _save_with_revision(decision, by=by, expected_revision=revision, text=text)


def _renumber_own(version_id, theme_id):
    own = Decision.objects.own().filter(version_id=version_id, theme_id=theme_id).order_by("position", "pk")
    for number, pk in enumerate(own.values_list("pk", flat=True), start=1):
        Decision.objects.filter(pk=pk).exclude(position=number).update(position=number)


@transaction.atomic
def delete_own_agreement(*, decision, by):
    _require_draft(decision.version_id)
    if not decision.is_own:
        raise PolicyError(_("Een voorbeeldafspraak kun je niet verwijderen. Kies 'Niet overnemen'."))
    decision._history_user = by
    decision.delete()
    _renumber_own(decision.version_id, decision.theme_id)


@transaction.atomic
def move_own_agreement(*, decision, by, up):
    """Swap the agreement with its neighbour above (up=True) or below."""
    _require_draft(decision.version_id)
    if not decision.is_own:
        raise PolicyError(_("Alleen eigen afspraken kun je verplaatsen."))
    _renumber_own(decision.version_id, decision.theme_id)
    decision.refresh_from_db(fields=["position"])
    siblings = Decision.objects.own().filter(version_id=decision.version_id, theme_id=decision.theme_id)
    neighbour = siblings.filter(position=decision.position + (-1 if up else 1)).first()
    if neighbour is None:
        return decision
    Decision.objects.filter(pk=neighbour.pk).update(position=decision.position)
    Decision.objects.filter(pk=decision.pk).update(position=neighbour.position)
    decision.position = neighbour.position
    return decision


# --- Actions: "Wat is hiervoor nodig?" ---------------------------------------------------------


@transaction.atomic
def add_action(*, decision, by, what, who="", due=None):
    _require_draft(decision.version_id)
    last = decision.actions.aggregate(m=Max("position"))["m"] or 0
    return Action.objects.create(decision=decision, what=what.strip(), who=who.strip(), due=due,
                                 position=last + 1)


@transaction.atomic
def save_action(*, action, by, what, who="", due=None):
    _require_draft(action.decision.version_id)
    action.what, action.who, action.due = what.strip(), who.strip(), due
    action.save(update_fields=["what", "who", "due"])
    return action


@transaction.atomic
def delete_action(*, action, by):
    _require_draft(action.decision.version_id)
    action.delete()


# --- Comments ----------------------------------------------------------------------------------


@transaction.atomic
def add_comment(*, decision, by, text):
    """Leaders, team members and MR members may comment while the version is a draft."""
    _require_draft(decision.version_id)
    text = text.strip()
    if not text:
        raise PolicyError(_("Schrijf eerst je opmerking."))
    return Comment.objects.create(decision=decision, author=by, text=text)


@transaction.atomic
def delete_comment(*, comment, by):
    _require_draft(comment.decision.version_id)
    if comment.author_id != by.pk:
        raise PolicyError(_("Je kunt alleen je eigen opmerkingen verwijderen."))
    comment.delete()


# --- Themes ------------------------------------------------------------------------------------


@transaction.atomic
def save_theme_note(*, state, by, note, revision):
    _require_draft(state.version_id)
    note = note.strip()
    if note == state.note:
        return state
    updated = ThemeState.objects.filter(pk=state.pk, revision=revision).update(note=note, revision=F("revision") + 1)
    if not updated:
        raise Conflict(ThemeState.objects.select_related("theme").get(pk=state.pk))
    state.refresh_from_db()
    return state


@transaction.atomic
def mark_theme_done(*, state, by, done):
    """Mark a theme done (every agreement has a choice) or not done."""
    _require_draft(state.version_id)
    if done:
        still_open = Decision.objects.open().filter(version_id=state.version_id, theme_id=state.theme_id).count()
        if still_open:
            raise PolicyError(
                ngettext(
                    "Nog %(n)d afspraak staat open. Kies eerst bij elke afspraak: overnemen, aanpassen of niet "
                    "overnemen.",
                    "Nog %(n)d afspraken staan open. Kies eerst bij elke afspraak: overnemen, aanpassen of niet "
                    "overnemen.",
                    still_open,
                ) % {"n": still_open}
            )
    ThemeState.objects.filter(pk=state.pk).update(done=done, revision=F("revision") + 1)
    state.refresh_from_db()
    return state


# --- The review checklist ----------------------------------------------------------------------


@transaction.atomic
def save_review_check(*, check, by, done, note):
    """Tick an item of the review checklist (or not) and write the team's note with it."""
    _require_draft(check.version_id)
    note = note.strip()
    if len(note) > TEXT_LIMIT:
        raise PolicyError(_("De notitie is te lang: maximaal %(max)s tekens, je hebt er %(n)s.")
                          % {"max": TEXT_LIMIT, "n": len(note)})
    ReviewCheck.objects.filter(pk=check.pk).update(done=done, note=note, updated_by=by)
    check.refresh_from_db()
    return check
