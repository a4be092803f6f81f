"""Our own Dutch error pages (400, 403, CSRF failure, 404, 429, 500), and the inputs that used to make a 500:
an undecodable body, a `next` that is not a path, codes with NUL bytes, ids past 64 bits."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import Client
from django.urls import path, reverse

import policybuilder.urls
from agreements.models import Meeting
from agreements.services import meetings as services
from agreements.services.policy import start_policy
from agreements.views.common import safe_next
from tests.factories import PASSWORD, InvitationFactory
from tests.test_isolation import snapshot
from tests.test_security import INLINE_CODE

pytestmark = pytest.mark.django_db


def boom(request):
    raise RuntimeError("a view that fails (deliberately, for the 500 page)")


def forbidden(request):
    raise PermissionDenied


def fine(request):
    return HttpResponse("ok")


# This module is also a URLconf (pytest.mark.urls): the project's URLs plus views that fail on purpose.
urlpatterns = [*policybuilder.urls.urlpatterns, path("kapot/", boom), path("verboden/", forbidden),
               path("goed/", fine)]
handler400 = policybuilder.urls.handler400
handler403 = policybuilder.urls.handler403
handler404 = policybuilder.urls.handler404
handler500 = policybuilder.urls.handler500


def assert_our_page(response, status, text):
    assert response.status_code == status
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert text in html
    assert f"Foutcode {status}" in html
    assert 'href="/"' in html  # the way home
    for pattern, what in INLINE_CODE:  # CSP-clean: no inline script or style
        assert not pattern.search(html), f"the {status} page has {what}"


@pytest.mark.urls(__name__)
@pytest.mark.traceback_expected
def test_a_view_that_raises_shows_our_500_page(caplog):
    response = Client(raise_request_exception=False).get("/kapot/")
    assert_our_page(response, 500, "Er ging bij ons iets mis")
    assert "a view that fails" in caplog.text  # the traceback goes to the log, never to the page
    assert "a view that fails" not in response.content.decode()


@pytest.mark.urls(__name__)
def test_permission_denied_shows_our_403_page(client):
    assert_our_page(client.get("/verboden/"), 403, "Dit mag je niet doen")


@pytest.mark.parametrize("debug", [False, True])
def test_an_unknown_url_shows_our_404_page_with_and_without_debug(client, settings, debug):
    settings.DEBUG = debug
    response = client.get("/bestaat-niet/")
    assert_our_page(response, 404, "Deze pagina bestaat niet")
    assert "URLconf" not in response.content.decode()  # not Django's technical 404 with every pattern


@pytest.mark.parametrize("debug", [False, True])
def test_an_object_that_does_not_exist_shows_our_404_page(client, settings, leader, debug):
    settings.DEBUG = debug
    client.force_login(leader)
    assert_our_page(client.get("/scholen/999999/"), 404, "Deze pagina bestaat niet")


def test_a_failed_csrf_check_shows_our_403_page(leader):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": leader.email, "password": PASSWORD})
    assert_our_page(response, 403, "Het formulier is verlopen")


def test_the_error_page_links_back_to_the_page_before_only_on_this_site(client):
    response = client.get("/bestaat-niet/", headers={"Referer": "http://testserver/themas/"})
    assert 'href="http://testserver/themas/"' in response.content.decode()
    response = client.get("/bestaat-niet/", headers={"Referer": "https://elders.example/"})
    assert "elders.example" not in response.content.decode()


# --- Undecodable bodies ------------------------------------------------------------------------

UNDECODABLE = [
    "application/x-www-form-urlencoded; charset=utf-16",
    "application/x-www-form-urlencoded; charset=utf-32",
    "application/x-www-form-urlencoded; charset=rot13",
    "multipart/form-data; boundary=x; charset=base64",
    "application/x-www-form-urlencoded; charset=idna",
]


@pytest.mark.parametrize("content_type", UNDECODABLE)
@pytest.mark.parametrize("debug", [False, True])
def test_a_body_in_an_undecodable_charset_gets_our_400_page(content_type, debug, settings, leader):
    settings.DEBUG = debug
    before = snapshot()
    response = Client().generic("POST", reverse("login"), f"username={leader.email}&password={PASSWORD}".encode(),
                                content_type=content_type)
    assert_our_page(response, 400, "Dit verzoek kunnen we niet lezen")
    assert snapshot() == before


def test_a_nul_byte_in_the_query_or_form_gets_our_400_page(client, content):
    assert_our_page(client.get(reverse("library:search"), {"q": "a\x00b"}), 400, "Dit verzoek kunnen we niet lezen")
    form = "username=a%00b%40x.nl&password=x"
    assert_our_page(client.post(reverse("login"), form, content_type="application/x-www-form-urlencoded"), 400,
                    "Dit verzoek kunnen we niet lezen")


def test_a_nul_byte_in_a_multipart_form_is_a_form_error(client):
    response = client.post(reverse("login"), {"username": "a\x00b@x.nl", "password": "x"})  # multipart
    assert response.status_code == 200
    assert "Null-tekens zijn niet toegestaan." in response.content.decode()


def test_a_form_body_over_the_limit_gets_our_400_page(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(reverse("login"), {"username": "a" * 5000, "password": "x"})
    assert_our_page(response, 400, "Dit verzoek kunnen we niet lezen")


def test_a_plain_form_still_works(client, leader):
    response = client.post(reverse("login"), {"username": leader.email, "password": PASSWORD})
    assert response.status_code == 302


# --- next= ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value,expected", [
    ("/scholen/", "/scholen/"),
    ("/versies/3/?a=1#x", "/versies/3/?a=1#x"),
    ("geen-url", ""),
    ("voor\x00na", ""),
    ("/voor\x00na", ""),
    ("//elders.example/", ""),
    ("/\\elders.example/", ""),
    ("https://elders.example/", ""),
    ("http://testserver/scholen/", ""),
    ("/ met spatie", ""),
    ("javascript:alert(1)", ""),
    ("", ""),
])
def test_safe_next_takes_only_a_path_on_this_site(rf, value, expected):
    assert safe_next(rf.get("/", {"next": value})) == expected
    assert safe_next(rf.post("/", {"next": value})) == expected


def test_registration_with_a_bare_word_as_next_shows_the_form(client):
    response = client.get(reverse("register"), {"next": "geen-url"})
    assert response.status_code == 200
    assert 'name="next" value="geen-url"' not in response.content.decode()  # the form does not carry it on


def test_a_signed_in_visitor_with_a_bare_word_as_next_goes_home(client, leader):
    client.force_login(leader)
    for url in (reverse("register"), reverse("login")):
        response = client.get(url, {"next": "geen-url"})
        assert response.status_code == 302
        assert response["Location"] == reverse("schools:dashboard", args=[leader.memberships.get().school_id])


def test_login_follows_a_path_but_not_a_bare_word(client, leader):
    response = client.post(reverse("login") + "?next=geen-url", {"username": leader.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"].startswith("/scholen/")
    client.logout()
    response = client.post(reverse("login"), {"username": leader.email, "password": PASSWORD, "next": "/themas/"})
    assert response["Location"] == "/themas/"


@pytest.fixture
def meeting(content, school, leader):
    draft = start_policy(school=school, by=leader)
    return services.create_meeting(version=draft, decisions=list(draft.decisions.all()[:2]), by=leader,
                                   audience=Meeting.Audience.ANYONE, hide_tally=False)


@pytest.mark.parametrize("target", ["geen-url", "voor\x00na", "//elders.example/x", "https://elders.example/"])
def test_a_meeting_control_with_a_bad_next_goes_back_to_the_control_page(client, leader, meeting, target):
    client.force_login(leader)
    item = meeting.items.first()
    response = client.post(reverse("meetings:open_item", args=[meeting.pk, item.pk]), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:control", args=[meeting.pk])
    item.refresh_from_db()
    assert item.is_open  # the action itself was done


def test_a_meeting_control_follows_next_to_the_projector(client, leader, meeting):
    client.force_login(leader)
    projector = reverse("meetings:projector", args=[meeting.pk])
    response = client.post(reverse("meetings:next", args=[meeting.pk]), {"next": projector})
    assert response["Location"] == projector


# --- Codes in URLs ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [
    "/stem/AB%00CD/", "/stem/%00/", "/stem/AB%00CD/meedoen/", "/stem/ABCDEFGHJK/", "/stem/" + "A" * 3000 + "/",
    "/verifieer/%00/", "/ouders/%00/", "/ouders/" + "x" * 3000 + "/", "/uitnodiging/%00/",
    "/uitnodiging/a%20b/",
])
def test_a_code_or_token_of_the_wrong_form_is_a_404_without_a_query(client, url, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):  # the session and the rate-limit, never the object
        response = client.get(url) if "meedoen" not in url else client.post(url, {"name": "x"})
    assert response.status_code in (404, 405)


@pytest.mark.parametrize("url", ["/scholen/99999999999999999999999/", "/versies/9223372036854775808/",
                                 "/afspraken/-1/", "/acties/1e3/", "/documenten/0x10/download/"])
def test_an_id_past_64_bits_or_not_a_number_is_our_404(client, leader, url):
    client.force_login(leader)
    assert_our_page(client.get(url), 404, "Deze pagina bestaat niet")


def test_the_largest_id_that_fits_is_looked_up(client, leader):
    client.force_login(leader)
    assert client.get("/scholen/999999999999999999/").status_code == 404


def test_an_invitation_link_still_works(client):
    invitation = InvitationFactory()
    assert client.get(reverse("schools:accept_invitation", args=[invitation.token])).status_code == 200


def test_a_url_longer_than_gunicorn_takes_gets_our_400_page(client):
    assert_our_page(client.get("/stem/" + "A" * 5000 + "/"), 400, "Dit verzoek kunnen we niet lezen")


@pytest.mark.parametrize("met", ["99999999999999999999999", "²", "٣"])
def test_compare_with_a_version_number_that_is_no_id_is_not_a_500(client, leader, content, school, met):
    version = start_policy(school=school, by=leader)
    client.force_login(leader)
    response = client.get(reverse("policy:compare", args=[version.pk]), {"met": met})
    assert response.status_code == 200


@pytest.mark.urls(__name__)
def test_a_request_that_logs_a_traceback_is_noticed(no_server_traceback):
    Client(raise_request_exception=False).get("/kapot/")
    assert [r.getMessage() for r in no_server_traceback.records] == ["Internal Server Error: /kapot/"]
    no_server_traceback.records.clear()  # this test caused it on purpose; the check itself is what is tested
