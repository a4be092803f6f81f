"""The meeting's rules: codes, one ballot per participant and item, refusals, counting, the outcome."""


import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from agreements.models import Ballot, Comment, Decision, Item, Meeting, Participant
from agreements.models.meeting import JOIN_CODE_ALPHABET
from agreements.queries import meetings as queries
from agreements.services import meetings as services
from agreements.services.meetings import MeetingError, VoteRefused
from agreements.services.policy import start_policy
from tests.factories import BallotFactory, DecisionFactory, ParticipantFactory

SUPPORT, AMENDED, AGAINST = Ballot.Choice.SUPPORT, Ballot.Choice.SUPPORT_AMENDED, Ballot.Choice.AGAINST


@pytest.fixture
def draft(content, school, leader):
    return start_policy(school=school, by=leader)


def make_meeting(draft, leader, decisions=None, **kwargs):
    kwargs.setdefault("audience", Meeting.Audience.ANYONE)
    kwargs.setdefault("hide_tally", False)
    decisions = decisions if decisions is not None else list(draft.decisions.all()[:3])
    return services.create_meeting(version=draft, decisions=decisions, by=leader, **kwargs)


@pytest.fixture
def meeting(draft, leader):
    return make_meeting(draft, leader)


def first_item(meeting):
    return meeting.items.get(position=1)


def open_first(meeting):
    return services.open_item(meeting=meeting, item=first_item(meeting))


def vote(participant, item, choice, comment=""):
    return services.cast_vote(participant=participant, item_id=item.pk, choice=choice, comment=comment)


# --- Setting up -------------------------------------------------------------------------------


def test_default_agreements_are_the_open_amended_and_own_ones(draft, leader):
    decisions = list(draft.decisions.all())
    decisions[0].choice = Decision.Choice.ADOPT
    decisions[1].choice = Decision.Choice.AMEND
    decisions[2].choice = Decision.Choice.REJECT
    for d in decisions[:3]:
        d.save()
    own = DecisionFactory(version=draft, theme=decisions[0].theme,
                          text="We bespreken AI elk jaar in de teamvergadering.")
    expected = {d.pk for d in decisions[3:]} | {decisions[1].pk, own.pk}
    assert set(queries.default_decisions(draft).values_list("pk", flat=True)) == expected


def test_a_meeting_puts_the_chosen_agreements_on_the_agenda_in_order(draft, leader):
    chosen = list(draft.decisions.all()[2:5])
    meeting = make_meeting(draft, leader, decisions=list(reversed(chosen)))
    items = list(meeting.items.all())
    assert [i.decision_id for i in items] == [d.pk for d in chosen]
    assert [i.position for i in items] == [1, 2, 3]
    assert items[0].text == chosen[0].example.text
    assert meeting.current_item == items[0]
    assert all(i.status == Item.Status.PENDING for i in items)


def test_join_code_has_six_characters_without_look_alikes(draft, leader):
    codes = {make_meeting(draft, leader).join_code for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == 6
        assert set(code) <= set(JOIN_CODE_ALPHABET)
        assert not set(code) & set("0O1IL")


def test_two_open_meetings_cannot_share_a_code_but_a_closed_one_can(draft, leader):
    first = make_meeting(draft, leader)
    with pytest.raises(IntegrityError), transaction.atomic():
        Meeting.objects.create(version=draft, join_code=first.join_code)
    services.close_meeting(meeting=first)
    again = Meeting.objects.create(version=draft, join_code=first.join_code)
    assert again.join_code == first.join_code


def test_a_meeting_needs_at_least_one_agreement(draft, leader):
    with pytest.raises(MeetingError, match="minstens één afspraak"):
        make_meeting(draft, leader, decisions=[])


def test_a_meeting_on_a_finalised_version_is_refused(draft, leader):
    draft.status = draft.Status.AWAITING_CONSENT
    draft.save()
    with pytest.raises(MeetingError, match="geen concept"):
        make_meeting(draft, leader)


# --- Leading ----------------------------------------------------------------------------------


def test_opening_an_item_makes_it_current_and_closes_the_open_one(meeting):
    first, second = meeting.items.all()[:2]
    services.open_item(meeting=meeting, item=first)
    services.open_item(meeting=meeting, item=second)
    first.refresh_from_db()
    second.refresh_from_db()
    meeting.refresh_from_db()
    assert first.status == Item.Status.CLOSED and first.closed_at
    assert second.status == Item.Status.OPEN
    assert meeting.current_item == second


def test_next_and_previous_move_the_current_item_and_close_voting(meeting):
    first = open_first(meeting)
    services.step(meeting=meeting, forward=True)
    meeting.refresh_from_db()
    first.refresh_from_db()
    assert meeting.current_item.position == 2
    assert first.status == Item.Status.CLOSED
    services.step(meeting=meeting, forward=False)
    meeting.refresh_from_db()
    assert meeting.current_item.position == 1
    with pytest.raises(MeetingError, match="eerste afspraak"):
        services.step(meeting=meeting, forward=False)


def test_next_on_the_last_item_is_refused(meeting):
    services.show_item(meeting=meeting, item=meeting.items.get(position=3))
    with pytest.raises(MeetingError, match="laatste afspraak"):
        services.step(meeting=meeting, forward=True)


def test_a_closed_item_can_be_opened_again_and_keeps_its_ballots(meeting):
    item = open_first(meeting)
    participant = services.join(meeting=meeting, name="Anne")
    vote(participant, item, SUPPORT)
    services.close_item(meeting=meeting, item=item)
    services.open_item(meeting=meeting, item=item)
    vote(participant, item, AGAINST)
    assert list(item.ballots.values_list("choice", flat=True)) == [AGAINST]


def test_closing_the_meeting_closes_the_open_item(meeting):
    item = open_first(meeting)
    services.close_meeting(meeting=meeting)
    item.refresh_from_db()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED and meeting.closed_at
    assert item.status == Item.Status.CLOSED
    with pytest.raises(MeetingError, match="afgelopen"):
        services.open_item(meeting=meeting, item=item)


# --- Voting -----------------------------------------------------------------------------------


def test_a_changed_vote_replaces_the_earlier_one(meeting):
    item = open_first(meeting)
    participant = services.join(meeting=meeting, name="Anne")
    vote(participant, item, SUPPORT)
    vote(participant, item, AMENDED, comment="  Korter graag. ")
    assert list(Ballot.objects.values_list("item", "participant", "choice", "comment")) == [
        (item.pk, participant.pk, AMENDED, "Korter graag.")
    ]


def test_the_same_vote_twice_gives_one_ballot(meeting):
    item = open_first(meeting)
    participant = services.join(meeting=meeting)
    vote(participant, item, SUPPORT)
    vote(participant, item, SUPPORT)
    assert Ballot.objects.filter(item=item).count() == 1


def test_the_database_refuses_a_second_ballot_for_the_same_item(meeting):
    item = open_first(meeting)
    participant = services.join(meeting=meeting)
    BallotFactory(item=item, participant=participant, choice=SUPPORT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(item=item, participant=participant, choice=AGAINST)


def test_a_vote_on_an_item_not_yet_open_is_refused(meeting):
    participant = services.join(meeting=meeting)
    with pytest.raises(VoteRefused, match="nog niet open"):
        vote(participant, first_item(meeting), SUPPORT)
    assert not Ballot.objects.exists()


def test_a_vote_on_a_closed_item_is_refused(meeting):
    item = open_first(meeting)
    participant = services.join(meeting=meeting)
    vote(participant, item, SUPPORT)
    services.close_item(meeting=meeting, item=item)
    with pytest.raises(VoteRefused, match="gesloten") as refused:
        vote(participant, item, AGAINST)
    assert refused.value.reason == VoteRefused.NOT_NOW
    assert list(Ballot.objects.values_list("choice", flat=True)) == [SUPPORT]


def test_a_vote_on_an_item_of_another_meeting_is_refused(draft, leader, meeting):
    other = make_meeting(draft, leader)
    other_item = open_first(other)
    open_first(meeting)
    participant = services.join(meeting=meeting)
    with pytest.raises(VoteRefused, match="hoort niet bij deze vergadering"):
        vote(participant, other_item, SUPPORT)
    assert not Ballot.objects.exists()


def test_a_vote_after_the_meeting_closed_is_refused(meeting):
    item = open_first(meeting)
    participant = services.join(meeting=meeting)
    services.close_meeting(meeting=meeting)
    Item.objects.filter(pk=item.pk).update(status=Item.Status.OPEN)  # even if an item were left open
    with pytest.raises(VoteRefused, match="vergadering is afgelopen"):
        vote(participant, item, SUPPORT)


def test_an_unknown_choice_is_refused(meeting):
    item = open_first(meeting)
    participant = services.join(meeting=meeting)
    with pytest.raises(VoteRefused, match="Kies steun"):
        vote(participant, item, "maybe")


def test_vote_requests_are_rate_limited_per_participant(meeting):
    item = open_first(meeting)
    busy, calm = services.join(meeting=meeting), services.join(meeting=meeting)
    for _ in range(services.VOTES_PER_MINUTE):
        vote(busy, item, SUPPORT)
    with pytest.raises(VoteRefused, match="Wacht een minuut") as refused:
        vote(busy, item, AGAINST)
    assert refused.value.reason == VoteRefused.TOO_OFTEN
    vote(calm, item, AGAINST)
    assert dict(Ballot.objects.values_list("participant", "choice")) == {busy.pk: SUPPORT, calm.pk: AGAINST}


def test_joining_a_closed_meeting_is_refused(meeting):
    meeting = services.close_meeting(meeting=meeting)
    with pytest.raises(MeetingError, match="afgelopen"):
        services.join(meeting=meeting, name="Laat")


def test_members_only_meeting_admits_members_once(draft, leader, teacher, other_leader):
    meeting = make_meeting(draft, leader, audience=Meeting.Audience.MEMBERS)
    with pytest.raises(MeetingError, match="Alleen teamleden"):
        services.join(meeting=meeting, name="Buiten", user=other_leader)
    with pytest.raises(MeetingError, match="Alleen teamleden"):
        services.join(meeting=meeting, name="Anoniem", user=None)
    first = services.join(meeting=meeting, user=teacher)
    again = services.join(meeting=meeting, user=teacher)
    assert first == again
    assert first.name == "Tim Leraar"
    assert Participant.objects.filter(meeting=meeting).count() == 1


# --- Counting ---------------------------------------------------------------------------------


def test_tally_counts_each_choice_on_the_item_and_who_joined(meeting):
    item = open_first(meeting)
    people = [services.join(meeting=meeting) for _ in range(5)]
    for person, choice in zip(people, [SUPPORT, SUPPORT, AMENDED, AGAINST], strict=False):
        vote(person, item, choice)
    second = meeting.items.get(position=2)
    services.open_item(meeting=meeting, item=second)
    vote(people[0], second, AGAINST)  # votes on another item do not count for this one
    tally = queries.tally(meeting=meeting, item=item)
    assert (tally.joined, tally.support, tally.support_amended, tally.against, tally.total) == (5, 2, 1, 1, 4)
    assert [(r.label, r.count, r.percent) for r in tally.rows] == [
        ("Steun", 2, 50), ("Steun met aanpassing", 1, 25), ("Geen steun", 1, 25)
    ]
    assert tally.suggested_outcome == Decision.Choice.ADOPT


def test_a_tie_has_no_suggested_outcome():
    tally = queries.Tally(joined=4, support=2, support_amended=0, against=2)
    assert tally.is_tie
    assert tally.suggested_outcome is None


def test_no_votes_is_no_tie_and_no_suggestion():
    tally = queries.Tally(joined=4)
    assert not tally.is_tie
    assert tally.suggested_outcome is None
    assert [r.percent for r in tally.rows] == [0, 0, 0]


# --- The outcome ------------------------------------------------------------------------------


def ballots(item, meeting, choices, comments=()):
    comments = list(comments) + [""] * (len(choices) - len(comments))
    people = Participant.objects.bulk_create(ParticipantFactory.build_batch(len(choices), meeting=meeting))
    Ballot.objects.bulk_create(BallotFactory.build(item=item, participant=p, choice=c, comment=t)
                               for p, c, t in zip(people, choices, comments, strict=True))


@pytest.fixture
def voted(meeting):
    """Three closed items: a majority for steun, for steun met aanpassing, and for geen steun."""
    items = list(meeting.items.all())
    ballots(items[0], meeting, [SUPPORT, SUPPORT, AGAINST])
    ballots(items[1], meeting, [AMENDED, AMENDED, SUPPORT], comments=["Zeg erbij welke tools.", "Korter."])
    ballots(items[2], meeting, [AGAINST, AGAINST, AMENDED])
    Item.objects.filter(meeting=meeting).update(status=Item.Status.CLOSED, closed_at=timezone.now())
    return items


def suggested(meeting):
    return {i.pk: queries.item_tally(i).suggested_outcome for i in meeting.items.with_counts()}


def test_the_outcome_follows_the_majority_and_records_date_and_counts(meeting, voted, leader):
    services.apply_outcome(meeting=meeting, outcomes=suggested(meeting), by=leader)
    adopted, amended, rejected = (Decision.objects.get(pk=i.decision_id) for i in voted)
    date = timezone.localdate(meeting.created_at)
    assert (adopted.choice, adopted.meeting_date, adopted.votes_support, adopted.votes_support_amended,
            adopted.votes_against) == (Decision.Choice.ADOPT, date, 2, 0, 1)
    assert (amended.choice, amended.votes_support, amended.votes_support_amended, amended.votes_against) == (
        Decision.Choice.AMEND, 1, 2, 0)
    assert amended.text == voted[1].decision.example.text
    assert (rejected.choice, rejected.votes_against) == (Decision.Choice.REJECT, 2)
    assert rejected.reason == f"Geen steun in de teamvergadering van {date:%d-%m-%Y}."
    assert all(d.updated_by == leader for d in (adopted, amended, rejected))


def test_comments_go_with_an_amended_agreement(meeting, voted, leader):
    services.apply_outcome(meeting=meeting, outcomes=suggested(meeting), by=leader)
    comments = Comment.objects.filter(decision_id=voted[1].decision_id)
    assert sorted(comments.values_list("text", flat=True)) == [
        "Uit de teamvergadering: Korter.", "Uit de teamvergadering: Zeg erbij welke tools."
    ]
    assert {c.author for c in comments} == {leader}
    assert not Comment.objects.exclude(decision_id=voted[1].decision_id).exists()


def test_the_leader_overrides_an_outcome(meeting, voted, leader):
    outcomes = suggested(meeting)
    outcomes[voted[0].pk] = Decision.Choice.REJECT
    outcomes[voted[2].pk] = None  # not applied now
    services.apply_outcome(meeting=meeting, outcomes=outcomes, by=leader)
    first = Decision.objects.get(pk=voted[0].decision_id)
    untouched = Decision.objects.get(pk=voted[2].decision_id)
    assert first.choice == Decision.Choice.REJECT
    assert (untouched.choice, untouched.meeting_date, untouched.revision) == (Decision.Choice.OPEN, None, 1)
    assert Item.objects.get(pk=voted[2].pk).applied_at is None


def test_applying_bumps_the_revision_and_records_history(meeting, voted, leader):
    services.apply_outcome(meeting=meeting, outcomes=suggested(meeting), by=leader)
    decision = Decision.objects.get(pk=voted[0].decision_id)
    assert decision.revision == 2
    assert decision.history.first().votes_support == 2


def test_an_item_is_applied_only_once(meeting, voted, leader):
    services.apply_outcome(meeting=meeting, outcomes=suggested(meeting), by=leader)
    applied = services.apply_outcome(meeting=meeting, outcomes=suggested(meeting), by=leader)
    assert applied == []
    assert Decision.objects.get(pk=voted[0].decision_id).revision == 2
    assert Comment.objects.count() == 2


def test_an_open_item_is_not_applied(meeting, voted, leader):
    Item.objects.filter(pk=voted[0].pk).update(status=Item.Status.OPEN)
    services.apply_outcome(meeting=meeting, outcomes=suggested(meeting), by=leader)
    assert Decision.objects.get(pk=voted[0].decision_id).choice == Decision.Choice.OPEN


def test_support_for_an_amended_text_keeps_that_text(meeting, voted, leader):
    decision = voted[0].decision
    decision.choice, decision.text = Decision.Choice.AMEND, "Onze eigen versie."
    decision.save()
    services.apply_outcome(meeting=meeting, outcomes=suggested(meeting), by=leader)
    decision.refresh_from_db()
    assert (decision.choice, decision.text, decision.votes_support) == (Decision.Choice.AMEND, "Onze eigen versie.", 2)


def test_the_outcome_is_refused_when_the_version_is_no_longer_a_draft(meeting, voted, leader, draft):
    draft.status = draft.Status.AWAITING_CONSENT
    draft.save()
    with pytest.raises(MeetingError, match="geen concept meer"):
        services.apply_outcome(meeting=meeting, outcomes=suggested(meeting), by=leader)
    assert not Decision.objects.filter(meeting_date__isnull=False).exists()
    assert not Item.objects.filter(applied_at__isnull=False).exists()
