"""Browser tests: Playwright driving Debian's /usr/bin/chromium, one browser per xdist worker.

`checked_page` gives a page that records every request and console error; `assert_page_ok(page)`
runs axe-core (vendored) and fails on any accessibility violation, any request to another host and
any Content-Security-Policy violation.

Every HTML page a browser test loads (the server's HTML as sent, not the DOM after scripts) is kept, and
at the end of the session all of them are checked in one run of the Nu HTML Checker (vnu-jar, installed
by `make test` from package.json): any error fails the session's last test, listing page, line and message.
"""

import datetime
import hashlib
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from agreements.models import Decision, Meeting, Theme
from agreements.services import meetings as meeting_services
from agreements.services import policy as services

CHROMIUM = "/usr/bin/chromium"
AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
VNU_JAR = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
SEEN_HTML = {}  # sha1 of the HTML -> (url, html): every page the browser tests loaded
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: run `make test`, which installs it.")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class PageRecorder:
    def __init__(self, page, live_url):
        self.page = page
        self.host = urlparse(live_url).netloc
        self.foreign_requests = []
        self.console_errors = []
        page.on("request", self._on_request)
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.console_errors.append(f"pageerror: {exc}"))
        page.on("response", self._on_response)

    def _on_request(self, request):
        url = urlparse(request.url)
        if url.scheme in ("data", "blob", "about"):
            return
        if url.netloc != self.host:
            self.foreign_requests.append(request.url)

    def _on_response(self, response):
        """Keep the HTML of every page (documents, not htmx fragments) for the Nu HTML Checker."""
        if response.request.resource_type != "document" or urlparse(response.url).netloc != self.host:
            return
        if not response.headers.get("content-type", "").startswith("text/html") or 300 <= response.status < 400:
            return
        try:
            html = response.text()
        except Exception:  # noqa: BLE001 (the page was closed or navigated away before its body arrived)
            return
        SEEN_HTML.setdefault(hashlib.sha1(html.encode()).hexdigest(), (response.url, html))

    def _on_console(self, msg):
        if msg.type == "error":
            self.console_errors.append(msg.text)


@pytest.fixture
def new_page(browser, live_server):
    """Factory: a fresh, isolated browser context (its own cookies) with a recorded page."""
    contexts = []

    def make(viewport=None, locale="nl-NL"):
        context = browser.new_context(
            base_url=live_server.url, locale=locale, viewport=viewport or {"width": 1280, "height": 900}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.recorder = PageRecorder(page, live_server.url)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def axe_violations(page):
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}})"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
        for v in result["violations"]
    ]


def assert_page_ok(page):
    """axe finds nothing; no request left this host; no CSP violation or script error."""
    violations = axe_violations(page)
    assert violations == [], f"axe on {page.url}:\n" + "\n".join(violations)
    assert page.recorder.foreign_requests == [], f"requests to other hosts from {page.url}"
    assert page.recorder.console_errors == [], f"console errors on {page.url}"


def wait_and_download(page, progress, link, folder):
    """The progress text shows, then goes once the link to the file appears; the file downloaded by clicking the
    link, saved in `folder`. Returns its path (named as the browser suggested)."""
    expect(progress).to_be_visible()
    assert_page_ok(page)
    expect(link).to_be_visible(timeout=60_000)
    expect(progress).to_have_count(0)
    assert_page_ok(page)
    with page.expect_download() as info:
        link.click()
    path = Path(folder) / info.value.suggested_filename
    info.value.save_as(path)
    return path


@pytest.fixture
def login(live_server):
    """Sign a browser context in as `user` (a real session, as after the login form)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY
    from django.test import Client

    def do(page, user):
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        assert client.session[BACKEND_SESSION_KEY] == "django.contrib.auth.backends.ModelBackend"
        page.context.add_cookies([{
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": live_server.url,
        }])
        return page

    return do


def nu_html_errors(pages):
    """Run the Nu HTML Checker once over {name: (url, html)}; its errors as 'url line N: message — extract'."""
    java = shutil.which("java")
    if not java or not VNU_JAR.exists():
        pytest.fail("The Nu HTML Checker is missing: run `make test`, which installs Java and vnu-jar.")
    with tempfile.TemporaryDirectory() as folder:
        files = {}
        for n, (url, html) in enumerate(pages.values()):
            path = Path(folder) / f"page-{n}.html"
            path.write_text(html)
            files[path.name] = url
        result = subprocess.run(
            [java, "-Xss2m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--exit-zero-always",
             *sorted(Path(folder).iterdir())],
            capture_output=True, text=True, timeout=600,
        )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    return sorted(
        f"{files.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))} line {m.get('lastLine')}: {m['message']}"
        f" — {m.get('extract', '')!r}"
        for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"
    )


@pytest.fixture(scope="session", autouse=True)
def valid_html():
    """At the end of the session: every page the browser tests saw passes the Nu HTML Checker."""
    yield
    if SEEN_HTML:
        errors = nu_html_errors(SEEN_HTML)
        assert errors == [], f"{len(errors)} Nu HTML Checker errors on {len(SEEN_HTML)} pages:\n" + "\n".join(errors)


@pytest.fixture
def busy_school(school, leader, teacher):
    """A draft with choices, an own agreement, an action and a comment; a meeting with a vote cast."""
    version = services.start_policy(school=school, by=leader)
    decisions = list(Decision.objects.filter(version=version).order_by("theme__number", "position"))
    services.save_decision(decision=decisions[0], by=leader, choice="adopt", text="", reason="", revision=1)
    services.save_decision(decision=decisions[1], by=leader, choice="amend", text="Alleen met toestemming.",
                           reason="", revision=1)
    services.save_decision(decision=decisions[2], by=leader, choice="reject", text="", reason="Past niet.",
                           revision=1)
    own = services.add_own_agreement(version=version, theme=Theme.objects.get(number=1), by=leader,
                                     text="We bespreken AI elk jaar in de teamvergadering.")
    services.add_action(decision=decisions[0], by=leader, what="Uitleg op de website", who="Directie",
                        due=datetime.date(2027, 3, 1))
    services.add_comment(decision=decisions[0], by=teacher, text="Goed idee.")
    meeting = meeting_services.create_meeting(version=version, decisions=decisions[:3], by=leader,
                                              audience=Meeting.Audience.ANYONE, hide_tally=False)
    item = meeting_services.open_item(meeting=meeting, item=meeting.items.first())
    phone = meeting_services.join(meeting=meeting, name="Anne")
    meeting_services.cast_vote(participant=phone, item_id=item.pk, choice="support", comment="Prima.")
    return {"version": version, "meeting": meeting, "decision": decisions[0], "own": own}
