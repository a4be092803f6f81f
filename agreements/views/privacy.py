"""The privacy page: what the app stores about people, why, who sees it and for how long (agreements/privacy.py)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from ..privacy import DATA_KINDS


@require_GET
def privacy(request):
    return render(request, "privacy.html", {"kinds": DATA_KINDS})
