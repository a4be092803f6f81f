"""The yearly review (agreements/models/review.py)."""

import factory

from agreements.models import ChecklistItem, PolicyVersion, ReviewCheck, ReviewReminder

from .policy import PolicyVersionFactory


class ReviewReminderFactory(factory.django.DjangoModelFactory):
    """The 60-day reminder of an adopted version."""

    class Meta:
        model = ReviewReminder

    version = factory.SubFactory(PolicyVersionFactory, status=PolicyVersion.Status.ADOPTED)
    milestone = ReviewReminder.Milestone.DAYS_60
    review_date = factory.LazyAttribute(lambda o: o.version.review_date or o.version.created_at.date())


class ReviewCheckFactory(factory.django.DjangoModelFactory):
    """The first review checklist item in a draft, not ticked."""

    class Meta:
        model = ReviewCheck

    version = factory.SubFactory(PolicyVersionFactory)
    item = factory.LazyFunction(lambda: ChecklistItem.objects.filter(kind=ChecklistItem.Kind.REVIEW).first())
