"""The AI-tool register (agreements/models/tools.py): tools, comments, assessments, answers, reminders."""

import factory
from django.utils import timezone

from agreements.models import Answer, Assessment, ChecklistItem, ReassessmentReminder, Tool, ToolComment

from .school import SchoolFactory, UserFactory


class ToolFactory(factory.django.DjangoModelFactory):
    """A tool in a school's register, with its (empty) assessment as the service makes it."""

    class Meta:
        model = Tool
        skip_postgeneration_save = True

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Schrijfhulp {n}")
    vendor = "Voorbeeld BV"
    purpose = "Feedback op teksten van leerlingen"
    users = Tool.Users.STAFF
    assessment = factory.RelatedFactory("tests.factories.tools.AssessmentFactory", factory_related_name="tool")


class ToolCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ToolComment

    tool = factory.SubFactory(ToolFactory)
    author = factory.SubFactory(UserFactory)
    text = "Hoe zit het met de leeftijdsgrens?"


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assessment

    tool = factory.SubFactory(ToolFactory, assessment=None)

    class Params:
        approved = factory.Trait(
            verdict=Assessment.Verdict.APPROVED,
            reassess_on=factory.LazyFunction(lambda: timezone.localdate().replace(year=timezone.localdate().year + 1)),
            decided_at=factory.LazyFunction(timezone.now),
            number=1,
        )


class AnswerFactory(factory.django.DjangoModelFactory):
    """An answer to the first AI-tool question (from the content library)."""

    class Meta:
        model = Answer

    assessment = factory.SubFactory(AssessmentFactory)
    tool_question = factory.LazyFunction(
        lambda: ChecklistItem.objects.filter(kind=ChecklistItem.Kind.TOOL_QUESTION).order_by("number").first()
    )
    value = Answer.Value.YES


class ReassessmentReminderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReassessmentReminder

    assessment = factory.SubFactory(AssessmentFactory, approved=True)
    due_on = factory.LazyAttribute(lambda o: o.assessment.reassess_on)
