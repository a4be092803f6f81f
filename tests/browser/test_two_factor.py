"""In a real browser: a leader switches two-factor authentication on (scanning is replaced by reading the key
from the page), signs out, signs in with the password and an app code, and signs the policy."""

from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import totp
from playwright.sync_api import expect

from agreements.services.documents import default_review_date, finalise
from tests.browser.conftest import assert_page_ok
from tests.document_data import filled_draft
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db", "content")]


def app_code(secret, drift=0):
    return f"{totp(b32decode(secret.replace(' ', '')), drift=drift):06d}"


def test_switch_on_two_factor_then_sign_in_with_a_code_and_sign(new_page, login, school, leader, mr_member):
    version = filled_draft(school=school, by=leader)
    finalise(version=version, by=leader, review_date=default_review_date(), parent_contact="directie@regenboog.example",
             confirm_open=True)

    page = login(new_page(), leader)
    page.goto(f"/versies/{version.pk}/ondertekenen/")
    expect(page.get_by_text("Zet tweestapsverificatie aan")).to_be_visible()
    page.get_by_role("link", name="Zet tweestapsverificatie aan").click()
    expect(page.get_by_role("heading", name="Tweestapsverificatie aanzetten")).to_be_visible()
    assert_page_ok(page)
    secret = page.locator("#twofactor-secret").inner_text()
    page.get_by_label("Code").fill(app_code(secret))
    page.get_by_role("button", name="Zet aan").click()
    expect(page.get_by_role("heading", name="Je herstelcodes")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert_page_ok(page)

    page.get_by_role("button", name="Uitloggen").click()
    page.goto(f"{reverse('login')}?next=/versies/{version.pk}/ondertekenen/")
    page.get_by_label("E-mailadres").fill(leader.email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Code uit je app")).to_be_visible()
    assert_page_ok(page)
    page.get_by_label("Code").fill(app_code(secret, drift=1))  # the setup's code was used; the next step's
    page.get_by_role("button", name="Inloggen").click()

    expect(page.get_by_role("heading", name="Ondertekenen en instemming")).to_be_visible()
    expect(page.get_by_text("Zet tweestapsverificatie aan")).to_have_count(0)
    page.get_by_label("Functie").fill("Directeur")
    page.get_by_role("button", name="Ondertekenen").click()
    expect(page.get_by_text("Ondertekend door Lotte Leider, Directeur, op")).to_be_visible()
    assert_page_ok(page)
