"""The public content library: loaded from fixtures/ by `manage.py load_content`, never edited by hand.

Every row has a stable `slug` (or number within its parent) so that loading the fixtures again updates
texts in place instead of creating duplicates.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy

# The library's texts (Kennisnet, TWijs, PO-Raad, EU) are Dutch source material, also in the English interface.
SOURCE_LANGUAGE = "nl"


class Source(models.Model):
    """A source document, with what the pages and the PDF need to attribute it."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=300)
    short_name = models.CharField(max_length=80, help_text="Korte naam, bijv. 'Kennisnet'.")
    publisher = models.CharField(max_length=200)
    published = models.CharField(max_length=80, help_text="Datum zoals de bron die noemt.")
    url = models.URLField(max_length=500, blank=True)
    licence = models.CharField(max_length=200, blank=True)
    attribution = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "slug"]

    def __str__(self):
        return self.title


class ConversationPrompt(models.Model):
    """One of the two conversation prompts of the Kennisnet document, used verbatim."""

    class Kind(models.TextChoices):
        AGREEMENT = "agreement", gettext_lazy("Per afspraak")
        ADDITIONAL = "additional", gettext_lazy("Aanvullende afspraken")

    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, unique=True)
    text = models.CharField(max_length=300)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="prompts")

    class Meta:
        ordering = ["-kind"]  # "Steunen wij deze afspraak?" (agreement) before "Welke aanvullende …"

    def __str__(self):
        return self.text


class Theme(models.Model):
    number = models.PositiveSmallIntegerField(unique=True)
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    explanation = models.TextField()
    sketch = models.TextField(help_text=gettext_lazy("De situatieschets."))
    prompts = models.ManyToManyField(ConversationPrompt, related_name="themes")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="themes")

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("library:theme", args=[self.slug])


class GuidelineCategory(models.Model):
    """A group of guidelines: the four TWijs parts, and the PO-Raad recommendations."""

    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True)
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="guideline_categories")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name_plural = "guideline categories"

    def __str__(self):
        return self.title


class Guideline(models.Model):
    category = models.ForeignKey(GuidelineCategory, on_delete=models.CASCADE, related_name="guidelines")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300, blank=True, help_text="Kop (PO-Raad); leeg bij TWijs.")
    text = models.TextField()
    themes = models.ManyToManyField(Theme, related_name="guidelines", blank=True)

    class Meta:
        ordering = ["category__order", "number"]
        constraints = [models.UniqueConstraint(fields=["category", "number"], name="unique_guideline_number")]

    def __str__(self):
        return self.title or self.text[:80]


class KeyRequirement(models.Model):
    """One of the seven EU key requirements for trustworthy AI."""

    number = models.PositiveSmallIntegerField(unique=True)
    slug = models.SlugField(unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField()
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="requirements")

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.title}"


class GuidingQuestion(models.Model):
    requirement = models.ForeignKey(KeyRequirement, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["requirement__number", "number"]
        constraints = [
            models.UniqueConstraint(fields=["requirement", "number"], name="unique_question_number")
        ]

    def __str__(self):
        return self.text


class ExampleAgreement(models.Model):
    """A numbered Kennisnet example agreement (voorbeeldafspraak) within its theme."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="agreements")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    explanation = models.TextField(blank=True)
    guidelines = models.ManyToManyField(Guideline, related_name="agreements", blank=True)
    requirements = models.ManyToManyField(KeyRequirement, related_name="agreements", blank=True)

    class Meta:
        ordering = ["theme__number", "number"]
        constraints = [models.UniqueConstraint(fields=["theme", "number"], name="unique_agreement_number")]

    def __str__(self):
        return f"{self.code} {self.text}"

    @property
    def code(self):
        return f"{self.theme.number}.{self.number}"


class GlossaryTerm(models.Model):
    slug = models.SlugField(unique=True)
    term = models.CharField(max_length=200)
    definition = models.TextField()
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="terms")

    class Meta:
        ordering = ["term"]

    def __str__(self):
        return self.term


class Section(models.Model):
    """A block of background text from a source (PO-Raad context, TWijs introduction, EU scenarios …)."""

    class Kind(models.TextChoices):
        BACKGROUND = "background", gettext_lazy("Achtergrond")
        SCENARIO = "scenario", gettext_lazy("Scenario")

    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BACKGROUND)
    title = models.CharField(max_length=300)
    body = models.TextField()
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="sections")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["source__order", "order"]

    def __str__(self):
        return self.title


class ChecklistItem(models.Model):
    """Review checklist, AI-tool evaluation question or action from the teachers-and-AI article."""

    class Kind(models.TextChoices):
        REVIEW = "review", gettext_lazy("Jaarlijkse evaluatie")
        TOOL_QUESTION = "tool_question", gettext_lazy("Vragen bij een AI-tool")
        ACTION = "action", gettext_lazy("Actiepunt")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    number = models.PositiveSmallIntegerField()
    group = models.CharField(max_length=200, blank=True, help_text="Tussenkop in de bron, indien aanwezig.")
    text = models.TextField()
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="checklist_items")

    class Meta:
        ordering = ["kind", "number"]
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="unique_checklist_number")]

    def __str__(self):
        return self.text
