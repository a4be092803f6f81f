"""The school's policy as a whole: its versions, starting the first draft, the overview and the review."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import access
from ..queries import policy as queries
from ..queries import tools as tool_queries
from ..services import policy as services
from .common import require_get, require_post


@require_get
def home(request, school_id):
    """The school's policy: the current draft and every version; a leader starts the first draft here."""
    membership = access.get_membership(request, school_id)
    versions, draft = queries.versions_of(membership.school)
    context = {
        "school": membership.school,
        "is_leader": access.is_leader(membership.role),
        "versions": versions,
        "draft": draft,
        "progress": queries.progress(draft) if draft else None,
    }
    return render(request, "policy/home.html", context)


@require_post
def start(request, school_id):
    membership = access.get_membership_for_leader(request, school_id)
    try:
        version = services.start_policy(school=membership.school, by=request.user)
    except services.PolicyError as error:
        messages.error(request, str(error))
        return redirect("policy:home", school_id=school_id)
    messages.success(request, _("Het concept is klaar. Begin bij thema 1."))
    return redirect(version)


@require_get
def overview(request, version_id):
    version = access.get_version_for_member(request, version_id)
    progress = queries.progress(version)
    counts = queries.choice_counts(version)
    context = {
        "version": version,
        "school": version.policy.school,
        **access.version_permissions(version, version.viewer_role),
        **progress,
        "counts": counts,
        "example_count": sum(counts.values()) - counts["own"],
        "next_state": next((s for s in progress["states"] if not s.done), None),
    }
    return render(request, "policy/overview.html", context)


@require_get
def review(request, version_id):
    """The whole draft in document order, what is still open, and what the adopted agreements cover."""
    version = access.get_version_for_member(request, version_id)
    return _review_page(request, version)


def _review_page(request, version, *, check_error=None, status=200):
    context = {
        "version": version,
        "school": version.policy.school,
        **access.version_permissions(version, version.viewer_role),
        **queries.review(version),
        "tool_review": tool_queries.policy_review(version.policy.school),
        "current_number": "review",
        "check_error": check_error,
    }
    if check_error:  # show what was typed, with the message
        for check in context["checks"]:
            if check.item.number == check_error["number"]:
                check.done, check.note = check_error["done"], check_error["note"]
    return render(request, "policy/review.html", context, status=status)


@require_post
def save_check(request, version_id, item_number):
    """Tick an item of the review checklist and write a note with it (leaders and team members, in a draft)."""
    version = access.get_version_for_editor(request, version_id)
    check = get_object_or_404(version.review_checks.select_related("item"), item__number=item_number)
    done, note = request.POST.get("done") == "on", request.POST.get("note", "")
    try:
        services.save_review_check(check=check, by=request.user, done=done, note=note)
    except services.PolicyError as error:
        return _review_page(request, version, status=400,
                            check_error={"number": item_number, "done": done, "note": note, "message": str(error)})
    messages.success(request, _("Evaluatiepunt %(n)s is opgeslagen.") % {"n": item_number})
    return redirect(reverse("policy:review", args=[version.pk]) + f"#evaluatiepunt-{item_number}")
