"""The school's AI-tool register: the list, a tool (add, change, delete, restore, comment), its assessment and
verdict, its links to the policy, and its history.

Leaders and team members edit the register and answer the questions; the leader gives the verdict; every member
(MR members too) reads and comments. Every tool comes through agreements/access.py (404 for other schools).
Bad input shows the form again with what was typed and a Dutch message.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import access
from ..forms.tools import AssessmentForm, CommentForm, LinkForm, ToolForm, VerdictForm
from ..queries import tools as queries
from ..services import tools as services
from .common import require_get, require_methods, require_post


def _tool_context(tool, **extra):
    return {"tool": tool, "school": tool.school, **access.tool_permissions(tool, tool.viewer_role), **extra}


@require_get
def register(request, school_id):
    membership = access.get_membership(request, school_id)
    context = {
        "school": membership.school,
        "can_edit": access.can_edit_tools(membership.role),
        **queries.register(membership.school),
    }
    return render(request, "tools/register.html", context)


@require_methods("GET", "POST", access=access.get_membership_for_editor)
def add(request, school_id):
    membership = access.get_membership_for_editor(request, school_id)
    form = ToolForm(request.POST or None, school=membership.school)
    if request.method == "POST" and form.is_valid():
        try:
            tool = services.add_tool(school=membership.school, by=request.user, **form.cleaned_data)
        except services.ToolError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("%(name)s staat in het register. Beoordeel de tool nu met de vragen.")
                             % {"name": tool.name})
            return redirect(tool)
    return render(request, "tools/form.html", {"school": membership.school, "form": form, "tool": None})


@require_get
def detail(request, tool_id):
    tool = access.get_tool_for_member(request, tool_id)
    context = _tool_context(tool, comment_form=CommentForm(), **queries.tool_detail(tool))
    return render(request, "tools/detail.html", context)


@require_methods("GET", "POST", access=access.get_tool_for_editor)
def edit(request, tool_id):
    tool = access.get_tool_for_editor(request, tool_id)
    form = ToolForm(request.POST or None, instance=tool, school=tool.school)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_tool(tool=tool, by=request.user, **form.cleaned_data)
        except services.ToolError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De gegevens van %(name)s zijn opgeslagen.") % {"name": tool.name})
            return redirect(tool)
    return render(request, "tools/form.html", {"school": tool.school, "form": form, "tool": tool})


@require_methods("POST", access=access.get_tool_for_editor)
def delete(request, tool_id):
    tool = access.get_tool_for_editor(request, tool_id)
    try:
        services.delete_tool(tool=tool, by=request.user)
    except services.ToolError as error:
        messages.error(request, str(error))
        return redirect(tool)
    messages.success(request, _("%(name)s is uit het register gehaald. De geschiedenis blijft bewaard.")
                     % {"name": tool.name})
    return redirect("tools:register", school_id=tool.school_id)


@require_methods("POST", access=access.get_tool_for_editor)
def restore(request, tool_id):
    tool = access.get_tool_for_editor(request, tool_id)
    try:
        services.restore_tool(tool=tool, by=request.user)
    except services.ToolError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(name)s staat weer in het register.") % {"name": tool.name})
    return redirect(tool)


@require_post
def comment(request, tool_id):
    tool = access.get_tool_for_member(request, tool_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(tool=tool, by=request.user, text=form.cleaned_data["text"])
        except services.ToolError as error:
            form.add_error("text", str(error))
        else:
            messages.success(request, _("Je opmerking is geplaatst."))
            return redirect(f"{tool.get_absolute_url()}#opmerkingen")
    context = _tool_context(tool, comment_form=form, **queries.tool_detail(tool))
    return render(request, "tools/detail.html", context, status=200)


@require_methods("GET", "POST", access=access.get_tool_for_editor)
def assess(request, tool_id):
    tool = access.get_tool_for_editor(request, tool_id)
    assessment = tool.assessment
    answers = queries.answers_by_key(assessment)
    form = AssessmentForm(request.POST or None, groups=queries.assessment_questions(), answers=answers,
                          initial={"number": assessment.number})
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_answers(tool=tool, by=request.user, answers=form.answers(),
                                          number=form.cleaned_data["number"])
        except services.ToolError as error:
            form.add_error(None, str(error))
        else:
            if saved.needs_reconfirm:
                messages.warning(request, _("De antwoorden zijn opgeslagen. Er is iets veranderd na het oordeel: "
                                            "de schoolleider moet het oordeel opnieuw bevestigen."))
            else:
                messages.success(request, _("De antwoorden zijn opgeslagen."))
            return redirect(tool)
    return render(request, "tools/assess.html", _tool_context(tool, form=form, assessment=assessment))


@require_methods("GET", "POST", access=access.get_tool_for_leader)
def decide(request, tool_id):
    tool = access.get_tool_for_leader(request, tool_id)
    assessment = tool.assessment
    initial = {"verdict": assessment.verdict or None, "conditions": assessment.conditions,
               "reassess_on": assessment.reassess_on, "number": assessment.number}
    form = VerdictForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide(tool=tool, by=request.user, **form.cleaned_data)
        except services.ToolError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Het oordeel over %(name)s is vastgelegd.") % {"name": tool.name})
            return redirect(tool)
    context = _tool_context(tool, form=form, **queries.tool_detail(tool))
    return render(request, "tools/decide.html", context)


@require_methods("GET", "POST", access=access.get_tool_for_editor)
def links(request, tool_id):
    tool = access.get_tool_for_editor(request, tool_id)
    initial = {"themes": list(tool.themes.all()), "agreements": list(tool.agreements.all())}
    form = LinkForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.link_tool(tool=tool, by=request.user, **form.cleaned_data)
        except services.ToolError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("De koppelingen van %(name)s zijn opgeslagen.") % {"name": tool.name})
            return redirect(tool)
    return render(request, "tools/links.html", _tool_context(tool, form=form))


@require_get
def history(request, tool_id):
    tool = access.get_tool_for_member(request, tool_id)
    return render(request, "tools/history.html", _tool_context(tool, entries=queries.tool_history(tool)))
