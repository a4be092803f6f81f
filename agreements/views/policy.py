"""The policy wizard: start a draft, a step per theme, the overview and the review.

Every POST works twice: with htmx it answers with the fragment to swap (a saved edit only updates
its status, its revision and the progress, so nothing the user is typing is replaced); without
JavaScript it redirects back to the step, or shows the page again with what was typed and the error.
"""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django_htmx.http import reswap, retarget

from ..access import (
    EDITOR_ROLES,
    get_action_for_editor,
    get_comment_for_member,
    get_decision_for_editor,
    get_decision_for_member,
    get_membership,
    get_membership_for_leader,
    get_theme_state_for_editor,
    get_version_for_member,
)
from ..forms.policy import (
    ActionForm,
    CommentForm,
    DecisionForm,
    NewOwnAgreementForm,
    OwnAgreementForm,
    ThemeNoteForm,
)
from ..models import Action, Comment, ConversationPrompt, Decision, Guideline, Policy, Role, ThemeState
from ..services import policy as services
from .common import require_get, require_post

# --- Helpers ------------------------------------------------------------------------------------


def _permissions(version, role):
    """What the viewer may do on this version's pages."""
    return {
        "can_edit": version.is_draft and role in EDITOR_ROLES,
        "can_comment": version.is_draft,
        "is_leader": role == Role.LEADER,
        "read_only_message": services.read_only_message(version),
    }


def _with_role(decision):
    """The decision's version, carrying the viewer's role read with the decision."""
    version = decision.version
    version.viewer_role = decision.viewer_role
    return version


def _progress(version):
    states = list(version.theme_states.with_progress().select_related("theme"))
    return {"states": states, "done_count": sum(s.done for s in states), "theme_count": len(states)}


def _decisions(version):
    return (
        version.decisions.in_document_order()
        .select_related("theme", "example", "updated_by")
        .prefetch_related(
            Prefetch("actions", queryset=Action.objects.all(), to_attr="action_list"),
            Prefetch("comments", queryset=Comment.objects.select_related("author"), to_attr="comment_list"),
        )
    )


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


def _step_url(decision_or_state, anchor=""):
    version_id = decision_or_state.version_id
    number = decision_or_state.theme.number
    return reverse("policy:step", args=[version_id, number]) + (f"#{anchor}" if anchor else "")


def _step_context(request, version, theme_number, bound=None, edit_action_id=None, new_action_for=None):
    bound = bound or {}
    progress = _progress(version)
    state = next((s for s in progress["states"] if s.theme.number == theme_number), None)
    if state is None:
        raise Http404
    theme = state.theme
    decisions = [_attach_forms(d, bound, edit_action_id, new_action_for)
                 for d in _decisions(version).filter(theme=theme)]
    prompts = {p.kind: p for p in ConversationPrompt.objects.all()}
    numbers = [s.theme.number for s in progress["states"]]
    index = numbers.index(theme_number)
    return {
        "version": version,
        "school": version.policy.school,
        **_permissions(version, version.viewer_role),
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


def _render_step(request, version, theme_number, bound=None, status=200):
    context = _step_context(request, version, theme_number, bound)
    return render(request, "policy/step.html", context, status=status)


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


def _decision_context(request, decision, bound=None, new_action_open=False):
    """What the agreement card needs, for one (freshly loaded) decision."""
    version = _with_role(decision)
    decision = _decisions(version).get(pk=decision.pk)
    return {
        "version": version,
        "d": _attach_forms(decision, bound or {}, new_action_for=decision.pk if new_action_open else None),
        **_permissions(version, version.viewer_role),
    }


def _card(request, decision, bound=None, error=None, retarget_card=True, saved_message=""):
    context = {**_decision_context(request, decision, bound), "error": error, "saved_message": saved_message}
    target = f"#afspraak-{decision.pk}" if retarget_card else None
    return _fragment(request, "policy/_decision.html", context, target=target)


def _refused(request, error, fallback_url):
    """A PolicyError (for example: the version is no longer a draft)."""
    messages.error(request, str(error))
    return redirect(fallback_url)


# --- Start and overview -------------------------------------------------------------------------


@require_get
def home(request, school_id):
    """The school's policy: the current draft and every version; a leader starts the first draft here."""
    membership = get_membership(request, school_id)
    policy = Policy.objects.filter(school=membership.school).first()
    versions = list(policy.versions.all()) if policy else []
    draft = next((v for v in versions if v.is_draft), None)
    context = {
        "school": membership.school,
        "membership": membership,
        "versions": versions,
        "draft": draft,
        "progress": _progress(draft) if draft else None,
    }
    return render(request, "policy/home.html", context)


@require_post
def start(request, school_id):
    membership = get_membership_for_leader(request, school_id)
    try:
        version = services.start_policy(school=membership.school, by=request.user)
    except services.PolicyError as error:
        messages.error(request, str(error))
        return redirect("policy:home", school_id=school_id)
    messages.success(request, "Het concept is klaar. Begin bij thema 1.")
    return redirect(version)


@require_get
def overview(request, version_id):
    version = get_version_for_member(request, version_id)
    progress = _progress(version)
    counts = {c: 0 for c in Decision.Choice.values} | {"own": 0}
    for choice, example_id in version.decisions.values_list("choice", "example_id"):
        counts[choice if example_id else "own"] += 1
    context = {
        "version": version,
        "school": version.policy.school,
        **_permissions(version, version.viewer_role),
        **progress,
        "counts": counts,
        "example_count": sum(counts.values()) - counts["own"],
        "next_state": next((s for s in progress["states"] if not s.done), None),
    }
    return render(request, "policy/overview.html", context)


@require_get
def step(request, version_id, theme_number):
    version = get_version_for_member(request, version_id)
    # Without JavaScript, ?bewerk=<action_id> opens an action's form, ?nieuwe-actie=<decision_id> a new one.
    edit_action_id, new_action_for = request.GET.get("bewerk", ""), request.GET.get("nieuwe-actie", "")
    context = _step_context(request, version, theme_number,
                            edit_action_id=int(edit_action_id) if edit_action_id.isdigit() else None,
                            new_action_for=int(new_action_for) if new_action_for.isdigit() else None)
    return render(request, "policy/step.html", context)


@require_get
def review(request, version_id):
    """The whole draft in document order, what is still open, and what the adopted agreements cover."""
    version = get_version_for_member(request, version_id)
    progress = _progress(version)
    decisions = list(_decisions(version))
    by_theme = {s.theme_id: [] for s in progress["states"]}
    for d in decisions:
        by_theme[d.theme_id].append(d)
    themes = [{"state": s, "theme": s.theme, "decisions": by_theme[s.theme_id]} for s in progress["states"]]
    context = {
        "version": version,
        "school": version.policy.school,
        **_permissions(version, version.viewer_role),
        **progress,
        "current_number": "review",
        "themes": themes,
        "open_decisions": [d for d in decisions if d.choice == Decision.Choice.OPEN],
        "rejected_without_reason": [d for d in decisions if d.choice == Decision.Choice.REJECT and not d.reason],
        "themes_without_adopted": [t for t in themes if not any(d.is_adopted for d in t["decisions"])],
        "themes_not_done": [s for s in progress["states"] if not s.done],
        "coverage": services.coverage(decisions=decisions),
    }
    return render(request, "policy/review.html", context)


# --- One agreement --------------------------------------------------------------------------------


@require_get
def decision(request, decision_id):
    """The agreement's card as it is now (after "take theirs" in a conflict); without htmx, the step."""
    decision = get_decision_for_member(request, decision_id)
    if not request.htmx:
        return redirect(_step_url(decision, f"afspraak-{decision.pk}"))
    return _card(request, decision, retarget_card=False)


def _saved(request, decision):
    """After a successful save: only the status, the revision, the diff and the progress change."""
    version = _with_role(decision)
    decision = _attach_forms(_decisions(version).get(pk=decision.pk), {})
    context = {"d": decision, "version": version, "current_number": decision.theme.number, **_progress(version)}
    return render(request, "policy/_decision_saved.html", context)


def _conflict(request, decision, form, current):
    """Both texts, theirs (as saved now) and yours (as typed), and the choice which to keep."""
    form_class = type(form)
    mine = form_class(initial={**form.cleaned_data, "revision": current.revision}, prefix=form.prefix)
    context = {
        "version": _with_role(decision),
        "d": current,
        "mine": mine,
        "conflict_id": f"afspraak-{decision.pk}",
        "save_url": reverse("policy:save_decision", args=[decision.pk]),
        "keep_theirs_url": reverse("policy:decision", args=[decision.pk]),
        "step_url": _step_url(decision, f"afspraak-{decision.pk}"),
    }
    if request.htmx:
        return _fragment(request, "policy/_conflict.html", context, target=f"#afspraak-{decision.pk}")
    return render(request, "policy/conflict.html", context, status=409)


@require_post
def save_decision(request, decision_id):
    """Save the choice (and text, reason) of an example agreement, or the text of an own agreement."""
    decision = get_decision_for_editor(request, decision_id)
    form_class = OwnAgreementForm if decision.is_own else DecisionForm
    form = form_class(request.POST, prefix=f"afspraak-{decision.pk}")
    if not form.is_valid():
        if request.htmx:
            return _card(request, decision, bound={("decision", decision.pk): form})
        return _render_step(request, _with_role(decision), decision.theme.number,
                            bound={("decision", decision.pk): form}, status=422)
    try:
        if decision.is_own:
            services.save_own_agreement(decision=decision, by=request.user, **form.cleaned_data)
        else:
            services.save_decision(decision=decision, by=request.user, **form.cleaned_data)
    except services.Conflict as conflict:
        return _conflict(request, decision, form, conflict.current)
    except services.PolicyError as error:
        if request.htmx:
            return _card(request, decision, error=str(error))
        return _refused(request, error, _step_url(decision, f"afspraak-{decision.pk}"))
    if request.htmx and request.htmx.target == f"afspraak-{decision.pk}":
        # Saved from the conflict box: the box makes way for the agreement's card again.
        return _card(request, decision, retarget_card=False, saved_message="Jouw versie is opgeslagen.")
    if request.htmx:
        return _saved(request, decision)
    messages.success(request, f"Afspraak {decision.code} is opgeslagen.")
    return redirect(_step_url(decision, f"afspraak-{decision.pk}"))


HISTORY_LABELS = {"choice": "Keuze", "text": "Tekst", "reason": "Reden"}


@require_get
def history(request, decision_id):
    """Who changed what, when."""
    decision = get_decision_for_member(request, decision_id)
    records = list(decision.history.select_related("history_user").order_by("history_date", "history_id"))
    entries = []
    previous = None
    for record in records:
        changes = []
        if previous is not None:
            delta = record.diff_against(previous, included_fields=["choice", "text", "reason"])
            changes = [{"field": c.field, "old": c.old, "new": c.new} for c in delta.changes]
        for change in changes:
            change["label"] = HISTORY_LABELS[change["field"]]
            if change["field"] == "choice":
                change["old"] = Decision.Choice(change["old"]).label
                change["new"] = Decision.Choice(change["new"]).label
            elif change["field"] == "text" and decision.example_id:
                # An empty text means the example's text: compare what the team actually saw.
                change["old"] = change["old"] or decision.example.text
                change["new"] = change["new"] or decision.example.text
        changes = [c for c in changes if c["old"] != c["new"]]
        entries.append({"record": record, "changes": changes,
                        "choice_label": Decision.Choice(record.choice).label})
        previous = record
    entries.reverse()
    context = {
        "version": decision.version,
        "d": decision,
        "entries": entries,
        "step_url": _step_url(decision, f"afspraak-{decision.pk}"),
    }
    return render(request, "policy/history.html", context)


# --- Own agreements -------------------------------------------------------------------------------


def _own_list(request, version, theme_number, bound=None, retarget_list=False, announce=""):
    context = _step_context(request, version, theme_number, bound)
    target = f"#eigen-afspraken-{theme_number}" if retarget_list else None
    return _fragment(request, "policy/_own_list.html", context, target=target, announce=announce)


@require_post
def add_own(request, version_id, theme_number):
    state = get_theme_state_for_editor(request, version_id, theme_number)
    version = state.version
    version.viewer_role = state.viewer_role
    form = NewOwnAgreementForm.for_theme(state.theme, data=request.POST)
    if not form.is_valid():
        if request.htmx:
            return _own_list(request, version, theme_number, bound={("new_own", theme_number): form})
        return _render_step(request, version, theme_number, bound={("new_own", theme_number): form}, status=422)
    try:
        decision = services.add_own_agreement(version=version, theme=state.theme, by=request.user,
                                              text=form.cleaned_data["text"])
    except services.PolicyError as error:
        return _refused(request, error, _step_url(state))
    if request.htmx:
        return _own_list(request, version, theme_number, announce="De afspraak is toegevoegd.")
    messages.success(request, "De afspraak is toegevoegd.")
    return redirect(_step_url(state, f"afspraak-{decision.pk}"))


@require_post
def delete_own(request, decision_id):
    decision = get_decision_for_editor(request, decision_id)
    try:
        services.delete_own_agreement(decision=decision, by=request.user)
    except services.PolicyError as error:
        return _refused(request, error, _step_url(decision))
    if request.htmx:
        return _own_list(request, _with_role(decision), decision.theme.number, retarget_list=True,
                         announce="De afspraak is verwijderd.")
    messages.success(request, "De afspraak is verwijderd.")
    return redirect(_step_url(decision, f"eigen-afspraken-{decision.theme.number}"))


@require_post
def move_own(request, decision_id):
    decision = get_decision_for_editor(request, decision_id)
    try:
        services.move_own_agreement(decision=decision, by=request.user, up=request.POST.get("richting") == "omhoog")
    except services.PolicyError as error:
        return _refused(request, error, _step_url(decision))
    if request.htmx:
        return _own_list(request, _with_role(decision), decision.theme.number, retarget_list=True,
                         announce=f"De afspraak staat nu op plaats {decision.position}.")
    return redirect(_step_url(decision, f"afspraak-{decision.pk}"))


# --- Actions: "Wat is hiervoor nodig?" --------------------------------------------------------------


def _actions(request, decision, bound=None, announce="", new_action_open=False):
    return _fragment(request, "policy/_actions.html", _decision_context(request, decision, bound, new_action_open),
                     target=f"#acties-{decision.pk}", announce=announce)


@require_get
def new_action(request, decision_id):
    """Open the form for a new action (htmx: the actions part; `?sluiten` closes it); without htmx, the step."""
    decision = get_decision_for_editor(request, decision_id)
    close = "sluiten" in request.GET
    if not request.htmx:
        query = "" if close else f"?nieuwe-actie={decision.pk}"
        return redirect(_step_url(decision) + f"{query}#acties-{decision.pk}")
    return _actions(request, decision, new_action_open=not close)


def _action_line(request, action, decision, form=None, saved=False, announce=""):
    action.form = form
    context = {"a": action, "d": decision, "action_saved": saved,
               **_permissions(_with_role(decision), decision.viewer_role)}
    return _fragment(request, "policy/_action.html", context, target=f"#actie-{action.pk}", announce=announce)


@require_post
def add_action(request, decision_id):
    decision = get_decision_for_editor(request, decision_id)
    form = ActionForm.new_for(decision, data=request.POST)
    if not form.is_valid():
        bound = {("new_action", decision.pk): form}
        if request.htmx:
            return _actions(request, decision, bound)
        return _render_step(request, _with_role(decision), decision.theme.number, bound=bound, status=422)
    try:
        services.add_action(decision=decision, by=request.user, **form.cleaned_data)
    except services.PolicyError as error:
        return _refused(request, error, _step_url(decision))
    # The form stays open for the next action.
    if request.htmx:
        return _actions(request, decision, announce="De actie is toegevoegd.", new_action_open=True)
    messages.success(request, "De actie is toegevoegd.")
    return redirect(_step_url(decision) + f"?nieuwe-actie={decision.pk}#acties-{decision.pk}")


@require_get
def action(request, action_id):
    """One action as a line to read (after "Annuleren"); without htmx, the step."""
    action = get_action_for_editor(request, action_id)
    decision = get_decision_for_editor(request, action.decision_id)
    if not request.htmx:
        return redirect(_step_url(decision, f"actie-{action.pk}"))
    return _action_line(request, action, decision)


@require_get
def edit_action(request, action_id):
    """The form to change one action; without htmx, the step with that action's form open."""
    action = get_action_for_editor(request, action_id)
    decision = get_decision_for_editor(request, action.decision_id)
    if not request.htmx:
        return redirect(_step_url(decision) + f"?bewerk={action.pk}#actie-{action.pk}")
    return _action_line(request, action, decision, form=ActionForm.for_action(action))


@require_post
def save_action(request, action_id):
    action = get_action_for_editor(request, action_id)
    decision = get_decision_for_editor(request, action.decision_id)
    form = ActionForm.for_action(action, data=request.POST)
    if not form.is_valid():
        if request.htmx:
            return _action_line(request, action, decision, form=form)
        bound = {("action", action.pk): form}
        return _render_step(request, _with_role(decision), decision.theme.number, bound=bound, status=422)
    try:
        services.save_action(action=action, by=request.user, **form.cleaned_data)
    except services.PolicyError as error:
        return _refused(request, error, _step_url(decision))
    if request.htmx:
        return _action_line(request, action, decision, saved=True, announce="De actie is opgeslagen.")
    messages.success(request, "De actie is opgeslagen.")
    return redirect(_step_url(decision, f"actie-{action.pk}"))


@require_post
def delete_action(request, action_id):
    action = get_action_for_editor(request, action_id)
    decision = get_decision_for_editor(request, action.decision_id)
    try:
        services.delete_action(action=action, by=request.user)
    except services.PolicyError as error:
        return _refused(request, error, _step_url(decision))
    if request.htmx:
        return _actions(request, decision, announce="De actie is verwijderd.")
    messages.success(request, "De actie is verwijderd.")
    return redirect(_step_url(decision, f"acties-{decision.pk}"))


# --- Comments -------------------------------------------------------------------------------------


def _comments(request, decision, bound=None, announce=""):
    return _fragment(request, "policy/_comments.html", _decision_context(request, decision, bound),
                     target=f"#opmerkingen-{decision.pk}", announce=announce)


@require_post
def add_comment(request, decision_id):
    """Leaders, team members and MR members comment on an agreement."""
    decision = get_decision_for_member(request, decision_id)
    form = CommentForm.for_decision(decision, data=request.POST)
    if not form.is_valid():
        bound = {("comment", decision.pk): form}
        if request.htmx:
            return _comments(request, decision, bound)
        return _render_step(request, _with_role(decision), decision.theme.number, bound=bound, status=422)
    try:
        services.add_comment(decision=decision, by=request.user, text=form.cleaned_data["text"])
    except services.PolicyError as error:
        return _refused(request, error, _step_url(decision))
    if request.htmx:
        return _comments(request, decision, announce="Je opmerking is geplaatst.")
    messages.success(request, "Je opmerking is geplaatst.")
    return redirect(_step_url(decision, f"opmerkingen-{decision.pk}"))


@require_post
def delete_comment(request, comment_id):
    comment = get_comment_for_member(request, comment_id)
    decision = get_decision_for_member(request, comment.decision_id)
    try:
        services.delete_comment(comment=comment, by=request.user)
    except services.PolicyError as error:
        return _refused(request, error, _step_url(decision))
    if request.htmx:
        return _comments(request, decision, announce="Je opmerking is verwijderd.")
    messages.success(request, "Je opmerking is verwijderd.")
    return redirect(_step_url(decision, f"opmerkingen-{decision.pk}"))


# --- The theme: note and done ---------------------------------------------------------------------


@require_post
def save_note(request, version_id, theme_number):
    state = get_theme_state_for_editor(request, version_id, theme_number)
    version = state.version
    version.viewer_role = state.viewer_role
    form = ThemeNoteForm(request.POST, prefix=f"notitie-{theme_number}")
    if not form.is_valid():
        bound = {("note", theme_number): form}
        if request.htmx:
            context = _step_context(request, version, theme_number, bound)
            return _fragment(request, "policy/_note.html", context, target=f"#notitie-{theme_number}")
        return _render_step(request, version, theme_number, bound=bound, status=422)
    try:
        services.save_theme_note(state=state, by=request.user, **form.cleaned_data)
    except services.Conflict as conflict:
        current = conflict.current
        context = {
            "version": version,
            "state": current,
            "mine": ThemeNoteForm(initial={**form.cleaned_data, "revision": current.revision}, prefix=form.prefix),
            "conflict_id": f"notitie-{theme_number}",
            "save_url": reverse("policy:save_note", args=[version.pk, theme_number]),
            "step_url": _step_url(state, f"notitie-{theme_number}"),
        }
        if request.htmx:
            return _fragment(request, "policy/_conflict.html", context, target=f"#notitie-{theme_number}")
        return render(request, "policy/conflict.html", context, status=409)
    except services.PolicyError as error:
        return _refused(request, error, _step_url(state))
    if request.htmx and request.htmx.target == f"notitie-{theme_number}":
        # Saved from the conflict box: show the note's form again.
        return render(request, "policy/_note.html", _step_context(request, version, theme_number))
    if request.htmx:
        context = {"state": state, "form": ThemeNoteForm.for_state(state), "version": version,
                   "current_number": theme_number, **_progress(version)}
        return render(request, "policy/_note_saved.html", context)
    messages.success(request, "De notitie is opgeslagen.")
    return redirect(_step_url(state, f"notitie-{theme_number}"))


@require_post
def mark_done(request, version_id, theme_number):
    state = get_theme_state_for_editor(request, version_id, theme_number)
    version = state.version
    version.viewer_role = state.viewer_role
    done = request.POST.get("klaar") == "ja"
    error = None
    try:
        services.mark_theme_done(state=state, by=request.user, done=done)
    except services.PolicyError as refused:
        error = str(refused)
    if request.htmx:
        context = _step_context(request, version, theme_number, {("done_error", theme_number): error})
        announce = "" if error else f"Thema {theme_number} {'is klaar' if done else 'staat weer open'}."
        return _fragment(request, "policy/_done.html", {**context, "oob_progress": True}, announce=announce)
    if error:
        messages.error(request, error)
        return redirect(_step_url(state, f"klaar-{theme_number}"))
    if done:
        messages.success(request, f"Thema {theme_number} is klaar.")
        following = ThemeState.objects.filter(version=version, theme__number__gt=theme_number).first()
        if following:
            return redirect("policy:step", version_id=version.pk, theme_number=following.theme.number)
        return redirect("policy:review", version_id=version.pk)
    messages.success(request, f"Thema {theme_number} staat weer open.")
    return redirect(_step_url(state, f"klaar-{theme_number}"))

