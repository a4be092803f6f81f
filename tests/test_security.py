"""Security baseline: production settings pass `check --deploy`, cookies and headers are strict, every POST
needs a CSRF token, no GET changes anything, the session key changes at login."""

import json
import os
import re
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, InvitationFactory
from tests.test_isolation import VICTIM, give_objects, snapshot, walk

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent
PRODUCTION_HOST = "beleid.example.nl"

# Values for URL arguments that are not school objects; the CSRF check runs before any view code.
SAMPLE = {
    "token": lambda school: school.invitations.first().token,
    "uidb64": lambda school: "MQ",
    "join_code": lambda school: "ABCD1234",
    "verification_code": lambda school: "ABCD-1234-ABCD",
    "share_token": lambda school: "niet-gedeeld",
    "slug": lambda school: "thema",
}

POST_ONLY = [
    "logout", "set_language", "schools:leave", "schools:change_role", "schools:remove_member",
    "schools:revoke_invitation",
    "documents:retry", "documents:share", "documents:new_draft",
]


def production_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_", "DATABASE_", "REDIS_"))}
    env.update(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(60), DJANGO_ALLOWED_HOSTS=PRODUCTION_HOST,
               DATA_DIR=str(tmp_path))
    return env


def test_check_deploy_passes_with_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR, env=production_env(tmp_path), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


PRODUCTION_PROBE = textwrap.dedent(f"""
    import json, django
    django.setup()
    from django.conf import settings
    # Serve static files unhashed (no collectstatic here); everything else is the production configuration.
    settings.STORAGES = {{**settings.STORAGES,
                         "staticfiles": {{"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}}}
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from django.test import Client
    from tests.factories import UserFactory
    UserFactory(email="lotte@school.example", name="Lotte")  # password: tests.factories.PASSWORD
    client = Client(HTTP_HOST={PRODUCTION_HOST!r})
    plain = client.get("/account/inloggen/")
    page = client.get("/account/inloggen/", secure=True)
    login = client.post("/account/inloggen/", {{"username": "lotte@school.example", "password": {PASSWORD!r}}},
                        secure=True)
    def cookie(response, name):
        morsel = response.cookies[name]
        return {{"secure": bool(morsel["secure"]), "httponly": bool(morsel["httponly"]),
                 "samesite": morsel["samesite"]}}
    print(json.dumps({{
        "plain": [plain.status_code, plain.get("Location")],
        "headers": {{k: page.get(k) for k in ("Strict-Transport-Security", "X-Frame-Options", "Referrer-Policy",
                                            "X-Content-Type-Options", "Content-Security-Policy")}},
        "login": login.status_code,
        "session": cookie(login, "sessionid"),
        "csrf": cookie(page, "csrftoken"),
    }}))
""")


@pytest.fixture(scope="module")
def production_response(tmp_path_factory):
    """Requests through the real middleware with DJANGO_DEBUG=0, in a fresh process with its own database."""
    env = production_env(tmp_path_factory.mktemp("production"))
    env["DJANGO_SETTINGS_MODULE"] = "policybuilder.settings"
    result = subprocess.run([sys.executable, "-c", PRODUCTION_PROBE], cwd=BASE_DIR, env=env, capture_output=True,
                            text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_redirects_plain_http_to_https(production_response):
    assert production_response["plain"] == [301, f"https://{PRODUCTION_HOST}/account/inloggen/"]


def test_production_sends_hsts_and_strict_headers(production_response):
    headers = production_response["headers"]
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "'unsafe-inline'" not in headers["Content-Security-Policy"]


def test_production_cookies_are_secure_and_http_only(production_response):
    assert production_response["login"] == 302
    assert production_response["session"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert production_response["csrf"] == {"secure": True, "httponly": True, "samesite": "Lax"}


def test_content_security_policy_forbids_inline_code(client):
    policy = client.get(reverse("login"))["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


INLINE_CODE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>"), "an inline <script>"),
    (re.compile(r"<style[\s>]"), "a <style> element"),
    (re.compile(r"\sstyle=\""), "a style attribute"),
    (re.compile(r"\son[a-z]+=\""), "an on… event handler attribute"),
    (re.compile(r"\s(data-)?hx-on"), "an hx-on attribute"),
]


def test_account_and_school_pages_have_no_inline_code(client, leader, school):
    invitation = InvitationFactory(school=school)
    pages = [reverse("login"), reverse("register"), reverse("password_reset"),
             reverse("schools:accept_invitation", args=[invitation.token])]
    for url in pages:
        _assert_no_inline_code(client.get(url), url)
    client.force_login(leader)
    for url in [reverse("schools:list"), reverse("schools:create"), reverse("schools:dashboard", args=[school.pk]),
                reverse("schools:team", args=[school.pk]), reverse("password_change")]:
        _assert_no_inline_code(client.get(url), url)


def _assert_no_inline_code(response, url):
    assert response.status_code == 200, url
    html = response.content.decode()
    for pattern, what in INLINE_CODE:
        assert not pattern.search(html), f"{url} has {what}: {pattern.search(html).group(0)}"


def own_urls(school):
    """Every URL of the project, with the arguments of objects of the user's own school."""
    urls = []
    for name, names, _route in walk():
        if name is None:
            continue
        values = {}
        for n in names:
            source = VICTIM.get(n) or SAMPLE.get(n)
            assert source, f"URL {name!r} takes {n}: add it to VICTIM in tests/test_isolation.py (or SAMPLE here)"
            values[n] = source(school)
        urls.append((name, reverse(name, kwargs=values)))
    return urls


@pytest.fixture
def own_school(school, leader, teacher):
    InvitationFactory(school=school)
    give_objects(school)
    return school


def test_every_post_without_a_csrf_token_is_refused(own_school, leader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(leader)
    urls = own_urls(own_school)
    assert {"login", "schools:team", "policy:save_decision", "meetings:cast", "documents:sign"} <= dict(urls).keys()
    before = snapshot()
    for name, url in urls:
        response = client.post(url, {"role": "leader", "email": "x@school.example", "name": "X"})
        assert response.status_code == 403, f"POST {url} ({name}) without a CSRF token answered {response.status_code}"
    assert snapshot() == before


def test_the_csrf_token_is_all_a_post_needs(own_school, leader):
    """The refusal above is the CSRF check, not something else: with the token, the same form works."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(leader)
    client.get(reverse("schools:team", args=[own_school.pk]))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(reverse("schools:team", args=[own_school.pk]),
                           {"role": "team", "email": "", "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert own_school.invitations.count() == 2


# What a GET by the school's leader answers, for every URL that does not answer 200 (with the arguments of
# own_urls: the school's own objects, and the SAMPLE values above for public links).
GET_STATUS = {
    "healthz": 503,  # no worker runs in this test
    # Signed in already: on to the school.
    "login": 302, "register": 302,
    # Without htmx these fragments send the browser to the wizard step that shows them.
    "policy:decision": 302, "policy:action": 302, "policy:new_action": 302, "policy:edit_action": 302,
    # A SAMPLE code or slug that names nothing; a document that is not rendered (nor shared) yet.
    "meetings:vote": 404, "meetings:current": 404, "documents:verify": 404, "library:theme": 404,
    "documents:download": 404, "documents:download_word": 404, "documents:parents": 404,
    # A SAMPLE token that is no signed e-mail-change link: "Deze link klopt niet".
    "email_confirm": 400,
    # Forms that only take a POST.
    **dict.fromkeys([
        "logout", "set_language", "schools:leave", "schools:change_role", "schools:remove_member",
    "schools:revoke_invitation",
        "policy:start", "policy:add_own", "policy:save_note", "policy:mark_done", "policy:save_decision",
        "policy:delete_own", "policy:move_own", "policy:add_action", "policy:save_action", "policy:delete_action",
        "policy:add_comment", "policy:delete_comment", "policy:save_check", "meetings:next", "meetings:previous",
        "meetings:hide_tally",
        "meetings:close", "meetings:show_item", "meetings:open_item", "meetings:close_item", "meetings:join",
        "meetings:cast", "meetings:record_pdf", "documents:new_draft", "documents:retry", "documents:share",
        "schools:cancel_deletion", "schools:two_factor", "twofactor_cancel", "twofactor_disable", "twofactor_recovery",
        "tools:delete", "tools:restore", "tools:comment",
    ], 405),
    # No code is asked in this session: on to the account page.
    "twofactor_verify": 302,
}


def test_no_get_changes_anything(own_school, leader, content):
    client = Client()
    client.force_login(leader)
    urls = own_urls(own_school)
    assert set(GET_STATUS) <= dict(urls).keys(), "GET_STATUS names a URL that no longer exists"
    before = snapshot()
    answers = {name: client.get(url).status_code for name, url in urls}
    assert snapshot() == before
    assert {name: status for name, status in answers.items() if status != GET_STATUS.get(name, 200)} == {}, (
        "a URL answers another status than GET_STATUS in tests/test_security.py says (200 when not listed)")


@pytest.mark.parametrize("name", POST_ONLY)
def test_a_post_only_url_answers_405_to_get(own_school, leader, name):
    client = Client()
    client.force_login(leader)
    urls = dict(own_urls(own_school))
    before = snapshot()
    assert client.get(urls[name]).status_code == 405
    assert snapshot() == before


def test_the_session_key_changes_at_login(client, leader):
    session = client.session  # an anonymous session, e.g. from an earlier visit
    session["visited"] = True
    session.save()
    before = client.cookies[settings.SESSION_COOKIE_NAME].value
    response = client.post(reverse("login"), {"username": leader.email, "password": PASSWORD})
    assert response.status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=before).exists()
