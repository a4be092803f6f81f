"""The wizard's step per theme, and everything posted from it: choices, own agreements, actions, comments,
the theme's note and "klaar".

Every POST works twice: with htmx it answers with the fragment to swap (a saved edit only updates its status,
its revision and the progress, so nothing the user is typing is replaced); without JavaScript it redirects back
to the step, or shows the page again with what was typed and the error.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import reswap, retarget

from .. import access
from ..forms.policy import ActionForm, CommentForm, DecisionForm, NewOwnAgreementForm, OwnAgreementForm, ThemeNoteForm
from ..models import ConversationPrompt, Guideline, ThemeState
from ..queries import policy as queries
from ..services import policy as services
from .common import require_get, require_post

# --- Helpers ------------------------------------------------------------------------------------


def step_url(obj, anchor=""):
    """The step of a decision's or theme state's theme, optionally at an anchor."""
    url = reverse("policy:step", args=[obj.version_id, obj.theme.number])
    return url + (f"#{anchor}" if anchor else "")


def _version_of(obj):
    """The version of a decision or theme state, carrying the viewer's role read with the object (a save may
    have refreshed the object and dropped its cached version)."""
    version = obj.version
    version.viewer_role = obj.viewer_role
    return version


def _attach_forms(decision, bound, edit_action_id=None, new_action_for=None):
    """Give a decision its forms: unbound from the database, or the bound one that has errors.

    Actions are shown as lines to read; only the one being changed gets its form, and the form for
    a new action is there only when it was opened (rendering every form made a step slow).
    """
    form_class = OwnAgreementForm if decision.is_own else DecisionForm
    decision.form = bound.get(("decision", decision.pk)) or form_class.for_decision(decision)
    for action in decision.action_list:
        action.form = bound.get(("action", action.pk))
        if action.pk == edit_action_id and action.form is None:
            action.form = ActionForm.for_action(action)
    decision.new_action_form = bound.get(("new_action", decision.pk))
    if decision.pk == new_action_for and decision.new_action_form is None:
        decision.new_action_form = ActionForm.new_for(decision)
    decision.comment_form = bound.get(("comment", decision.pk)) or CommentForm.for_decision(decision)
    return decision


def _mark_ends(own_decisions):
    """The first own agreement cannot move up, the last cannot move down."""
    for d in own_decisions:
        d.own_first = d is own_decisions[0]
        d.own_last = d is own_decisions[-1]
    return own_decisions


def _step_context(version, theme_number, bound=None, edit_action_id=None, new_action_for=None):
    bound = bound or {}
    progress = queries.progress(version)
    state = next((s for s in progress["states"] if s.theme.number == theme_number), None)
    if state is None:
        raise Http404
    theme = state.theme
    decisions = [_attach_forms(d, bound, edit_action_id, new_action_for)
                 for d in queries.decisions_with_details(version).filter(theme=theme)]
    prompts = {p.kind: p for p in ConversationPrompt.objects.all()}
    numbers = [s.theme.number for s in progress["states"]]
    index = numbers.index(theme_number)
    return {
        "version": version,
        "school": version.policy.school,
        **access.version_permissions(version, version.viewer_role),
        **progress,
        "current_number": theme_number,
        "state": state,
        "theme": theme,
        "agreement_prompt": prompts.get(ConversationPrompt.Kind.AGREEMENT),
        "additional_prompt": prompts.get(ConversationPrompt.Kind.ADDITIONAL),
        "guidelines": Guideline.objects.filter(themes=theme).select_related("category__source"),
        "example_decisions": [d for d in decisions if not d.is_own],
        "own_decisions": _mark_ends([d for d in decisions if d.is_own]),
        "new_own_form": bound.get(("new_own", theme.number)) or NewOwnAgreementForm.for_theme(theme),
        "note_form": bound.get(("note", theme.number)) or ThemeNoteForm.for_state(state),
        "done_error": bound.get(("done_error", theme.number)),
        "previous_number": numbers[index - 1] if index > 0 else None,
        "next_number": numbers[index + 1] if index + 1 < len(numbers) else None,
    }


def _fragment(request, template, context, *, target=None, swap="outerHTML", announce=""):
    """An htmx fragment; `target` retargets the swap (used for errors on forms that normally swap nothing);
    `announce` is said by screen readers (the page's polite live region)."""
    html = render_to_string(template, context, request=request)
    if announce:
        html += render_to_string("policy/_announce.html", {"message": announce})
    response = HttpResponse(html)
    if target:
        response = reswap(retarget(response, target), swap)
    return response


def _invalid(request, version, theme_number, bound, fragment):
    """A form with errors: the fragment with what was typed (htmx), or the whole step again (422)."""
    if request.htmx:
        return fragment(bound)
    context = _step_context(version, theme_number, bound)
    return render(request, "policy/step.html", context, status=422)


def _respond(request, write, *, fragment, done_url, refused_url, success=""):
    """The tail every wizard POST shares: do the write; a refusal goes back to the step with its message;
    with htmx the fragment, without JavaScript the success message and a redirect.

    `fragment` and `done_url` may take the write's result (e.g. the agreement that was added).
    """
    try:
        result = write()
    except services.PolicyError as error:
        messages.error(request, str(error))
        return redirect(refused_url)
    if request.htmx:
        return fragment(result)
    if success:
        messages.success(request, success)
    return redirect(done_url(result) if callable(done_url) else done_url)


def _decision_context(decision, bound=None, new_action_open=False):
    """What the agreement card needs, for one (freshly loaded) decision."""
    version = _version_of(decision)
    decision = queries.decisions_with_details(version).get(pk=decision.pk)
    return {
        "version": version,
        "d": _attach_forms(decision, bound or {}, new_action_for=decision.pk if new_action_open else None),
        **access.version_permissions(version, version.viewer_role),
    }


def _card(request, decision, bound=None, error=None, retarget_card=True, saved_message=""):
    context = {**_decision_context(decision, bound), "error": error, "saved_message": saved_message}
    target = f"#afspraak-{decision.pk}" if retarget_card else None
    return _fragment(request, "policy/_decision.html", context, target=target)


# --- The step -------------------------------------------------------------------------------------


@require_get
def step(request, version_id, theme_number):
    version = access.get_version_for_member(request, version_id)
    # Without JavaScript, ?bewerk=<action_id> opens an action's form, ?nieuwe-actie=<decision_id> a new one.
    edit_action_id, new_action_for = request.GET.get("bewerk", ""), request.GET.get("nieuwe-actie", "")
    context = _step_context(version, theme_number,
                            edit_action_id=int(edit_action_id) if edit_action_id.isdigit() else None,
                            new_action_for=int(new_action_for) if new_action_for.isdigit() else None)
    return render(request, "policy/step.html", context)


# --- One agreement --------------------------------------------------------------------------------


@require_get
def decision(request, decision_id):
    """The agreement's card as it is now (after "take theirs" in a conflict); without htmx, the step."""
    decision = access.get_decision_for_member(request, decision_id)
    if not request.htmx:
        return redirect(step_url(decision, f"afspraak-{decision.pk}"))
    return _card(request, decision, retarget_card=False)


def _saved(request, decision):
    """After a successful save: only the status, the revision, the diff and the progress change."""
    version = _version_of(decision)
    decision = _attach_forms(queries.decisions_with_details(version).get(pk=decision.pk), {})
    context = {"d": decision, "version": version, "current_number": decision.theme.number,
               **queries.progress(version)}
    return render(request, "policy/_decision_saved.html", context)


def _conflict(request, *, form, current, conflict_id, save_url, step_anchor_url, template_context):
    """Both texts, theirs (as saved now) and yours (as typed), and the choice which to keep."""
    mine = type(form)(initial={**form.cleaned_data, "revision": current.revision}, prefix=form.prefix)
    context = {**template_context, "mine": mine, "conflict_id": conflict_id, "save_url": save_url,
               "step_url": step_anchor_url}
    if request.htmx:
        return _fragment(request, "policy/_conflict.html", context, target=f"#{conflict_id}")
    return render(request, "policy/conflict.html", context, status=409)


@require_post
def save_decision(request, decision_id):
    """Save the choice (and text, reason) of an example agreement, or the text of an own agreement."""
    decision = access.get_decision_for_editor(request, decision_id)
    card_id = f"afspraak-{decision.pk}"
    form_class = OwnAgreementForm if decision.is_own else DecisionForm
    form = form_class(request.POST, prefix=card_id)
    if not form.is_valid():
        return _invalid(request, _version_of(decision), decision.theme.number, {("decision", decision.pk): form},
                        lambda bound: _card(request, decision, bound=bound))
    try:
        if decision.is_own:
            services.save_own_agreement(decision=decision, by=request.user, **form.cleaned_data)
        else:
            services.save_decision(decision=decision, by=request.user, **form.cleaned_data)
    except services.Conflict as conflict:
        return _conflict(
            request, form=form, current=conflict.current, conflict_id=card_id,
            save_url=reverse("policy:save_decision", args=[decision.pk]), step_anchor_url=step_url(decision, card_id),
            template_context={"version": _version_of(decision), "d": conflict.current,
                              "keep_theirs_url": reverse("policy:decision", args=[decision.pk])},
        )
    except services.PolicyError as error:
        if request.htmx:
            return _card(request, decision, error=str(error))
        messages.error(request, str(error))
        return redirect(step_url(decision, card_id))
    if request.htmx and request.htmx.target == card_id:
        # Saved from the conflict box: the box makes way for the agreement's card again.
        return _card(request, decision, retarget_card=False, saved_message=_("Jouw versie is opgeslagen."))
    if request.htmx:
        return _saved(request, decision)
    messages.success(request, _("Afspraak %(code)s is opgeslagen.") % {"code": decision.code})
    return redirect(step_url(decision, card_id))


# --- Own agreements -------------------------------------------------------------------------------


def _own_list(request, version, theme_number, bound=None, retarget_list=False, announce=""):
    context = _step_context(version, theme_number, bound)
    target = f"#eigen-afspraken-{theme_number}" if retarget_list else None
    return _fragment(request, "policy/_own_list.html", context, target=target, announce=announce)


@require_post
def add_own(request, version_id, theme_number):
    state = access.get_theme_state_for_editor(request, version_id, theme_number)
    version = _version_of(state)
    form = NewOwnAgreementForm.for_theme(state.theme, data=request.POST)
    if not form.is_valid():
        return _invalid(request, version, theme_number, {("new_own", theme_number): form},
                        lambda bound: _own_list(request, version, theme_number, bound=bound))
    return _respond(
        request,
        lambda: services.add_own_agreement(version=version, theme=state.theme, by=request.user,
                                           text=form.cleaned_data["text"]),
        fragment=lambda added: _own_list(request, version, theme_number, announce=_("De afspraak is toegevoegd.")),
        done_url=lambda added: step_url(state, f"afspraak-{added.pk}"),
        refused_url=step_url(state), success=_("De afspraak is toegevoegd."),
    )


@require_post
def delete_own(request, decision_id):
    decision = access.get_decision_for_editor(request, decision_id)
    number = decision.theme.number
    return _respond(
        request, lambda: services.delete_own_agreement(decision=decision, by=request.user),
        fragment=lambda _result: _own_list(request, _version_of(decision), number, retarget_list=True,
                                     announce=_("De afspraak is verwijderd.")),
        done_url=step_url(decision, f"eigen-afspraken-{number}"), refused_url=step_url(decision),
        success=_("De afspraak is verwijderd."),
    )


@require_post
def move_own(request, decision_id):
    decision = access.get_decision_for_editor(request, decision_id)
    up = request.POST.get("richting") == "omhoog"
    return _respond(
        request, lambda: services.move_own_agreement(decision=decision, by=request.user, up=up),
        fragment=lambda moved: _own_list(request, _version_of(decision), decision.theme.number, retarget_list=True,
                                         announce=_("De afspraak staat nu op plaats %(n)s.") % {"n": moved.position}),
        done_url=step_url(decision, f"afspraak-{decision.pk}"), refused_url=step_url(decision),
    )


# --- Actions: "Wat is hiervoor nodig?" --------------------------------------------------------------


def _actions(request, decision, bound=None, announce="", new_action_open=False):
    return _fragment(request, "policy/_actions.html", _decision_context(decision, bound, new_action_open),
                     target=f"#acties-{decision.pk}", announce=announce)


def _action_line(request, action, form=None, saved=False, announce=""):
    action.form = form
    decision = action.decision
    context = {"a": action, "d": decision, "action_saved": saved,
               **access.version_permissions(_version_of(decision), decision.viewer_role)}
    return _fragment(request, "policy/_action.html", context, target=f"#actie-{action.pk}", announce=announce)


@require_get
def new_action(request, decision_id):
    """Open the form for a new action (htmx: the actions part; `?sluiten` closes it); without htmx, the step."""
    decision = access.get_decision_for_editor(request, decision_id)
    close = "sluiten" in request.GET
    if not request.htmx:
        query = "" if close else f"?nieuwe-actie={decision.pk}"
        return redirect(step_url(decision) + f"{query}#acties-{decision.pk}")
    return _actions(request, decision, new_action_open=not close)


@require_post
def add_action(request, decision_id):
    decision = access.get_decision_for_editor(request, decision_id)
    form = ActionForm.new_for(decision, data=request.POST)
    if not form.is_valid():
        return _invalid(request, _version_of(decision), decision.theme.number, {("new_action", decision.pk): form},
                        lambda bound: _actions(request, decision, bound))
    # The form stays open for the next action.
    return _respond(
        request, lambda: services.add_action(decision=decision, by=request.user, **form.cleaned_data),
        fragment=lambda _result: _actions(request, decision, announce=_("De actie is toegevoegd."),
                                          new_action_open=True),
        done_url=step_url(decision) + f"?nieuwe-actie={decision.pk}#acties-{decision.pk}",
        refused_url=step_url(decision), success=_("De actie is toegevoegd."),
    )


@require_get
def action(request, action_id):
    """One action as a line to read (after "Annuleren"); without htmx, the step."""
    action = access.get_action_for_editor(request, action_id)
    if not request.htmx:
        return redirect(step_url(action.decision, f"actie-{action.pk}"))
    return _action_line(request, action)


@require_get
def edit_action(request, action_id):
    """The form to change one action; without htmx, the step with that action's form open."""
    action = access.get_action_for_editor(request, action_id)
    if not request.htmx:
        return redirect(step_url(action.decision) + f"?bewerk={action.pk}#actie-{action.pk}")
    return _action_line(request, action, form=ActionForm.for_action(action))


@require_post
def save_action(request, action_id):
    action = access.get_action_for_editor(request, action_id)
    decision = action.decision
    form = ActionForm.for_action(action, data=request.POST)
    if not form.is_valid():
        return _invalid(request, _version_of(decision), decision.theme.number, {("action", action.pk): form},
                        lambda bound: _action_line(request, action, form=form))
    return _respond(
        request, lambda: services.save_action(action=action, by=request.user, **form.cleaned_data),
        fragment=lambda _result: _action_line(request, action, saved=True, announce=_("De actie is opgeslagen.")),
        done_url=step_url(decision, f"actie-{action.pk}"), refused_url=step_url(decision),
        success=_("De actie is opgeslagen."),
    )


@require_post
def delete_action(request, action_id):
    action = access.get_action_for_editor(request, action_id)
    decision = action.decision
    return _respond(
        request, lambda: services.delete_action(action=action, by=request.user),
        fragment=lambda _result: _actions(request, decision, announce=_("De actie is verwijderd.")),
        done_url=step_url(decision, f"acties-{decision.pk}"), refused_url=step_url(decision),
        success=_("De actie is verwijderd."),
    )


# --- Comments -------------------------------------------------------------------------------------


def _comments(request, decision, bound=None, announce=""):
    return _fragment(request, "policy/_comments.html", _decision_context(decision, bound),
                     target=f"#opmerkingen-{decision.pk}", announce=announce)


@require_post
def add_comment(request, decision_id):
    """Leaders, team members and MR members comment on an agreement."""
    decision = access.get_decision_for_member(request, decision_id)
    form = CommentForm.for_decision(decision, data=request.POST)
    if not form.is_valid():
        return _invalid(request, _version_of(decision), decision.theme.number, {("comment", decision.pk): form},
                        lambda bound: _comments(request, decision, bound))
    return _respond(
        request, lambda: services.add_comment(decision=decision, by=request.user, text=form.cleaned_data["text"]),
        fragment=lambda _result: _comments(request, decision, announce=_("Je opmerking is geplaatst.")),
        done_url=step_url(decision, f"opmerkingen-{decision.pk}"), refused_url=step_url(decision),
        success=_("Je opmerking is geplaatst."),
    )


@require_post
def delete_comment(request, comment_id):
    comment = access.get_comment_for_member(request, comment_id)
    decision = comment.decision
    return _respond(
        request, lambda: services.delete_comment(comment=comment, by=request.user),
        fragment=lambda _result: _comments(request, decision, announce=_("Je opmerking is verwijderd.")),
        done_url=step_url(decision, f"opmerkingen-{decision.pk}"), refused_url=step_url(decision),
        success=_("Je opmerking is verwijderd."),
    )


# --- The theme: note and done ---------------------------------------------------------------------


@require_post
def save_note(request, version_id, theme_number):
    state = access.get_theme_state_for_editor(request, version_id, theme_number)
    version = _version_of(state)
    note_id = f"notitie-{theme_number}"
    form = ThemeNoteForm(request.POST, prefix=note_id)
    if not form.is_valid():
        return _invalid(request, version, theme_number, {("note", theme_number): form},
                        lambda bound: _fragment(request, "policy/_note.html",
                                                _step_context(version, theme_number, bound), target=f"#{note_id}"))
    try:
        services.save_theme_note(state=state, by=request.user, **form.cleaned_data)
    except services.Conflict as conflict:
        return _conflict(
            request, form=form, current=conflict.current, conflict_id=note_id,
            save_url=reverse("policy:save_note", args=[version.pk, theme_number]),
            step_anchor_url=step_url(state, note_id),
            template_context={"version": version, "state": conflict.current},
        )
    except services.PolicyError as error:
        messages.error(request, str(error))
        return redirect(step_url(state))
    if request.htmx and request.htmx.target == note_id:
        # Saved from the conflict box: show the note's form again.
        return render(request, "policy/_note.html", _step_context(version, theme_number))
    if request.htmx:
        context = {"state": state, "form": ThemeNoteForm.for_state(state), "version": version,
                   "current_number": theme_number, **queries.progress(version)}
        return render(request, "policy/_note_saved.html", context)
    messages.success(request, _("De notitie is opgeslagen."))
    return redirect(step_url(state, note_id))


@require_post
def mark_done(request, version_id, theme_number):
    state = access.get_theme_state_for_editor(request, version_id, theme_number)
    version = _version_of(state)
    done = request.POST.get("klaar") == "ja"
    error = None
    try:
        services.mark_theme_done(state=state, by=request.user, done=done)
    except services.PolicyError as refused:
        error = str(refused)
    if request.htmx:
        context = _step_context(version, theme_number, {("done_error", theme_number): error})
        if error:
            announce = ""
        elif done:
            announce = _("Thema %(n)s is klaar.") % {"n": theme_number}
        else:
            announce = _("Thema %(n)s staat weer open.") % {"n": theme_number}
        return _fragment(request, "policy/_done.html", {**context, "oob_progress": True}, announce=announce)
    if error:
        messages.error(request, error)
        return redirect(step_url(state, f"klaar-{theme_number}"))
    if done:
        messages.success(request, _("Thema %(n)s is klaar.") % {"n": theme_number})
        following = ThemeState.objects.filter(version=version, theme__number__gt=theme_number).first()
        if following:
            return redirect("policy:step", version_id=version.pk, theme_number=following.theme.number)
        return redirect("policy:review", version_id=version.pk)
    messages.success(request, _("Thema %(n)s staat weer open.") % {"n": theme_number})
    return redirect(step_url(state, f"klaar-{theme_number}"))
