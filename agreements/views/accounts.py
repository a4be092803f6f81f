"""Accounts: registration, login and logout. Password change and reset are Django's views (urls_accounts.py)."""

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from ..forms.accounts import LoginForm, RegistrationForm
from ..models import Membership
from .common import rate_limited, redirect_next, safe_next


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
        form.add_error(None, "Er zijn vanaf dit adres te veel accounts gemaakt. Probeer het over een uur opnieuw.")
        return render(request, "registration/register.html", {"form": form, "next": safe_next(request)}, status=429)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welkom, {user.get_short_name()}. Je account is klaar.")
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


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default); says goodbye."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, "Je bent uitgelogd.")
        return response
