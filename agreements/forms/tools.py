"""Forms of the AI-tool register: a tool, a comment, the assessment's answers, the verdict, the links."""

from django import forms
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Answer, Assessment, ExampleAgreement, Theme, Tool
from ..models.tools import NOTE_LIMIT


class ToolForm(forms.ModelForm):
    privacy_url = forms.URLField(
        label=gettext_lazy("Link naar de privacyverklaring van de leverancier"), required=False, max_length=500,
        assume_scheme="https", help_text=gettext_lazy("Bijvoorbeeld https://www.voorbeeld.nl/privacy"),
        error_messages={"invalid": gettext_lazy("Vul een volledig webadres in, zoals https://www.voorbeeld.nl/privacy.")},
    )

    class Meta:
        model = Tool
        fields = ("name", "vendor", "purpose", "users", "age_limit", "personal_data", "data_location",
                  "processing_agreement", "privacy_url")
        labels = {
            "name": gettext_lazy("Naam van de tool"),
            "vendor": gettext_lazy("Leverancier"),
            "purpose": gettext_lazy("Waarvoor gebruiken jullie de tool?"),
            "users": gettext_lazy("Wie gebruikt de tool?"),
            "age_limit": gettext_lazy("Leeftijdsgrens"),
            "personal_data": gettext_lazy("Welke persoonsgegevens verwerkt de tool?"),
            "data_location": gettext_lazy("Waar worden de gegevens opgeslagen?"),
            "processing_agreement": gettext_lazy("Is er een verwerkersovereenkomst?"),
        }
        help_texts = {
            "age_limit": gettext_lazy("Zoals de leverancier die noemt, bijvoorbeeld 13+ of 16+ met toestemming."),
            "data_location": gettext_lazy("Bijvoorbeeld: in de EU, in de VS, onbekend."),
        }
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "personal_data": forms.Textarea(attrs={"rows": 3}),
            "users": forms.RadioSelect,
            "processing_agreement": forms.RadioSelect,
        }
        error_messages = {"name": {"required": gettext_lazy("Vul de naam van de tool in.")}}

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.school = school

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Vul de naam van de tool in."), code="required")
        same = Tool.objects.active().filter(school=self.school).annotate(lower=Lower("name")).filter(
            lower=name.lower())
        if self.instance.pk:
            same = same.exclude(pk=self.instance.pk)
        if same.exists():
            raise forms.ValidationError(
                _("Er staat al een tool met de naam “%(name)s” in het register.") % {"name": name}, code="duplicate")
        return name

    def validate_unique(self):
        """The name check above says it in Dutch; the database constraint is the last line behind it."""


class CommentForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Opmerking"), max_length=NOTE_LIMIT,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": gettext_lazy("Schrijf eerst je opmerking.")})


class AssessmentForm(forms.Form):
    """Per question an answer (ja / deels / nee / weet ik niet, or still open) and a note."""

    number = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, groups, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.groups = []
        choices = [("", _("Nog niet beantwoord")), *Answer.Value.choices]
        for group in groups:
            rows = []
            for key, question in group["questions"]:
                answer = answers.get(key)
                self.fields[f"{key}-value"] = forms.ChoiceField(
                    label=question.text, choices=choices, required=False, widget=forms.RadioSelect,
                    initial=answer.value if answer else "",
                )
                self.fields[f"{key}-note"] = forms.CharField(
                    label=_("Toelichting"), required=False, max_length=NOTE_LIMIT,
                    initial=answer.note if answer else "",
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
                rows.append({"key": key, "question": question, "value": self[f"{key}-value"],
                             "note": self[f"{key}-note"]})
            self.groups.append({**group, "rows": rows})

    def clean(self):
        cleaned = super().clean()
        for group in self.groups:
            for row in group["rows"]:
                key = row["key"]
                if cleaned.get(f"{key}-note", "").strip() and not cleaned.get(f"{key}-value"):
                    self.add_error(f"{key}-value", _("Kies een antwoord bij je toelichting."))
        return cleaned

    def answers(self):
        """{key: (value, note)} for the service."""
        return {row["key"]: (self.cleaned_data[f"{row['key']}-value"], self.cleaned_data[f"{row['key']}-note"])
                for group in self.groups for row in group["rows"]}


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(
        label=gettext_lazy("Oordeel"), widget=forms.RadioSelect,
        choices=[c for c in Assessment.Verdict.choices if c[0]],
        error_messages={"required": gettext_lazy("Kies een oordeel.")},
    )
    conditions = forms.CharField(
        label=gettext_lazy("Voorwaarden"), required=False, max_length=NOTE_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Bij goedgekeurd onder voorwaarden: wat moet er gebeuren, wat mag wel en niet? "
                               "Schrijf het in gewone woorden: ouders lezen het ook."),
    )
    reassess_on = forms.DateField(
        label=gettext_lazy("Opnieuw beoordelen op"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": gettext_lazy("Vul een geldige datum in.")},
    )
    number = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        verdict, date = cleaned.get("verdict"), cleaned.get("reassess_on")
        if verdict == Assessment.Verdict.CONDITIONAL and not cleaned.get("conditions", "").strip():
            self.add_error("conditions", _("Schrijf op onder welke voorwaarden de tool is goedgekeurd."))
        if verdict in Assessment.APPROVING and date is None and "reassess_on" not in self.errors:
            self.add_error("reassess_on", _("Kies een datum waarop jullie de tool opnieuw beoordelen."))
        if date is not None and date < timezone.localdate():
            self.add_error("reassess_on", _("Deze datum ligt in het verleden. Kies een datum vanaf vandaag."))
        return cleaned


class LinkForm(forms.Form):
    themes = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Thema's"), queryset=Theme.objects.all(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agreements = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Voorbeeldafspraken"), queryset=ExampleAgreement.objects.select_related("theme"),
        required=False, widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreements"].label_from_instance = lambda a: f"{a.code} {a.text}"
