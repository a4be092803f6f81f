"""Accounts: registration, login and logout. Password change and reset are Django's views (urls_accounts.py)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from ..forms.accounts import LoginForm, RegistrationForm
from ..models import Membership
from .common import rate_limited


def home_for(user):
    """Where a signed-in user starts: their only school's dashboard, else the list of their schools."""
    school_ids = list(Membership.objects.filter(user=user).values_list("school_id", flat=True)[:2])
    if len(school_ids) == 1:
        return reverse("schools:dashboard", args=[school_ids[0]])
    return reverse("schools:list")


def _safe_next(request):
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
        return url
    return ""


REGISTRATIONS_PER_HOUR = 20  # a school team registering together shares one address


@sensitive_post_parameters("password1", "password2")
@csrf_protect
@never_cache
def register(request):
    if request.user.is_authenticated:
        return redirect(_safe_next(request) or home_for(request.user))
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and rate_limited(request, "register", REGISTRATIONS_PER_HOUR, 3600):
        form.add_error(None, _("Er zijn vanaf dit adres te veel accounts gemaakt. Probeer het over een uur opnieuw."))
        return render(request, "registration/register.html", {"form": form, "next": _safe_next(request)}, status=429)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Welkom, %(name)s. Je account is klaar.") % {"name": user.get_short_name()})
        return redirect(_safe_next(request) or reverse("schools:list"))
    return render(request, "registration/register.html", {"form": form, "next": _safe_next(request)})


class LoginView(auth_views.LoginView):
    """Django's login view (it passes the request to authenticate(), which django-axes needs)."""

    form_class = LoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return home_for(self.request.user)


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
