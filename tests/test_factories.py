"""The test data factories make rows that hang together the way the application makes them."""

import pytest

import tests.factories as factories
from agreements.models import Decision, ExampleAgreement, PolicyVersion, Theme
from tests.factories import (
    PASSWORD,
    BallotFactory,
    DecisionFactory,
    ItemFactory,
    MeetingFactory,
    PolicyVersionFactory,
    UserFactory,
)

pytestmark = pytest.mark.usefixtures("content")

ALL = [name for name in factories.__all__ if name.endswith("Factory")]


@pytest.mark.parametrize("name", ALL)
def test_each_factory_saves_a_row(name):
    factory = getattr(factories, name)
    obj = factory()
    assert factory._meta.model.objects.filter(pk=obj.pk).exists()


def test_there_is_a_factory_for_every_model_but_the_content_library():
    from django.apps import apps

    content = {"Source", "ConversationPrompt", "Theme", "GuidelineCategory", "Guideline", "KeyRequirement",
               "GuidingQuestion", "ExampleAgreement", "GlossaryTerm", "Section", "ChecklistItem"}
    models = {m.__name__ for m in apps.get_app_config("agreements").get_models()}
    models = {name for name in models if not name.startswith("Historical")}  # django-simple-history's
    assert {getattr(factories, name)._meta.model.__name__ for name in ALL} == models - content


def test_a_user_signs_in_with_the_shared_password():
    assert UserFactory().check_password(PASSWORD)


def test_own_agreements_are_numbered_per_theme_and_an_example_keeps_its_theme_and_number():
    version = PolicyVersionFactory()
    first, second = DecisionFactory(version=version), DecisionFactory(version=version)
    example = ExampleAgreement.objects.get(theme__number=5, number=2)
    on_example = DecisionFactory(version=version, example=example)

    assert [(d.code, d.choice) for d in (first, second)] == [("1.E1", "adopt"), ("1.E2", "adopt")]
    assert (on_example.code, on_example.choice, on_example.text) == ("5.2", Decision.Choice.OPEN, "")
    assert on_example.theme == Theme.objects.get(number=5)


def test_a_second_version_of_a_policy_gets_the_next_number():
    first = PolicyVersionFactory(status=PolicyVersion.Status.ADOPTED)  # one draft per policy at a time
    assert PolicyVersionFactory(policy=first.policy).number == 2


def test_items_and_ballots_stay_inside_one_meeting():
    meeting = MeetingFactory()
    first, second = ItemFactory(meeting=meeting), ItemFactory(meeting=meeting)
    ballot = BallotFactory(item=second)

    assert [(i.position, i.decision.version_id) for i in (first, second)] == [(1, meeting.version_id),
                                                                               (2, meeting.version_id)]
    assert (second.code, second.text) == (second.decision.code, second.decision.text)
    assert ballot.participant.meeting == meeting
