"""Writes that span several policy models. Keyword arguments; each owns its transaction."""

from django.db import transaction

from ..models import Decision, ExampleAgreement, Policy, PolicyVersion, Theme, ThemeState


class PolicyError(Exception):
    """A refused change, with a message in Dutch for the user."""


@transaction.atomic
def start_policy(*, school, by):
    """Version 1 as a draft, with one open decision per example agreement. One draft at a time."""
    policy, _ = Policy.objects.get_or_create(school=school, defaults={"created_by": by})
    if policy.versions.drafts().exists():
        raise PolicyError("Er is al een concept. Werk daarin verder.")
    number = (policy.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = PolicyVersion.objects.create(policy=policy, number=number, created_by=by)
    ThemeState.objects.bulk_create(ThemeState(version=version, theme=t) for t in Theme.objects.all())
    Decision.objects.bulk_create(
        Decision(version=version, theme_id=e.theme_id, example=e, position=e.number, updated_by=by)
        for e in ExampleAgreement.objects.all()
    )
    return version
