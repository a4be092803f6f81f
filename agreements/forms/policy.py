"""Forms of the policy wizard. Each form carries what it edits; saves go through agreements.services.policy.

Every object on a wizard page has its own form prefix, so that every control has a unique id (labels,
error messages and htmx's focus keeping rely on that).
"""

from django import forms
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Action, Decision
from ..models.content import SOURCE_LANGUAGE
from ..models.policy import TEXT_LIMIT

TOO_LONG = gettext_lazy("Deze tekst is te lang: %(show_value)d tekens. Gebruik hoogstens %(limit_value)d tekens.")


class NoBrowserLimitMixin:
    """No `maxlength` in the browser: it would cut off pasted text without a word. No `required`
    either: htmx would silently not save a form the browser finds invalid. The server says clearly,
    in Dutch, what is missing or too long, and gives the text back."""

    use_required_attribute = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs.pop("maxlength", None)
            if isinstance(f.widget, forms.RadioSelect):
                f.widget.attrs["class"] = "form-check-input"
            elif not f.widget.is_hidden:
                f.widget.attrs["class"] = "form-control"
            if isinstance(f, forms.CharField) and f.max_length:
                f.error_messages["max_length"] = TOO_LONG


class WizardForm(NoBrowserLimitMixin, forms.Form):
    pass


def text_field(label, *, required=True, rows=3, max_length=TEXT_LIMIT, help_text="", required_message=""):
    return forms.CharField(
        label=label, required=required, max_length=max_length, help_text=help_text, strip=True,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={"required": required_message} if required_message else None,
    )


class DecisionForm(WizardForm):
    """The team's choice for one example agreement."""

    choice = forms.ChoiceField(
        label=gettext_lazy("Wat doen jullie met deze afspraak?"),
        choices=[
            (Decision.Choice.ADOPT, gettext_lazy("Overnemen")),
            (Decision.Choice.AMEND, gettext_lazy("Aanpassen")),
            (Decision.Choice.REJECT, gettext_lazy("Niet overnemen")),
            (Decision.Choice.OPEN, gettext_lazy("Nog niet gekozen")),
        ],
        widget=forms.RadioSelect,
    )
    text = text_field(gettext_lazy("Jullie tekst"), required=False, rows=4)
    reason = text_field(gettext_lazy("Waarom nemen jullie deze afspraak niet over?"), required=False, rows=2)
    revision = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_decision(cls, decision, **kwargs):
        """The amended text starts as the example's text, ready to edit."""
        initial = {
            "choice": decision.choice,
            "text": decision.text or decision.example.text,
            "reason": decision.reason,
            "revision": decision.revision,
        }
        form = cls(initial=initial, prefix=f"afspraak-{decision.pk}", **kwargs)
        if not decision.text and not form.is_bound and translation.get_language() != SOURCE_LANGUAGE:
            # The box starts with the example's Dutch words: say so in an interface in another language.
            form.fields["text"].widget.attrs["lang"] = SOURCE_LANGUAGE
        return form

    def clean(self):
        data = super().clean()
        if data.get("choice") == Decision.Choice.AMEND and "text" in data and not data["text"]:
            self.add_error("text", _("Vul de aangepaste tekst in. Of kies 'Overnemen' als de tekst goed is zoals hij "
                                     "is."))
        return data


class OwnAgreementForm(WizardForm):
    text = text_field(gettext_lazy("Tekst van de afspraak"), rows=3,
                      required_message=gettext_lazy("Vul de tekst van de afspraak in."))
    revision = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_decision(cls, decision, **kwargs):
        return cls(initial={"text": decision.text, "revision": decision.revision}, prefix=f"afspraak-{decision.pk}",
                   **kwargs)


class NewOwnAgreementForm(WizardForm):
    text = text_field(gettext_lazy("Nieuwe afspraak"), rows=2,
                      required_message=gettext_lazy("Vul de tekst van de afspraak in."))

    @classmethod
    def for_theme(cls, theme, **kwargs):
        return cls(prefix=f"nieuw-thema-{theme.number}", **kwargs)


class ActionForm(NoBrowserLimitMixin, forms.ModelForm):
    """"Wat is hiervoor nodig?": what, who, by when."""

    class Meta:
        model = Action
        fields = ["what", "who", "due"]
        labels = {"what": gettext_lazy("Wat is er nodig?"), "who": gettext_lazy("Wie doet het?"),
                  "due": gettext_lazy("Klaar op")}
        widgets = {"due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        error_messages = {"what": {"required": gettext_lazy("Vul in wat er nodig is.")},
                          "due": {"invalid": gettext_lazy("Vul een datum in, bijvoorbeeld 15-09-2026.")}}

    @classmethod
    def for_action(cls, action, **kwargs):
        form = cls(instance=action, prefix=f"actie-{action.pk}", **kwargs)
        form.fields["what"].widget.attrs["data-autofocus"] = ""  # wizard.js: focus here when the form opens
        return form

    @classmethod
    def new_for(cls, decision, **kwargs):
        form = cls(prefix=f"nieuwe-actie-{decision.pk}", **kwargs)
        form.fields["what"].widget.attrs["data-autofocus"] = ""
        return form


class CommentForm(WizardForm):
    text = text_field(gettext_lazy("Jouw opmerking"), rows=2,
                      required_message=gettext_lazy("Schrijf eerst je opmerking."))

    @classmethod
    def for_decision(cls, decision, **kwargs):
        return cls(prefix=f"opmerking-{decision.pk}", **kwargs)


class ThemeNoteForm(WizardForm):
    note = text_field(gettext_lazy("Notitie bij dit thema"), required=False, rows=3,
                      help_text=gettext_lazy("Bijvoorbeeld wat jullie nog willen uitzoeken of bespreken."))
    revision = forms.IntegerField(widget=forms.HiddenInput)

    @classmethod
    def for_state(cls, state, **kwargs):
        return cls(initial={"note": state.note, "revision": state.revision}, prefix=f"notitie-{state.theme.number}",
                   **kwargs)
