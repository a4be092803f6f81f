"""The history of one agreement: who changed what, when."""

from django.shortcuts import render

from .. import access
from ..queries.policy import decision_history
from .common import require_get
from .wizard import step_url


@require_get
def history(request, decision_id):
    decision = access.get_decision_for_member(request, decision_id)
    context = {
        "version": decision.version,
        "d": decision,
        "entries": decision_history(decision),
        "step_url": step_url(decision, f"afspraak-{decision.pk}"),
    }
    return render(request, "policy/history.html", context)
