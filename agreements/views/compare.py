"""Compare two versions of the school's policy: what changed per theme."""

import re

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import access
from ..queries import compare as queries
from ..queries.policy import versions_of
from .common import require_get


@require_get
def compare(request, version_id, other_version_id=None):
    """`version_id` against `other_version_id`; without it against the version it is based on (or ?met=<id>)."""
    version = access.get_version_for_member(request, version_id)
    chosen = request.GET.get("met", "")
    if other_version_id is None and re.fullmatch(r"[0-9]{1,18}", chosen):  # an <id:…>: "²" or 20 digits made a 500
        return redirect("policy:compare_with", version_id=version.pk, other_version_id=int(chosen))
    other_id = other_version_id or version.based_on_id
    versions, _draft = versions_of(version.policy.school)
    context = {"version": version, "school": version.policy.school, "versions": versions, "comparison": None,
               "message": ""}
    if other_id is None:
        context["message"] = (_("Er is nog maar één versie. Er is niets om mee te vergelijken.") if len(versions) < 2
                              else _("Kies een versie om mee te vergelijken."))
        return render(request, "policy/compare.html", context)
    other = access.get_version_for_member(request, other_id)
    if other.policy_id != version.policy_id:  # a version of another school of the same user
        context["message"] = _("Je kunt alleen versies van het beleid van dezelfde school vergelijken.")
        return render(request, "policy/compare.html", context)
    context["other"] = other
    if other.pk == version.pk:
        message = _("Je vergelijkt versie %(n)s met zichzelf. Kies een andere versie.")
        context["message"] = message % {"n": version.number}
        return render(request, "policy/compare.html", context)
    context["comparison"] = queries.compare_versions(*queries.order_pair(other, version))
    return render(request, "policy/compare.html", context)
