"""{% draft_meetings version %}: the meeting card on the draft overview (meetings/_draft_actions.html)."""

from django import template

from ..models import Membership, Role

register = template.Library()


@register.inclusion_tag("meetings/_draft_card.html", takes_context=True)
def draft_meetings(context, version):
    user = context["request"].user
    is_leader = user.is_authenticated and Membership.objects.filter(
        user=user, school_id=version.policy.school_id, role=Role.LEADER
    ).exists()
    return {"version": version, "meetings": list(version.meetings.all()), "is_leader": is_leader}
