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


INLINE = r"<(?:a|strong|em|code|b|i)\b"
TRANSLATE = r'\{% translate "([^"]*)"[^%]*%\}'


def test_no_sentence_is_cut_in_two_around_a_link_or_bold_text():
    """A translator gets whole sentences: a {% translate %} that stops mid-sentence before a link or bold text, or
    one that goes on after it ("De code <strong>…</strong> hoort bij…"), is one {% blocktranslate %} with the
    markup inside instead."""
    halves = []
    for path in sorted((BASE_DIR / "templates").rglob("*.html")):
        text = path.read_text()
        name = path.relative_to(BASE_DIR)
        for m in re.finditer(TRANSLATE + r"\s*" + INLINE, text):
            if not re.search(r"[.?!:)]$", m.group(1)):
                halves.append(f"{name}: {m.group(1)!r} goes on after it")
        for m in re.finditer(r"</(?:a|strong|em|code|b|i)>\s*" + TRANSLATE, text):
            if m.group(1)[:1].islower() or m.group(1)[:1] in ".,;:":
                halves.append(f"{name}: {m.group(1)!r} continues a sentence")
    assert halves == [], "\n".join(halves)


TEMPLATE_CODE = re.compile(r"\{%\s*blocktranslate.*?endblocktranslate\s*%\}|\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
WORDS = re.compile(r"[A-Za-zÀ-ÿ]{2,}")


def test_no_words_are_written_into_a_template_outside_translation():
    """Words a page only shows sometimes hide from the English page check: a filter's default text
    (`|default:"(leeg)"`) and a labelling attribute written in the template (`aria-label="Eigen afspraak …"`)."""
    found = []
    for path in sorted((BASE_DIR / "templates").rglob("*.html")):
        text = path.read_text()
        name = path.relative_to(BASE_DIR)
        found += [f"{name}: |default:{m.group(0)}" for m in re.finditer(r'(?<=\|default:)"[^"]*"', text)
                  if WORDS.search(m.group(0))]
        outside = TEMPLATE_CODE.sub("", text)  # what the template itself writes, around its tags
        found += [f"{name}: {m.group(0)}" for m in re.finditer(r'\b(?:aria-label|title|placeholder|alt)="[^"]*"',
                                                               outside) if WORDS.search(m.group(0).split("=", 1)[1])]
    assert found == [], "\n".join(found)


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


# --- No Dutch interface text in the English pages ---------------------------------------------

# Common words of the Dutch interface that are no English words. Text marked lang="nl" (the content library)
# and the school's own data (its name, people's names) are allowed to be Dutch.
DUTCH_UI_WORDS = {
    "de", "het", "een", "en", "van", "je", "jij", "jouw", "jullie", "niet", "nog", "voor", "met", "naar", "bij",
    "ook", "wat", "wie", "zijn", "wordt", "kan", "kies", "afspraak", "afspraken", "thema", "beleid", "versie",
    "wachtwoord", "inloggen", "uitloggen", "opslaan", "verder", "terug", "vergadering", "stemmen", "klaar",
    "overnemen", "aanpassen", "zoeken", "richtlijnen", "begrippen", "uitnodiging", "schoolleider", "teamlid",
    "ondertekenen", "vastgesteld", "concept", "toevoegen", "verwijderen", "wijzigen", "opmerking", "leden",
}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
TEXT_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


class VisibleText(__import__("html.parser").parser.HTMLParser):
    """The page's text and labelling attributes outside elements marked lang="nl", <script> and <style>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.chunks = [], []

    def _dutch_or_hidden(self):
        return any(dutch for _, dutch in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # <title> may hold a library title (no element inside it can carry lang="nl").
        dutch = attrs.get("lang") == "nl" or tag in ("script", "style", "template", "title")
        if tag == "html":
            dutch = False
        if not (dutch or self._dutch_or_hidden()):
            self.chunks += [attrs[a] for a in TEXT_ATTRIBUTES if attrs.get(a)]
        if tag not in VOID:
            self.stack.append((tag, dutch))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if not self._dutch_or_hidden():
            self.chunks.append(data)


def dutch_words_in(html, allowed_texts):
    parser = VisibleText()
    parser.feed(html)
    text = " ".join(parser.chunks)
    for allowed in sorted(allowed_texts, key=len, reverse=True):
        text = text.replace(allowed, " ")
    words = re.findall(r"[a-zà-ÿ]+", text.lower())
    found = sorted({w for w in words if w in DUTCH_UI_WORDS})
    snippets = [m.group(0) for w in found[:5]
                for m in [re.search(rf".{{0,40}}\b{w}\b.{{0,40}}", text, re.I | re.S)] if m]
    return found, snippets


@pytest.fixture
def english_leader(leader, school):
    from agreements.services.policy import start_policy

    leader.language = "en"
    leader.save()
    start_policy(school=school, by=leader)
    return leader


def english_pages(school, version):
    from agreements.models import Theme

    theme = Theme.objects.order_by("number").first()
    return [
        reverse("library:home"), reverse("library:themes"), reverse("library:theme", args=[theme.slug]),
        reverse("library:guidelines"), reverse("library:poraad"), reverse("library:requirements"),
        reverse("library:checklists"), reverse("library:glossary"), reverse("library:sources"),
        reverse("library:search") + "?q=privacy",
        reverse("schools:list"), reverse("schools:dashboard", args=[school.pk]),
        reverse("schools:team", args=[school.pk]),
        reverse("schools:create"), reverse("password_change"),
        reverse("documents:documents", args=[version.pk]), reverse("documents:sign", args=[version.pk]),
        reverse("meetings:enter"), reverse("documents:verify_start"),
        # The policy pages: the library's texts in them are marked lang="nl", the rest is English.
        reverse("policy:home", args=[school.pk]), reverse("policy:overview", args=[version.pk]),
        reverse("policy:step", args=[version.pk, theme.number]), reverse("policy:review", args=[version.pk]),
        reverse("documents:preview", args=[version.pk]),
        reverse("documents:preview", args=[version.pk]) + "?editie=ouders",
        reverse("meetings:new", args=[version.pk]),
    ]


def dutch_interface_words(client, urls, allowed):
    """{url: (Dutch words, snippets)} for each page that shows Dutch outside lang="nl"; each page is English."""
    problems = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert html_lang(response) == "en", url
        found, snippets = dutch_words_in(response.content.decode(), allowed)
        if found:
            problems[url] = (found, snippets)
    return problems


def describe_problems(problems):
    return "Dutch interface words in English pages:\n" + "\n".join(
        f"{url}: {found} e.g. {snippets}" for url, (found, snippets) in problems.items())


@pytest.mark.django_db
def test_the_english_pages_show_no_dutch_interface_words(client, english_leader, school, content):
    from agreements.models import PolicyVersion

    version = PolicyVersion.objects.get(policy__school=school)
    client.force_login(english_leader)
    allowed = {school.name, school.place, english_leader.name, english_leader.email, "AI-beleidsbouwer"}
    problems = dutch_interface_words(client, english_pages(school, version), allowed)
    assert not problems, describe_problems(problems)


@pytest.fixture
def english_meeting(english_leader, school):
    """An open meeting on the draft: its first agreement voted on and closed, the second open for the vote."""
    from agreements.models import Ballot, Meeting, PolicyVersion
    from agreements.services import meetings

    version = PolicyVersion.objects.get(policy__school=school)
    meeting = meetings.create_meeting(version=version, decisions=list(version.decisions.all()[:3]),
                                      audience=Meeting.Audience.ANYONE, hide_tally=False, by=english_leader)
    first, second, _third = meeting.items.all()
    meetings.open_item(meeting=meeting, item=first)
    voter = meetings.join(meeting=meeting, name="Anna")
    meetings.cast_vote(participant=voter, item_id=first.pk, choice=Ballot.Choice.SUPPORT, comment="Good idea")
    meetings.close_item(meeting=meeting, item=first)
    meetings.open_item(meeting=meeting, item=second)
    return meeting


@pytest.mark.django_db
def test_the_english_meeting_and_history_pages_show_no_dutch_interface_words(client, english_leader, school,
                                                                              content, english_meeting):
    """The agreements on the leader's meeting pages and on the phone are the library's, marked lang="nl"."""
    meeting, decision = english_meeting, english_meeting.items.first().decision
    client.force_login(english_leader)
    joined = client.post(reverse("meetings:join", args=[meeting.join_code]), {"name": "Lotte"})
    assert joined.status_code == 302
    urls = [reverse("policy:history", args=[decision.pk])]
    urls += [reverse(f"meetings:{name}", args=[meeting.pk]) for name in ("control", "projector", "results", "record")]
    urls += [reverse("meetings:vote", args=[meeting.join_code])]
    allowed = {school.name, school.place, english_leader.name, english_leader.email, "AI-beleidsbouwer"}
    problems = dutch_interface_words(client, urls, allowed)
    assert not problems, describe_problems(problems)
    phone = client.get(reverse("meetings:vote", args=[meeting.join_code])).content.decode()
    assert f'<span lang="nl">{meeting.items.get(position=2).text}</span>' in phone


@pytest.mark.django_db
def test_the_library_stays_dutch_marked_lang_nl_with_a_note_in_english(client, content):
    from agreements.models import Theme

    theme = Theme.objects.order_by("number").first()
    english = client.get(reverse("library:theme", args=[theme.slug]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'<span lang="nl">{theme.title}</span>' in english
    assert "The source texts (Kennisnet, TWijs, PO-Raad and the EU) are in Dutch." in english
    dutch = client.get(reverse("library:theme", args=[theme.slug]), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert 'lang="nl">' not in dutch.split("<body", 1)[1]
    assert "The source texts" not in dutch


@pytest.mark.django_db
def test_the_schools_own_words_are_shown_as_written_and_the_examples_words_are_marked_dutch(
        client, english_leader, school, content):
    """An amended agreement is the school's text, not marked; the example agreement beside it is lang="nl": on
    the review page, in the meeting set-up, on the leader's meeting pages and on the phone."""
    from agreements.models import Decision, Meeting, PolicyVersion
    from agreements.services import meetings
    from agreements.services.policy import save_decision

    version = PolicyVersion.objects.get(policy__school=school)
    amended, example = version.decisions.filter(example__isnull=False).order_by("theme__number", "position")[:2]
    own_words = "We use AI only after we have told the pupils."
    save_decision(decision=amended, by=english_leader, choice=Decision.Choice.AMEND, text=own_words, reason="",
                  revision=amended.revision)
    meeting = meetings.create_meeting(version=version, decisions=[amended, example], by=english_leader,
                                      audience=Meeting.Audience.ANYONE, hide_tally=False)
    client.force_login(english_leader)
    assert client.post(reverse("meetings:join", args=[meeting.join_code]), {"name": "Lotte"}).status_code == 302

    def page(url):
        return client.get(url).content.decode()

    def marked(html, text):
        return f'<span lang="nl">{text}</span>' in html or re.search(rf'lang="nl">\s*<p>{re.escape(text)}</p>', html)

    for url in [reverse("policy:review", args=[version.pk]), reverse("meetings:new", args=[version.pk]),
                reverse("meetings:results", args=[meeting.pk]), reverse("meetings:record", args=[meeting.pk])]:
        html = page(url)
        assert own_words in html and not marked(html, own_words)
        assert marked(html, example.example.text)
    for item, text in [(meeting.items.get(decision=amended), own_words), (meeting.items.get(decision=example), None)]:
        meetings.open_item(meeting=meeting, item=item)
        for html in [page(reverse("meetings:vote", args=[meeting.join_code])),
                     page(reverse("meetings:projector", args=[meeting.pk]))]:
            if text:
                assert f">{own_words}</h2>" in html
            else:
                assert f'<span lang="nl">{example.example.text}</span></h2>' in html
        meetings.close_item(meeting=meeting, item=item)


@pytest.mark.django_db
def test_the_english_compare_page_marks_the_examples_words_dutch(client, school, leader, mr_member, content):
    """Comparing two versions in English: an example agreement no longer adopted is shown in the library's words,
    marked lang="nl"; the interface around it is English."""
    from agreements.models import Decision
    from agreements.services import documents
    from tests.document_data import adopted_version

    leader.language = "en"
    leader.save()
    old = adopted_version(school=school, leader=leader, mr_member=mr_member, own_per_theme=0)
    new = documents.start_new_draft_from(version=old, by=leader)
    dropped = new.decisions.filter(example__isnull=False, choice=Decision.Choice.ADOPT).first()
    Decision.objects.filter(pk=dropped.pk).update(choice=Decision.Choice.REJECT, reason="Not for our pupils")
    client.force_login(leader)
    url = reverse("policy:compare_with", args=[new.pk, old.pk])
    allowed = {school.name, school.place, leader.name, leader.email, "AI-beleidsbouwer"}
    assert not (problems := dutch_interface_words(client, [url], allowed)), describe_problems(problems)
    page = client.get(url).content.decode()
    assert f'<p class="mb-1" lang="nl"><del>{dropped.example.text}</del></p>' in page
    assert "Not for our pupils" in page
