"""Forms of the sign-off and documents feature: finalise, sign, MR consent, verify a PDF."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ..models import RenderedDocument, Signature
from ..models.document import normalise_verification_code

PDF_MAGIC = b"%PDF-"
TOO_BIG = gettext_lazy("Dit bestand is groter dan 20 MB. Dat kan geen pdf van dit beleid zijn.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class FinaliseForm(forms.Form):
    review_date = forms.DateField(
        label=gettext_lazy("Evaluatiedatum"), widget=DateInput(),
        help_text=gettext_lazy("Vóór deze datum bekijkt het team het beleid opnieuw. Meestal over een jaar."),
    )
    parent_contact = forms.CharField(
        label=gettext_lazy("Contact voor ouders"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Bij wie kunnen ouders terecht met vragen? Bijvoorbeeld een naam, functie en e-mailadres."
        ),
    )
    confirm_open = forms.BooleanField(
        label=gettext_lazy("Ik weet dat er nog afspraken open staan. Ik wil het beleid toch afronden."), required=False
    )

    def __init__(self, *args, open_count=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.open_count = open_count
        if not open_count:
            del self.fields["confirm_open"]

    def clean_review_date(self):
        value = self.cleaned_data["review_date"]
        if value <= timezone.localdate():
            raise forms.ValidationError(_("Kies een datum in de toekomst."))
        return value

    def clean_confirm_open(self):
        value = self.cleaned_data["confirm_open"]
        if self.open_count and not value:
            raise forms.ValidationError(
                ngettext("Er staat nog %(n)d afspraak open. Vink dit aan als je toch wilt afronden.",
                         "Er staan nog %(n)d afspraken open. Vink dit aan als je toch wilt afronden.",
                         self.open_count) % {"n": self.open_count}
            )
        return value


def _not_future_and_not_before(value, finalised_on):
    if value > timezone.localdate():
        raise forms.ValidationError(_("Deze datum ligt in de toekomst. Kies vandaag of een eerdere dag."))
    if finalised_on and value < finalised_on:
        raise forms.ValidationError(
            _("Deze datum ligt vóór het afronden van het beleid (%(date)s).") % {"date": date_format(finalised_on)}
        )
    return value


class SignForm(forms.ModelForm):
    """The leader's signature: name, function, date."""

    class Meta:
        model = Signature
        fields = ["name", "role", "signed_on"]
        labels = {"name": gettext_lazy("Naam"), "role": gettext_lazy("Functie"),
                  "signed_on": gettext_lazy("Datum van ondertekening")}
        widgets = {"signed_on": DateInput()}

    def __init__(self, *args, finalised_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.finalised_on = finalised_on

    def clean_signed_on(self):
        return _not_future_and_not_before(self.cleaned_data["signed_on"], self.finalised_on)


class ConsentForm(forms.Form):
    """The participation council's consent: the date and the chair's name."""

    consented_on = forms.DateField(label=gettext_lazy("Datum van instemming"), widget=DateInput(),
                                   help_text=gettext_lazy("De dag waarop de MR heeft ingestemd."))
    chair_name = forms.CharField(label=gettext_lazy("Naam van de voorzitter van de MR"), max_length=150)

    def __init__(self, *args, finalised_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.finalised_on = finalised_on

    def clean_consented_on(self):
        return _not_future_and_not_before(self.cleaned_data["consented_on"], self.finalised_on)


class RenderForm(forms.Form):
    edition = forms.ChoiceField(choices=RenderedDocument.Edition.choices)
    language = forms.ChoiceField(choices=settings.LANGUAGES, required=False)


class VerifyCodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Verificatiecode"), max_length=40,
                           help_text=gettext_lazy(
                               "De code staat op de voorkant van de pdf, bijvoorbeeld 7KQ2-M9XD-4RTA."))

    def clean_code(self):
        code = normalise_verification_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Dit is geen geldige code. Een code heeft 12 tekens, zoals 7KQ2-M9XD-4RTA."))
        return code


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Pdf-bestand"),
                           help_text=gettext_lazy("Kies de pdf die je wilt controleren (hoogstens 20 MB)."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.VERIFY_UPLOAD_MAX_BYTES:
            raise forms.ValidationError(TOO_BIG)
        upload.seek(0)
        head = upload.read(1024)
        upload.seek(0)
        if PDF_MAGIC not in head:  # the header may follow up to 1 KB of other bytes
            raise forms.ValidationError(_("Dit is geen pdf-bestand. Kies een bestand dat eindigt op .pdf."))
        return upload
