"""{% draft_meetings version %}: the meeting card on the draft overview (meetings/_draft_card.html).

`version` comes from agreements.access, so it carries the viewer's role.
"""

from django import template

from .. import access

register = template.Library()


@register.inclusion_tag("meetings/_draft_card.html")
def draft_meetings(version):
    return {"version": version, "meetings": list(version.meetings.all()),
            "is_leader": access.is_leader(version.viewer_role)}
