"""Two-factor authentication pages: switch it on (QR code, first code, recovery codes), give a code after the
password, new recovery codes, switch it off; a school's leaders require it for leaders and MR members.

After the password, LoginView puts the step still to do in the session (PENDING_KEY); the middleware keeps the
user on that step's page until it is done (agreements/middleware.py).
"""

from base64 import b32encode

from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from .. import access, qr
from ..forms.accounts import CurrentPasswordMixin, OtpForm
from ..services import twofactor as services
from .common import rate_limited, require_methods, safe_next

PENDING_KEY = services.PENDING_KEY
STEP_PAGES = {"verify": "twofactor_verify", "setup": "twofactor"}  # the page of each step still to do
KEY_IN_SETUP = "twofactor_key"  # session: the app's secret until its first code confirms it
ATTEMPTS = (5, 15 * 60)  # like the login: 5 tries per account and address, then 15 minutes
LOCKED = gettext_lazy("Je hebt te vaak een verkeerde code getypt. Probeer het over 15 minuten opnieuw.")


def _locked(request, scope="otp"):
    """Count one attempt; True when there were too many (per account and address, like the login)."""
    limit, window = ATTEMPTS
    return rate_limited(request, f"{scope}-{request.user.pk}", limit, window)


def _next_url(request, default):
    return safe_next(request) or default


def _app_key(request):
    """The secret being set up, in the session (so reloading shows the same QR code and a GET writes nothing)."""
    if not request.session.get(KEY_IN_SETUP):
        request.session[KEY_IN_SETUP] = services.new_app_key()
    return request.session[KEY_IN_SETUP]


def _grouped(text, size=4):
    return " ".join(text[i:i + size] for i in range(0, len(text), size))


@sensitive_post_parameters("token")
@require_methods("GET", "POST")
@never_cache
def setup(request):
    """Mijn account > Tweestapsverificatie: scan the QR code, type the first code; then the recovery codes."""
    user = request.user
    if services.is_enabled(user):
        if request.method == "POST":
            return redirect("twofactor")
        return render(request, "registration/twofactor.html", {
            "required_by": services.required_by(user), "disable_form": DisableForm(user=user)})
    form = OtpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _locked(request, "otp-setup"):
            form.add_error(None, LOCKED)
            status = 429
        elif form.is_valid():
            try:
                device, codes = services.confirm_app_device(user=user, key=_app_key(request),
                                                            token=form.cleaned_data["token"])
            except services.TwoFactorError as error:
                form.add_error("token", str(error))
                status = 400
            else:
                otp_login(request, device)
                request.session.pop(PENDING_KEY, None)
                request.session.pop(KEY_IN_SETUP, None)
                messages.success(request, _("Tweestapsverificatie staat aan. Bewaar je herstelcodes."))
                return render(request, "registration/twofactor_codes.html",
                              {"codes": [_grouped(c) for c in codes], "next": _next_url(request, "")})
        else:
            status = 400
    device = services.app_device(user, _app_key(request))
    context = {
        "form": form,
        "qr": qr.svg_data_uri(device.config_url),
        "secret": _grouped(b32encode(device.bin_key).decode()),
        "required": request.session.get(PENDING_KEY) == "setup",
        "next": _next_url(request, ""),
    }
    return render(request, "registration/twofactor_setup.html", context, status=status)


@sensitive_post_parameters("token")
@require_methods("GET", "POST")
@never_cache
def verify(request):
    """The code after the password (or a recovery code). Wrong codes are limited like the login."""
    if request.session.get(PENDING_KEY) != "verify":
        return redirect(_next_url(request, reverse("account")))
    form = OtpForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _locked(request):
            form.add_error(None, LOCKED)
            status = 429
        elif form.is_valid():
            device = services.verify(user=request.user, token=form.cleaned_data["token"])
            if device is not None:
                otp_login(request, device)
                request.session.pop(PENDING_KEY, None)
                if device.name == services.RECOVERY_DEVICE_NAME:
                    messages.warning(request, _("Je hebt een herstelcode gebruikt; die werkt nu niet meer. Maak "
                                                "nieuwe herstelcodes op Mijn account als je er bijna geen meer hebt."))
                return redirect(_next_url(request, "/"))
            form.add_error("token", _("Deze code klopt niet. Typ de code die de app nu laat zien, of een "
                                      "herstelcode."))
            status = 400
        else:
            status = 400
    return render(request, "registration/twofactor_verify.html", {"form": form, "next": _next_url(request, "")},
                  status=status)


@require_methods("POST")
def cancel(request):
    """Stop at the code step: sign out again."""
    auth_logout(request)
    return redirect("login")


class DisableForm(CurrentPasswordMixin, OtpForm):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.add_password_field()


@sensitive_post_parameters("password", "token")
@require_methods("POST")
def disable(request):
    form = DisableForm(request.POST, user=request.user)
    if _locked(request):
        messages.error(request, LOCKED)
    elif form.is_valid():
        try:
            services.disable(user=request.user, token=form.cleaned_data["token"])
        except services.TwoFactorError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Tweestapsverificatie staat uit."))
            return redirect("account")
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("twofactor")


@require_methods("POST")
def recovery_codes(request):
    """New recovery codes (only with 2FA on, and verified in this session)."""
    if not services.is_enabled(request.user) or not request.user.is_verified():
        return redirect("twofactor")
    codes = services.new_recovery_codes(user=request.user)
    return render(request, "registration/twofactor_codes.html", {"codes": [_grouped(c) for c in codes], "next": ""})


@require_methods("POST", access=access.get_membership_for_leader)
def school_requirement(request, school_id):
    """A leader requires (or no longer requires) 2FA of the school's leaders and MR members."""
    school = access.get_membership_for_leader(request, school_id).school
    required = request.POST.get("required") == "1"
    services.set_school_requirement(school=school, required=required)
    if required:
        messages.success(request, _("Schoolleiders en MR-leden van %(school)s moeten nu tweestapsverificatie "
                                    "gebruiken. Wie hem nog niet aan heeft, zet hem aan bij de volgende keer "
                                    "inloggen.") % {"school": school.name})
    else:
        messages.success(request, _("Tweestapsverificatie is niet meer verplicht in %(school)s.")
                         % {"school": school.name})
    return redirect("schools:team", school_id=school.pk)
