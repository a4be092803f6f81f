"""One helper per object kind: get the object for this user, or 404.

Every school-owned object is fetched through these. A user outside the school gets a 404, never a
403, so that ids of other schools' objects reveal nothing.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Invitation, Membership, PolicyVersion, RenderedDocument, School


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


def get_version_for_member(request, version_id):
    """A policy version of a school the user belongs to."""
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(
        PolicyVersion.objects.select_related("policy__school"), pk=version_id,
        policy__school__memberships__user=request.user,
    )


def get_version_for_leader(request, version_id):
    """Only a leader of the version's school."""
    version = get_version_for_member(request, version_id)
    get_membership_for_leader(request, version.policy.school_id)
    return version


def get_document_for_member(request, document_id):
    """A rendered policy document of a school the user belongs to."""
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(
        RenderedDocument.objects.select_related("version__policy__school"), pk=document_id,
        version__policy__school__memberships__user=request.user,
    )


def get_document_for_leader(request, document_id):
    document = get_document_for_member(request, document_id)
    get_membership_for_leader(request, document.version.policy.school_id)
    return document


__all__ = [
    "School",
    "get_document_for_leader",
    "get_document_for_member",
    "get_invitation_for_leader",
    "get_member_of_school",
    "get_membership",
    "get_membership_for_leader",
    "get_school_for_member",
    "get_version_for_leader",
    "get_version_for_member",
]


def get_invitation_by_token(token):
    """A public invitation link: the token is the secret. Any state (used, expired, revoked) is returned."""
    return get_object_or_404(Invitation.objects.select_related("school"), token=token)


__all__ += ["get_invitation_by_token"]
