"""The yearly review of an adopted version: the reminders sent as its review date comes."""

from django.conf import settings
from django.db import models

from .content import ChecklistItem
from .policy import TEXT_LIMIT, PolicyVersion


class ReviewReminder(models.Model):
    """One reminder mail for one milestone (days before the review date) of an adopted version.

    The row is created in the transaction that sends the mail: the unique constraint makes a second send of the
    same milestone impossible, also after a restart or when two beats run at once.
    """

    class Milestone(models.IntegerChoices):
        DAYS_60 = 60, "60 dagen voor de evaluatiedatum"
        DAYS_30 = 30, "30 dagen voor de evaluatiedatum"
        DAYS_7 = 7, "7 dagen voor de evaluatiedatum"
        ON_THE_DAY = 0, "op de evaluatiedatum"

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="review_reminders")
    milestone = models.PositiveSmallIntegerField(choices=Milestone.choices)
    review_date = models.DateField(help_text="De evaluatiedatum waarvoor de herinnering is gestuurd.")
    sent_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "-milestone"]
        constraints = [models.UniqueConstraint(fields=["version", "milestone"], name="one_reminder_per_milestone")]

    def __str__(self):
        return f"{self.version}: {self.get_milestone_display()}"


class ReviewCheck(models.Model):
    """One item of the review checklist (the sources' yearly evaluation items) in a draft started for the review:
    ticked or not, with the team's note."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="review_checks")
    item = models.ForeignKey(ChecklistItem, on_delete=models.PROTECT, related_name="+")
    done = models.BooleanField("afgevinkt", default=False)
    note = models.TextField("notitie", blank=True, max_length=TEXT_LIMIT)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["version", "item__number"]
        constraints = [models.UniqueConstraint(fields=["version", "item"], name="one_check_per_item")]

    def __str__(self):
        return f"{self.version}: {self.item}"
