"""Links from the AI-tool register to the policy: a tool is linked to themes and example agreements, and the
policy's review page shows which approved tools are not linked and which linked tools are not approved."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import ExampleAgreement, Theme
from agreements.services import tools as services
from agreements.services.policy import start_policy

pytestmark = pytest.mark.usefixtures("content")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def approve(tool, by):
    services.decide(tool=tool, by=by, verdict="approved", conditions="",
                    reassess_on=timezone.localdate() + timedelta(days=90))


def review_section(client, version):
    html = client.get(reverse("policy:review", args=[version.pk])).content.decode()
    return html[html.index('id="tools-kop"'):]


def test_a_teacher_links_a_tool_to_the_privacy_theme_and_an_agreement(school, leader, teacher):
    tool = services.add_tool(school=school, by=leader, name="MagicSchool")
    privacy = Theme.objects.get(title__icontains="privacy")
    agreement = ExampleAgreement.objects.filter(theme=privacy).first()
    response = client_for(teacher).post(reverse("tools:links", args=[tool.pk]),
                                        {"themes": [privacy.pk], "agreements": [agreement.pk]}, follow=True)
    html = response.content.decode()
    assert "De koppelingen van MagicSchool zijn opgeslagen." in html
    assert f"Thema {privacy.number}: {privacy.title}" in html and f"Afspraak {agreement.code}" in html
    assert list(tool.themes.all()) == [privacy] and list(tool.agreements.all()) == [agreement]
    assert tool.history.first().history_user == teacher


def test_an_mr_member_cannot_change_the_links(school, leader, mr_member):
    tool = services.add_tool(school=school, by=leader, name="MagicSchool")
    response = client_for(mr_member).post(reverse("tools:links", args=[tool.pk]),
                                          {"themes": [Theme.objects.first().pk]})
    assert response.status_code == 404 and not tool.themes.exists()


def test_a_link_to_something_that_does_not_exist_is_refused_in_dutch(school, leader):
    tool = services.add_tool(school=school, by=leader, name="MagicSchool")
    response = client_for(leader).post(reverse("tools:links", args=[tool.pk]), {"themes": [999999]})
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not tool.themes.exists()


def test_the_review_page_shows_approved_tools_without_link_and_linked_tools_without_approval(school, leader):
    version = start_policy(school=school, by=leader)
    privacy = Theme.objects.get(title__icontains="privacy")
    unlinked = services.add_tool(school=school, by=leader, name="Goedgekeurd los")
    approve(unlinked, leader)
    linked = services.add_tool(school=school, by=leader, name="Gekoppeld zonder oordeel")
    services.link_tool(tool=linked, by=leader, themes=[privacy], agreements=[])
    fine = services.add_tool(school=school, by=leader, name="Helemaal goed")
    approve(fine, leader)
    services.link_tool(tool=fine, by=leader, themes=[privacy], agreements=[])

    section = review_section(client_for(leader), version)
    unlinked_list = section[section.index("tools-unlinked"):section.index("tools-unapproved")]
    unapproved_list = section[section.index("tools-unapproved"):section.index("</section>")]
    assert "Goedgekeurd los" in unlinked_list and "Helemaal goed" not in unlinked_list
    assert "Gekoppeld zonder oordeel</a>: nog geen oordeel" in unapproved_list
    assert "Helemaal goed" not in section

    approve(linked, leader)
    services.link_tool(tool=unlinked, by=leader, themes=[], agreements=[ExampleAgreement.objects.first()])
    section = review_section(client_for(leader), version)
    assert "Elke goedgekeurde tool hoort bij een thema of afspraak" in section


def test_a_removed_tool_does_not_count_on_the_review_page(school, leader):
    version = start_policy(school=school, by=leader)
    tool = services.add_tool(school=school, by=leader, name="Weg")
    approve(tool, leader)
    services.delete_tool(tool=tool, by=leader)
    assert "Het register van AI-tools is nog leeg." in review_section(client_for(leader), version)
