"""A review draft with one change of every kind, made through the services as the wizard makes them: for the
comparison, the PDF's "Wat is er veranderd" section and the checklist tests."""

from agreements.models import Decision, Theme
from agreements.services import documents
from agreements.services import policy as services

NEW_OWN_TEXT = "Ouders krijgen elk jaar een AI-avond."
AMENDED_TAIL = " Ook in de bovenbouw."
DROP_REASON = "Dit doen we niet meer."
NEW_ACTION = "Ouderbrief over AI sturen"


def adopted_example(version, theme_number, exclude=()):
    return next(d for d in version.decisions.examples().adopted().select_related("example", "theme")
                .filter(theme__number=theme_number).order_by("example__number") if d.code not in exclude)


def changed_draft(adopted, *, by):
    """Version N+1 of `adopted` (made by filled_draft) with: theme 1 an amended text, a dropped example and a new
    own agreement; theme 2 an own agreement reworded; theme 3 an own agreement deleted; theme 4 a new action;
    theme 5 a changed note; a rejected example of theme 6 or 7 adopted again. `draft.changed` names them."""
    draft = documents.start_new_draft_from(version=adopted, by=by)
    amended = adopted_example(draft, 1)
    amended_old = amended.current_text
    services.save_decision(decision=amended, by=by, choice=Decision.Choice.AMEND,
                           text=amended.current_text + AMENDED_TAIL, reason="", revision=amended.revision)
    dropped = adopted_example(draft, 1, exclude={amended.code})
    dropped_text = dropped.current_text
    services.save_decision(decision=dropped, by=by, choice=Decision.Choice.REJECT, text="", reason=DROP_REASON,
                           revision=dropped.revision)
    rejected = draft.decisions.filter(choice=Decision.Choice.REJECT, theme__number__gte=6).select_related(
        "example", "theme").first()  # a theme of its own: themes 1-5 get the other changes
    services.save_decision(decision=rejected, by=by, choice=Decision.Choice.ADOPT, text="", reason="",
                           revision=rejected.revision)
    services.add_own_agreement(version=draft, theme=Theme.objects.get(number=1), by=by, text=NEW_OWN_TEXT)
    own2 = draft.decisions.own().get(theme__number=2)
    services.save_own_agreement(decision=own2, by=by, text=own2.text.replace("leraar", "mentor"),
                                revision=own2.revision)
    services.delete_own_agreement(decision=draft.decisions.own().get(theme__number=3), by=by)
    with_action = adopted_example(draft, 4)
    services.add_action(decision=with_action, by=by, what=NEW_ACTION, who="Directie")
    state = draft.theme_states.get(theme__number=5)
    services.save_theme_note(state=state, by=by, note=state.note + " Na een jaar geëvalueerd.",
                             revision=state.revision)
    draft.changed = {"amended": amended.code, "amended_old": amended_old, "dropped": dropped.code,
                     "dropped_text": dropped_text, "readopted": rejected.code,
                     "readopted_theme": rejected.theme.number, "action": with_action.code}
    return draft
