"""Two-factor authentication (django-otp TOTP + recovery codes): switch on, enforced at login once on, wrong
codes limited like the login, a school requires it of leaders and MR members."""

import re
from base64 import b32decode

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from agreements.models import School
from agreements.services import twofactor
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def code_for(secret_text, drift=0):
    """The app's code now (drift 0) or in the next 30 s step (drift 1: a code is accepted once, and one step
    ahead is allowed, so a second code within the same step takes the next one)."""
    return f"{totp(b32decode(secret_text.replace(' ', '')), drift=drift):06d}"


def switch_on(client):
    """Through the pages: read the key shown, type the app's code; returns (key, recovery codes shown)."""
    page = client.get(reverse("twofactor")).content.decode()
    secret = re.search(r'<code id="twofactor-secret">([A-Z2-7 ]+)</code>', page).group(1)
    response = client.post(reverse("twofactor"), {"token": code_for(secret)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7 ]+)</code></li>", response.content.decode())
    return secret, codes


def log_in(email, password=PASSWORD):
    client = Client()
    response = client.post(reverse("login"), {"username": email, "password": password})
    return client, response


def test_switching_on_shows_ten_recovery_codes_and_is_enforced_at_the_next_login(leader):
    secret, codes = switch_on(signed_in(leader))
    assert len(codes) == 10
    assert TOTPDevice.objects.filter(user=leader, confirmed=True).count() == 1

    client, response = log_in("lotte@regenboog.example")
    assert response.status_code == 302 and response["Location"].startswith(reverse("twofactor_verify"))
    # Between the password and the code, no other page opens.
    blocked = client.get(reverse("schools:list"))
    assert blocked.status_code == 302 and blocked["Location"].startswith(reverse("twofactor_verify"))

    response = client.post(reverse("twofactor_verify"), {"token": code_for(secret, drift=1)})
    assert response.status_code == 302
    assert client.get(reverse("schools:list")).status_code == 200


def test_a_recovery_code_works_once(leader):
    _secret, codes = switch_on(signed_in(leader))
    client, _ = log_in("lotte@regenboog.example")
    assert client.post(reverse("twofactor_verify"), {"token": codes[0].upper()}).status_code == 302
    assert client.get(reverse("schools:list")).status_code == 200
    assert StaticToken.objects.filter(device__user=leader).count() == 9

    again, _ = log_in("lotte@regenboog.example")
    response = again.post(reverse("twofactor_verify"), {"token": codes[0]})
    assert response.status_code == 400 and "Deze code klopt niet." in response.content.decode()


def test_a_wrong_code_says_so_in_dutch_and_is_rate_limited_like_the_login(leader):
    switch_on(signed_in(leader))
    client, _ = log_in("lotte@regenboog.example")
    for _ in range(5):
        response = client.post(reverse("twofactor_verify"), {"token": "000000"})
        assert response.status_code == 400
        assert "Deze code klopt niet." in response.content.decode()
    response = client.post(reverse("twofactor_verify"), {"token": "000000"})
    assert response.status_code == 429
    assert "te vaak een verkeerde code" in response.content.decode()
    assert client.get(reverse("schools:list")).status_code == 302  # still not in


def test_a_wrong_first_code_does_not_switch_it_on(leader):
    client = signed_in(leader)
    client.get(reverse("twofactor"))
    response = client.post(reverse("twofactor"), {"token": "123"})
    assert response.status_code == 400
    assert not twofactor.is_enabled(leader)


def test_switching_off_needs_the_password_and_a_code(leader):
    client = signed_in(leader)
    secret, _codes = switch_on(client)
    client.post(reverse("twofactor_disable"), {"password": "fout", "token": code_for(secret)})
    assert twofactor.is_enabled(leader)
    client.post(reverse("twofactor_disable"), {"password": PASSWORD, "token": code_for(secret, drift=1)})
    assert not twofactor.is_enabled(leader)
    _client, response = log_in("lotte@regenboog.example")
    assert response["Location"] != reverse("twofactor_verify")


def test_a_school_can_require_it_of_leaders_and_mr_members(school, leader, teacher, mr_member):
    response = signed_in(leader).post(reverse("schools:two_factor", args=[school.pk]), {"required": "1"})
    assert response.status_code == 302
    assert School.objects.get(pk=school.pk).require_two_factor

    client, response = log_in("mira@regenboog.example")
    assert response["Location"].startswith(reverse("twofactor"))
    assert client.get(reverse("schools:list"))["Location"].startswith(reverse("twofactor"))
    switch_on(client)
    assert client.get(reverse("schools:list")).status_code == 200
    # A teamlid is not asked.
    client, response = log_in("tim@regenboog.example")
    assert SESSION_KEY in client.session and client.get(reverse("schools:list")).status_code == 200


def test_the_requirement_can_only_be_set_by_a_leader(school, teacher):
    response = signed_in(teacher).post(reverse("schools:two_factor", args=[school.pk]), {"required": "1"})
    assert response.status_code == 404
    assert not School.objects.get(pk=school.pk).require_two_factor
