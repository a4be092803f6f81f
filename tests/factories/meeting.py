"""Team meetings: meetings, agenda items, participants (phones) and ballots (agreements/models/meeting.py).

A meeting with its agenda as the leader sets it up is `agreements.services.meetings.create_meeting`; these
factories make single rows. For many ballots at once, build them and bulk_create (see tests that count).
"""

import factory

from agreements.models import Ballot, Item, Meeting, Participant
from agreements.models.meeting import new_join_code

from .policy import DecisionFactory, PolicyVersionFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    version = factory.SubFactory(PolicyVersionFactory)
    join_code = factory.LazyFunction(new_join_code)
    audience = Meeting.Audience.ANYONE


class ItemFactory(factory.django.DjangoModelFactory):
    """The next agreement on the meeting's agenda, by default a new own agreement of the meeting's version."""

    class Meta:
        model = Item

    meeting = factory.SubFactory(MeetingFactory)
    decision = factory.SubFactory(DecisionFactory, version=factory.SelfAttribute("..meeting.version"))
    position = factory.LazyAttribute(lambda o: o.meeting.items.count() + 1 if o.meeting.pk else 1)
    code = factory.LazyAttribute(lambda o: o.decision.code)
    text = factory.LazyAttribute(lambda o: o.decision.current_text)


class ParticipantFactory(factory.django.DjangoModelFactory):
    """A phone that joined without a name (the name may stay empty)."""

    class Meta:
        model = Participant

    meeting = factory.SubFactory(MeetingFactory)


class BallotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ballot

    item = factory.SubFactory(ItemFactory)
    participant = factory.SubFactory(ParticipantFactory, meeting=factory.SelfAttribute("..item.meeting"))
    choice = Ballot.Choice.SUPPORT
