"""Sign-off and the policy PDF: finalise, sign, record consent, render, share, start the next draft.

Status flow of a version: draft -> (finalise) -> consent ("ter instemming") -> (the leader's signature and
the MR's consent, in either order) -> adopted ("vastgesteld"). After finalising the version is read-only:
these services refuse every change to a non-draft version except signatures, consent and rendering.
"""

from functools import partial

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .. import tasks
from ..models import (
    Action,
    ChecklistItem,
    Decision,
    ExampleAgreement,
    PolicyVersion,
    RenderedDocument,
    ReviewCheck,
    Signature,
    Theme,
    ThemeState,
)
from ..models.document import new_share_token
from ..queries.tools import tool_snapshot
from .policy import PolicyError

Status = PolicyVersion.Status
MR_CHAIR_ROLE = "Voorzitter MR"


def default_review_date(today=None):
    """One year from today (28 February when today is 29 February)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def _locked(version):
    """Re-read the version under a row lock: two requests never both finalise or sign."""
    return PolicyVersion.objects.select_for_update().select_related("policy__school").get(pk=version.pk)


# --- Finalise and sign ------------------------------------------------------------------------------


@transaction.atomic
def finalise(*, version, by, review_date, parent_contact, confirm_open=False):
    """Draft -> ter instemming. With open agreements only when the leader explicitly confirms."""
    version = _locked(version)
    if not version.is_draft:
        raise PolicyError(_("Dit beleid is al afgerond. Het kan niet meer worden aangepast."))
    open_count = version.decisions.open().count()
    if open_count and not confirm_open:
        raise PolicyError(
            ngettext("Er staat nog %(n)d afspraak open. Vink aan dat je het beleid toch wilt afronden.",
                     "Er staan nog %(n)d afspraken open. Vink aan dat je het beleid toch wilt afronden.",
                     open_count) % {"n": open_count}
        )
    if not parent_contact.strip():
        raise PolicyError(_("Vul in bij wie ouders terecht kunnen met vragen."))
    version.status = Status.AWAITING_CONSENT
    version.finalised_at = timezone.now()
    version.finalised_by = by
    version.review_date = review_date
    version.parent_contact = parent_contact.strip()
    version.save(update_fields=["status", "finalised_at", "finalised_by", "review_date", "parent_contact"])
    return version


def sign(*, version, by, name, role, signed_on):
    """The leader's signature (name, function, date)."""
    return _add_signature(version=version, kind=Signature.Kind.LEADER, by=by, name=name, role=role,
                          signed_on=signed_on)


def record_consent(*, version, by, chair_name, consented_on):
    """The participation council's consent (instemming MR): the date and the chair's name."""
    return _add_signature(version=version, kind=Signature.Kind.MR_CONSENT, by=by, name=chair_name,
                          role=MR_CHAIR_ROLE, signed_on=consented_on)


@transaction.atomic
def _add_signature(*, version, kind, by, name, role, signed_on):
    version = _locked(version)
    if version.is_draft:
        raise PolicyError(_("Rond het beleid eerst af. Daarna kan het worden ondertekend."))
    if version.status == Status.ADOPTED:
        raise PolicyError(_("Dit beleid is al vastgesteld. Er kan geen handtekening meer bij."))
    if version.signatures.filter(kind=kind).exists():
        if kind == Signature.Kind.LEADER:
            raise PolicyError(_("De schoolleider heeft dit beleid al ondertekend."))
        raise PolicyError(_("De instemming van de MR is al vastgelegd."))
    signature = Signature.objects.create(
        version=version, kind=kind, name=name.strip(), role=role.strip(), signed_on=signed_on, recorded_by=by
    )
    if version.signatures.count() == len(Signature.Kind.values):
        version.status = Status.ADOPTED
        version.adopted_at = timezone.now()
        # The AI tools approved at this moment: the PDFs read this snapshot, never the register as it is later.
        version.tools_snapshot = tool_snapshot(version.policy.school)
        version.save(update_fields=["status", "adopted_at", "tools_snapshot"])
    return signature


# --- The next draft ---------------------------------------------------------------------------------


@transaction.atomic
def start_new_draft_from(*, version, by):
    """Version N+1 as a draft with the decisions, actions and theme notes of an adopted version."""
    version = _locked(version)
    if version.status != Status.ADOPTED:
        raise PolicyError(_("Een nieuw concept kan alleen beginnen bij een vastgesteld beleid."))
    policy = version.policy
    if policy.versions.drafts().exists():
        raise PolicyError(_("Er is al een concept. Werk daarin verder."))
    number = policy.versions.aggregate(n=Max("number"))["n"] + 1
    draft = PolicyVersion.objects.create(
        policy=policy, number=number, created_by=by, based_on=version, parent_contact=version.parent_contact
    )
    notes = dict(version.theme_states.values_list("theme_id", "note"))
    ThemeState.objects.bulk_create(
        ThemeState(version=draft, theme=theme, note=notes.get(theme.pk, "")) for theme in Theme.objects.all()
    )
    old = list(version.decisions.prefetch_related("actions"))
    new = Decision.objects.bulk_create(
        Decision(version=draft, theme_id=d.theme_id, example_id=d.example_id, choice=d.choice, text=d.text,
                 reason=d.reason, position=d.position, updated_by=by,
                 origin_id=None if d.example_id else (d.origin_id or d.pk))
        for d in old
    )
    Action.objects.bulk_create(
        Action(decision=n, what=a.what, who=a.who, due=a.due, position=a.position)
        for o, n in zip(old, new, strict=True)
        for a in o.actions.all()
    )
    # The review checklist of the sources (the yearly evaluation items), to tick off during the review.
    ReviewCheck.objects.bulk_create(
        ReviewCheck(version=draft, item=item) for item in ChecklistItem.objects.filter(kind=ChecklistItem.Kind.REVIEW)
    )
    # Example agreements added to the library since then start open.
    known = {d.example_id for d in old if d.example_id}
    Decision.objects.bulk_create(
        Decision(version=draft, theme_id=e.theme_id, example=e, position=e.number, updated_by=by)
        for e in ExampleAgreement.objects.exclude(pk__in=known)
    )
    return draft


# --- Rendering: the rows the worker renders (the worker's side is in rendering.py) ------------------


def request_render(*, version, edition, by, site_url, language="nl"):
    """The row for this version, edition and language, queued and enqueued once; asking again returns the same row."""
    with transaction.atomic():
        version = _locked(version)
        if version.status != Status.ADOPTED:
            raise PolicyError(_("Een pdf kan pas worden gemaakt als het beleid is vastgesteld."))
        return queue_document(version=version, edition=edition, language=language, by=by, site_url=site_url)


def queue_document(*, by, site_url, **identity):
    """The one row with these fields (version, edition, language or meeting), made and sent to the worker once;
    a failed one is queued again, any other is returned as it is. Inside the caller's transaction and lock."""
    document = RenderedDocument.objects.filter(**identity).first()
    if document is None:
        now = timezone.now()
        document = RenderedDocument.objects.create(**identity, created_by=by, site_url=site_url, queued_at=now,
                                                   sent_at=now)
        transaction.on_commit(partial(tasks.enqueue_render, document.pk))
    elif document.is_failed:
        requeue(document)
    return document


@transaction.atomic
def retry_render(*, document, by):
    """Try a failed document again. Anything else is left alone (it is queued, rendering or done)."""
    document = RenderedDocument.objects.select_for_update().get(pk=document.pk)
    if document.is_failed:
        requeue(document)
    return document


def requeue(document):
    document.status = RenderedDocument.Status.QUEUED
    document.error = ""
    document.attempts = 0
    document.queued_at = document.sent_at = timezone.now()
    document.started_at = document.finished_at = document.lease_until = None
    document.lease_owner = ""
    document.save(update_fields=["status", "error", "attempts", "queued_at", "sent_at", "started_at", "finished_at",
                                 "lease_owner", "lease_until"])
    transaction.on_commit(partial(tasks.enqueue_render, document.pk))


@transaction.atomic
def set_parent_sharing(*, document, enabled, by):
    """Switch the public link to the parents' edition on (a new unguessable token) or off (token gone)."""
    document = RenderedDocument.objects.select_for_update().get(pk=document.pk)
    if document.edition != RenderedDocument.Edition.PARENTS:
        raise PolicyError(_("Alleen de editie voor ouders kan met een openbare link worden gedeeld."))
    if enabled and not document.is_done:
        raise PolicyError(_("De pdf voor ouders is nog niet klaar."))
    if enabled and not document.share_token:
        document.share_token = new_share_token()
    elif not enabled:
        document.share_token = None
    document.save(update_fields=["share_token"])
    return document
