"""URLs of the accounts feature (no namespace: Django's auth views expect these names)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from .forms.accounts import ChangePasswordForm, NewPasswordForm
from .views import accounts, privacy, twofactor

urlpatterns = [
    path("i18n/setlang/", accounts.set_language, name="set_language"),
    path("account/registreren/", accounts.register, name="register"),
    path("account/inloggen/", accounts.LoginView.as_view(), name="login"),
    path("account/uitloggen/", accounts.LogoutView.as_view(), name="logout"),
    path("privacy/", privacy.privacy, name="privacy"),
    path("account/", accounts.account, name="account"),
    path("account/e-mailadres/", accounts.email_change, name="email_change"),
    path("account/e-mailadres/bevestigen/<str:token>/", accounts.email_confirm, name="email_confirm"),
    path("account/mijn-gegevens/", accounts.my_data, name="my_data"),
    path("account/verwijderen/", accounts.delete_account, name="delete_account"),
    path("account/verwijderd/", accounts.account_deleted, name="account_deleted"),
    path("account/tweestaps/", twofactor.setup, name="twofactor"),
    path("account/tweestaps/controleren/", twofactor.verify, name="twofactor_verify"),
    path("account/tweestaps/stoppen/", twofactor.cancel, name="twofactor_cancel"),
    path("account/tweestaps/uitzetten/", twofactor.disable, name="twofactor_disable"),
    path("account/tweestaps/herstelcodes/", twofactor.recovery_codes, name="twofactor_recovery"),
    path("account/wachtwoord/", auth_views.PasswordChangeView.as_view(form_class=ChangePasswordForm),
         name="password_change"),
    path("account/wachtwoord/gewijzigd/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("account/wachtwoord-vergeten/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("account/wachtwoord-vergeten/verstuurd/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("account/wachtwoord-vergeten/<uidb64>/<token>/",
         auth_views.PasswordResetConfirmView.as_view(form_class=NewPasswordForm),
         name="password_reset_confirm"),
    path("account/activeren/<uidb64>/<token>/", accounts.ActivateAccountView.as_view(form_class=NewPasswordForm),
         name="account_activate"),
    path("account/wachtwoord-vergeten/klaar/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
]
