"""Moving house and data portability: a leader downloads the school as JSON; on another installation a
leader named in that file uploads it (or the admin runs `manage.py import_school`)."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from .. import access
from ..forms.schools import SchoolImportForm
from ..queries.export import school_export
from ..services.school_import import ImportRefused, import_school
from .common import require_methods


@require_methods("GET", access=access.get_membership_for_leader)
def export_download(request, school_id):
    """Everything of the school as one JSON file (schema in the README); never kept by a browser cache."""
    school = access.get_membership_for_leader(request, school_id).school
    now = timezone.now()
    data = json.dumps(school_export(school, now=now), ensure_ascii=False, indent=1)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    name = f"AI-beleidsbouwer-{slugify(school.name) or 'school'}-{now:%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store, private"
    return response


@never_cache
@login_required
def import_upload(request):
    """A school from another installation: only a leader named in the file may bring it in."""
    form = SchoolImportForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            result = import_school(form.cleaned_data["data"], site_url=request.build_absolute_uri("/"))
        except ImportRefused as exc:
            form.add_error("file", str(exc))
        else:
            messages.success(request, _("%(school)s staat nu op deze installatie. %(invited)s teamleden krijgen een "
                                        "mail om een wachtwoord te kiezen.")
                             % {"school": result.school.name, "invited": len(result.invited)})
            return redirect(result.school)
    return render(request, "schools/import.html", {"form": form})
