"""A school's policy: versions (draft -> ter instemming -> vastgesteld), one decision per agreement."""

from django.conf import settings
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy
from simple_history.models import HistoricalRecords

from .content import ExampleAgreement, Theme
from .school import School

TEXT_LIMIT = 2000
READ_ONLY_MESSAGES = {
    "consent": gettext_lazy("Deze versie ligt ter instemming en kan niet meer worden gewijzigd."),
    "adopted": gettext_lazy("Deze versie is vastgesteld en kan niet meer worden gewijzigd."),
}


class Policy(models.Model):
    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="policy")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self):
        return f"AI-beleid {self.school}"


class PolicyVersionQuerySet(models.QuerySet):
    def drafts(self):
        return self.filter(status=PolicyVersion.Status.DRAFT)


class PolicyVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("Concept")
        AWAITING_CONSENT = "consent", gettext_lazy("Ter instemming")
        ADOPTED = "adopted", gettext_lazy("Vastgesteld")

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    based_on = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    adopted_at = models.DateTimeField(null=True, blank=True)
    review_date = models.DateField(gettext_lazy("evaluatiedatum"), null=True, blank=True)
    parent_contact = models.TextField(gettext_lazy("contact voor ouders"), blank=True, max_length=TEXT_LIMIT)
    # The school's approved AI tools at the moment of adoption (agreements/queries/tools.py
    # tool_snapshot): the PDF reads this, so a later change in the register never alters a signed PDF.
    tools_snapshot = models.JSONField(default=list, blank=True)

    objects = PolicyVersionQuerySet.as_manager()

    class Meta:
        ordering = ["policy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="unique_version_number"),
            models.UniqueConstraint(fields=["policy"], condition=Q(status="draft"), name="one_draft_per_policy"),
        ]

    def __str__(self):
        return f"{self.policy.school} v{self.number} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("policy:overview", args=[self.pk])

    @property
    def school(self):
        return self.policy.school

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def read_only_message(self):
        """Why this version can no longer be changed ("" for a draft)."""
        return READ_ONLY_MESSAGES.get(self.status, "")


class ThemeStateQuerySet(models.QuerySet):
    def with_progress(self):
        """Annotate `decided` and `still_open`: the theme's agreements with and without a choice."""
        decisions = (
            Decision.objects.filter(version=OuterRef("version"), theme=OuterRef("theme"))
            .order_by()
            .values("theme")
        )

        def count(queryset):
            return Coalesce(Subquery(queryset.annotate(n=Count("pk")).values("n")), Value(0))

        return self.annotate(
            decided=count(decisions.exclude(choice=Decision.Choice.OPEN)),
            still_open=count(decisions.filter(choice=Decision.Choice.OPEN)),
        )


class ThemeState(models.Model):
    """Per version and theme: the team's note and whether the theme is marked done."""

    class Progress(models.TextChoices):
        NOT_STARTED = "not_started", gettext_lazy("Nog niet begonnen")
        BUSY = "busy", gettext_lazy("Bezig")
        DONE = "done", gettext_lazy("Klaar")

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="theme_states")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(gettext_lazy("notitie"), blank=True, max_length=TEXT_LIMIT)
    done = models.BooleanField(gettext_lazy("klaar"), default=False)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ThemeStateQuerySet.as_manager()

    class Meta:
        ordering = ["theme__number"]
        constraints = [models.UniqueConstraint(fields=["version", "theme"], name="one_state_per_theme")]

    def __str__(self):
        return f"{self.version} – thema {self.theme.number}"

    @property
    def progress(self):
        """Needs `with_progress()`: done when marked done, busy once anything was chosen or written."""
        if self.done:
            return self.Progress.DONE
        if self.decided or self.note:
            return self.Progress.BUSY
        return self.Progress.NOT_STARTED

    def get_progress_display(self):
        return self.Progress(self.progress).label


class DecisionQuerySet(models.QuerySet):
    def adopted(self):
        return self.filter(choice__in=[Decision.Choice.ADOPT, Decision.Choice.AMEND])

    def open(self):
        return self.filter(choice=Decision.Choice.OPEN)

    def own(self):
        return self.filter(example__isnull=True)

    def examples(self):
        return self.filter(example__isnull=False)

    def in_document_order(self):
        """Per theme the example agreements by number, then the school's own agreements by position."""
        return self.order_by("theme__number", models.F("example__number").asc(nulls_last=True), "position", "pk")


def decision_code(row):
    """"3.2" for an example agreement, "3.E1" for an own agreement (unique within a version); also for a row of
    a decision's history, which has the same fields but not the property."""
    if row.example_id:
        return f"{row.theme.number}.{row.example.number}"
    return f"{row.theme.number}.E{row.position}"


class Decision(models.Model):
    """One agreement in a version: a Kennisnet example agreement, or one of the school's own.

    `revision` is bumped on every save through the services: a save based on an older revision is
    a conflict (optimistic locking), never a silent overwrite.
    """

    class Choice(models.TextChoices):
        OPEN = "open", gettext_lazy("Nog open")
        ADOPT = "adopt", gettext_lazy("Overnemen")
        AMEND = "amend", gettext_lazy("Aanpassen")
        REJECT = "reject", gettext_lazy("Niet overnemen")

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="decisions")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="+")
    example = models.ForeignKey(
        ExampleAgreement, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    choice = models.CharField(gettext_lazy("keuze"), max_length=10, choices=Choice.choices, default=Choice.OPEN)
    text = models.TextField(gettext_lazy("tekst"), blank=True, max_length=TEXT_LIMIT,
                            help_text=gettext_lazy("Aangepaste of eigen tekst."))
    reason = models.TextField(gettext_lazy("reden"), blank=True, max_length=TEXT_LIMIT,
                              help_text=gettext_lazy("Waarom niet overgenomen."))
    position = models.PositiveSmallIntegerField(default=0)
    # The same agreement in the first version it appeared in (set when a new draft copies a version): a comparison
    # of two versions pairs the school's own agreements by it, also after their text or position changed.
    origin = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The result of the team meeting, when the agreement was put to the vote.
    meeting_date = models.DateField(null=True, blank=True)
    votes_support = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_support_amended = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["theme__number", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "example"], condition=Q(example__isnull=False), name="one_decision_per_example"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.current_text[:60]}"

    @property
    def is_own(self):
        return self.example_id is None

    @property
    def code(self):
        return decision_code(self)

    @property
    def is_adopted(self):
        return self.choice in (self.Choice.ADOPT, self.Choice.AMEND)

    @property
    def lineage(self):
        """What stays the same for this agreement from version to version: its example, or its first own row."""
        return ("example", self.example_id) if self.example_id else ("own", self.origin_id or self.pk)

    @property
    def has_meeting_result(self):
        return self.meeting_date is not None

    @property
    def current_text(self):
        """The text as the school has it now: amended or own text, else the example's text."""
        return self.text if self.has_own_words else self.example.text

    @property
    def has_own_words(self):
        """True when the text is the school's (own or amended), False when it is the example's, word for word."""
        return self.is_own or (self.choice == self.Choice.AMEND and bool(self.text))


class Action(models.Model):
    """"Wat is hiervoor nodig?": what, who, by when."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="actions")
    what = models.CharField(gettext_lazy("wat"), max_length=500)
    who = models.CharField(gettext_lazy("wie"), max_length=200, blank=True)
    due = models.DateField(gettext_lazy("wanneer klaar"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.what


class Comment(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(gettext_lazy("opmerking"), max_length=TEXT_LIMIT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]
