"""The AI-tool register in the policy documents: the version stores a snapshot of the tools approved when it is
adopted; the team edition has an appendix with every such tool, its verdict, conditions and assessment summary; the
parents' edition lists "Deze AI-tools gebruiken wij" in plain words. A later change never alters the signed PDF."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements import rendering
from agreements.models import GuidingQuestion
from agreements.queries import tools as tool_queries
from agreements.queries.documents import document_context
from agreements.services import documents
from agreements.services import tools as services
from tests.document_data import adopt, filled_draft, pdf_facts, squash

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content", "media_root")]

CONDITIONS = "Alleen voor lesvoorbereiding, nooit met namen of foto's van leerlingen."


def in_a_year():
    return timezone.localdate() + timedelta(days=365)


@pytest.fixture
def register(school, leader):
    """An approved tool (with conditions), a rejected one, one awaiting re-confirmation and a removed one."""
    gdpr = tool_queries.key_of(GuidingQuestion.objects.get(requirement__number=5, number=6))
    magic = services.add_tool(school=school, by=leader, name="MagicSchool", vendor="MagicSchool AI",
                              purpose="Lesideeën en feedback op teksten", users="both", age_limit="13+",
                              processing_agreement="yes")
    services.save_answers(tool=magic, by=leader, answers={gdpr: ("partly", "Data staan in de VS")}, number=0)
    services.decide(tool=magic, by=leader, verdict="conditional", conditions=CONDITIONS, reassess_on=in_a_year())
    snap = services.add_tool(school=school, by=leader, name="Snapchat My AI", purpose="Chatten")
    services.decide(tool=snap, by=leader, verdict="rejected", conditions="", reassess_on=None)
    gemini = services.add_tool(school=school, by=leader, name="Gemini", purpose="Samenvatten")
    services.decide(tool=gemini, by=leader, verdict="approved", conditions="", reassess_on=in_a_year())
    services.save_answers(tool=gemini, by=leader, answers={gdpr: ("no", "")}, number=1)  # needs re-confirming
    old = services.add_tool(school=school, by=leader, name="Oude tool", purpose="Vroeger")
    services.decide(tool=old, by=leader, verdict="approved", conditions="", reassess_on=in_a_year())
    services.delete_tool(tool=old, by=leader)
    return magic


@pytest.fixture
def adopted(school, leader, mr_member, register):
    return adopt(filled_draft(school=school, by=leader), leader=leader, mr_member=mr_member)


def render(version, edition, user):
    document = documents.request_render(version=version, edition=edition, by=user, site_url="https://beleid.example/")
    rendering.render(document.pk)
    document.refresh_from_db()
    return pdf_facts(document.file.read())


def test_adopting_a_version_stores_the_tools_approved_at_that_moment(adopted):
    assert [t["name"] for t in adopted.tools_snapshot] == ["MagicSchool"]
    tool = adopted.tools_snapshot[0]
    assert (tool["verdict"], tool["conditions"], tool["users"]) == ("conditional", CONDITIONS, "both")
    assert tool["summary"] == {"yes": 0, "partly": 1, "no": 0, "unknown": 0}
    assert tool["concerns"][0]["note"] == "Data staan in de VS"


def test_a_later_change_in_the_register_never_alters_the_adopted_version(adopted, register, leader):
    services.decide(tool=register, by=leader, verdict="rejected", conditions="", reassess_on=None)
    services.save_tool(tool=register, by=leader, name="MagicSchool Pro", purpose="Iets anders", users="staff")
    context = document_context(version=adopted, edition="ouders")
    assert [(t["name"], t["purpose"], t["conditions"]) for t in context["tools"]] == [
        ("MagicSchool", "Lesideeën en feedback op teksten", CONDITIONS)]


def test_the_team_edition_has_an_appendix_with_verdict_conditions_and_summary(adopted, leader, register):
    services.decide(tool=register, by=leader, verdict="rejected", conditions="", reassess_on=None)  # after adoption
    text = render(adopted, "team", leader)["text"]
    assert "Bijlage: AI-tools" in text
    assert squash("MagicSchool MagicSchool AI") in text
    assert squash("Goedgekeurd onder voorwaarden") in text
    assert squash(CONDITIONS) in text
    assert squash("0 keer ja, 1 keer deels, 0 keer nee, 0 keer weet ik niet.") in text
    assert squash("Voldoet het AI-systeem aan de algemene verordening gegevensbescherming? Deels: Data staan in de VS")\
        in text
    for other in ("Snapchat", "Gemini", "Oude tool"):
        assert other not in text


def test_the_parents_edition_lists_the_tools_we_use_in_plain_words(adopted, leader):
    text = render(adopted, "ouders", leader)["text"]
    assert "Deze AI-tools gebruiken wij" in text
    assert squash("Waarvoor: Lesideeën en feedback op teksten") in text
    assert squash("Wie gebruikt het: medewerkers en leerlingen (leeftijdsgrens 13+)") in text
    assert squash(f"Wat wij afspreken: {CONDITIONS}") in text
    assert "Snapchat" not in text and "Aandachtspunten" not in text and "Bijlage: AI-tools" not in text


def test_a_version_adopted_without_approved_tools_has_no_tool_section(school, leader, mr_member):
    version = adopt(filled_draft(school=school, by=leader), leader=leader, mr_member=mr_member)
    assert version.tools_snapshot == []
    context = document_context(version=version, edition="team")
    assert context["tools"] == []
    html = Client()
    html.force_login(leader)
    page = html.get(reverse("documents:preview", args=[version.pk]) + "?editie=team").content.decode()
    assert "Bijlage: AI-tools" not in page


def test_the_preview_of_a_draft_shows_the_tools_approved_now(school, leader, register):
    version = filled_draft(school=school, by=leader)
    context = document_context(version=version, edition="ouders")
    assert [t["name"] for t in context["tools"]] == ["MagicSchool"]
