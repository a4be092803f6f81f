"""Writes about schools and who belongs to them. Keyword arguments; each owns its transaction.

Refusals raise SchoolError with a Dutch message for the user; nothing is changed then.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Invitation, Membership, Role, School


class SchoolError(Exception):
    """A refused change, with a message in Dutch for the user."""


LAST_LEADER = gettext_lazy("Een school heeft altijd minstens één schoolleider. Maak eerst iemand anders schoolleider.")


@transaction.atomic
def create_school(*, by, name, sector, place, brin=""):
    """A new school with its creator as schoolleider."""
    school = School.objects.create(name=name, sector=sector, place=place, brin=brin)
    Membership.objects.create(school=school, user=by, role=Role.LEADER)
    return school


def _lock_leaders(school):
    """Lock the school's leader rows, so two leaders cannot demote each other at the same moment."""
    return list(Membership.objects.select_for_update().filter(school=school).leaders().values_list("pk", flat=True))


@transaction.atomic
def change_role(*, membership, role):
    if role not in Role.values:
        raise SchoolError(_("Kies een van de rollen."))
    leaders = _lock_leaders(membership.school)
    if membership.role == Role.LEADER and role != Role.LEADER and leaders == [membership.pk]:
        raise SchoolError(LAST_LEADER)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def remove_member(*, membership):
    """Remove someone from the school (also used when a member leaves on their own)."""
    leaders = _lock_leaders(membership.school)
    if leaders == [membership.pk]:
        raise SchoolError(LAST_LEADER)
    membership.delete()


@transaction.atomic
def create_invitation(*, school, by, role, email=""):
    return Invitation.objects.create(school=school, created_by=by, role=role, email=email)


@transaction.atomic
def revoke_invitation(*, invitation):
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise SchoolError(_("Deze uitnodiging is al aangenomen. Wil je iemand weghalen? Doe dat bij de leden."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def refusal(invitation, user):
    """Why this user cannot accept this invitation (a Dutch sentence), or None when they can."""
    if invitation.revoked_at:
        return _("Deze uitnodiging is ingetrokken. Vraag de schoolleider om een nieuwe link.")
    if invitation.accepted_at:
        return _("Deze uitnodiging is al gebruikt. Een link werkt maar één keer. Vraag de schoolleider om een nieuwe.")
    if invitation.is_expired:
        return _("Deze uitnodiging is verlopen. Een link werkt 14 dagen. Vraag de schoolleider om een nieuwe.")
    if user.is_authenticated:
        if Membership.objects.filter(school_id=invitation.school_id, user=user).exists():
            return _("Je bent al lid van deze school.")
        if invitation.email and invitation.email.lower() != user.email.lower():
            return (
                _("Deze uitnodiging is voor een ander e-mailadres. Log uit en log in (of maak een account) met het "
                "adres waarop je de uitnodiging kreeg.")
            )
    return None


@transaction.atomic
def accept_invitation(*, invitation, user):
    """Make the user a member with the invitation's role; the invitation is used up."""
    invitation = Invitation.objects.select_for_update().select_related("school").get(pk=invitation.pk)
    reason = refusal(invitation, user)
    if reason:
        raise SchoolError(reason)
    membership = Membership.objects.create(school=invitation.school, user=user, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


@transaction.atomic
def request_deletion(*, school, by, typed_name):
    """Ask to delete the school: the typed name must be the school's. The worker deletes it after the grace."""
    school = School.objects.select_for_update().get(pk=school.pk)
    if school.deletion_requested_at:
        raise SchoolError(_("Deze school wordt al verwijderd."))
    if " ".join(typed_name.split()).casefold() != school.name.casefold():
        raise SchoolError(_("Typ de naam van de school precies zoals hij hierboven staat."))
    school.deletion_requested_at = timezone.now()
    school.deletion_requested_by = by
    school.save(update_fields=["deletion_requested_at", "deletion_requested_by"])
    return school


@transaction.atomic
def cancel_deletion(*, school):
    """Undo a deletion within the grace period (any leader)."""
    school = School.objects.select_for_update().get(pk=school.pk)
    if not school.deletion_requested_at:
        raise SchoolError(_("Deze school wordt niet verwijderd."))
    school.deletion_requested_at = None
    school.deletion_requested_by = None
    school.save(update_fields=["deletion_requested_at", "deletion_requested_by"])
    return school
