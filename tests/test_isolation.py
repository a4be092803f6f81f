"""Tenant isolation: nobody reaches another school's data.

The test walks every URL pattern of the project (all includes) that takes a keyword argument, fills the
arguments with objects of a *victim* school, and requests each URL with GET and POST as the leader of
another school (must be 404) and signed out (404 or the login page). No request may change a row.

New URLs are covered automatically: a URL with a keyword argument this file does not know makes the
test fail and asks for an entry in VICTIM (an object of the victim school) or, for a public link by
design, in PUBLIC.
"""

import importlib

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, clear_url_caches, get_resolver, reverse

import policybuilder.urls
from agreements.access import NOT_SCHOOL_OWNED
from agreements.models import (
    Action,
    Comment,
    Decision,
    Invitation,
    Item,
    Meeting,
    Membership,
    PolicyVersion,
    RenderedDocument,
    Role,
    Tool,
)
from agreements.services import meetings
from agreements.services.policy import start_policy
from agreements.services.tools import add_tool
from tests.factories import (
    ActionFactory,
    CommentFactory,
    InvitationFactory,
    MembershipFactory,
    RenderedDocumentFactory,
    ReviewCheckFactory,
)


def leader_of(school):
    return Membership.objects.filter(school=school, role=Role.LEADER).select_related("user").first().user


def give_objects(school):
    """One object of every school-owned kind the URLs take, so that VICTIM can look them up."""
    leader = leader_of(school)
    version = start_policy(school=school, by=leader)
    RenderedDocumentFactory(version=version, edition=RenderedDocument.Edition.TEAM)
    decision = version.decisions.first()
    ActionFactory(decision=decision, what="Lesbrief maken", who="ICT")
    ReviewCheckFactory(version=version)  # item 1 of the review checklist
    CommentFactory(decision=decision, author=leader, text="Eens")
    meeting = meetings.create_meeting(version=version, decisions=[decision], audience="anyone", hide_tally=False,
                                      by=leader)
    meetings.open_item(meeting=meeting, item=meeting.items.first())
    add_tool(school=school, by=leader, name="Schrijfhulp")


def version_of(school):
    return PolicyVersion.objects.get(policy__school=school)


def decision_of(school):
    return Decision.objects.filter(version__policy__school=school).order_by("pk").first()


def document_of(school):
    return RenderedDocument.objects.get(version__policy__school=school)


# URL keyword argument -> callable(victim_school) returning the value for an object of the victim school.
# Add the kinds of your feature here (and create the object in give_objects): the callables only look up.
VICTIM = {
    "school_id": lambda school: school.pk,
    "membership_id": lambda school: Membership.objects.filter(school=school, role=Role.TEAM).first().pk,
    "invitation_id": lambda school: Invitation.objects.filter(school=school).pending().first().pk,
    "version_id": lambda school: version_of(school).pk,
    "other_version_id": lambda school: version_of(school).pk,
    "document_id": lambda school: document_of(school).pk,
    "decision_id": lambda school: decision_of(school).pk,
    "action_id": lambda school: Action.objects.get(decision__version__policy__school=school).pk,
    "comment_id": lambda school: Comment.objects.get(decision__version__policy__school=school).pk,
    "meeting_id": lambda school: Meeting.objects.get(version__policy__school=school).pk,
    "item_id": lambda school: Item.objects.get(meeting__version__policy__school=school).pk,
    "tool_id": lambda school: Tool.objects.get(school=school).pk,
    "theme_number": lambda school: 1,  # with version_id: theme 1 of the victim's version
    "item_number": lambda school: 1,  # with version_id: item 1 of the review checklist
}

# Keyword arguments of public links: knowing the value is the permission, by design.
PUBLIC = {
    "token": "an invitation link or a password-reset link: the unguessable token is the secret",
    "uidb64": "only together with a password-reset token (Django's PasswordResetConfirmView)",
    "join_code": "a meeting join code: public by design",
    "verification_code": "a PDF verification code: public by design",
    "share_token": "the public link to a parents' edition the leader shares: the token is the secret",
}

# Whole URLs that take an argument but hold no school data.
PUBLIC_URLS = {
    "library:theme": "the public content library: a theme is the same for every school",
}
EXEMPT_NAMESPACES = {
    "admin": "Django's admin: staff only (checked in test_the_admin_turns_away_school_leaders)",
}

# URLs only a schoolleider may use: a teamlid or MR-lid of the same school gets a 404 as well.
LEADER_ONLY = [
    "schools:team",
    "schools:change_role",
    "schools:remove_member",
    "schools:revoke_invitation",
    "schools:delete",
    "schools:cancel_deletion",
    "schools:export",
    "schools:two_factor",
    "documents:finalise",
    "documents:new_draft",
    "documents:share",
    "tools:decide",
    *[f"meetings:{name}" for name in ("new", "control", "projector", "live", "qr", "next", "previous", "hide_tally",
                                      "close", "results", "show_item", "open_item", "close_item")],
]

# A POST body that would change something if a view let the request through.
POST_DATA = {"role": Role.LEADER, "email": "indringer@example.org", "name": "Indringer", "place": "Nergens",
             "sector": "po", "text": "Overgenomen door een indringer", "choice": "adopt"}


def _kwarg_names(pattern):
    if hasattr(pattern, "converters"):  # path() route
        return list(pattern.converters)
    return list(pattern.regex.groupindex)  # re_path()


def walk(patterns=None, namespace="", kwargs=()):
    """(namespaced name, keyword argument names, route) for every URL pattern, through all includes."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        names = [*kwargs, *_kwarg_names(entry.pattern)]
        if isinstance(entry, URLResolver):
            if entry.namespace in EXEMPT_NAMESPACES:
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, inner, names)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}{entry.name}" if entry.name else None), names, str(entry.pattern)


def id_urls():
    return sorted({(name or f"<unnamed {route}>", tuple(names)) for name, names, route in walk() if names})


ID_URLS = id_urls()
CHECKED_URLS = [(name, names) for name, names in ID_URLS
                if name not in PUBLIC_URLS and not set(names) & set(PUBLIC)]


@pytest.fixture
def victim(school, leader, teacher, mr_member):
    InvitationFactory(school=school, role=Role.TEAM, email="nog.niet.lid@regenboog.example")
    give_objects(school)
    return school


@pytest.fixture
def own_school(other_school, other_leader):
    """The attacker's school, with an object of every kind, so its ids can be mixed with the victim's."""
    MembershipFactory(school=other_school, role=Role.TEAM)
    InvitationFactory(school=other_school, role=Role.TEAM)
    give_objects(other_school)
    return other_school


def build(name, names, school, **overrides):
    if name.startswith("<unnamed"):
        pytest.fail(f"{name} takes {', '.join(names)}: give it a name so the isolation test can build it.")
    unknown = [n for n in names if n not in VICTIM and n not in PUBLIC]
    if unknown:
        pytest.fail(
            f"URL {name!r} takes {', '.join(unknown)}, which tests/test_isolation.py does not know. Add it to "
            f"VICTIM (a callable returning the id of an object of the victim school), or to PUBLIC with the reason "
            f"if it is a public link by design."
        )
    return reverse(name, kwargs={n: overrides[n] if n in overrides else VICTIM[n](school) for n in names})


def snapshot():
    """Every row of every model of the project's app, to prove that nothing changed."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_app_config("agreements").get_models()
    }


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def assert_refused(client, url, *, anonymous=False):
    before = snapshot()
    for method in ("get", "post"):
        response = getattr(client, method)(url, POST_DATA if method == "post" else None)
        if anonymous and response.status_code == 302:
            assert response["Location"].startswith(reverse("login")), f"{method.upper()} {url}"
        else:
            assert response.status_code == 404, f"{method.upper()} {url} answered {response.status_code}"
    assert snapshot() == before, f"a refused request to {url} changed data"


def test_the_walk_finds_the_urls_that_take_an_id():
    names = {name for name, _ in CHECKED_URLS}
    assert {"schools:dashboard", "schools:team", "schools:change_role", "schools:remove_member",
            "schools:revoke_invitation", "schools:leave"} <= names
    assert "schools:accept_invitation" in {name for name, _ in ID_URLS}


@pytest.mark.parametrize(("name", "names"), CHECKED_URLS, ids=[n for n, _ in CHECKED_URLS])
def test_a_leader_of_another_school_gets_404(victim, other_leader, name, names):
    url = build(name, names, victim)
    assert_refused(client_for(other_leader), url)


@pytest.mark.parametrize(("name", "names"), CHECKED_URLS, ids=[n for n, _ in CHECKED_URLS])
def test_a_signed_out_visitor_gets_404_or_the_login_page(victim, name, names):
    url = build(name, names, victim)
    assert_refused(client_for(None), url, anonymous=True)


MIXED = [(name, names, kind) for name, names in CHECKED_URLS if len(names) > 1 for kind in names
         if kind not in NOT_SCHOOL_OWNED]


@pytest.mark.parametrize(("name", "names", "kind"), MIXED, ids=[f"{n}-victim's {k}" for n, _, k in MIXED])
def test_my_own_ids_do_not_unlock_one_object_of_another_school(victim, own_school, other_leader, name, names, kind):
    """A leader's own school id (and own other ids) with one id of the victim school: still 404."""
    url = build(name, names, own_school, **{kind: VICTIM[kind](victim)})
    assert_refused(client_for(other_leader), url)


@pytest.mark.parametrize("name", LEADER_ONLY)
@pytest.mark.parametrize("persona", ["teacher", "mr_member"])
def test_a_member_without_the_leader_role_gets_404_on_leader_urls(victim, request, persona, name):
    names = dict(ID_URLS)[name]
    assert_refused(client_for(request.getfixturevalue(persona)), build(name, names, victim))


def test_every_leader_only_url_exists():
    assert set(LEADER_ONLY) <= {name for name, _ in ID_URLS}


def test_the_admin_is_not_served_unless_a_path_is_configured(other_leader):
    response = client_for(other_leader).get("/beheer/")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet" in response.content.decode()


@pytest.fixture
def admin_at(settings):
    """The project's URLs with DJANGO_ADMIN_PATH set (read when policybuilder/urls.py is imported)."""
    settings.ADMIN_PATH = "beheer-k3x9/"
    importlib.reload(policybuilder.urls)
    clear_url_caches()
    yield settings.ADMIN_PATH
    settings.ADMIN_PATH = ""
    importlib.reload(policybuilder.urls)
    clear_url_caches()


def test_the_admin_turns_away_school_leaders(other_leader, admin_at):
    response = client_for(other_leader).get(f"/{admin_at}")
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
