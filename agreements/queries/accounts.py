"""Reads about one person: everything the app holds about them ("mijn gegevens"), as plain JSON-able data."""

from django.db.models import Prefetch
from django.utils import timezone

from ..models import Ballot, Comment, Decision, Invitation, Membership, Participant, Signature
from ..models.policy import decision_code

MY_DATA_FORMAT = "ai-beleidsbouwer/mijn-gegevens/1"


def _when(value):
    return value.isoformat() if value else None


def personal_data(user):
    """What the app holds about this user, per kind (the kinds of agreements/privacy.py that name a person)."""
    memberships = Membership.objects.filter(user=user).select_related("school").order_by("joined_at", "pk")
    comments = (Comment.objects.filter(author=user)
                .select_related("decision__theme", "decision__example", "decision__version__policy__school")
                .order_by("created_at", "pk"))
    changes = (Decision.history.filter(history_user=user)
               .select_related("version__policy__school", "theme", "example").order_by("history_date"))
    signatures = (Signature.objects.filter(recorded_by=user).select_related("version__policy__school")
                  .order_by("created_at", "pk"))
    participants = (Participant.objects.filter(user=user).select_related("meeting__version__policy__school")
                    .prefetch_related(Prefetch("ballots", queryset=Ballot.objects.select_related("item")
                                               .order_by("item__position")))
                    .order_by("joined_at", "pk"))
    invitations = Invitation.objects.filter(created_by=user).select_related("school").order_by("created_at", "pk")
    invited = Invitation.objects.filter(email__iexact=user.email).select_related("school").order_by("created_at")
    return {
        "format": MY_DATA_FORMAT,
        "made_at": _when(timezone.now()),
        "account": {
            "name": user.name,
            "email": user.email,
            "created_at": _when(user.date_joined),
            "last_login": _when(user.last_login),
        },
        "memberships": [
            {"school": m.school.name, "role": m.get_role_display(), "joined_at": _when(m.joined_at)}
            for m in memberships
        ],
        "comments": [
            {"school": c.decision.version.policy.school.name, "version": c.decision.version.number,
             "agreement": c.decision.code, "text": c.text, "created_at": _when(c.created_at)}
            for c in comments
        ],
        "agreement_changes": [
            {"school": h.version.policy.school.name, "version": h.version.number,
             "agreement": decision_code(h), "choice": h.choice, "text": h.text, "reason": h.reason,
             "changed_at": _when(h.history_date)}
            for h in changes
        ],
        "signatures": [
            {"school": s.version.policy.school.name, "version": s.version.number, "kind": s.get_kind_display(),
             "name": s.name, "role": s.role, "signed_on": _when(s.signed_on), "recorded_at": _when(s.created_at)}
            for s in signatures
        ],
        "meetings": [
            {"school": p.meeting.version.policy.school.name, "meeting_date": _when(p.meeting.created_at),
             "name": p.name, "joined_at": _when(p.joined_at),
             "votes": [{"agreement": b.item.code, "choice": b.get_choice_display(), "comment": b.comment,
                        "at": _when(b.updated_at)} for b in p.ballots.all()]}
            for p in participants
        ],
        "invitations_sent": [
            {"school": i.school.name, "email": i.email, "role": i.get_role_display(),
             "created_at": _when(i.created_at), "accepted_at": _when(i.accepted_at)}
            for i in invitations
        ],
        "invitations_received": [
            {"school": i.school.name, "role": i.get_role_display(), "created_at": _when(i.created_at),
             "accepted_at": _when(i.accepted_at)}
            for i in invited
        ],
    }
