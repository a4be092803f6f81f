"""The yearly review (agreements/models/review.py)."""

import factory

from agreements.models import PolicyVersion, ReviewReminder

from .policy import PolicyVersionFactory


class ReviewReminderFactory(factory.django.DjangoModelFactory):
    """The 60-day reminder of an adopted version."""

    class Meta:
        model = ReviewReminder

    version = factory.SubFactory(PolicyVersionFactory, status=PolicyVersion.Status.ADOPTED)
    milestone = ReviewReminder.Milestone.DAYS_60
    review_date = factory.LazyAttribute(lambda o: o.version.review_date or o.version.created_at.date())
