"""{% draft_meetings version %}: the meeting card on the draft overview (meetings/_draft_card.html);
`decision|meeting_tally`: an agreement's recorded meeting result as a Tally, for the vote bars.

`version` comes from agreements.access, so it carries the viewer's role.
"""

from django import template

from .. import access
from ..queries.meetings import Tally

register = template.Library()


@register.inclusion_tag("meetings/_draft_card.html")
def draft_meetings(version):
    return {"version": version, "meetings": list(version.meetings.all()),
            "is_leader": access.is_leader(version.viewer_role)}


@register.filter
def meeting_tally(decision):
    return Tally.of(decision)
