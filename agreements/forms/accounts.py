"""Forms for accounts: registration and login with an e-mail address."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm, PasswordChangeForm, SetPasswordForm
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import User

PASSWORD_HELP = gettext_lazy(
    "Minstens 8 tekens. Niet alleen cijfers, niet te veel als je naam of e-mailadres, en geen bekend "
    "wachtwoord zoals welkom123."
)
MISMATCH = gettext_lazy("De twee wachtwoorden zijn niet gelijk. Typ ze opnieuw.")


class RegistrationForm(BaseUserCreationForm):
    """Name, e-mail address and a password checked by Django's password validators."""

    error_messages = {
        **BaseUserCreationForm.error_messages,
        "password_mismatch": MISMATCH,
    }

    class Meta:
        model = User
        fields = ("name", "email")
        labels = {"name": gettext_lazy("Je naam"), "email": gettext_lazy("E-mailadres")}
        help_texts = {"name": gettext_lazy("Zo zien je collega's je in de school."),
                      "email": gettext_lazy("Hiermee log je in.")}
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = _("Wachtwoord")
        self.fields["password1"].help_text = PASSWORD_HELP
        self.fields["password2"].label = _("Wachtwoord nog een keer")
        self.fields["password2"].help_text = _("Typ hetzelfde wachtwoord om tikfouten te voorkomen.")
        self.fields["email"].widget.attrs.pop("autofocus", None)
        self.fields["name"].widget.attrs["autofocus"] = True

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("Er is al een account met dit e-mailadres. Log in, of vraag een nieuw wachtwoord aan als je het "
                "bent vergeten."),
                code="duplicate_email",
            )
        return email

    def validate_unique(self):
        """clean_email already says it clearly in Dutch; skip the model's generic uniqueness message."""
        exclude = self._get_validation_exclusions()
        exclude.add("email")
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as e:
            self._update_errors(e)


class LoginForm(AuthenticationForm):
    """Django's login form with the e-mail address as the user name (lower-cased, as stored).

    Lower-casing here also means the rate limit counts "Anna@…" and "anna@…" as one account.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "Dit e-mailadres en wachtwoord horen niet bij elkaar. Let op hoofdletters in je wachtwoord."
        ),
        "inactive": gettext_lazy("Dit account is uitgeschakeld."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mailadres")
        self.fields["username"].widget = forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
        self.fields["password"].label = _("Wachtwoord")

    def clean_username(self):
        return self.cleaned_data["username"].strip().lower()


class NewPasswordForm(SetPasswordForm):
    """Choose a new password (after a reset link): plain Dutch help text."""

    error_messages = {**SetPasswordForm.error_messages, "password_mismatch": MISMATCH}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = _("Nieuw wachtwoord")
        self.fields["new_password1"].help_text = PASSWORD_HELP
        self.fields["new_password2"].label = _("Nieuw wachtwoord nog een keer")
        self.fields["new_password2"].help_text = ""


class ChangePasswordForm(NewPasswordForm, PasswordChangeForm):
    """Change the password: the old one first."""

    error_messages = {**PasswordChangeForm.error_messages, "password_mismatch": MISMATCH,
                      "password_incorrect": gettext_lazy("Je huidige wachtwoord klopt niet. Typ het opnieuw.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = _("Huidig wachtwoord")


class NameForm(forms.ModelForm):
    """The name colleagues see."""

    class Meta:
        model = User
        fields = ("name",)
        labels = {"name": gettext_lazy("Je naam")}
        help_texts = {"name": gettext_lazy("Zo zien je collega's je in de school.")}
        widgets = {"name": forms.TextInput(attrs={"autocomplete": "name"})}

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Vul je naam in."))
        return name


class CurrentPasswordMixin:
    """A field for the current password, checked against the user's own."""

    password_error = gettext_lazy("Je wachtwoord klopt niet. Typ het opnieuw.")

    def add_password_field(self):
        self.fields["password"] = forms.CharField(
            label=_("Je huidige wachtwoord"), strip=False,
            widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        )

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(self.password_error, code="password_incorrect")
        return password


class EmailChangeForm(CurrentPasswordMixin, forms.Form):
    """A new e-mail address: confirmed by a link to that address."""

    email = forms.EmailField(label=gettext_lazy("Nieuw e-mailadres"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.add_password_field()

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"].strip()).lower()
        if email == self.user.email:
            raise forms.ValidationError(_("Dit is al je e-mailadres."))
        if User.objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise forms.ValidationError(_("Er is al een account met dit e-mailadres. Kies een ander adres."))
        return email


class DeleteAccountForm(CurrentPasswordMixin, forms.Form):
    """Deleting the account asks for the password again."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.add_password_field()


class OtpForm(forms.Form):
    """A code from the authenticator app (or a recovery code)."""

    token = forms.CharField(
        label=_("Code"), max_length=20, strip=True,
        help_text=_("De 6 cijfers die je app nu laat zien, of een van je herstelcodes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )
