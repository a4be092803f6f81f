"""Cheap polls: an unchanged phone or projector poll answers 204 from the meeting's counters in the cache,
without a database query and without loading the session; every change is seen at the next poll."""

import re

import httpx
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils.functional import empty

from agreements import stamps
from agreements.models import Ballot, Meeting
from agreements.services import meetings as services
from agreements.services.policy import start_policy

SUPPORT, AGAINST = Ballot.Choice.SUPPORT, Ballot.Choice.AGAINST


@pytest.fixture
def meeting(content, school, leader):
    draft = start_policy(school=school, by=leader)
    meeting = services.create_meeting(version=draft, decisions=list(draft.decisions.all()[:3]), by=leader,
                                      audience=Meeting.Audience.ANYONE, hide_tally=False)
    services.open_item(meeting=meeting, item=meeting.items.first())
    return meeting


def join(meeting, name=""):
    phone = Client()
    phone.post(reverse("meetings:join", args=[meeting.join_code]), {"name": name})
    return phone


def state_of(html):
    return re.search(r'data-state="([^"]+)"', html).group(1)


def cast(phone, meeting, choice):
    item = Meeting.objects.get(pk=meeting.pk).current_item
    return phone.post(reverse("meetings:cast", args=[meeting.join_code]), {"item": item.pk, "choice": choice},
                      headers={"HX-Request": "true"})


def untouched(response):
    """The request never loaded the session nor the user (answered before their middleware, or lazily unused)."""
    request = response.wsgi_request
    session = getattr(request, "session", None)
    user = getattr(request, "user", None)
    return (session is None or not session.accessed) and (user is None or user._wrapped is empty)


# --- The phone ----------------------------------------------------------------------------------------


def test_an_unchanged_phone_poll_is_204_without_a_query_or_the_session(meeting, django_assert_num_queries):
    phone = join(meeting, "Anne")
    state = state_of(phone.get(f"/stem/{meeting.join_code}/").content.decode())
    url = reverse("meetings:current", args=[meeting.join_code])
    with django_assert_num_queries(0):
        response = phone.get(url, {"state": state})
    assert response.status_code == 204
    assert untouched(response)


def test_a_vote_does_not_wake_the_phones_but_the_leader_moving_on_does(meeting):
    phone, other = join(meeting, "Anne"), join(meeting, "Bram")
    state = state_of(phone.get(f"/stem/{meeting.join_code}/").content.decode())
    url = reverse("meetings:current", args=[meeting.join_code])
    cast(other, meeting, AGAINST)
    assert phone.get(url, {"state": state}).status_code == 204
    services.step(meeting=meeting, forward=True)
    response = phone.get(url, {"state": state})
    assert response.status_code == 200
    assert meeting.items.get(position=2).text in response.content.decode()
    assert state_of(response.content.decode()) != state


def test_a_state_without_the_phones_cookie_or_with_a_forged_signature_gets_the_full_answer(meeting):
    phone = join(meeting, "Anne")
    state = state_of(phone.get(f"/stem/{meeting.join_code}/").content.decode())
    url = reverse("meetings:current", args=[meeting.join_code])
    stranger = Client()  # never joined: sent to the join page, not told "nothing changed"
    response = stranger.get(url, {"state": state})
    assert (response.status_code, response["HX-Redirect"]) == (204, f"/stem/{meeting.join_code}/")
    forged = state.rsplit(":", 1)[0] + ":" + "x" * 20
    assert phone.get(url, {"state": forged}).status_code == 200


def test_a_counter_lost_from_the_cache_never_answers_unchanged(meeting):
    phone = join(meeting, "Anne")
    state = state_of(phone.get(f"/stem/{meeting.join_code}/").content.decode())
    cache.delete(stamps.LEADER.format(meeting.pk))  # evicted, or Redis restarted empty
    response = phone.get(reverse("meetings:current", args=[meeting.join_code]), {"state": state})
    assert response.status_code == 200
    assert state_of(response.content.decode()) != state


# --- The projector ------------------------------------------------------------------------------------


def test_an_unchanged_tally_poll_is_204_without_a_query_or_a_login(meeting, leader, django_assert_num_queries):
    projector = Client()
    projector.force_login(leader)
    state = state_of(projector.get(reverse("meetings:projector", args=[meeting.pk])).content.decode())
    url = reverse("meetings:live", args=[meeting.pk])
    with django_assert_num_queries(0):
        response = projector.get(url, {"state": state})
    assert response.status_code == 204
    assert untouched(response)


def test_every_vote_and_every_new_phone_reaches_the_projector_at_its_next_poll(meeting, leader):
    projector = Client()
    projector.force_login(leader)
    url = reverse("meetings:live", args=[meeting.pk])
    state = state_of(projector.get(url).content.decode())
    phone = join(meeting, "Anne")
    response = projector.get(url, {"state": state})
    assert "<strong>1</strong> doet mee" in response.content.decode()
    state = state_of(response.content.decode())
    assert projector.get(url, {"state": state}).status_code == 204
    cast(phone, meeting, SUPPORT)
    response = projector.get(url, {"state": state})
    assert response.status_code == 200
    assert "<strong>1</strong> heeft gestemd" in response.content.decode()


def test_another_schools_leader_with_a_state_of_another_meeting_gets_a_404(meeting, leader, other_leader):
    projector = Client()
    projector.force_login(leader)
    state = state_of(projector.get(reverse("meetings:live", args=[meeting.pk])).content.decode())
    intruder = Client()
    intruder.force_login(other_leader)
    other_meeting_id = meeting.pk + 1000
    assert intruder.get(reverse("meetings:live", args=[other_meeting_id]), {"state": state}).status_code == 404


def test_a_signed_out_projector_with_a_stale_state_is_sent_to_the_login(meeting, leader):
    projector = Client()
    projector.force_login(leader)
    url = reverse("meetings:live", args=[meeting.pk])
    state = state_of(projector.get(url).content.decode())
    projector.logout()
    assert projector.get(url, {"state": state}).status_code == 204  # nothing changed: nothing is told
    services.close_item(meeting=meeting, item=meeting.items.first())
    response = projector.get(url, {"state": state})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert isinstance(response.wsgi_request.user, AnonymousUser)


# --- With a real server: what a phone does reaches the projector's next poll ---------------------------


@pytest.mark.django_db(transaction=True)
def test_a_vote_on_a_real_server_is_on_the_projector_at_the_next_poll(live_server, content, school, leader):
    draft = start_policy(school=school, by=leader)
    meeting = services.create_meeting(version=draft, decisions=list(draft.decisions.all()[:2]), by=leader,
                                      audience=Meeting.Audience.ANYONE, hide_tally=False)
    services.open_item(meeting=meeting, item=meeting.items.first())
    login = Client()
    login.force_login(leader)
    cookies = {name: morsel.value for name, morsel in login.cookies.items()}
    with httpx.Client(base_url=live_server.url, cookies=cookies) as projector, \
            httpx.Client(base_url=live_server.url) as phone:
        live = f"/vergaderingen/{meeting.pk}/stand/"
        first = projector.get(live)
        state = state_of(first.text)
        assert projector.get(live, params={"state": state}).status_code == 204
        page = phone.get(f"/stem/{meeting.join_code}/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        phone.post(f"/stem/{meeting.join_code}/meedoen/", data={"name": "", "csrfmiddlewaretoken": token})
        vote = phone.get(f"/stem/{meeting.join_code}/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', vote.text).group(1)
        item = re.search(r'name="item" value="(\d+)"', vote.text).group(1)
        answer = phone.post(f"/stem/{meeting.join_code}/stemmen/", headers={"HX-Request": "true"},
                            data={"item": item, "choice": SUPPORT, "csrfmiddlewaretoken": token})
        assert answer.status_code == 200
        after = projector.get(live, params={"state": state})  # the very next poll
        assert after.status_code == 200
        assert "<strong>1</strong> heeft gestemd" in after.text
        assert projector.get(live, params={"state": state_of(after.text)}).status_code == 204
