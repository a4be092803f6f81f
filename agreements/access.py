"""Who may do what. One helper per object kind returns the object for this user, or 404; named predicates say
what a role may do with it.

Every school-owned object is fetched through these. A user outside the school gets a 404, never a 403, so that
ids of other schools' objects reveal nothing. Objects reached by an id come with `viewer_role`: the user's role
in the object's school, read in the same query. Views and templates ask the predicates below, never the role.
Public links (a join code, an invitation token, a shared parents' edition, a verification code) are looked up
here too: knowing the value is the permission.
"""

import re

from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import (
    Action,
    Comment,
    Decision,
    Invitation,
    Item,
    Meeting,
    Membership,
    Participant,
    PolicyVersion,
    RemovedDocument,
    RenderedDocument,
    Role,
    ThemeState,
    Tool,
)
from .models.meeting import is_join_code

# --- Predicates: what a role may do -------------------------------------------------------------

EDITOR_ROLES = (Role.LEADER, Role.TEAM)


def is_leader(role):
    """Leaders manage the team, finalise and sign, run meetings and share the parents' edition."""
    return role == Role.LEADER


def can_edit(version, role):
    """Leaders and team members edit a draft; MR members read and comment."""
    return version.is_draft and role in EDITOR_ROLES


def can_comment(version, role):
    """Every member comments on a draft."""
    return version.is_draft and role in Role.values


def can_sign(role):
    """Only the leader signs the policy."""
    return role == Role.LEADER


def can_record_consent(role):
    """The MR's consent is recorded by an MR member or by the leader on the MR's behalf."""
    return role in (Role.LEADER, Role.MR)


def can_join(meeting, user):
    """Anyone with the code joins an open meeting; a members-only meeting wants a signed-in member of the school."""
    return not meeting.members_only or Membership.objects.is_member(user, meeting.version.policy.school_id)


def can_edit_tools(role):
    """Leaders and team members add tools to the register, change them and answer the assessment questions."""
    return role in EDITOR_ROLES


def can_judge_tools(role):
    """The leader gives (and re-confirms) a tool's verdict."""
    return role == Role.LEADER


def tool_permissions(tool, role):
    """What the viewer may do with a tool of the register, for the templates. Every member comments."""
    live = not tool.is_deleted
    return {
        "can_edit": live and can_edit_tools(role),
        "can_judge": live and can_judge_tools(role),
        "can_comment": live and role in Role.values,
        "can_restore": not live and can_edit_tools(role),
    }


def version_permissions(version, role):
    """What the viewer may do on a version's pages, for the templates."""
    return {
        "can_edit": can_edit(version, role),
        "can_comment": can_comment(version, role),
        "is_leader": is_leader(role),
        "read_only_message": version.read_only_message,
    }


# --- Schools and their members ------------------------------------------------------------------


def get_membership(request, school_id):
    """The signed-in user's membership of this school (its `role` is the viewer's role), or 404."""
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(Membership.objects.select_related("school", "user"), school_id=school_id,
                             user=request.user)


def get_membership_for_leader(request, school_id):
    """Only a leader of the school; anyone else (also a member with another role) gets a 404."""
    membership = get_membership(request, school_id)
    if not is_leader(membership.role):
        raise Http404
    return membership


def get_member_of_school(request, school_id, membership_id):
    """Another member of a school the user leads."""
    leader = get_membership_for_leader(request, school_id)
    return get_object_or_404(Membership.objects.select_related("user"), pk=membership_id, school=leader.school)


def get_invitation_for_leader(request, school_id, invitation_id):
    leader = get_membership_for_leader(request, school_id)
    return get_object_or_404(Invitation, pk=invitation_id, school=leader.school)


# The form of the tokens in public links (secrets.token_urlsafe): checked before any query, so a NUL byte or a
# 100,000-character "token" is a 404 without asking the database (PostgreSQL refuses NUL in a string).
TOKEN_FORMAT = re.compile(r"[A-Za-z0-9_-]{1,64}")


def _check_token(token):
    if not TOKEN_FORMAT.fullmatch(token):
        raise Http404


def get_invitation_by_token(token):
    """A public invitation link: the token is the secret. Any state (used, expired, revoked) is returned."""
    _check_token(token)
    return get_object_or_404(Invitation.objects.select_related("school"), token=token)


# --- Objects of a school's policy, by id ------------------------------------------------------


def _for_member(request, queryset, school_path, **lookup):
    if not request.user.is_authenticated:
        raise Http404
    queryset = queryset.filter(**{f"{school_path}__memberships__user": request.user}).annotate(
        viewer_role=F(f"{school_path}__memberships__role")
    )
    return get_object_or_404(queryset, **lookup)


def _editor_only(obj):
    if obj.viewer_role not in EDITOR_ROLES:
        raise Http404
    return obj


def _leader_only(obj):
    if not is_leader(obj.viewer_role):
        raise Http404
    return obj


def get_version_for_member(request, version_id):
    return _for_member(request, PolicyVersion.objects.select_related("policy__school"), "policy__school",
                       pk=version_id)


def get_version_for_editor(request, version_id):
    return _editor_only(get_version_for_member(request, version_id))


def get_version_for_leader(request, version_id):
    """Only a leader of the version's school."""
    return _leader_only(get_version_for_member(request, version_id))


def get_theme_state_for_editor(request, version_id, theme_number):
    """A theme's state in a version; its `version` carries the viewer's role too."""
    state = _for_member(request, ThemeState.objects.select_related("theme", "version__policy__school"),
                        "version__policy__school", version_id=version_id, theme__number=theme_number)
    state.version.viewer_role = state.viewer_role
    return _editor_only(state)


def get_decision_for_member(request, decision_id):
    """A decision; its `version` carries the viewer's role too."""
    decisions = Decision.objects.select_related("version__policy__school", "theme", "example", "updated_by")
    decision = _for_member(request, decisions, "version__policy__school", pk=decision_id)
    decision.version.viewer_role = decision.viewer_role
    return decision


def get_decision_for_editor(request, decision_id):
    return _editor_only(get_decision_for_member(request, decision_id))


def _part_of_decision(request, model, pk):
    """An action or comment with its decision; the decision and its version carry the viewer's role too."""
    objects = model.objects.select_related("decision__version__policy__school", "decision__theme",
                                           "decision__example")
    obj = _for_member(request, objects, "decision__version__policy__school", pk=pk)
    obj.decision.viewer_role = obj.decision.version.viewer_role = obj.viewer_role
    return obj


def get_action_for_member(request, action_id):
    return _part_of_decision(request, Action, action_id)


def get_action_for_editor(request, action_id):
    return _editor_only(get_action_for_member(request, action_id))


def get_comment_for_member(request, comment_id):
    return _part_of_decision(request, Comment, comment_id)


# --- The AI-tool register -----------------------------------------------------------------------


def get_tool_for_member(request, tool_id):
    """A tool of the register (also a deleted one: its history stays readable), with `viewer_role`."""
    return _for_member(request, Tool.objects.select_related("school"), "school", pk=tool_id)


def get_tool_for_editor(request, tool_id):
    return _editor_only(get_tool_for_member(request, tool_id))


def get_tool_for_leader(request, tool_id):
    return _leader_only(get_tool_for_member(request, tool_id))


def get_membership_for_editor(request, school_id):
    """A leader or team member of the school; an MR member (who reads and comments) gets a 404."""
    membership = get_membership(request, school_id)
    if not can_edit_tools(membership.role):
        raise Http404
    return membership


# --- Rendered documents ------------------------------------------------------------------------


def get_document_for_member(request, document_id):
    """A rendered policy document of a school the user belongs to."""
    documents = RenderedDocument.objects.select_related("version__policy__school")
    return _for_member(request, documents, "version__policy__school", pk=document_id)


def get_document_for_leader(request, document_id):
    return _leader_only(get_document_for_member(request, document_id))


def get_shared_parents_edition(share_token):
    """Public: the parents' edition behind a link the leader shares (switching it off clears the token)."""
    _check_token(share_token)
    return get_object_or_404(
        RenderedDocument.objects.select_related("version__policy__school"),
        share_token=share_token, edition=RenderedDocument.Edition.PARENTS, status=RenderedDocument.Status.DONE,
    )


def find_verified_document(verification_code):
    """Public: the finished document with this (normalised) verification code, or None."""
    if not verification_code:
        return None
    return (RenderedDocument.objects.done().select_related("version__policy__school")
            .filter(verification_code=verification_code).first())


def was_removed(verification_code):
    """Public: True when this code belonged to a PDF whose school was deleted (the verify page says so)."""
    return bool(verification_code) and RemovedDocument.objects.filter(verification_code=verification_code).exists()


# --- Meetings ----------------------------------------------------------------------------------


def get_meeting_for_leader(request, meeting_id):
    """A meeting of a school the user leads, with its current item and the item's agreement (one query)."""
    if not request.user.is_authenticated:
        raise Http404
    meetings = Meeting.objects.select_related("version__policy__school", "current_item__decision__example")
    return get_object_or_404(
        meetings,
        pk=meeting_id,
        version__policy__school__memberships__user=request.user,
        version__policy__school__memberships__role=Role.LEADER,
    )


def get_meeting_for_member(request, meeting_id):
    """A meeting of a school the user belongs to, in any role (its record is for the whole team and the MR)."""
    meetings = Meeting.objects.select_related("version__policy__school")
    return _for_member(request, meetings, "version__policy__school", pk=meeting_id)


def get_item_for_leader(request, meeting_id, item_id):
    meeting = get_meeting_for_leader(request, meeting_id)
    return get_object_or_404(Item.objects.select_related("meeting", "decision"), pk=item_id, meeting=meeting)


def get_meeting_by_code(join_code):
    """Public: the meeting a join code points at: the open one, else the latest closed one. 404 for a code that
    is not of the join code's form (checked before the query)."""
    if not is_join_code(join_code):
        raise Http404
    meetings = Meeting.objects.select_related("version__policy__school", "current_item")
    meeting = meetings.filter(join_code=join_code).order_by("-created_at", "-pk").first()
    if meeting is None:
        raise Http404
    return meeting


PARTICIPANT_COOKIE = "deelnemer"
PARTICIPANT_MAX_AGE = 12 * 60 * 60


def participant_cookie_salt(meeting_id):
    return f"agreements.meeting.{meeting_id}.participant"


def has_participant_cookie(request, meeting_id):
    """The phone holds a participant cookie this server signed for this meeting (no query: for the cheap poll)."""
    return bool(request.get_signed_cookie(PARTICIPANT_COOKIE, default=None, salt=participant_cookie_salt(meeting_id),
                                          max_age=PARTICIPANT_MAX_AGE))


def get_participant(request, meeting):
    """The participant the signed cookie names, if it belongs to this meeting (and, in a members-only
    meeting, to the signed-in user); else None."""
    participant_id = request.get_signed_cookie(
        PARTICIPANT_COOKIE, default=None, salt=participant_cookie_salt(meeting.pk), max_age=PARTICIPANT_MAX_AGE
    )
    if not participant_id or not participant_id.isdigit():
        return None
    participant = Participant.objects.filter(pk=participant_id, meeting=meeting).first()
    if participant and meeting.members_only and participant.user_id != request.user.pk:
        return None
    return participant


# --- Any school-owned object named in a URL ----------------------------------------------------

MEMBER_GETTERS = {
    "school_id": get_membership,
    "version_id": get_version_for_member,
    "other_version_id": get_version_for_member,  # the second version of a comparison
    "decision_id": get_decision_for_member,
    "action_id": get_action_for_member,
    "comment_id": get_comment_for_member,
    "document_id": get_document_for_member,
    "meeting_id": get_meeting_for_leader,  # meetings are run by the leader only
    "tool_id": get_tool_for_member,
}
NOT_SCHOOL_OWNED = {"theme_number", "item_number"}  # the same seven themes, checklist items for every school


def check_member(request, **kwargs):
    """404 unless every object named in the URL belongs to a school of this user."""
    for name, value in kwargs.items():
        if name in NOT_SCHOOL_OWNED:
            continue
        if name not in MEMBER_GETTERS:
            raise LookupError(f"agreements.access.MEMBER_GETTERS has no access helper for the URL argument {name!r}")
        MEMBER_GETTERS[name](request, value)
