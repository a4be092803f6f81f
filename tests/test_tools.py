"""The school's AI-tool register: adding, changing, soft-deleting and restoring tools, comments, who may do what,
bad input (no name, duplicate names, over-long texts) and the history that stays."""

import pytest
from django.test import Client
from django.urls import reverse

from agreements.models import Assessment, Tool
from agreements.services import tools as services
from tests.factories import ToolCommentFactory, ToolFactory
from tests.test_security import INLINE_CODE

pytestmark = pytest.mark.usefixtures("content")

TOOL = {
    "name": "MagicSchool",
    "vendor": "MagicSchool AI",
    "purpose": "Lesideeën en feedback op teksten",
    "users": "staff",
    "age_limit": "18+",
    "personal_data": "E-mailadres van de leerkracht",
    "data_location": "VS",
    "processing_agreement": "no",
    "privacy_url": "https://www.magicschool.ai/privacy",
}


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def add_url(school):
    return reverse("tools:add", args=[school.pk])


def test_a_leader_adds_a_tool_and_sees_it_in_the_register(school, leader):
    client = client_for(leader)
    response = client.post(add_url(school), TOOL, follow=True)

    tool = Tool.objects.get(school=school)
    assert response.redirect_chain[-1][0] == tool.get_absolute_url()
    assert "MagicSchool staat in het register" in response.content.decode()
    assert (tool.vendor, tool.users, tool.processing_agreement, tool.created_by) == ("MagicSchool AI", "staff", "no",
                                                                                     leader)
    assert tool.assessment.number == 0 and tool.assessment.verdict == ""
    register = client.get(reverse("tools:register", args=[school.pk])).content.decode()
    assert "MagicSchool" in register and "Lesideeën en feedback op teksten" in register
    assert tool.history.count() == 1 and tool.history.first().history_user == leader


def test_a_teacher_adds_a_tool_too(school, teacher):
    response = client_for(teacher).post(add_url(school), {**TOOL, "name": "Diffit"})
    assert response.status_code == 302
    assert Tool.objects.get(school=school).name == "Diffit"


def test_an_mr_member_reads_the_register_but_cannot_add_or_change(school, mr_member):
    tool = ToolFactory(school=school, name="Copilot")
    client = client_for(mr_member)

    register = client.get(reverse("tools:register", args=[school.pk]))
    assert register.status_code == 200 and "Copilot" in register.content.decode()
    assert "Tool toevoegen" not in register.content.decode()
    assert client.get(add_url(school)).status_code == 404
    assert client.post(add_url(school), TOOL).status_code == 404
    assert client.post(reverse("tools:edit", args=[tool.pk]), {**TOOL, "name": "Anders"}).status_code == 404
    assert client.post(reverse("tools:delete", args=[tool.pk])).status_code == 404
    assert client.get(reverse("tools:assess", args=[tool.pk])).status_code == 404
    tool.refresh_from_db()
    assert (tool.name, tool.deleted_at) == ("Copilot", None)


def test_an_mr_member_comments_on_a_tool(school, mr_member):
    tool = ToolFactory(school=school)
    client = client_for(mr_member)
    response = client.post(reverse("tools:comment", args=[tool.pk]), {"text": "Wat vinden ouders hiervan?"},
                           follow=True)
    assert "Wat vinden ouders hiervan?" in response.content.decode()
    assert tool.comments.get().author == mr_member


def test_an_empty_comment_is_refused_in_dutch(school, mr_member):
    tool = ToolFactory(school=school)
    response = client_for(mr_member).post(reverse("tools:comment", args=[tool.pk]), {"text": "  "})
    assert "Schrijf eerst je opmerking." in response.content.decode()
    assert not tool.comments.exists()


def test_a_tool_without_a_name_is_refused_and_keeps_what_was_typed(school, leader):
    response = client_for(leader).post(add_url(school), {**TOOL, "name": "   "})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Vul de naam van de tool in." in html
    assert "Lesideeën en feedback op teksten" in html and "https://www.magicschool.ai/privacy" in html
    assert not Tool.objects.exists()


def test_a_duplicate_name_in_one_school_is_refused_whatever_the_case(school, leader, other_school):
    ToolFactory(school=school, name="MagicSchool")
    ToolFactory(school=other_school, name="Diffit")
    client = client_for(leader)

    response = client.post(add_url(school), {**TOOL, "name": "  magicschool "})
    assert "Er staat al een tool met de naam “magicschool” in het register." in response.content.decode()
    assert Tool.objects.filter(school=school).count() == 1
    assert client.post(add_url(school), {**TOOL, "name": "Diffit"}).status_code == 302  # another school's name


def test_the_service_refuses_a_duplicate_name_too(school, leader):
    services.add_tool(school=school, by=leader, name="Gemini")
    with pytest.raises(services.ToolError, match="Er staat al een tool met de naam “GEMINI”"):
        services.add_tool(school=school, by=leader, name="GEMINI")


def test_renaming_to_another_tools_name_is_refused(school, leader):
    ToolFactory(school=school, name="Gemini")
    tool = ToolFactory(school=school, name="Copilot")
    response = client_for(leader).post(reverse("tools:edit", args=[tool.pk]), {**TOOL, "name": "gemini"})
    assert "Er staat al een tool met de naam" in response.content.decode()
    tool.refresh_from_db()
    assert tool.name == "Copilot"


@pytest.mark.parametrize("field", ["purpose", "personal_data"])
def test_a_text_of_2000_characters_is_kept_and_one_of_2001_is_refused_with_what_was_typed(school, leader, field):
    client = client_for(leader)
    too_long = "a" * 2001
    response = client.post(add_url(school), {**TOOL, field: too_long})
    html = response.content.decode()
    assert "Zorg dat deze waarde niet meer dan 2000 tekens bevat (het zijn er nu 2001)." in html
    assert too_long in html
    assert not Tool.objects.exists()

    assert client.post(add_url(school), {**TOOL, field: "b" * 2000}).status_code == 302
    assert getattr(Tool.objects.get(), field) == "b" * 2000


def test_a_privacy_link_that_is_no_web_address_is_refused(school, leader):
    response = client_for(leader).post(add_url(school), {**TOOL, "privacy_url": "zie de website"})
    assert "Vul een volledig webadres in" in response.content.decode()
    assert not Tool.objects.exists()


def test_changing_a_tool_is_kept_in_its_history(school, leader, teacher):
    tool = services.add_tool(school=school, by=leader, **TOOL)
    response = client_for(teacher).post(reverse("tools:edit", args=[tool.pk]),
                                        {**TOOL, "processing_agreement": "yes", "data_location": "EU"})
    assert response.status_code == 302

    history = client_for(leader).get(reverse("tools:history", args=[tool.pk])).content.decode()
    assert "Tim Leraar" in history and "Lotte Leider" in history
    assert "Verwerkersovereenkomst: Nee &rarr; Ja" in history
    assert "Waar worden de gegevens opgeslagen: VS &rarr; EU" in history


def test_a_deleted_tool_leaves_the_register_and_keeps_its_history(school, leader):
    tool = services.add_tool(school=school, by=leader, **TOOL)
    ToolCommentFactory(tool=tool, text="Goed idee")
    client = client_for(leader)

    response = client.post(reverse("tools:delete", args=[tool.pk]), follow=True)
    assert "MagicSchool is uit het register gehaald" in response.content.decode()
    tool.refresh_from_db()
    assert tool.is_deleted and tool.comments.count() == 1 and tool.history.count() == 2
    assert list(Tool.objects.active()) == []
    register = client.get(reverse("tools:register", args=[school.pk])).content.decode()
    assert "0 tools in het register" in register and "1 verwijderde tool" in register
    detail = client.get(tool.get_absolute_url()).content.decode()
    assert "Deze tool is uit het register gehaald" in detail and "Goed idee" in detail
    assert client.post(reverse("tools:edit", args=[tool.pk]), TOOL).status_code == 200
    with pytest.raises(services.ToolError, match="Deze tool is verwijderd"):
        services.save_tool(tool=tool, by=leader, **{**TOOL, "vendor": "Ander"})


def test_the_name_of_a_deleted_tool_can_be_used_again_and_restoring_it_then_is_refused(school, leader):
    old = services.add_tool(school=school, by=leader, **TOOL)
    services.delete_tool(tool=old, by=leader)
    new = services.add_tool(school=school, by=leader, **TOOL)
    assert new.pk != old.pk

    response = client_for(leader).post(reverse("tools:restore", args=[old.pk]), follow=True)
    assert "Er staat al een tool met de naam “MagicSchool” in het register." in response.content.decode()
    old.refresh_from_db()
    assert old.is_deleted


def test_a_deleted_tool_is_restored(school, leader):
    tool = services.add_tool(school=school, by=leader, **TOOL)
    services.delete_tool(tool=tool, by=leader)
    client_for(leader).post(reverse("tools:restore", args=[tool.pk]))
    tool.refresh_from_db()
    assert not tool.is_deleted and list(Tool.objects.active()) == [tool]


def test_a_tool_of_another_school_is_not_found(school, leader, other_leader):
    tool = ToolFactory(school=school)
    client = client_for(other_leader)
    for name in ("detail", "edit", "assess", "decide", "links", "history"):
        assert client.get(reverse(f"tools:{name}", args=[tool.pk])).status_code == 404, name


def test_an_assessment_belongs_to_every_tool_the_service_adds(school, leader):
    tool = services.add_tool(school=school, by=leader, name="Gemini")
    assert Assessment.objects.get(tool=tool).history.count() == 1


def test_the_register_pages_have_no_inline_code(school, leader):
    tool = services.add_tool(school=school, by=leader, **TOOL)
    client = client_for(leader)
    urls = [reverse("tools:register", args=[school.pk]), add_url(school)] + [
        reverse(f"tools:{name}", args=[tool.pk]) for name in ("detail", "edit", "assess", "decide", "links", "history")]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        for pattern, what in INLINE_CODE:
            assert not pattern.search(html), f"{url} has {what}"
