"""Writes about a person's own account: name, e-mail address (confirmed by a signed link), deletion.

Refusals raise AccountError with a Dutch message for the user; nothing is changed then.
Deleting an account anonymises it: the row stays so that history, comments and signatures keep their text and
date, but its name and address are gone and it can never sign in again.
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Membership, Participant, Role, User


class AccountError(Exception):
    """A refused change, with a message in Dutch for the user."""


EMAIL_CHANGE_SALT = "agreements.accounts.email-change"


def normalise_email(email):
    return BaseUserManager.normalize_email(email.strip()).lower()


def email_taken(email, *, other_than=None):
    users = User.objects.filter(email__iexact=email)
    if other_than is not None:
        users = users.exclude(pk=other_than.pk)
    return users.exists()


@transaction.atomic
def change_name(*, user, name):
    name = " ".join(name.split())
    if not name:
        raise AccountError(_("Vul je naam in."))
    user.name = name
    user.save(update_fields=["name"])
    return user


def email_change_token(*, user, new_email):
    """A signed token for the link mailed to the new address. It names the old address too, so once the change
    is made (or the address changed otherwise) the link no longer works: used once, without storing it."""
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise AccountError(_("Dit is al je e-mailadres."))
    if email_taken(new_email, other_than=user):
        raise AccountError(_("Er is al een account met dit e-mailadres. Kies een ander adres."))
    return signing.dumps({"user": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_CHANGE_SALT)


def read_email_change(token):
    """(user, old address, new address) the link names; AccountError when it is broken, expired or used."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=settings.EMAIL_CHANGE_MAX_AGE)
    except signing.SignatureExpired:
        raise AccountError(_("Deze link is verlopen: een link werkt twee dagen. Vraag op je accountpagina "
                             "een nieuwe aan.")) from None
    except signing.BadSignature:
        raise AccountError(_("Deze link klopt niet. Kopieer de hele link uit de e-mail, of vraag op je "
                             "accountpagina een nieuwe aan.")) from None
    user = User.objects.filter(pk=data.get("user"), deleted_at__isnull=True).first()
    if user is None:
        raise AccountError(_("Deze link werkt niet meer: het account bestaat niet meer."))
    if user.email == data.get("new"):
        raise AccountError(_("Deze link is al gebruikt: je e-mailadres is al gewijzigd."))
    if user.email != data.get("old"):
        raise AccountError(_("Deze link werkt niet meer: je e-mailadres is intussen gewijzigd. Vraag op je "
                             "accountpagina een nieuwe aan."))
    return user, data["old"], data["new"]


def confirm_email_change(*, token):
    """Make the change the link asks for; returns (user, old address)."""
    try:
        with transaction.atomic():
            user, old, new = read_email_change(token)
            user = User.objects.select_for_update().get(pk=user.pk)
            if user.email != old:
                raise AccountError(_("Deze link is al gebruikt: je e-mailadres is al gewijzigd."))
            if email_taken(new, other_than=user):
                raise AccountError(_("Er is intussen al een account met dit e-mailadres. Kies een ander adres."))
            user.email = new
            user.save(update_fields=["email"])
    except IntegrityError:
        raise AccountError(_("Er is intussen al een account met dit e-mailadres. Kies een ander adres.")) from None
    return user, old


def schools_only_led_by(user):
    """The schools where this user is the only schoolleider (a school already being deleted does not count)."""
    schools = []
    memberships = Membership.objects.filter(user=user, role=Role.LEADER, school__deletion_requested_at__isnull=True)
    for membership in memberships.select_related("school"):
        if not Membership.objects.filter(school=membership.school, role=Role.LEADER).exclude(user=user).exists():
            schools.append(membership.school)
    return schools


def last_leader_refusal(user):
    """Why this account cannot be deleted now (a Dutch sentence), or None."""
    schools = schools_only_led_by(user)
    if not schools:
        return None
    names = ", ".join(school.name for school in schools)
    return _("Je bent de enige schoolleider van %(schools)s. Maak eerst iemand anders schoolleider (bij Team), "
             "of verwijder de school. Daarna kun je je account verwijderen.") % {"schools": names}


@transaction.atomic
def delete_account(*, user):
    """Anonymise the account: name and address gone, no password, no memberships, no names in meetings.

    Comments, history and signatures keep their text and date; they now say "verwijderd account". A signature
    keeps the name as it was signed: it is printed in the policy document, and a signed document must not change.
    Existing sessions end because the password changes (Django checks a hash of it on every request).
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.deleted_at:
        raise AccountError(_("Dit account is al verwijderd."))
    reason = last_leader_refusal(user)
    if reason:
        raise AccountError(reason)
    email = user.email
    Membership.objects.filter(user=user).delete()
    Participant.objects.filter(user=user).update(name="", user=None)
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(username__iexact=email).delete()
    user.name = ""
    user.email = f"verwijderd-{user.pk}@verwijderd.invalid"
    user.set_unusable_password()
    user.is_active = False
    user.is_staff = user.is_superuser = False
    user.deleted_at = timezone.now()
    user.save()
    return user
