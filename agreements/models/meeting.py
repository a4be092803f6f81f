"""The team meeting: the leader puts agreements of a draft to the vote; phones vote anonymously.

A Meeting has Items (one per agreement, in order) and Participants (one per phone that joined).
A Ballot is one participant's vote on one item: one row, unique on (item, participant), so a
changed vote replaces the earlier one. No page ever shows which participant cast which ballot.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from .policy import Decision, PolicyVersion

# A join code has no look-alikes: no 0/O and no 1/I/L.
JOIN_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
JOIN_CODE_LENGTH = 6
COMMENT_LIMIT = 500


def new_join_code():
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalise_join_code(text):
    """What someone typed (" abc-def ") -> the stored form ("ABCDEF"); not checked against the alphabet."""
    return "".join(str(text).split()).replace("-", "").upper()


def is_join_code(text):
    """True for a well-formed join code in its stored form."""
    return len(text) == JOIN_CODE_LENGTH and all(ch in JOIN_CODE_ALPHABET for ch in text)


class MeetingQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Meeting.Status.OPEN)


class Meeting(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", gettext_lazy("Bezig")
        CLOSED = "closed", gettext_lazy("Afgelopen")

    class Audience(models.TextChoices):
        ANYONE = "anyone", gettext_lazy("Iedereen met de code")
        MEMBERS = "members", gettext_lazy("Alleen ingelogde teamleden van de school")

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="meetings")
    join_code = models.CharField(gettext_lazy("code"), max_length=JOIN_CODE_LENGTH)
    audience = models.CharField(gettext_lazy("wie mag stemmen"), max_length=10, choices=Audience.choices,
                                default=Audience.ANYONE)
    hide_tally = models.BooleanField(gettext_lazy("uitslag verbergen tot de stemming sluit"), default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    current_item = models.ForeignKey("Item", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["join_code"], condition=Q(status="open"),
                                    name="unique_code_of_open_meeting"),
        ]

    def __str__(self):
        return f"Teamvergadering {self.created_at:%d-%m-%Y} ({self.join_code})"

    def get_absolute_url(self):
        return reverse("meetings:control", args=[self.pk])

    def get_join_url(self):
        return reverse("meetings:vote", args=[self.join_code])

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def members_only(self):
        return self.audience == self.Audience.MEMBERS

    @property
    def shows_tally(self):
        """The projector shows the counts: there is a current item, and it is closed or not hidden."""
        item = self.current_item
        return item is not None and (not self.hide_tally or item.is_closed)


class ItemQuerySet(models.QuerySet):
    def with_counts(self):
        """Each item with its ballot counts (one query for a whole list)."""
        return self.annotate(
            votes_support=Count("ballots", filter=Q(ballots__choice=Ballot.Choice.SUPPORT)),
            votes_support_amended=Count("ballots", filter=Q(ballots__choice=Ballot.Choice.SUPPORT_AMENDED)),
            votes_against=Count("ballots", filter=Q(ballots__choice=Ballot.Choice.AGAINST)),
            votes_total=Count("ballots"),
        )


class Item(models.Model):
    """One agreement on the agenda. `text` is the text put to the vote (refreshed when voting opens)."""

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Nog niet geopend")
        OPEN = "open", gettext_lazy("Stemmen kan")
        CLOSED = "closed", gettext_lazy("Stemming gesloten")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="meeting_items")
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=10)  # the agreement's code ("2.1"), kept so the live pages need no joins
    text = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set when the leader applies the outcome to the draft.
    outcome = models.CharField(max_length=10, choices=Decision.Choice.choices, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "decision"], name="one_item_per_decision"),
            models.UniqueConstraint(fields=["meeting", "position"], name="unique_item_position"),
        ]

    def __str__(self):
        return f"{self.meeting} – {self.position}. {self.text[:40]}"

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    @property
    def has_own_words(self):
        """True when the text put to the vote is the school's (own or amended), False when it is the example
        agreement word for word. Load the items with select_related("decision__example")."""
        decision = self.decision
        return decision.is_own or self.text != decision.example.text


class Participant(models.Model):
    """A phone that joined. Known only by a signed cookie (and the user in members-only meetings)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(gettext_lazy("naam"), max_length=60, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="+")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], condition=Q(user__isnull=False),
                                    name="one_participant_per_user"),
        ]

    def __str__(self):
        return self.name or f"Deelnemer {self.pk}"


class Ballot(models.Model):
    class Choice(models.TextChoices):
        SUPPORT = "support", gettext_lazy("Steun")
        SUPPORT_AMENDED = "amended", gettext_lazy("Steun met aanpassing")
        AGAINST = "against", gettext_lazy("Geen steun")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="ballots")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="ballots")
    choice = models.CharField(gettext_lazy("stem"), max_length=10, choices=Choice.choices)
    comment = models.TextField(gettext_lazy("opmerking"), blank=True, max_length=COMMENT_LIMIT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "participant"], name="one_ballot_per_participant")]

    def __str__(self):
        return f"Stem op {self.item_id}"
