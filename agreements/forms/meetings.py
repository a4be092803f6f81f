"""Forms of the team meeting: set up, join by code, vote, and the outcome per item."""

from itertools import groupby

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Ballot, Decision, Meeting
from ..models.meeting import COMMENT_LIMIT, JOIN_CODE_LENGTH, is_join_code, normalise_join_code
from ..queries.meetings import default_decisions


class MeetingForm(forms.Form):
    decisions = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Welke afspraken bespreken jullie?"),
        queryset=Decision.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Kies minstens één afspraak om te bespreken.")},
    )
    audience = forms.ChoiceField(
        label=gettext_lazy("Wie mag stemmen?"), choices=Meeting.Audience.choices, initial=Meeting.Audience.ANYONE,
        widget=forms.RadioSelect,
    )
    hide_tally = forms.BooleanField(
        label=gettext_lazy("Verberg de uitslag op het scherm tot de stemming over een afspraak sluit"), required=False
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["decisions"].queryset = version.decisions.select_related("theme", "example")
        if not self.is_bound:
            self.initial["decisions"] = [d.pk for d in default_decisions(version)]

    def selected_ids(self):
        if self.is_bound:
            return {int(v) for v in self.data.getlist("decisions") if v.isdigit()}
        return set(self.initial["decisions"])

    def theme_groups(self):
        """[(theme, [(decision, checked), …]), …] for the checkboxes, grouped by theme."""
        selected = self.selected_ids()
        decisions = self.fields["decisions"].queryset
        return [
            (theme, [(d, d.pk in selected) for d in group])
            for theme, group in groupby(decisions, key=lambda d: d.theme)
        ]


class JoinCodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code"), max_length=20)

    def clean_code(self):
        code = normalise_join_code(self.cleaned_data["code"])
        if not is_join_code(code):
            raise forms.ValidationError(
                _("Een code heeft %(n)d tekens, letters en cijfers. Kijk nog eens op het scherm.")
                % {"n": JOIN_CODE_LENGTH}
            )
        if not Meeting.objects.open().filter(join_code=code).exists():
            if Meeting.objects.filter(join_code=code).exists():
                # The same words a phone that was in the meeting shows (meetings/ended.html).
                raise forms.ValidationError(_("De vergadering is afgelopen. Meedoen en stemmen kan niet meer."))
            raise forms.ValidationError(_("Er is geen vergadering met deze code. Kijk nog eens op het scherm."))
        return code


class JoinForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Je naam (mag leeg blijven)"), max_length=60, required=False)


class VoteForm(forms.Form):
    item = forms.IntegerField()
    choice = forms.ChoiceField(
        choices=Ballot.Choice.choices,
        error_messages={"required": gettext_lazy("Kies steun, steun met aanpassing of geen steun."),
                        "invalid_choice": gettext_lazy("Kies steun, steun met aanpassing of geen steun.")},
    )
    comment = forms.CharField(
        label=gettext_lazy("Opmerking (mag leeg blijven)"), required=False, max_length=COMMENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": gettext_lazy("Een opmerking is hoogstens %(limit_value)d tekens.")},
    )


SKIP = "skip"
OUTCOME_CHOICES = [
    ("", gettext_lazy("Kies een uitkomst")),
    (Decision.Choice.ADOPT, gettext_lazy("Overnemen")),
    (Decision.Choice.AMEND, gettext_lazy("Aanpassen (opmerkingen gaan mee)")),
    (Decision.Choice.REJECT, gettext_lazy("Niet overnemen")),
    (SKIP, gettext_lazy("Nu niet verwerken")),
]


class OutcomeForm(forms.Form):
    """One choice per item; the suggestion from the votes is preselected, a tie has none."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for item, tally in rows:
            if tally.total == 0:
                initial = SKIP
            else:
                initial = tally.suggested_outcome or ""
            self.fields[self.field_name(item)] = forms.ChoiceField(
                label=_("Uitkomst voor afspraak %(n)s") % {"n": item.position},
                choices=OUTCOME_CHOICES,
                initial=initial,
                error_messages={"required": _("Kies zelf de uitkomst: de stemmen staan gelijk.")
                                if tally.is_tie else _("Kies een uitkomst.")},
            )

    @staticmethod
    def field_name(item):
        return f"uitkomst_{item.pk}"

    def outcomes(self):
        return {
            item.pk: (None if self.cleaned_data[self.field_name(item)] == SKIP else
                      self.cleaned_data[self.field_name(item)])
            for item, _field in self.rows
        }
