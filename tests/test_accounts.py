"""Accounts: registration, login (rate-limited per account and address), logout, password change and reset."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from agreements.models import Role, User
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent
NEW_PASSWORD = "Een-nieuw-wachtwoord-77"


def register(client, REMOTE_ADDR="127.0.0.1", **data):  # noqa: N803 (the WSGI name)
    form = {"name": "Anna de Boer", "email": "anna@school.example", "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD, **data}
    return client.post(reverse("register"), form, REMOTE_ADDR=REMOTE_ADDR)


def log_in(client, email, password=PASSWORD, ip="127.0.0.1", **extra):
    return client.post(reverse("login"), {"username": email, "password": password, **extra}, REMOTE_ADDR=ip)


def signed_in_user_id(client):
    return client.session.get(SESSION_KEY)


# --- Registration -----------------------------------------------------------------------------


def test_registration_creates_the_account_and_signs_in(client):
    response = register(client, email="Anna@School.example")
    user = User.objects.get()
    assert (user.name, user.email) == ("Anna de Boer", "anna@school.example")
    assert user.check_password(NEW_PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("schools:list")
    assert signed_in_user_id(client) == str(user.pk)


def test_registration_with_a_known_email_says_so_in_dutch_and_creates_nothing(client):
    UserFactory(email="anna@school.example", name="Anna")
    response = register(client, email="ANNA@school.example", name="Andere Anna")
    assert response.status_code == 200
    assert "Er is al een account met dit e-mailadres." in response.content.decode()
    assert User.objects.count() == 1
    assert signed_in_user_id(client) is None


def test_registration_is_rate_limited_per_address_with_a_dutch_message(client):
    for n in range(20):
        register(client, email=f"collega{n}@school.example", REMOTE_ADDR="192.0.2.10")
        client.logout()
    response = register(client, email="nummer21@school.example", name="Nummer 21", REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Er zijn vanaf dit adres te veel accounts gemaakt. Probeer het over een uur opnieuw." in html
    assert 'value="Nummer 21"' in html
    assert not User.objects.filter(email="nummer21@school.example").exists()
    assert User.objects.count() == 20
    response = register(client, email="elders@school.example", REMOTE_ADDR="192.0.2.99")
    assert response.status_code == 302
    assert User.objects.filter(email="elders@school.example").exists()


def test_registration_with_a_weak_password_keeps_what_was_typed(client):
    response = register(client, password1="12345678", password2="12345678")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Dit wachtwoord is te algemeen." in html
    assert "Dit wachtwoord bevat alleen cijfers." in html
    assert 'value="Anna de Boer"' in html and 'value="anna@school.example"' in html
    assert not User.objects.exists()


def test_a_password_like_the_email_address_is_refused_in_our_own_words(client):
    response = register(client, email="zeppelin.lucht@school.example", password1="zeppelinlucht",
                        password2="zeppelinlucht")
    html = response.content.decode()
    assert "Je wachtwoord lijkt te veel op je e-mailadres." in html
    assert "de e-mailadres" not in html
    assert not User.objects.exists()


def test_a_password_like_the_name_is_refused_too(client):
    response = register(client, name="Wilhelmina Zonneveld", password1="WilhelminaZ", password2="WilhelminaZ")
    assert "Je wachtwoord lijkt te veel op je naam." in response.content.decode()
    assert not User.objects.exists()


def test_registration_with_two_different_passwords_is_refused(client):
    response = register(client, password2=NEW_PASSWORD + "x")
    assert "De twee wachtwoorden zijn niet gelijk." in response.content.decode()
    assert not User.objects.exists()


def test_registration_error_is_tied_to_its_field_for_screen_readers(client):
    UserFactory(email="anna@school.example")
    html = register(client).content.decode()
    email_input = re.search(r"<input[^>]*name=\"email\"[^>]*>", html).group(0)
    assert 'aria-invalid="true"' in email_input
    described_by = re.search(r'aria-describedby="([^"]+)"', email_input).group(1).split()
    error_id = re.search(r'<div id="([^"]+)" class="invalid-feedback">\s*<p[^>]*><strong>Er is al een account',
                         html).group(1)
    assert error_id in described_by


def test_registration_returns_to_a_local_next_page_only(client):
    response = register(client, next="/uitnodiging/abc/")
    assert response["Location"] == "/uitnodiging/abc/"
    other = register(Client(), email="b@school.example", next="https://kwaad.example/")
    assert other["Location"] == reverse("schools:list")


# --- Login and logout -------------------------------------------------------------------------


def test_login_goes_straight_to_the_only_school(client, leader, school):
    response = log_in(client, "lotte@regenboog.example")
    assert response["Location"] == reverse("schools:dashboard", args=[school.pk])
    assert signed_in_user_id(client) == str(leader.pk)


def test_login_with_several_schools_goes_to_the_school_list(client, leader, other_school):
    MembershipFactory(user=leader, school=other_school, role=Role.TEAM)
    assert log_in(client, "lotte@regenboog.example")["Location"] == reverse("schools:list")


def test_login_without_a_school_goes_to_the_school_list(client):
    UserFactory(email="nieuw@school.example")
    assert log_in(client, "nieuw@school.example")["Location"] == reverse("schools:list")


def test_login_ignores_capitals_in_the_email_address(client, leader):
    log_in(client, "  Lotte@Regenboog.EXAMPLE ")
    assert signed_in_user_id(client) == str(leader.pk)


def test_login_follows_a_local_next_page(client, leader):
    assert log_in(client, leader.email, next="/scholen/nieuw/")["Location"] == "/scholen/nieuw/"


def test_login_with_a_wrong_password_says_so_in_dutch(client, leader):
    response = log_in(client, leader.email, password="fout")
    assert response.status_code == 200
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar." in response.content.decode()
    assert signed_in_user_id(client) is None


def test_logout_is_a_post_and_signs_out(client, leader):
    client.force_login(leader)
    assert client.get(reverse("logout")).status_code == 405
    assert signed_in_user_id(client) == str(leader.pk)
    response = client.post(reverse("logout"), follow=True)
    assert signed_in_user_id(client) is None
    assert "Je bent uitgelogd." in response.content.decode()


# --- Rate limiting (django-axes: per account and address) --------------------------------------


def fail_five_times(client, email, ip):
    for _ in range(5):
        response = log_in(client, email, password="verkeerd", ip=ip)
    return response


def test_five_wrong_passwords_lock_that_account_from_that_address(client, leader):
    fail_five_times(client, leader.email, "10.0.0.1")
    response = log_in(client, leader.email, ip="10.0.0.1")  # now with the right password
    assert response.status_code == 429
    html = response.content.decode()
    assert "Even wachten met inloggen" in html
    assert "Probeer het over 15 minuten opnieuw." in html
    assert signed_in_user_id(client) is None


def test_a_locked_account_still_logs_in_from_another_address(client, leader):
    fail_five_times(client, leader.email, "10.0.0.1")
    response = log_in(client, leader.email, ip="10.0.0.2")
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(leader.pk)


def test_a_colleague_still_logs_in_from_the_locked_address(client, leader, teacher):
    fail_five_times(client, leader.email, "10.0.0.1")
    response = log_in(client, teacher.email, ip="10.0.0.1")
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(teacher.pk)


def test_capitals_do_not_get_around_the_lock(client, leader):
    fail_five_times(client, leader.email, "10.0.0.1")
    assert log_in(client, leader.email.upper(), ip="10.0.0.1").status_code == 429


def test_four_wrong_passwords_do_not_lock(client, leader):
    for _ in range(4):
        log_in(client, leader.email, password="verkeerd", ip="10.0.0.1")
    assert log_in(client, leader.email, ip="10.0.0.1").status_code == 302


# --- Passwords --------------------------------------------------------------------------------


def test_password_change_needs_the_old_password(client, leader):
    client.force_login(leader)
    url = reverse("password_change")
    wrong = client.post(url, {"old_password": "fout", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert wrong.status_code == 200
    leader.refresh_from_db()
    assert leader.check_password(PASSWORD)

    response = client.post(url, {"old_password": PASSWORD, "new_password1": NEW_PASSWORD,
                                 "new_password2": NEW_PASSWORD}, follow=True)
    assert "Je wachtwoord is gewijzigd." in response.content.decode()
    leader.refresh_from_db()
    assert leader.check_password(NEW_PASSWORD)
    assert signed_in_user_id(client) == str(leader.pk)  # still signed in on this device


def test_password_change_needs_a_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302
    assert response["Location"] == f"/account/inloggen/?next={reverse('password_change')}"


def test_password_reset_mails_a_link_that_sets_a_new_password(client, leader):
    response = client.post(reverse("password_reset"), {"email": "lotte@regenboog.example"}, follow=True)
    assert "Kijk in je e-mail" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lotte@regenboog.example"]
    assert message.subject == "Nieuw wachtwoord voor de AI-beleidsbouwer"
    link = re.search(r"http://testserver(/account/wachtwoord-vergeten/\S+/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert "Nieuw wachtwoord kiezen" in form_page.content.decode()
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD,
                                                         "new_password2": NEW_PASSWORD}, follow=True)
    assert "Je nieuwe wachtwoord is opgeslagen." in done.content.decode()
    leader.refresh_from_db()
    assert leader.check_password(NEW_PASSWORD)
    assert "Deze link werkt niet meer." in client.get(link, follow=True).content.decode()


def test_password_reset_for_an_unknown_address_sends_nothing_and_reveals_nothing(client, leader):
    response = client.post(reverse("password_reset"), {"email": "onbekend@school.example"}, follow=True)
    assert "Als er een account is met dit e-mailadres" in response.content.decode()
    assert mail.outbox == []


def _settings_in_subprocess(tmp_path, code, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("EMAIL_")}
    environment.update(DATA_DIR=str(tmp_path), **env)
    result = subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", code], cwd=BASE_DIR,
                            env=environment, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_mail_is_written_to_the_data_folder_by_default(tmp_path):
    code = ("from django.core.mail import send_mail; from django.conf import settings; "
            "send_mail('Test', 'Hallo', None, ['a@school.example']); print(settings.MAIL_CONFIGURED)")
    assert _settings_in_subprocess(tmp_path, code).split()[-1] == "False"
    files = list((tmp_path / "mail").iterdir())
    assert len(files) == 1
    assert "Subject: Test" in files[0].read_text()


def test_smtp_is_used_when_a_mail_server_is_configured(tmp_path):
    code = ("from django.conf import settings; "
            "print(settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.MAIL_CONFIGURED)")
    out = _settings_in_subprocess(tmp_path, code, EMAIL_HOST="smtp.school.example")
    assert out.split()[-3:] == ["django.core.mail.backends.smtp.EmailBackend", "smtp.school.example", "True"]


# --- Navigation -------------------------------------------------------------------------------


def test_signed_out_navigation_offers_login_and_registration(client, content):
    html = client.get(reverse("library:home")).content.decode()
    assert f'href="{reverse("login")}"' in html and ">Inloggen<" in html
    assert f'href="{reverse("register")}"' in html and ">Account maken<" in html
    assert "Uitloggen" not in html


def test_signed_in_navigation_lists_my_schools_and_a_logout_button(client, content, leader, school, other_school):
    client.force_login(leader)
    html = client.get(reverse("library:home")).content.decode()
    assert "Mijn scholen" in html
    assert f'href="{reverse("schools:dashboard", args=[school.pk])}"' in html
    assert other_school.name not in html
    assert re.search(r'<form method="post" action="/account/uitloggen/">\s*<input type="hidden" '
                     r'name="csrfmiddlewaretoken"', html)


@pytest.mark.parametrize("schools", [1, 10])
def test_navigation_costs_one_query_for_any_number_of_schools(client, content, django_assert_num_queries, schools):
    user = UserFactory()
    for _ in range(schools):
        MembershipFactory(user=user)
    client.force_login(user)
    client.get(reverse("library:sources"))  # warm up
    anonymous_queries = _count_queries(Client(), reverse("library:sources"))
    with django_assert_num_queries(anonymous_queries + 3):  # session, user, memberships
        response = client.get(reverse("library:sources"))
    assert len(re.findall(r'class="dropdown-item[^"]*" href="/scholen/\d+/"', response.content.decode())) == schools


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)



# --- Demo data --------------------------------------------------------------------------------


def test_seed_demo_creates_the_demo_school_once(client, settings):
    from django.core.management import call_command

    from agreements.management.commands.seed_demo import PASSWORD as DEMO_PASSWORD
    from agreements.models import Membership, School

    settings.DEBUG = False  # the demo does not depend on DEBUG (off by default)
    settings.DEMO_SCHOOL = True
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    school = School.objects.get(name="Voorbeeldschool De Regenboog")
    assert (school.sector, school.place) == ("po", "Utrecht")
    roles = sorted(Membership.objects.filter(school=school).values_list("role", flat=True))
    assert roles == sorted([Role.LEADER, Role.TEAM, Role.TEAM, Role.TEAM, Role.MR])
    assert User.objects.count() == 5
    log_in(client, "leider@regenboog.example", password=DEMO_PASSWORD)
    assert signed_in_user_id(client) == str(User.objects.get(email="leider@regenboog.example").pk)


def test_seed_demo_prints_how_to_log_in(settings, capsys):
    from django.core.management import call_command

    settings.DEMO_SCHOOL = True
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "Inloggen: http://127.0.0.1:" in out
    assert "Schoolleider: leider@regenboog.example  wachtwoord: Regenboog-demo-2026" in out


def test_seed_demo_refuses_when_the_demo_is_off(settings):
    from django.core.management import CommandError, call_command

    settings.DEBUG = True
    settings.DEMO_SCHOOL = False
    with pytest.raises(CommandError, match="niet met DJANGO_DEMO=0"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_make_setup_skips_seed_demo_quietly_when_the_demo_is_off(settings, capsys):
    from django.core.management import call_command

    settings.DEMO_SCHOOL = False
    call_command("seed_demo", "--skip-when-off")
    assert "Geen demodata: DJANGO_DEMO staat uit." in capsys.readouterr().out
    assert not User.objects.exists()
