"""Accounts: registration, login and logout; the account page (name, e-mail address, my data, deleting the
account). Password change and reset are Django's views (urls_accounts.py)."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from .. import mail
from ..forms.accounts import DeleteAccountForm, EmailChangeForm, LoginForm, NameForm, RegistrationForm
from ..models import Membership
from ..queries.accounts import personal_data
from ..services import accounts as services
from ..services import twofactor
from .common import rate_limited, redirect_next, require_methods, safe_next
from .twofactor import STEP_PAGES


def home_for(user):
    """Where a signed-in user starts: their only school's dashboard, else the list of their schools."""
    school_ids = list(Membership.objects.filter(user=user).values_list("school_id", flat=True)[:2])
    if len(school_ids) == 1:
        return reverse("schools:dashboard", args=[school_ids[0]])
    return reverse("schools:list")


REGISTRATIONS_PER_HOUR = 20  # a school team registering together shares one address


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def register(request):
    if request.user.is_authenticated:
        return redirect_next(request, home_for(request.user))
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and rate_limited(request, "register", REGISTRATIONS_PER_HOUR, 3600):
        form.add_error(None, _("Er zijn vanaf dit adres te veel accounts gemaakt. Probeer het over een uur opnieuw."))
        return render(request, "registration/register.html", {"form": form, "next": safe_next(request)}, status=429)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welkom, %(name)s. Je account is klaar.") % {"name": user.get_short_name()})
        return redirect_next(request, reverse("schools:list"))
    return render(request, "registration/register.html", {"form": form, "next": safe_next(request)})


class LoginView(auth_views.LoginView):
    """Django's login view (it passes the request to authenticate(), which django-axes needs)."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return home_for(self.request.user)

    def get_redirect_url(self):
        """`next` only when it is a path on this site (the same rule as every other view)."""
        return safe_next(self.request, self.redirect_field_name)

    def form_valid(self, form):
        """After the password: a second step when the user switched 2FA on, or their school requires it."""
        response = super().form_valid(form)
        step = twofactor.pending_step(self.request.user)
        if step:
            self.request.session[twofactor.PENDING_KEY] = step
            target = reverse(STEP_PAGES[step])
            return redirect(f"{target}?{urlencode({'next': self.get_success_url()})}")
        return response


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default); says goodbye."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Je bent uitgelogd."))
        return response


class ActivateAccountView(auth_views.PasswordResetConfirmView):
    """The link in the mail a member gets after their school moved here: choosing a password switches the
    account on. Django's reset token is used as it is, so the link works once and expires like a reset link."""

    template_name = "registration/activate_account.html"
    success_url = reverse_lazy("login")

    def form_valid(self, form):
        form.user.is_active = True
        response = super().form_valid(form)
        messages.success(self.request, _("Je account staat aan. Log in met je e-mailadres en je nieuwe wachtwoord."))
        return response


@require_POST
def set_language(request):
    """The header's language switch: Django's set_language (cookie, safe `next`), and the user's own choice.

    POST with CSRF; `next` is followed only when it is a path on this site (Django checks it). A signed-in
    user's choice is stored in User.language, so it follows them to other browsers and to their mail.
    """
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES) and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


# --- The account page: name, e-mail address, my data, delete -------------------------------------------------

WRONG_PASSWORDS_PER_HOUR = 10  # re-entering the password (new address, delete) is limited like a login


def _password_rate_limited(request, form):
    """Count a wrong password (per account); True, with the error on the form, once there were too many."""
    if "password" in form.errors and rate_limited(request, f"account-password-{request.user.pk}",
                                                  WRONG_PASSWORDS_PER_HOUR, 3600):
        form.errors.pop("password")
        form.add_error(None, _("Je hebt te vaak een verkeerd wachtwoord getypt. Probeer het over een uur opnieuw."))
        return True
    return False


@require_methods("GET", "POST")
@never_cache
def account(request):
    """Mijn account: change the name; links to the address, the password, my data and deleting the account."""
    form = NameForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        services.change_name(user=request.user, name=form.cleaned_data["name"])
        messages.success(request, _("Je naam is gewijzigd."))
        return redirect("account")
    return render(request, "registration/account.html",
                  {"form": form, "two_factor_enabled": twofactor.is_enabled(request.user)})


@sensitive_post_parameters("password")
@require_methods("GET", "POST")
@never_cache
def email_change(request):
    """A new address: a link goes to it; the old address is told. Nothing changes until the link is used."""
    form = EmailChangeForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if form.is_valid():
            new_email = form.cleaned_data["email"]
            token = services.email_change_token(user=request.user, new_email=new_email)
            link = request.build_absolute_uri(reverse("email_confirm", args=[token]))
            if mail.send_email_change_confirmation(user=request.user, new_email=new_email, link=link):
                mail.send_email_change_requested(user=request.user, new_email=new_email)
                messages.success(request, _("We hebben een link gestuurd naar %(email)s. Klik op die link om je "
                                            "nieuwe adres te bevestigen; tot dan log je in met je huidige adres.")
                                 % {"email": new_email})
                return redirect("account")
            form.add_error(None, _("De e-mail kon niet worden verstuurd. Probeer het later opnieuw."))
        status = 429 if _password_rate_limited(request, form) else 200
        return render(request, "registration/email_change.html", {"form": form}, status=status)
    return render(request, "registration/email_change.html", {"form": form})


@require_http_methods(["GET", "POST"])
@never_cache
def email_confirm(request, token):
    """The link from the mail: GET shows what will change, POST (a button) makes the change.

    A mail scanner that follows the link changes nothing. No sign-in needed: the link is the secret.
    """
    try:
        user, old, new = services.read_email_change(token)
    except services.AccountError as error:
        return render(request, "registration/email_confirm.html", {"error": str(error)}, status=400)
    if request.method == "POST":
        try:
            user, old = services.confirm_email_change(token=token)
        except services.AccountError as error:
            return render(request, "registration/email_confirm.html", {"error": str(error)}, status=400)
        mail.send_email_changed(user=user, old_email=old)
        messages.success(request, _("Je e-mailadres is gewijzigd. Je logt voortaan in met %(email)s.")
                         % {"email": user.email})
        return redirect("account" if request.user == user else "login")
    return render(request, "registration/email_confirm.html", {"new_email": new, "old_email": old})


@require_methods("GET")
def my_data(request):
    """Mijn gegevens: everything the app holds about the signed-in person, as a JSON download."""
    data = personal_data(request.user)
    response = HttpResponse(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
                            content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = (f'attachment; filename="mijn-gegevens-'
                                       f'{timezone.localdate():%Y-%m-%d}.json"')
    response["Cache-Control"] = "no-store"
    return response


@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
@never_cache
def delete_account(request):
    """Delete the account after the password; refused while the user is a school's only leader."""
    if not request.user.is_authenticated:
        if request.method == "POST":
            messages.info(request, _("Je bent niet (meer) ingelogd. Is je account al verwijderd? Dan is er niets "
                                     "meer te doen."))
        return redirect(f"{reverse('login')}?next={reverse('delete_account')}")
    form = DeleteAccountForm(request.POST or None, user=request.user)
    refusal = services.last_leader_refusal(request.user)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and not refusal:
        if form.is_valid():
            try:
                services.delete_account(user=request.user)
            except services.AccountError as error:
                form.add_error(None, str(error))
            else:
                auth_logout(request)
                return redirect("account_deleted")
        if _password_rate_limited(request, form):
            status = 429
    return render(request, "registration/delete_account.html", {"form": form, "refusal": refusal}, status=status)


@require_http_methods(["GET"])
def account_deleted(request):
    return render(request, "registration/account_deleted.html")
