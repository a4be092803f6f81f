"""English beside Dutch: a complete catalogue, a language switch remembered per user and per browser.

Dutch is the source language (the msgids are the Dutch text); locale/en/LC_MESSAGES/ holds the English.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from agreements.models import User
from tests.factories import PASSWORD, UserFactory

BASE_DIR = Path(__file__).resolve().parent.parent
LOCALE = BASE_DIR / "locale"
# What `make messages` reads (the rest of the tree is ignored there too).
SOURCES = ["agreements", "policybuilder", "templates", "static/js", "manage.py"]


def html_lang(response):
    return re.search(r'<html lang="([^"]*)"', response.content.decode()).group(1)


# --- The catalogue ----------------------------------------------------------------------------


def needs_translation(po_path):
    po = polib.pofile(str(po_path))
    return [e for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def describe(entries):
    return "\n".join(f"  - {e.msgid!r}" + (" (fuzzy)" if "fuzzy" in e.flags else "") for e in entries)


@pytest.mark.xdist_group("makemessages")
def test_every_string_in_the_code_has_an_english_translation(tmp_path):
    """makemessages over a copy of the code: every msgid it finds is in the catalogue, translated, not fuzzy.

    Fails with the list of strings to translate: run `make messages`, then translate them in
    locale/en/LC_MESSAGES/django.po (and djangojs.po).
    """
    for source in SOURCES:
        src, dst = BASE_DIR / source, tmp_path / source
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "vendor"))
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dst)
    shutil.copytree(LOCALE, tmp_path / "locale", ignore=shutil.ignore_patterns("*.mo"))
    for domain in ("django", "djangojs"):
        if domain == "djangojs" and not (LOCALE / "en/LC_MESSAGES/djangojs.po").exists():
            continue
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", "en", "-d", domain, "--no-obsolete", "-v0"],
            cwd=tmp_path, check=True, env={"PATH": "/usr/bin:/bin", "DATA_DIR": str(tmp_path / "var")},
        )
    problems = {}
    for po_path in sorted((tmp_path / "locale").glob("*/LC_MESSAGES/*.po")):
        entries = needs_translation(po_path)
        if entries:
            problems[po_path.relative_to(tmp_path)] = entries
    assert not problems, "Strings without an English translation (run `make messages`, translate them):\n" + "\n".join(
        f"{path} ({len(entries)}):\n{describe(entries)}" for path, entries in problems.items()
    )


def test_the_catalogues_have_nothing_untranslated_or_fuzzy_and_compile_cleanly():
    catalogues = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
    assert LOCALE / "en/LC_MESSAGES/django.po" in catalogues
    for po_path in catalogues:
        entries = needs_translation(po_path)
        assert not entries, f"{po_path.relative_to(BASE_DIR)}: untranslated or fuzzy:\n{describe(entries)}"
        # --check: the placeholders (%(name)s, {name}) of each translation match its msgid's.
        result = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po_path)], capture_output=True,
                                text=True)
        assert result.returncode == 0, result.stderr


# --- Which language a page is in --------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_visitor_gets_dutch_by_default_and_english_when_the_browser_asks_for_it(client):
    assert html_lang(client.get("/")) == "nl"
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")) == "en"
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")) == "nl"
    assert html_lang(client.get("/", HTTP_ACCEPT_LANGUAGE="en-US;q=0.8,en;q=0.8,nl;q=0.9")) == "nl"


@pytest.mark.django_db
def test_the_switch_in_the_header_sets_the_language_for_this_browser_and_returns_to_the_page():
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("library:glossary"))
    switch = re.search(r'<form class="language-switch[^>]*action="([^"]+)".*?</form>', page.content.decode(), re.S)
    assert switch and 'name="language" value="en" lang="en"' in switch.group(0)
    assert f'name="next" value="{reverse("library:glossary")}"' in switch.group(0)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', switch.group(0)).group(1)

    response = client.post(switch.group(1), {"language": "en", "next": reverse("library:glossary"),
                                             "csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == reverse("library:glossary")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    english = client.get(reverse("library:glossary"), HTTP_ACCEPT_LANGUAGE="nl")
    assert html_lang(english) == "en"
    assert 'name="language" value="nl" lang="nl">Nederlands</button>' in english.content.decode()


@pytest.mark.django_db
def test_the_switch_needs_post_and_csrf_and_never_leaves_the_site():
    client = Client(enforce_csrf_checks=True)
    assert client.get("/i18n/setlang/?language=en").status_code == 405
    assert client.post("/i18n/setlang/", {"language": "en"}).status_code == 403
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies

    client = Client()
    for unsafe in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        response = client.post("/i18n/setlang/", {"language": "en", "next": unsafe})
        assert response.status_code == 302 and response["Location"] == "/"
    response = client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert html_lang(client.get("/")) == "en"  # the earlier choice stands; an unknown language is ignored


@pytest.mark.django_db
def test_a_signed_in_users_choice_is_stored_and_follows_them_to_another_browser():
    user = UserFactory(language="nl")
    client = Client()
    client.force_login(user)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"

    other_browser = Client(HTTP_ACCEPT_LANGUAGE="nl")
    assert html_lang(other_browser.get("/")) == "nl"
    response = other_browser.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert other_browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert html_lang(other_browser.get("/")) == "en"
    # Signed out, the browser keeps the language its user chose.
    other_browser.post(reverse("logout"))
    assert html_lang(other_browser.get("/")) == "en"


@pytest.mark.django_db
def test_a_user_without_a_language_keeps_the_one_their_browser_used_when_they_signed_in():
    user = UserFactory(language="")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    user.refresh_from_db()
    assert user.language == "en"


@pytest.mark.django_db
def test_a_message_is_shown_in_the_language_of_the_page():
    user = UserFactory(language="en")
    client = Client()
    client.force_login(user)
    response = client.post(reverse("logout"), follow=True)
    assert "You have signed out." in response.content.decode()
    assert "Je bent uitgelogd." not in response.content.decode()

    client = Client()
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    response = client.post(reverse("register"), {"name": "Anna de Boer", "email": "anna@school.example",
                                                 "password1": "Een-nieuw-wachtwoord-77",
                                                 "password2": "Een-nieuw-wachtwoord-77"}, follow=True)
    assert "Welkom, Anna. Je account is klaar." in response.content.decode()
    assert User.objects.get(email="anna@school.example").language == "nl"
