"""One helper per object kind: get the object for this user, or 404.

Every school-owned object is fetched through these. A user outside the school gets a 404, never a
403, so that ids of other schools' objects reveal nothing.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Invitation, Item, Meeting, Membership, Participant, PolicyVersion, Role, School


def get_membership(request, school_id):
    """The signed-in user's membership of this school, or 404."""
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(Membership.objects.select_related("school", "user"), school_id=school_id,
                             user=request.user)


def get_school_for_member(request, school_id):
    return get_membership(request, school_id).school


def get_membership_for_leader(request, school_id):
    """Only a leader of the school; anyone else (also a member with another role) gets a 404."""
    membership = get_membership(request, school_id)
    if not membership.is_leader:
        raise Http404
    return membership


def get_member_of_school(request, school_id, membership_id):
    """Another member of a school the user leads."""
    leader = get_membership_for_leader(request, school_id)
    return get_object_or_404(Membership.objects.select_related("user"), pk=membership_id, school=leader.school)


def get_invitation_for_leader(request, school_id, invitation_id):
    leader = get_membership_for_leader(request, school_id)
    return get_object_or_404(Invitation, pk=invitation_id, school=leader.school)


# --- Meetings ----------------------------------------------------------------------------------


def get_version_for_leader(request, version_id):
    """A version of a policy of a school the user leads."""
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(
        PolicyVersion.objects.select_related("policy__school"),
        pk=version_id,
        policy__school__memberships__user=request.user,
        policy__school__memberships__role=Role.LEADER,
    )


def get_meeting_for_leader(request, meeting_id):
    """A meeting of a school the user leads, with its current item and agreement (one query)."""
    if not request.user.is_authenticated:
        raise Http404
    meetings = Meeting.objects.select_related("version__policy__school", "current_item")
    return get_object_or_404(
        meetings,
        pk=meeting_id,
        version__policy__school__memberships__user=request.user,
        version__policy__school__memberships__role=Role.LEADER,
    )


def get_item_for_leader(request, meeting_id, item_id):
    meeting = get_meeting_for_leader(request, meeting_id)
    return get_object_or_404(Item.objects.select_related("meeting", "decision"), pk=item_id, meeting=meeting)


def get_meeting_by_code(code):
    """The meeting a join code points at: the open one, else the latest closed one (public, by code)."""
    meetings = Meeting.objects.select_related("version__policy__school", "current_item")
    meeting = meetings.filter(code=code).order_by("-created_at", "-pk").first()
    if meeting is None:
        raise Http404
    return meeting


PARTICIPANT_COOKIE = "deelnemer"
PARTICIPANT_MAX_AGE = 12 * 60 * 60


def participant_cookie_salt(meeting):
    return f"agreements.meeting.{meeting.pk}.participant"


def get_participant(request, meeting):
    """The participant the signed cookie names, if it belongs to this meeting (and, in a members-only
    meeting, to the signed-in user); else None."""
    participant_id = request.get_signed_cookie(
        PARTICIPANT_COOKIE, default=None, salt=participant_cookie_salt(meeting), max_age=PARTICIPANT_MAX_AGE
    )
    if not participant_id or not participant_id.isdigit():
        return None
    participant = Participant.objects.filter(pk=participant_id, meeting=meeting).first()
    if participant and meeting.members_only and participant.user_id != request.user.pk:
        return None
    return participant


__all__ = [
    "School",
    "get_invitation_for_leader",
    "get_item_for_leader",
    "get_meeting_by_code",
    "get_meeting_for_leader",
    "get_participant",
    "get_version_for_leader",
    "get_member_of_school",
    "get_membership",
    "get_membership_for_leader",
    "get_school_for_member",
]
