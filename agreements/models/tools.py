"""The school's AI-tool register: the tools a school uses, each assessed with the sources' questions.

A tool is soft-deleted (`deleted_at`), so its history stays. Its assessment answers the AI-tool questions
of the teachers-and-AI article and the EU guiding questions; the verdict (goedgekeurd, onder voorwaarden,
niet goedgekeurd) has conditions and a re-assessment date. Every saved change of the assessment raises its
`number` (the assessment's version); a changed answer after a verdict asks to re-confirm it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .content import ChecklistItem, ExampleAgreement, GuidingQuestion, Theme
from .school import School

NOTE_LIMIT = 2000


class ToolQuerySet(models.QuerySet):
    def active(self):
        return self.filter(deleted_at__isnull=True)

    def deleted(self):
        return self.filter(deleted_at__isnull=False)

    def approved(self):
        """Tools whose confirmed verdict is goedgekeurd or goedgekeurd onder voorwaarden."""
        return self.active().filter(
            assessment__verdict__in=Assessment.APPROVING, assessment__needs_reconfirm=False
        )


class Tool(models.Model):
    class Users(models.TextChoices):
        STAFF = "staff", _("Medewerkers")
        PUPILS = "pupils", _("Leerlingen")
        BOTH = "both", _("Medewerkers en leerlingen")

    class ProcessingAgreement(models.TextChoices):
        YES = "yes", _("Ja")
        NO = "no", _("Nee")
        UNKNOWN = "unknown", _("Weet ik niet")

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="tools")
    name = models.CharField(_("naam"), max_length=200)
    vendor = models.CharField(_("leverancier"), max_length=200, blank=True)
    purpose = models.TextField(_("waarvoor gebruiken we het"), max_length=NOTE_LIMIT, blank=True)
    users = models.CharField(_("wie gebruikt het"), max_length=10, choices=Users.choices, default=Users.STAFF)
    age_limit = models.CharField(_("leeftijdsgrens"), max_length=100, blank=True)
    personal_data = models.TextField(_("welke persoonsgegevens verwerkt het"), max_length=NOTE_LIMIT, blank=True)
    data_location = models.CharField(_("waar worden de gegevens opgeslagen"), max_length=200, blank=True)
    processing_agreement = models.CharField(
        _("verwerkersovereenkomst"), max_length=10, choices=ProcessingAgreement.choices,
        default=ProcessingAgreement.UNKNOWN,
    )
    privacy_url = models.URLField(_("link naar de privacyverklaring"), max_length=500, blank=True)
    themes = models.ManyToManyField(Theme, related_name="+", blank=True, verbose_name=_("thema's"))
    agreements = models.ManyToManyField(
        ExampleAgreement, related_name="+", blank=True, verbose_name=_("afspraken")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    deleted_at = models.DateTimeField(_("uit het register gehaald"), null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[themes, agreements])
    objects = ToolQuerySet.as_manager()

    class Meta:
        ordering = [Lower("name"), "pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "school", condition=Q(deleted_at__isnull=True), name="unique_tool_name_per_school"
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("tools:detail", args=[self.pk])

    @property
    def is_deleted(self):
        return self.deleted_at is not None


class ToolComment(models.Model):
    """A remark on a tool: MR members (and everyone else in the school) comment on the register."""

    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.TextField(_("opmerking"), max_length=NOTE_LIMIT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]


class Assessment(models.Model):
    """The assessment of one tool: its answers, and the verdict with conditions and a re-assessment date."""

    class Verdict(models.TextChoices):
        NONE = "", _("Nog geen oordeel")
        APPROVED = "approved", _("Goedgekeurd")
        CONDITIONAL = "conditional", _("Goedgekeurd onder voorwaarden")
        REJECTED = "rejected", _("Niet goedgekeurd")

    APPROVING = (Verdict.APPROVED, Verdict.CONDITIONAL)

    tool = models.OneToOneField(Tool, on_delete=models.CASCADE, related_name="assessment")
    number = models.PositiveIntegerField(default=0, help_text="Raised on every saved change: the version.")
    verdict = models.CharField(_("oordeel"), max_length=12, choices=Verdict.choices, blank=True, default="")
    conditions = models.TextField(_("voorwaarden"), max_length=NOTE_LIMIT, blank=True)
    reassess_on = models.DateField(_("opnieuw beoordelen op"), null=True, blank=True)
    needs_reconfirm = models.BooleanField(_("oordeel opnieuw bevestigen"), default=False)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    def __str__(self):
        return f"{self.tool} – {self.get_verdict_display()}"

    @property
    def is_approved(self):
        return self.verdict in self.APPROVING and not self.needs_reconfirm


class Answer(models.Model):
    """One answer of an assessment: to an AI-tool question (ChecklistItem) or to an EU guiding question."""

    class Value(models.TextChoices):
        YES = "yes", _("Ja")
        PARTLY = "partly", _("Deels")
        NO = "no", _("Nee")
        UNKNOWN = "unknown", _("Weet ik niet")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    tool_question = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    guiding_question = models.ForeignKey(
        GuidingQuestion, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    value = models.CharField(_("antwoord"), max_length=10, choices=Value.choices)
    note = models.TextField(_("toelichting"), max_length=NOTE_LIMIT, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tool_question__isnull=False, guiding_question__isnull=True)
                | Q(tool_question__isnull=True, guiding_question__isnull=False),
                name="answer_has_one_question",
            ),
            models.UniqueConstraint(fields=["assessment", "tool_question"], condition=Q(tool_question__isnull=False),
                                    name="one_answer_per_tool_question"),
            models.UniqueConstraint(fields=["assessment", "guiding_question"],
                                    condition=Q(guiding_question__isnull=False),
                                    name="one_answer_per_guiding_question"),
        ]

    def __str__(self):
        return f"{self.assessment.tool}: {self.get_value_display()}"

    @property
    def key(self):
        """The question's key in the assessment form: `tq-<id>` or `eu-<id>`."""
        return f"tq-{self.tool_question_id}" if self.tool_question_id else f"eu-{self.guiding_question_id}"


class ReassessmentReminder(models.Model):
    """A re-assessment reminder that went out: one per assessment and date, so beat never mails twice."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "due_on"], name="one_reminder_per_date")]

    def __str__(self):
        return f"{self.assessment.tool} {self.due_on}"
