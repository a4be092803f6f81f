"""The phone pages: type the code, join, vote, follow the leader. Anyone with the code, or members only."""


import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.urls import reverse

from agreements.access import PARTICIPANT_COOKIE, get_participant
from agreements.models import Ballot, Meeting, Participant
from agreements.services import meetings as services
from agreements.services.policy import start_policy

SUPPORT, AMENDED, AGAINST = Ballot.Choice.SUPPORT, Ballot.Choice.SUPPORT_AMENDED, Ballot.Choice.AGAINST


@pytest.fixture
def draft(content, school, leader):
    return start_policy(school=school, by=leader)


def make_meeting(draft, leader, **kwargs):
    kwargs.setdefault("audience", Meeting.Audience.ANYONE)
    kwargs.setdefault("hide_tally", False)
    return services.create_meeting(version=draft, decisions=list(draft.decisions.all()[:3]), by=leader, **kwargs)


@pytest.fixture
def meeting(draft, leader):
    return make_meeting(draft, leader)


@pytest.fixture
def item(meeting):
    return services.open_item(meeting=meeting, item=meeting.items.first())


def join(client, meeting, name=""):
    return client.post(reverse("meetings:join", args=[meeting.join_code]), {"name": name})


@pytest.fixture
def phone(meeting):
    client = Client()
    join(client, meeting, "Anne")
    return client


def cast(client, meeting, item, choice, comment="", htmx=True):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(reverse("meetings:cast", args=[meeting.join_code]),
                       {"item": item.pk, "choice": choice, "comment": comment}, headers=headers)


# --- Typing the code ------------------------------------------------------------------------


def test_typing_the_code_in_lower_case_with_spaces_leads_to_the_meeting(client, meeting):
    typed = f" {meeting.join_code[:3].lower()} {meeting.join_code[3:].lower()} "
    response = client.get(reverse("meetings:enter"), {"code": typed})
    assert response["Location"] == f"/stem/{meeting.join_code}/"


def test_an_unknown_code_gives_a_message_and_keeps_what_was_typed(client, meeting):
    unknown = "ABCDEF" if meeting.join_code != "ABCDEF" else "GHJKMN"
    response = client.get(reverse("meetings:enter"), {"code": unknown})
    page = response.content.decode()
    assert "Er is geen vergadering met deze code. Kijk nog eens op het scherm." in page
    assert f'value="{unknown}"' in page
    assert 'aria-invalid="true"' in page and 'aria-describedby="code-help code-error"' in page


def test_a_code_with_look_alike_characters_is_explained(client):
    page = client.get(reverse("meetings:enter"), {"code": "O0I1L"}).content.decode()
    assert "Een code heeft 6 tekens, letters en cijfers." in page


def test_the_code_of_a_closed_meeting_says_it_is_over_as_the_phones_in_it_do(client, meeting):
    services.close_meeting(meeting=meeting)
    page = client.get(reverse("meetings:enter"), {"code": meeting.join_code}).content.decode()
    assert "De vergadering is afgelopen. Meedoen en stemmen kan niet meer." in page
    assert "Er is geen vergadering met deze code." not in page
    phone = client.get(reverse("meetings:vote", args=[meeting.join_code])).content.decode()
    assert "De vergadering is afgelopen" in phone and "Meedoen en stemmen kan niet meer." in phone


def test_a_join_url_in_lower_case_is_redirected_to_the_canonical_one(client, meeting):
    response = client.get(f"/stem/{meeting.join_code.lower()}/")
    assert response["Location"] == f"/stem/{meeting.join_code}/"


def test_an_unknown_join_url_is_404(client, meeting):
    assert client.get("/stem/ZZZZZZ/").status_code == 404


# --- Joining ----------------------------------------------------------------------------------


def test_the_join_page_asks_for_an_optional_name(client, meeting):
    page = client.get(f"/stem/{meeting.join_code}/").content.decode()
    assert "Doe mee met de teamvergadering" in page
    assert "Je naam (mag leeg blijven)" in page


def test_joining_sets_a_signed_httponly_cookie_for_this_meeting_only(client, meeting):
    response = join(client, meeting, "Anne")
    participant = Participant.objects.get()
    cookie = response.cookies[PARTICIPANT_COOKIE]
    assert response["Location"] == f"/stem/{meeting.join_code}/"
    assert (participant.meeting, participant.name) == (meeting, "Anne")
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == f"/stem/{meeting.join_code}/"
    assert cookie.value != str(participant.pk)
    request = RequestFactory().get("/", headers={"Cookie": f"{PARTICIPANT_COOKIE}={cookie.value}"})
    request.user = AnonymousUser()
    assert get_participant(request, meeting) == participant


def test_a_joined_phone_sees_the_current_agreement_and_three_buttons(phone, meeting, item):
    page = phone.get(f"/stem/{meeting.join_code}/").content.decode()
    assert "Je doet mee als Anne." in page
    assert item.text in page
    for value, label in Ballot.Choice.choices:
        assert f'name="choice" value="{value}"' in page and str(label) in page
    assert f'data-hx-post="/stem/{meeting.join_code}/stemmen/"' in page


def test_a_name_that_is_too_long_is_refused_with_what_was_typed(client, meeting):
    response = join(client, meeting, "x" * 61)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="%s"' % ("x" * 61) in page
    assert 'aria-describedby="name-help name-error"' in page
    assert not Participant.objects.exists()


def test_a_closed_meeting_thanks_instead_of_joining(client, meeting):
    services.close_meeting(meeting=meeting)
    page = client.get(f"/stem/{meeting.join_code}/").content.decode()
    assert "De vergadering is afgelopen" in page
    assert join(client, meeting).status_code == 400
    assert not Participant.objects.exists()


# --- Voting -----------------------------------------------------------------------------------


def test_a_vote_shows_the_choice_and_can_be_changed(phone, meeting, item):
    response = cast(phone, meeting, item, SUPPORT)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Je stem: <strong>Steun</strong>" in page
    assert "Je stem is opgeslagen." in page
    response = cast(phone, meeting, item, AMENDED, comment="Iets korter.")
    assert "Je stem: <strong>Steun met aanpassing</strong> (met opmerking)" in response.content.decode()
    assert list(Ballot.objects.values_list("choice", "comment")) == [(AMENDED, "Iets korter.")]


def test_a_vote_without_htmx_redirects_back_with_a_message(phone, meeting, item):
    response = cast(phone, meeting, item, AGAINST, htmx=False)
    assert response["Location"] == f"/stem/{meeting.join_code}/"
    page = phone.get(response["Location"]).content.decode()
    assert "Je stem is opgeslagen." in page
    assert "Je stem: <strong>Geen steun</strong>" in page


def test_a_vote_on_a_closed_item_is_refused_with_a_clear_message(phone, meeting, item):
    services.close_item(meeting=meeting, item=item)
    response = cast(phone, meeting, item, SUPPORT, comment="Toch nog dit.")
    assert response.status_code == 409
    assert "De stemming over deze afspraak is gesloten." in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_vote_on_an_item_of_another_meeting_is_refused(phone, draft, leader, meeting, item):
    other = make_meeting(draft, leader)
    other_item = services.open_item(meeting=other, item=other.items.first())
    response = cast(phone, meeting, other_item, SUPPORT)
    assert response.status_code == 409
    assert "Deze afspraak hoort niet bij deze vergadering." in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_refused_vote_keeps_the_typed_comment(phone, meeting, item):
    response = cast(phone, meeting, item, "misschien", comment="Mijn opmerking")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kies steun, steun met aanpassing of geen steun." in page
    assert ">Mijn opmerking</textarea>" in page


def test_too_many_votes_are_refused_per_participant(phone, meeting, item):
    for _ in range(services.VOTES_PER_MINUTE):
        assert cast(phone, meeting, item, SUPPORT).status_code == 200
    response = cast(phone, meeting, item, AGAINST)
    assert response.status_code == 429
    assert "Wacht een minuut" in response.content.decode()
    other = Client()
    join(other, meeting)
    assert cast(other, meeting, item, AGAINST).status_code == 200


def test_a_vote_without_joining_is_not_counted(client, meeting, item):
    response = cast(client, meeting, item, SUPPORT, htmx=False)
    assert response["Location"] == f"/stem/{meeting.join_code}/"
    assert not Ballot.objects.exists()


def test_a_vote_from_a_page_without_participant_sends_the_phone_to_the_join_page(client, meeting, item):
    response = cast(client, meeting, item, SUPPORT)
    assert response.status_code == 204
    assert response["HX-Redirect"] == f"/stem/{meeting.join_code}/"
    assert not Ballot.objects.exists()


def test_a_forged_cookie_is_ignored(client, meeting, item):
    victim = services.join(meeting=meeting, name="Bram")
    client.cookies[PARTICIPANT_COOKIE] = str(victim.pk)
    cast(client, meeting, item, AGAINST)
    assert not Ballot.objects.exists()


def test_the_cookie_of_one_meeting_does_not_work_in_another(phone, draft, leader, meeting, item):
    other = make_meeting(draft, leader)
    other_item = services.open_item(meeting=other, item=other.items.first())
    signed = phone.cookies[PARTICIPANT_COOKIE].value
    stranger = Client()
    stranger.cookies[PARTICIPANT_COOKIE] = signed  # the same signed value, sent to the other meeting
    cast(stranger, other, other_item, SUPPORT, htmx=False)
    assert not Ballot.objects.exists()
    assert "Doe mee met de teamvergadering" in stranger.get(f"/stem/{other.join_code}/").content.decode()


# --- Following the leader ---------------------------------------------------------------------


def test_the_phone_fragment_answers_204_until_the_leader_moves_on(phone, meeting, item):
    page = phone.get(f"/stem/{meeting.join_code}/").content.decode()
    state = page.split('data-state="')[1].split('"')[0]
    url = reverse("meetings:current", args=[meeting.join_code])
    assert phone.get(url, {"state": state}).status_code == 204
    services.step(meeting=meeting, forward=True)
    response = phone.get(url, {"state": state})
    assert response.status_code == 200
    second = meeting.items.get(position=2)
    assert second.text in response.content.decode()
    assert "De stemming is nog niet open." in response.content.decode()


def test_the_phone_shows_the_meeting_has_ended(phone, meeting, item):
    services.close_meeting(meeting=meeting)
    response = phone.get(reverse("meetings:current", args=[meeting.join_code]), {"state": "open.1.open"})
    assert "De vergadering is afgelopen" in response.content.decode()


def test_the_phone_fragment_takes_few_queries(phone, meeting, item, django_assert_max_num_queries):
    url = reverse("meetings:current", args=[meeting.join_code])
    with django_assert_max_num_queries(4):
        response = phone.get(url)
    assert response.status_code == 200


# --- Members only ---------------------------------------------------------------------------


@pytest.fixture
def members_meeting(draft, leader):
    return make_meeting(draft, leader, audience=Meeting.Audience.MEMBERS)


def test_members_only_refuses_visitors_who_are_not_signed_in_members(client, members_meeting, other_leader):
    url = f"/stem/{members_meeting.join_code}/"
    response = client.get(url)
    assert response.status_code == 403
    assert "Alleen voor teamleden" in response.content.decode()
    assert join(client, members_meeting).status_code == 403
    client.force_login(other_leader)
    assert client.get(url).status_code == 403
    assert join(client, members_meeting).status_code == 403
    assert not Participant.objects.exists()


def test_a_signed_in_member_joins_a_members_only_meeting(client, members_meeting, teacher):
    client.force_login(teacher)
    page = client.get(f"/stem/{members_meeting.join_code}/").content.decode()
    assert 'value="Tim Leraar"' in page
    join(client, members_meeting, "Tim")
    participant = Participant.objects.get()
    assert (participant.user, participant.name) == (teacher, "Tim")
    item = services.open_item(meeting=members_meeting, item=members_meeting.items.first())
    assert cast(client, members_meeting, item, SUPPORT).status_code == 200


def test_a_members_cookie_does_not_vote_for_someone_else_after_logout(client, members_meeting, teacher):
    client.force_login(teacher)
    join(client, members_meeting)
    item = services.open_item(meeting=members_meeting, item=members_meeting.items.first())
    client.logout()
    assert cast(client, members_meeting, item, SUPPORT, htmx=False).status_code == 403
    assert cast(client, members_meeting, item, SUPPORT)["HX-Redirect"] == f"/stem/{members_meeting.join_code}/"
    assert not Ballot.objects.exists()
