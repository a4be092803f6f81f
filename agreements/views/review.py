"""The school's policy as a whole: its versions, starting the first draft, the overview and the review."""

from django.contrib import messages
from django.shortcuts import redirect, render
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
    context = {
        "version": version,
        "school": version.policy.school,
        **access.version_permissions(version, version.viewer_role),
        **queries.review(version),
        "tool_review": tool_queries.policy_review(version.policy.school),
        "current_number": "review",
    }
    return render(request, "policy/review.html", context)
