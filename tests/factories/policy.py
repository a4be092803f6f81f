"""A school's policy: versions, theme states, decisions, actions, comments (agreements/models/policy.py).

A full draft with a decision per example agreement and a state per theme is what the wizard starts from;
tests that need one call `agreements.services.policy.start_policy` (that is the behaviour). These factories
make single rows. Themes and example agreements come from the loaded content library.
"""

import factory
from django.db.models import Max

from agreements.models import Action, Comment, Decision, Policy, PolicyVersion, Theme, ThemeState

from .school import SchoolFactory, UserFactory


def first_theme():
    return Theme.objects.get(number=1)


class PolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Policy

    school = factory.SubFactory(SchoolFactory)


class PolicyVersionFactory(factory.django.DjangoModelFactory):
    """Version 1 (the next number on an existing policy), a draft unless `status` says otherwise."""

    class Meta:
        model = PolicyVersion

    policy = factory.SubFactory(PolicyFactory)
    number = factory.LazyAttribute(lambda o: o.policy.versions.count() + 1 if o.policy.pk else 1)
    status = PolicyVersion.Status.DRAFT


class ThemeStateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThemeState

    version = factory.SubFactory(PolicyVersionFactory)
    theme = factory.LazyFunction(first_theme)


def _position(o):
    """As start_policy and add_own_agreement number them: an example by its number, an own agreement last."""
    if o.example is not None:
        return o.example.number
    if o.version.pk is None:
        return 1
    last = o.version.decisions.filter(theme=o.theme, example__isnull=True).aggregate(m=Max("position"))["m"]
    return (last or 0) + 1


class DecisionFactory(factory.django.DjangoModelFactory):
    """By default one of the school's own agreements (adopted, with a text, next position in its theme);
    with `example=` the decision on that example agreement (open, no text)."""

    class Meta:
        model = Decision

    version = factory.SubFactory(PolicyVersionFactory)
    example = None
    theme = factory.LazyAttribute(lambda o: o.example.theme if o.example is not None else first_theme())
    choice = factory.LazyAttribute(lambda o: Decision.Choice.OPEN if o.example is not None else Decision.Choice.ADOPT)
    text = factory.LazyAttribute(lambda o: "" if o.example is not None else "We bespreken AI elk jaar met het team.")
    position = factory.LazyAttribute(_position)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    decision = factory.SubFactory(DecisionFactory)
    what = factory.Sequence(lambda n: f"Lesbrief maken {n}")
    who = "ICT-coördinator"


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    decision = factory.SubFactory(DecisionFactory)
    author = factory.SubFactory(UserFactory)
    text = "Eens, maar noem de tools die mogen."
