"""Reads for the yearly review: the review date of the adopted version, its countdown, the review draft, and
which reminders are due."""

from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from ..models import Membership, PolicyVersion, ReviewReminder, Role

MILESTONES = sorted(ReviewReminder.Milestone.values, reverse=True)  # 60, 30, 7, 0 days before the review date
LATE_DAYS = 7  # the "on the day" reminder still goes out this many days late (beat was down that day)


def milestone_for(days_left):
    """The latest milestone reached `days_left` days before the review date, or None (too early, or long past)."""
    if days_left > MILESTONES[0] or days_left < -LATE_DAYS:
        return None
    return min(m for m in MILESTONES if days_left <= m) if days_left >= 0 else 0


def adopted_in_force(school):
    """The school's newest adopted version: the one whose review date counts."""
    return (PolicyVersion.objects.filter(policy__school=school, status=PolicyVersion.Status.ADOPTED)
            .order_by("-number").first())


@dataclass
class ReviewStatus:
    version: PolicyVersion  # the adopted version in force
    review_date: object
    days_left: int
    draft: PolicyVersion | None  # the review draft (or a version after it awaiting consent)

    @property
    def late_days(self):
        return -self.days_left

    @property
    def is_due(self):
        return self.days_left <= MILESTONES[0]


def review_status(school, today=None):
    """The dashboard's review: the adopted version in force, its review date and countdown, and the newer
    version that is its review (a draft or one awaiting consent), or None when nothing is adopted."""
    today = today or timezone.localdate()
    version = adopted_in_force(school)
    if version is None or version.review_date is None:
        return None
    newer = (PolicyVersion.objects.filter(policy_id=version.policy_id, number__gt=version.number)
             .exclude(status=PolicyVersion.Status.ADOPTED).order_by("-number").first())
    return ReviewStatus(version=version, review_date=version.review_date,
                        days_left=(version.review_date - today).days, draft=newer)


def due_reminders(today=None):
    """[(version, milestone, days_left)]: per policy the adopted version in force whose latest reached milestone
    has no reminder yet. Earlier milestones that were missed are not sent afterwards."""
    today = today or timezone.localdate()
    candidates = (PolicyVersion.objects.filter(status=PolicyVersion.Status.ADOPTED, review_date__isnull=False)
                  .select_related("policy__school").order_by("policy_id", "-number"))
    due, seen = [], set()
    for version in candidates:
        if version.policy_id in seen:
            continue
        seen.add(version.policy_id)
        days_left = (version.review_date - today).days
        milestone = milestone_for(days_left)
        if milestone is None or version.review_reminders.filter(milestone__lte=milestone).exists():
            continue
        due.append((version, milestone, days_left))
    return due


def reminder_recipients(school, milestone):
    """{language: [addresses]}: the leaders; the MR members get a copy of the 7-day reminder. Each in the language
    they chose (Dutch when they chose none)."""
    roles = [Role.LEADER] + ([Role.MR] if milestone == ReviewReminder.Milestone.DAYS_7 else [])
    groups = {}
    members = (Membership.objects.filter(school=school, role__in=roles).exclude(user__email="")
               .values_list("user__email", "user__language").order_by("user__email"))
    for email, language in members:
        groups.setdefault(language or settings.LANGUAGE_CODE, []).append(email)
    return groups
