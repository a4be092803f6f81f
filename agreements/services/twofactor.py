"""Two-factor authentication (TOTP) with django-otp: an authenticator app's codes, plus ten recovery codes.

Why django-otp: small, well kept (Jazzband), only the devices and the verification; it fits our own login
view, rate limits and Dutch pages, where django-allauth's MFA would bring allauth's whole account flow.
A user with a confirmed device must give a code after the password ("enforced once switched on"); a school
can require two-factor authentication of its schoolleiders and MR members.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from ..models import Membership, Role, School

PENDING_KEY = "twofactor_pending"  # session: the step still to do after the password (the middleware reads it)
RECOVERY_CODE_COUNT = 10
ROLES_THAT_CAN_BE_REQUIRED = (Role.LEADER, Role.MR)
APP_DEVICE_NAME = "Authenticator-app"
RECOVERY_DEVICE_NAME = "Herstelcodes"


class TwoFactorError(Exception):
    """A refused change, with a message in Dutch for the user."""


def is_enabled(user):
    return user_has_device(user, confirmed=True)


def required_by(user):
    """The schools that require two-factor authentication of this user's role there."""
    return list(School.objects.filter(require_two_factor=True, memberships__user=user,
                                      memberships__role__in=ROLES_THAT_CAN_BE_REQUIRED).order_by("name"))


def pending_step(user):
    """After the password: "verify" (a code is needed), "setup" (the school requires it, none is set up) or None."""
    if is_enabled(user):
        return "verify"
    if required_by(user):
        return "setup"
    return None


def new_app_key():
    """A new secret for the authenticator app; kept in the session until the first code confirms it."""
    return default_key()


def app_device(user, key):
    """The (unsaved) device for a secret being set up: its QR code and key for the page."""
    return TOTPDevice(user=user, key=key, name=APP_DEVICE_NAME, confirmed=False)


@transaction.atomic
def confirm_app_device(*, user, key, token):
    """Switch 2FA on once the app's first code is right; returns (device, recovery codes to show once).
    A wrong code raises, and the transaction leaves no device behind."""
    device = app_device(user, key)
    device.save()
    if not device.verify_token(_digits(token)):
        raise TwoFactorError(_("Deze code klopt niet. Kijk of de tijd op je telefoon goed staat en typ de code "
                               "die de app nu laat zien."))
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device, new_recovery_codes(user=user)


@transaction.atomic
def new_recovery_codes(*, user):
    """Ten fresh recovery codes (each works once); earlier ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE_NAME,
                                                          defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def verify(*, user, token):
    """The device that accepts this code (an app code or a recovery code, which is then used up), or None."""
    return match_token(user, _digits(token).lower())


@transaction.atomic
def disable(*, user, token):
    """Switch 2FA off with a valid code; refused while a school requires it of this user."""
    schools = required_by(user)
    if schools:
        raise TwoFactorError(_("%(schools)s vraagt tweestapsverificatie voor jouw rol. Je kunt hem daarom niet "
                               "uitzetten.") % {"schools": ", ".join(s.name for s in schools)})
    if verify(user=user, token=token) is None:
        raise TwoFactorError(_("Deze code klopt niet. Typ de code die de app nu laat zien, of een herstelcode."))
    for device in devices_for_user(user, confirmed=None):
        device.delete()


@transaction.atomic
def set_school_requirement(*, school, required):
    school.require_two_factor = bool(required)
    school.save(update_fields=["require_two_factor"])
    return school


def members_without(school):
    """The school's leaders and MR members who have not switched two-factor authentication on."""
    members = Membership.objects.filter(school=school, role__in=ROLES_THAT_CAN_BE_REQUIRED).select_related("user")
    return [m.user for m in members if not is_enabled(m.user)]


def _digits(token):
    """What was typed, without spaces or dashes ("123 456", "abcd-efgh")."""
    return "".join(token.split()).replace("-", "")
