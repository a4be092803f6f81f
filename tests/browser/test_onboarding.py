"""A new leader goes from registration to a school with an invited colleague, in a real browser."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from agreements.models import Membership, Role
from tests.browser.conftest import assert_page_ok
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def register(page, name, email):
    page.get_by_label("Je naam").fill(name)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord*", exact=True).fill(PASSWORD)
    page.get_by_label("Wachtwoord nog een keer").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Account maken").click()


def test_register_create_a_school_invite_a_colleague_who_accepts(new_page, transactional_db, content):
    leader = new_page()

    # Registration
    leader.goto("/account/registreren/")
    expect(leader.get_by_role("heading", level=1)).to_have_text("Account maken")
    assert_page_ok(leader)
    register(leader, "Lotte Leider", "lotte@linde.example")

    # My schools (none yet) -> a new school
    expect(leader).to_have_url(re.compile(r"/scholen/$"))
    expect(leader.get_by_role("status").first).to_contain_text("Welkom, Lotte.")
    assert_page_ok(leader)
    leader.get_by_role("link", name="Nieuwe school maken").click()
    expect(leader.get_by_role("heading", level=1)).to_have_text("Nieuwe school")
    assert_page_ok(leader)
    leader.get_by_label("Naam van de school").fill("OBS De Linde")
    leader.get_by_label("Sector").select_option("po")
    leader.get_by_label("Plaats").fill("Ede")
    leader.get_by_role("button", name="School maken").click()

    # Dashboard
    expect(leader.get_by_role("heading", level=1)).to_have_text("OBS De Linde")
    expect(leader.locator("main")).to_contain_text("Je rol: Schoolleider")
    assert_page_ok(leader)
    leader.get_by_role("link", name="Team beheren en uitnodigen").click()

    # Team page: invite a colleague by e-mail, copy the link
    expect(leader.get_by_role("heading", level=1)).to_have_text("Team van OBS De Linde")
    assert_page_ok(leader)
    leader.get_by_label("Teamlid").check()
    leader.get_by_label("E-mailadres (mag leeg blijven)").fill("tim@linde.example")
    leader.get_by_role("button", name="Uitnodiging maken").click()
    link_field = leader.get_by_label("Uitnodigingslink")
    expect(link_field).to_have_value(re.compile(r"/uitnodiging/[\w-]+/$"))
    assert_page_ok(leader)
    leader.get_by_role("button", name="Kopieer link").click()
    expect(leader.locator(".invitation-list [role=status]")).to_contain_text("De link is")
    link = link_field.input_value()
    assert mail.outbox[-1].to == ["tim@linde.example"] and link in mail.outbox[-1].body

    # The colleague, in another browser (a phone), opens the link, registers and accepts
    colleague = new_page(viewport={"width": 390, "height": 844})
    colleague.goto(link)
    expect(colleague.get_by_role("heading", level=1)).to_have_text("Uitnodiging voor OBS De Linde")
    expect(colleague.locator("main")).to_contain_text("Je bent uitgenodigd als Teamlid")
    assert_page_ok(colleague)
    colleague.locator("main").get_by_role("link", name="Account maken").click()
    assert_page_ok(colleague)
    register(colleague, "Tim Leraar", "tim@linde.example")
    expect(colleague.get_by_role("button", name="Uitnodiging aannemen")).to_be_visible()
    assert_page_ok(colleague)
    colleague.get_by_role("button", name="Uitnodiging aannemen").click()
    expect(colleague.get_by_role("heading", level=1)).to_have_text("OBS De Linde")
    expect(colleague.locator("main")).to_contain_text("Je rol: Teamlid")
    expect(colleague.get_by_role("status").first).to_contain_text("Welkom bij OBS De Linde.")
    assert_page_ok(colleague)
    assert Membership.objects.get(user__email="tim@linde.example").role == Role.TEAM

    # The leader sees the colleague in the team, the invitation used up
    leader.reload()
    expect(leader.locator(".member-list")).to_contain_text("Tim Leraar")
    expect(leader.locator("main")).to_contain_text("Er staan geen uitnodigingen open.")

    # ... logs out and in again, and lands on the school
    leader.get_by_role("button", name="Uitloggen").click()
    leader.get_by_role("link", name="Inloggen").click()
    expect(leader.get_by_role("heading", level=1)).to_have_text("Inloggen")
    assert_page_ok(leader)
    leader.get_by_label("E-mailadres").fill("lotte@linde.example")
    leader.get_by_label("Wachtwoord").fill(PASSWORD)
    leader.locator("main").get_by_role("button", name="Inloggen").click()
    expect(leader.get_by_role("heading", level=1)).to_have_text("OBS De Linde")
