"""Safe defaults: DEBUG off unless asked for, HTTPS by the host name, proxy headers only when a proxy is
configured, the admin only at a path of its own; `make run` (plain http on 127.0.0.1) keeps working."""

import json
import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

PROBE = textwrap.dedent("""
    import json, django
    django.setup()
    from django.conf import settings
    settings.STORAGES = {**settings.STORAGES,
                         "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    from django.test import Client
    host = settings.ALLOWED_HOSTS[0]
    client = Client(HTTP_HOST=host)
    plain = client.get("/themas/")
    forwarded = client.get("/themas/", HTTP_X_FORWARDED_PROTO="https")
    admin = client.get("/beheer/")
    print(json.dumps({
        "debug": settings.DEBUG, "demo": settings.DEMO_SCHOOL, "hosts": settings.ALLOWED_HOSTS,
        "https": settings.HTTPS, "session_secure": settings.SESSION_COOKIE_SECURE,
        "proxy_header": settings.SECURE_PROXY_SSL_HEADER,
        "plain": [plain.status_code, plain.get("Location")],
        "forwarded": [forwarded.status_code, forwarded.get("Location")],
        "admin": admin.status_code,
    }))
""")


def environment(tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "EMAIL_", "DATABASE_", "REDIS_"))}
    env.update(DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="policybuilder.settings", **extra)
    return env


def probe(tmp_path, **extra):
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=BASE_DIR, env=environment(tmp_path, **extra),
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_no_variables_give_a_local_site_without_debug_over_plain_http(tmp_path):
    answer = probe(tmp_path)
    assert answer["debug"] is False
    assert answer["demo"] is True  # a newcomer's `make run` keeps its demo school
    assert answer["hosts"] == ["127.0.0.1", "localhost", "[::1]"]
    assert answer["https"] is False and answer["session_secure"] is False
    assert answer["plain"] == [200, None]  # no redirect to an https that `make run` does not serve
    assert answer["admin"] == 404


def test_a_real_host_name_turns_https_on_and_ignores_a_client_claiming_https(tmp_path):
    answer = probe(tmp_path, DJANGO_ALLOWED_HOSTS="beleid.example.nl", DJANGO_SECRET_KEY=secrets.token_urlsafe(60))
    assert answer["https"] is True and answer["session_secure"] is True
    assert answer["proxy_header"] is None
    assert answer["plain"] == [301, "https://beleid.example.nl/themas/"]
    assert answer["forwarded"] == [301, "https://beleid.example.nl/themas/"]  # no proxy configured: not believed


def test_behind_a_configured_proxy_x_forwarded_proto_is_believed(tmp_path):
    answer = probe(tmp_path, DJANGO_ALLOWED_HOSTS="beleid.example.nl", DJANGO_PROXY_COUNT="1",
                   DJANGO_SECRET_KEY=secrets.token_urlsafe(60))
    assert answer["proxy_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert answer["forwarded"] == [200, None]
    assert answer["plain"][0] == 301


def test_debug_only_when_asked_for(tmp_path):
    assert probe(tmp_path, DJANGO_DEBUG="1")["debug"] is True


def test_the_admin_only_at_its_configured_path(tmp_path):
    script = ("import django; django.setup(); from django.urls import reverse; print(reverse('admin:index'))")
    result = subprocess.run([sys.executable, "-c", script], cwd=BASE_DIR, capture_output=True, text=True,
                            env=environment(tmp_path, DJANGO_ADMIN_PATH="/beheer-k3x9/"), timeout=120)
    assert result.stdout.strip() == "/beheer-k3x9/", result.stderr


@pytest.mark.parametrize("extra", [{}, {"DJANGO_DEBUG": "0"}])
def test_check_deploy_is_clean_for_the_local_default(tmp_path, extra):
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=BASE_DIR, env=environment(tmp_path, **extra), capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_warns_for_a_public_host_without_https(tmp_path):
    env = environment(tmp_path, DJANGO_ALLOWED_HOSTS="beleid.example.nl", DJANGO_HTTPS="0",
                      DJANGO_SECRET_KEY=secrets.token_urlsafe(60))
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "security.W008" in result.stderr + result.stdout
