"""No input makes a 5xx: every URL pattern (from the resolver, as the isolation walk finds them) gets hostile
requests as a signed-out visitor, a member of the school and the leader of another school.

Per URL, in one test (so xdist spreads the URLs over both cores): GET with a query of bare words, invalid UTF-8,
a NUL byte and 100,000 characters; POST bodies in an undecodable charset and with a NUL byte (both refused with
our 400 before any view runs); odd methods; the URL itself with its ids past 64 bits, negative or not numbers and
its codes with NUL bytes, invalid UTF-8 or 100,000 characters; and form fields whose values Hypothesis draws
(hostile strings, negative/huge/non-numeric numbers and arbitrary text). Every answer must be below 500, and no
refused request may change a row. Field fuzz as a member may change the member's own school (a teamlid may save
an agreement, leave the school); for the others only what anyone may do changes: join an open meeting and vote,
register, create a school of their own.
"""

import re
import zlib
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import get_resolver
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from agreements.converters import IdConverter
from agreements.models import Meeting, RenderedDocument, Role
from tests.factories import InvitationFactory
from tests.test_isolation import VICTIM, give_objects, snapshot, walk

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

HUNDRED_K = "x" * 100_000
HOSTILE = ["", " ", "\x00", "a\x00b", HUNDRED_K, "-1", "0", "99999999999999999999999", "9223372036854775808",
           "1e9", "NaN", "abc", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "geen-url",
           "//elders.example/", "voor\x00na", "é ü ß 漢字 🙂", "\u202e", "\ufeff"]
FIELDS = ["name", "email", "role", "text", "reason", "choice", "item", "comment", "note", "what", "who", "due",
          "hide", "next", "code", "username", "password", "password1", "password2", "decisions", "audience",
          "hide_tally", "place", "sector", "brin", "revision", "kind", "klaar", "richting", "enabled", "edition",
          "review_date", "parent_contact", "confirm_open", "signed_on", "consented_on", "chair_name",
          "old_password", "new_password1", "new_password2", "state", "file"]
# Text that survives a form body: Hypothesis' own text minus surrogates (a browser cannot send those).
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(st.characters(exclude_categories=["Cs"]), max_size=200),
                   st.integers().map(str))
FORM = st.dictionaries(st.sampled_from(FIELDS), st.one_of(VALUES, st.lists(VALUES, max_size=3)), max_size=8)

ODD_METHODS = ["PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "PROPFIND", "FOO"]
BAD_IDS = ["99999999999999999999999", "9223372036854775808", "-1", "abc", "1e3", "%ff", "%00"]
BAD_CODES = ["%00", "AB%00CD", "%ff%fe", "x" * 100_000, "..", "%2e%2e", "a%20b"]

# What anyone (also a signed-out visitor or another school's leader) may change with a well-formed POST (a join
# with an empty name is one).
OPEN_TO_ANYONE = {"meetings:join", "meetings:cast", "register", "schools:create"}

CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def patterns():
    """(name, route) of every URL pattern, with the prefix of its includes."""
    found = []

    def visit(entries, namespace, prefix):
        for entry in entries:
            if hasattr(entry, "url_patterns"):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                visit(entry.url_patterns, inner, prefix + str(entry.pattern))
            else:
                found.append((f"{namespace}{entry.name}" if entry.name else f"<{prefix}{entry.pattern}>",
                              "/" + prefix + str(entry.pattern)))

    visit(get_resolver().url_patterns, "", "")
    return sorted(set(found))


PATTERNS = patterns()


def test_every_pattern_the_isolation_walk_knows_is_fuzzed():
    walked = {name for name, _names, _route in walk() if name}
    assert walked <= {name for name, _ in PATTERNS}


def test_every_id_in_a_url_is_bounded():
    """<int:…> takes any number of digits, and a 20-digit id made the query fail: ids are <id:…>."""
    for name, route in PATTERNS:
        for match in CONVERTER.finditer(route):
            if match["name"].endswith("_id") or match["name"] == "theme_number":
                assert match["converter"] == "id", f"{name}: use <id:{match['name']}> (agreements/converters.py)"
    assert IdConverter.regex == "[0-9]{1,18}"


@pytest.fixture
def world(school, leader, teacher, mr_member, other_leader):
    """The school with an object of every kind; values for every URL argument; the three personas."""
    InvitationFactory(school=school, role=Role.TEAM, email="nog.niet.lid@regenboog.example")
    give_objects(school)
    document = RenderedDocument.objects.get(version__policy__school=school)
    values = {name: (lambda school, f=f: str(f(school))) for name, f in VICTIM.items()}
    values.update({
        "token": lambda school: school.invitations.first().token,
        "uidb64": lambda school: "MQ",
        "join_code": lambda school: Meeting.objects.get(version__policy__school=school).join_code,
        "verification_code": lambda school: document.verification_code,
        "share_token": lambda school: "niet-gedeeld",
        "slug": lambda school: "thema",
    })
    personas = {"signed out": Client(), "member": Client(), "other school": Client()}
    personas["member"].force_login(teacher)
    personas["other school"].force_login(other_leader)
    return {"school": school, "values": values, "personas": personas}


def fill(route, values, school, **overrides):
    def value(match):
        name = match["name"]
        if name in overrides:
            return overrides[name]
        assert name in values, f"{route} takes {name}: add it to VICTIM in tests/test_isolation.py or to world()"
        return values[name](school)

    return CONVERTER.sub(value, route)


def variety(name, options, count):
    """`count` of `options`, a different choice per URL (stable across runs): a sample, not every combination."""
    start = zlib.crc32(name.encode()) % len(options)
    return [options[(start + i) % len(options)] for i in range(count)]


def refused_requests(name, route, world):
    """(method, url, body, content type) of requests that must not reach a view's writes."""
    url = fill(route, world["values"], world["school"])
    query = "next=geen-url&q=%ff%fe&editie=%c0&state=-1&met=99999999999999999999999&bewerk=abc&seen=NaN"
    requests = [
        ("GET", f"{url}?{query}", b"", None),
        ("GET", f"{url}?q=a%00b&next=voor%00na", b"", None),
        ("GET", f"{url}?q={HUNDRED_K}", b"", None),
        ("POST", url, "name=Indringer&text=x&choice=adopt".encode("utf-16"),
         "application/x-www-form-urlencoded; charset=utf-16"),
        ("POST", url, b"name=Indringer&text=x&choice=adopt", "application/x-www-form-urlencoded; charset=rot13"),
        ("POST", url, b"name=a%00b&text=a%00b&next=voor%00na", "application/x-www-form-urlencoded"),
        ("POST", url, f"text={HUNDRED_K}".encode() * 30, "application/x-www-form-urlencoded"),  # over 2.5 MB
    ]
    requests += [(method, url, b"name=Indringer", "application/x-www-form-urlencoded")
                 for method in variety(name, ODD_METHODS, 3)]
    for match in CONVERTER.finditer(route):
        bad = BAD_IDS if match["converter"] in ("id", "int") else BAD_CODES
        for value in variety(name + match["name"], bad, 2):
            bad_url = fill(route, world["values"], world["school"], **{match["name"]: value})
            requests += [("GET", bad_url, b"", None), ("POST", bad_url, b"name=Indringer", None)]
    return requests


# Answers of 500 and above that are the point of the URL: the health check says 503 while no worker runs.
BY_DESIGN = {"/healthz": {503}}


def send(client, method, url, body=b"", content_type=None):
    kwargs = {"content_type": content_type} if content_type else {}
    if method == "POST" and content_type is None:
        kwargs["content_type"] = "application/x-www-form-urlencoded"
    response = client.generic(method, url, body, **kwargs)
    allowed = BY_DESIGN.get(url.split("?")[0], set())
    assert response.status_code < 500 or response.status_code in allowed, (
        f"{method} {url[:200]} answered {response.status_code}")
    return response


def fuzz(world, name, route):
    """Each request goes out as one of the three personas in turn (all three per URL, a sample of the pairs)."""
    school, personas = world["school"], list(world["personas"].items())
    before = snapshot()
    for i, (method, url, body, content_type) in enumerate(refused_requests(name, route, world)):
        send(personas[(i + zlib.crc32(name.encode())) % 3][1], method, url, body, content_type)
    assert snapshot() == before, f"a refused request to {name} changed data"

    url = fill(route, world["values"], school)
    turn = iter(range(1000))

    @hypothesis_settings(max_examples=3, deadline=None, derandomize=True, database=None,
                         suppress_health_check=list(HealthCheck))
    @given(form=FORM)
    def post_fields(form):
        persona, client = personas[next(turn) % 3]
        before = snapshot()
        multipart = client.post(url, form)  # as a browser sends a form with a file field
        assert multipart.status_code < 500 or multipart.status_code in BY_DESIGN.get(url, set()), (
            f"POST {name} as {persona} with {form!r:.300} answered {multipart.status_code}")
        send(client, "POST", url, urlencode(form, doseq=True).encode(), "application/x-www-form-urlencoded")
        if persona != "member" and name not in OPEN_TO_ANYONE:
            assert snapshot() == before, f"POST {name} as {persona} with {form!r:.300} changed data"

    post_fields()


@pytest.mark.parametrize(("name", "route"), PATTERNS, ids=[name for name, _ in PATTERNS])
def test_no_input_makes_a_5xx(world, name, route, caplog):
    fuzz(world, name, route)
    tracebacks = [r for r in caplog.records if r.exc_info and r.levelname in ("ERROR", "CRITICAL")]
    assert not tracebacks, f"{name} logged a traceback: {tracebacks[0].getMessage()}"
