"""Forms for schools, invitations and roles."""

import json
import re

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Invitation, Membership, Role, School

BRIN_PATTERN = re.compile(r"^\d{2}[A-Z]{2}(\d{2})?$")


class SchoolForm(forms.ModelForm):
    class Meta:
        model = School
        fields = ("name", "sector", "place", "brin")
        labels = {"brin": gettext_lazy("BRIN-code (mag leeg blijven)")}
        help_texts = {"brin": gettext_lazy("Vier tekens, bijvoorbeeld 12AB, of zes met het vestigingsnummer: 12AB00.")}
        widgets = {"place": forms.TextInput(attrs={"autocomplete": "address-level2"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("Kies een sector"))] + School.Sector.choices
        self.fields["name"].widget.attrs["autofocus"] = True

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())  # one line: it goes into e-mail subjects

    def clean_place(self):
        return " ".join(self.cleaned_data["place"].split())

    def clean_brin(self):
        brin = self.cleaned_data["brin"].replace(" ", "").upper()
        if brin and not BRIN_PATTERN.match(brin):
            raise forms.ValidationError(
                _("Een BRIN-code is twee cijfers en twee letters, eventueel met twee cijfers erachter. "
                "Bijvoorbeeld 12AB of 12AB00."),
                code="invalid_brin",
            )
        return brin


class InvitationForm(forms.ModelForm):
    """A leader invites someone: a role, and optionally an e-mail address to mail the link to."""

    class Meta:
        model = Invitation
        fields = ("role", "email")
        labels = {"role": gettext_lazy("Rol"), "email": gettext_lazy("E-mailadres (mag leeg blijven)")}
        help_texts = {
            "email": gettext_lazy("Vul je een adres in, dan kan alleen iemand met dat adres de uitnodiging aannemen."),
        }

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["role"].widget = forms.RadioSelect(choices=Role.choices)
        self.fields["role"].initial = Role.TEAM

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if not email:
            return email
        if Membership.objects.filter(school=self.school, user__email__iexact=email).exists():
            raise forms.ValidationError(_("Iemand met dit e-mailadres is al lid van deze school."), code="member")
        if self.school.invitations.pending().filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("Er staat al een uitnodiging open voor dit e-mailadres. Kopieer die link, of trek hem eerst in."),
                code="pending",
            )
        return email


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Rol"), choices=Role.choices)


IMPORT_MAX_BYTES = 50 * 1024 * 1024  # a school with a few versions of 500 agreements is a few MB


class SchoolImportForm(forms.Form):
    """The JSON file of a school export; only a leader named in it may bring the school in."""

    file = forms.FileField(label=gettext_lazy("Exportbestand (JSON)"),
                           help_text=gettext_lazy("Het bestand dat een schoolleider op de oude plek downloadde bij "
                                                  "‘Gegevens van de school downloaden’."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("Dit bestand is groter dan 50 MB. Is het wel een export van een school?"))
        try:
            data = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise forms.ValidationError(_("Dit is geen leesbaar JSON-bestand. Kies het bestand dat je bij "
                                          "‘Gegevens van de school downloaden’ kreeg.")) from exc
        members = data.get("members") if isinstance(data, dict) else None
        if not isinstance(members, list):
            raise forms.ValidationError(_("Dit is geen export van AI-beleidsbouwer."))
        leaders = {str(m.get("email", "")).lower() for m in members
                   if isinstance(m, dict) and m.get("role") == Role.LEADER}
        if self.user.email.lower() not in leaders:
            raise forms.ValidationError(_("Alleen een schoolleider die in het bestand staat, kan de school hier "
                                          "binnenhalen. Log in met het e-mailadres waarmee je daar schoolleider "
                                          "was."))
        self.cleaned_data["data"] = data
        return upload


class DeleteSchoolForm(forms.Form):
    """Deleting a school asks for its name, typed."""

    name = forms.CharField(label=_("Typ de naam van de school"), max_length=200,
                           widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school
        self.fields["name"].help_text = _("Zo weet je zeker dat je de goede school verwijdert: %(name)s") % {
            "name": school.name}

    def clean_name(self):
        typed = " ".join(self.cleaned_data["name"].split())
        if typed.casefold() != self.school.name.casefold():
            raise forms.ValidationError(_("Dit is niet de naam van de school. Typ hem precies zoals hij er staat."))
        return typed
