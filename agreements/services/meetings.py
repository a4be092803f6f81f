"""The team meeting: set up, lead, vote, count and apply the outcome to the draft.

Keyword arguments; every write owns its transaction. Refusals raise MeetingError (or its subclass
VoteRefused) with a message in Dutch for the user.
"""


from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import stamps
from ..models import Ballot, Comment, Decision, Item, Meeting, Membership, Participant, PolicyVersion, RenderedDocument
from ..models.meeting import new_join_code
from ..ratelimit import over_limit
from .documents import queue_document, requeue

VOTES_PER_MINUTE = 30  # per participant; a person changing their mind a few times stays far below it
MAX_PARTICIPANTS = 500  # per meeting: far above a school team, stops a runaway script
COMMENT_PREFIX = "Uit de teamvergadering: "


class MeetingError(Exception):
    """A refused change, with a message in Dutch for the user."""


class VoteRefused(MeetingError):
    """A vote that is not counted, and why: `reason` is one of the kinds below (the view
    answers each with its own HTTP status)."""

    INVALID = "invalid"  # the request itself is wrong (no such choice)
    NOT_NOW = "not_now"  # the item or meeting is not open for votes (any more)
    TOO_OFTEN = "too_often"  # the participant votes too often in a minute

    def __init__(self, message, reason=NOT_NOW):
        super().__init__(message)
        self.reason = reason


# --- Setting up and leading -------------------------------------------------------------------


@transaction.atomic
def create_meeting(*, version, decisions, audience, hide_tally, by):
    if not version.is_draft:
        raise MeetingError(_("Dit beleid is geen concept meer. Een teamvergadering kan alleen over een concept."))
    decisions = list(version.decisions.filter(pk__in=[d.pk for d in decisions]).select_related("theme", "example"))
    if not decisions:
        raise MeetingError(_("Kies minstens één afspraak om te bespreken."))
    for _attempt in range(10):
        try:
            with transaction.atomic():
                meeting = Meeting.objects.create(
                    version=version, join_code=_free_code(), audience=audience, hide_tally=hide_tally, created_by=by
                )
            break
        except IntegrityError:  # another meeting took the same code at the same moment
            continue
    else:
        raise MeetingError(_("Er ging iets mis bij het maken van een code. Probeer het opnieuw."))
    items = Item.objects.bulk_create(
        Item(meeting=meeting, decision=d, position=n, code=d.code, text=d.current_text)
        for n, d in enumerate(decisions, 1)
    )
    meeting.current_item = items[0]
    meeting.save(update_fields=["current_item"])
    return meeting


def _free_code():
    while True:
        code = new_join_code()
        if not Meeting.objects.open().filter(join_code=code).exists():
            return code


def _lock(meeting):
    """Re-read the meeting locked, so that two leader actions never interleave."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_open:
        raise MeetingError(_("De vergadering is afgelopen."))
    return meeting


def _close_open_items(meeting, now):
    Item.objects.filter(meeting=meeting, status=Item.Status.OPEN).update(status=Item.Status.CLOSED, closed_at=now)


@transaction.atomic
def show_item(*, meeting, item):
    """Make `item` the one on the screen and the phones. Voting on the previous item closes."""
    meeting = _lock(meeting)
    if meeting.current_item_id != item.pk:
        _close_open_items(meeting, timezone.now())
        meeting.current_item = item
        meeting.save(update_fields=["current_item"])
    stamps.leader_changed(meeting.pk)
    return meeting


@transaction.atomic
def step(*, meeting, forward):
    """Next (forward=True) or previous item."""
    meeting = _lock(meeting)
    items = list(meeting.items.values_list("pk", flat=True))
    index = items.index(meeting.current_item_id) if meeting.current_item_id in items else -1
    target = index + 1 if forward else index - 1
    if not 0 <= target < len(items):
        raise MeetingError(_("Dit is de laatste afspraak.") if forward else _("Dit is de eerste afspraak."))
    _close_open_items(meeting, timezone.now())
    meeting.current_item_id = items[target]
    meeting.save(update_fields=["current_item"])
    stamps.leader_changed(meeting.pk)
    return meeting


@transaction.atomic
def open_item(*, meeting, item):
    """Open voting on `item` (also after it was closed); it becomes the current item."""
    meeting = _lock(meeting)
    now = timezone.now()
    _close_open_items(meeting, now)
    items = Item.objects.select_for_update(of=("self",)).select_related("decision__example")
    item = items.get(pk=item.pk, meeting=meeting)
    if item.status == Item.Status.PENDING:
        item.text = item.decision.current_text  # the text as it is now is the text put to the vote
    item.status = Item.Status.OPEN
    item.opened_at = now
    item.closed_at = None
    item.save(update_fields=["text", "status", "opened_at", "closed_at"])
    meeting.current_item = item
    meeting.save(update_fields=["current_item"])
    stamps.leader_changed(meeting.pk)
    return item


@transaction.atomic
def close_item(*, meeting, item):
    _lock(meeting)
    item = Item.objects.select_for_update().get(pk=item.pk, meeting=meeting)
    if item.status != Item.Status.OPEN:
        raise MeetingError(_("De stemming over deze afspraak is niet open."))
    item.status = Item.Status.CLOSED
    item.closed_at = timezone.now()
    item.save(update_fields=["status", "closed_at"])
    stamps.leader_changed(meeting.pk)
    return item


@transaction.atomic
def set_hide_tally(*, meeting, hide):
    meeting = _lock(meeting)
    meeting.hide_tally = hide
    meeting.save(update_fields=["hide_tally"])
    stamps.leader_changed(meeting.pk)
    return meeting


@transaction.atomic
def close_meeting(*, meeting):
    meeting = _lock(meeting)
    now = timezone.now()
    _close_open_items(meeting, now)
    meeting.status = Meeting.Status.CLOSED
    meeting.closed_at = now
    meeting.save(update_fields=["status", "closed_at"])
    stamps.leader_changed(meeting.pk)
    return meeting


# --- Joining and voting -----------------------------------------------------------------------


@transaction.atomic
def join(*, meeting, name="", user=None):
    """A new participant; in a members-only meeting the user's own participant (one per user)."""
    if not meeting.is_open:
        raise MeetingError(_("Deze vergadering is afgelopen. Meedoen kan niet meer."))
    if meeting.members_only:
        if user is None or not Membership.objects.is_member(user, meeting.version.policy.school_id):
            raise MeetingError(_("Alleen teamleden van de school kunnen meedoen. Log in met je eigen account."))
        participant, created = Participant.objects.get_or_create(meeting=meeting, user=user,
                                                                 defaults={"name": name or user.name})
        if not created and name and participant.name != name:
            participant.name = name
            participant.save(update_fields=["name"])
        if created:
            stamps.tally_changed(meeting.pk)
        return participant
    if meeting.participants.count() >= MAX_PARTICIPANTS:
        raise MeetingError(_("Deze vergadering is vol. Vraag de schoolleider om hulp."))
    participant = Participant.objects.create(meeting=meeting, name=name)
    stamps.tally_changed(meeting.pk)
    return participant


def check_vote_rate(participant):
    """At most VOTES_PER_MINUTE vote requests per participant (counted in Redis, exact across web processes)."""
    if over_limit("vote", participant.pk, VOTES_PER_MINUTE, 60):
        raise VoteRefused(_("Je stemt heel vaak achter elkaar. Wacht een minuut en probeer het dan opnieuw."),
                          reason=VoteRefused.TOO_OFTEN)


def cast_vote(*, participant, item_id, choice, comment=""):
    """Record or change this participant's vote on an item: an idempotent upsert, one ballot per
    participant and item. Refused when the item is not open or not of the participant's meeting."""
    if choice not in Ballot.Choice.values:
        raise VoteRefused(_("Kies steun, steun met aanpassing of geen steun."), reason=VoteRefused.INVALID)
    check_vote_rate(participant)
    for attempt in range(3):
        try:
            with transaction.atomic():
                # The lock makes a vote and the leader closing the item take turns (PostgreSQL);
                # SQLite's immediate transactions do the same.
                item = (
                    Item.objects.select_for_update(of=("self",))
                    .select_related("meeting")
                    .filter(pk=item_id)
                    .first()
                )
                _check_can_vote(item, participant)
                ballot, _created = Ballot.objects.update_or_create(
                    item=item, participant=participant, defaults={"choice": choice, "comment": comment.strip()}
                )
                stamps.tally_changed(item.meeting_id)
                return ballot
        except IntegrityError:
            # A simultaneous request inserted the ballot first: the next attempt updates it.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _check_can_vote(item, participant):
    if item is None or item.meeting_id != participant.meeting_id:
        raise VoteRefused(_("Deze afspraak hoort niet bij deze vergadering. Je stem is niet meegeteld."))
    if not item.meeting.is_open:
        raise VoteRefused(_("De vergadering is afgelopen. Stemmen kan niet meer."))
    if item.status == Item.Status.PENDING:
        raise VoteRefused(_("De stemming over deze afspraak is nog niet open."))
    if item.status == Item.Status.CLOSED:
        raise VoteRefused(_("De stemming over deze afspraak is gesloten. Je stem is niet meer veranderd."))


# --- The outcome ------------------------------------------------------------------------------


@transaction.atomic
def apply_outcome(*, meeting, outcomes, by):
    """Apply the leader's outcome per item to the draft: {item_id: Decision.Choice or None (skip)}.

    Only closed items not applied before. Each decision records the meeting's date and counts, and
    its revision is bumped (so an open wizard form gets a conflict instead of overwriting this).
    """
    version = PolicyVersion.objects.select_for_update().get(pk=meeting.version_id)
    if not version.is_draft:
        raise MeetingError(
            _("Dit beleid is geen concept meer. De uitkomst kan niet meer in het beleid worden verwerkt.")
        )
    date = timezone.localdate(meeting.created_at)
    items = (
        meeting.items.with_counts()
        .filter(status=Item.Status.CLOSED, applied_at__isnull=True, pk__in=list(outcomes))
        .select_related("decision__example")
    )
    applied = []
    now = timezone.now()
    for item in items:
        outcome = outcomes[item.pk]
        if not outcome:
            continue
        decision = Decision.objects.select_for_update(of=("self",)).select_related("example").get(pk=item.decision_id)
        _apply_to_decision(decision, outcome, item=item, date=date, by=by)
        item.outcome = outcome
        item.applied_at = now
        item.save(update_fields=["outcome", "applied_at"])
        applied.append(item)
    if applied:
        _refresh_record(meeting)
    return applied


# --- The record as PDF (rendered by the worker, like the policy) -------------------------------------


def request_record(*, meeting, by, site_url):
    """The meeting's record PDF, queued and enqueued once; asking again returns the same row (a failed one is
    queued again). Only for a meeting that is over: the record says what was decided."""
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().select_related("version").get(pk=meeting.pk)
        if meeting.is_open:
            raise MeetingError(_("Het verslag als pdf kan pas als de vergadering is afgelopen."))
        return queue_document(version=meeting.version, meeting=meeting, edition=RenderedDocument.RECORD, by=by,
                              site_url=site_url)


def _refresh_record(meeting):
    """An outcome applied after the record was made: make it again, so the PDF never shows an older outcome."""
    document = RenderedDocument.objects.select_for_update().filter(meeting=meeting).first()
    if document is not None and not document.is_pending:
        requeue(document)


def _apply_to_decision(decision, outcome, *, item, date, by):
    if outcome == Decision.Choice.ADOPT:
        # Support for an amended text keeps that text: the team supported the text it was shown.
        if not (decision.example_id and decision.choice == Decision.Choice.AMEND and decision.text):
            decision.choice = Decision.Choice.ADOPT
    elif outcome == Decision.Choice.AMEND:
        if not decision.text:
            decision.text = decision.current_text  # a starting point to amend in the wizard
        decision.choice = Decision.Choice.AMEND
        comments = item.ballots.exclude(comment="").order_by("comment").values_list("comment", flat=True)
        Comment.objects.bulk_create(
            Comment(decision=decision, author=by, text=COMMENT_PREFIX + text) for text in comments
        )
    elif outcome == Decision.Choice.REJECT:
        decision.choice = Decision.Choice.REJECT
        decision.reason = f"Geen steun in de teamvergadering van {date:%d-%m-%Y}."
    else:
        raise MeetingError(_("Kies een uitkomst."))
    decision.meeting_date = date
    decision.votes_support = item.votes_support
    decision.votes_support_amended = item.votes_support_amended
    decision.votes_against = item.votes_against
    decision.updated_by = by
    decision.revision += 1  # the row is locked: no other write can come in between
    decision.save()
