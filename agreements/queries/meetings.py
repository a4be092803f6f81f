"""Reads of a team meeting: what it discusses by default, the tally (one counting path), results, comments."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Ballot, Decision, Item, Participant

# Which outcome a majority of each kind of ballot suggests.
SUGGESTED_OUTCOME = {
    Ballot.Choice.SUPPORT: Decision.Choice.ADOPT,
    Ballot.Choice.SUPPORT_AMENDED: Decision.Choice.AMEND,
    Ballot.Choice.AGAINST: Decision.Choice.REJECT,
}


def default_decisions(version):
    """What a meeting discusses unless the leader chooses otherwise: open, amended and own agreements."""
    return version.decisions.filter(
        Q(choice__in=[Decision.Choice.OPEN, Decision.Choice.AMEND]) | Q(example__isnull=True)
    )


@dataclass
class TallyRow:
    choice: str
    label: str
    count: int
    percent: int


@dataclass
class Tally:
    joined: int
    support: int = 0
    support_amended: int = 0
    against: int = 0

    @classmethod
    def of(cls, item, joined=0):
        """The Tally of an item annotated by ItemQuerySet.with_counts(), or of a decision's recorded meeting result
        (its votes_* fields, empty when no meeting voted on it)."""
        return cls(joined=joined, support=item.votes_support or 0, support_amended=item.votes_support_amended or 0,
                   against=item.votes_against or 0)

    @property
    def total(self):
        return self.support + self.support_amended + self.against

    @property
    def rows(self):
        counts = {
            Ballot.Choice.SUPPORT: self.support,
            Ballot.Choice.SUPPORT_AMENDED: self.support_amended,
            Ballot.Choice.AGAINST: self.against,
        }
        total = self.total
        return [
            TallyRow(choice.value, choice.label, count, round(count * 100 / total) if total else 0)
            for choice, count in counts.items()
        ]

    @property
    def leading(self):
        """The choice with the most votes; None without votes or on a tie."""
        rows = sorted(self.rows, key=lambda r: r.count, reverse=True)
        if not rows[0].count or rows[0].count == rows[1].count:
            return None
        return rows[0].choice

    @property
    def is_tie(self):
        return self.total > 0 and self.leading is None

    @property
    def leading_label(self):
        return Ballot.Choice(self.leading).label if self.leading else ""

    @property
    def suggested_outcome(self):
        return SUGGESTED_OUTCOME[self.leading] if self.leading else None

    @property
    def suggested_label(self):
        return Decision.Choice(self.suggested_outcome).label if self.leading else ""


def tally(*, meeting, item):
    """How many joined and the counts on `item`: one query, counted by ItemQuerySet.with_counts()."""
    if item is None:
        return Tally(joined=meeting.participants.count())
    joined = (
        Participant.objects.filter(meeting=OuterRef("meeting")).order_by().values("meeting")
        .annotate(n=Count("pk")).values("n")
    )
    counted = (
        Item.objects.with_counts()
        .annotate(joined=Coalesce(Subquery(joined, output_field=IntegerField()), 0))
        .get(pk=item.pk)
    )
    return Tally.of(counted, joined=counted.joined)


def item_tally(item):
    """The Tally of an item from ItemQuerySet.with_counts() (no query)."""
    return Tally.of(item)


def agenda(meeting):
    """The meeting's items with their counts, and where the current item stands among them."""
    items = list(meeting.items.select_related("decision__example").with_counts())
    position = next((n for n, item in enumerate(items, 1) if item.pk == meeting.current_item_id), 0)
    return {"items": items, "position": position, "is_first": position <= 1, "is_last": position == len(items)}


def current_place(meeting):
    """Whether the current item is the first or the last on the agenda (one small query): the controls' state."""
    ids = list(meeting.items.values_list("pk", flat=True))
    position = ids.index(meeting.current_item_id) + 1 if meeting.current_item_id in ids else 0
    return {"is_first": position <= 1, "is_last": position == len(ids)}


def result_rows(meeting):
    """[(item, tally)] for every item of the meeting, in order (one query)."""
    return [(item, item_tally(item)) for item in meeting.items.select_related("decision__example").with_counts()]


def anonymous_comments(meeting):
    """The ballots' comments per item, without anything that says who wrote them (ordered by text)."""
    comments = {}
    ballots = Ballot.objects.filter(item__meeting=meeting).exclude(comment="").order_by("item", "comment")
    for item_id, text in ballots.values_list("item_id", "comment"):
        comments.setdefault(item_id, []).append(text)
    return comments


def ballot_of(item, participant):
    """This participant's ballot on the item, or None."""
    if item is None or participant is None:
        return None
    return Ballot.objects.filter(item=item, participant=participant).first()


# --- The meeting record: what the team decided, without a name of anyone who voted ----------------


@dataclass
class RecordEntry:
    item: Item
    tally: Tally
    comments: list

    @property
    def status_label(self):
        return self.item.get_status_display()

    @property
    def outcome_label(self):
        return self.item.get_outcome_display() if self.item.outcome else ""

    @property
    def verdict(self):
        """One honest sentence about the votes: none, never opened, a tie or the most votes."""
        if self.item.status == Item.Status.PENDING:
            return _("Niet in stemming gebracht.")
        if not self.tally.total:
            return _("Geen stemmen.")
        if self.tally.is_tie:
            return _("De stemmen staken: er is geen meerderheid.")
        return _("De meeste stemmen: %(label)s.") % {"label": self.tally.leading_label.lower()}


def record(meeting):
    """The meeting record: school, date and per agenda item its text, counts, percentages, verdict, the outcome
    applied to the draft and the comments without names (two queries)."""
    comments = anonymous_comments(meeting)
    entries = [RecordEntry(item, tally, comments.get(item.pk, [])) for item, tally in result_rows(meeting)]
    return {
        "meeting": meeting,
        "school": meeting.version.policy.school,
        "version": meeting.version,
        "date": timezone.localdate(meeting.created_at),
        "entries": entries,
        "voted_items": sum(1 for e in entries if e.tally.total),
        "applied_items": sum(1 for e in entries if e.item.outcome),
    }


def record_table(record):
    """The record as rows for a spreadsheet: a header and one row per agenda item (no names of voters)."""
    header = [_("Nummer"), _("Code"), _("Afspraak"), _("Status"), _("Steun"), _("Steun met aanpassing"),
              _("Geen steun"), _("Totaal"), _("Steun (%)"), _("Steun met aanpassing (%)"), _("Geen steun (%)"),
              _("Uitslag"), _("Uitkomst in het concept"), _("Opmerkingen")]
    rows = []
    for entry in record["entries"]:
        tally = entry.tally
        percents = [row.percent for row in tally.rows]
        rows.append([entry.item.position, entry.item.code, entry.item.text, entry.status_label, tally.support,
                     tally.support_amended, tally.against, tally.total, *percents, entry.verdict, entry.outcome_label,
                     "\n".join(entry.comments)])
    return header, rows
