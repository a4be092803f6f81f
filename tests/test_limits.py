"""Limits on guessing: unknown join codes per address, joins of one anonymous meeting per address, and the client
address itself (X-Forwarded-For only behind a proxy we were told about)."""

import pytest
from django.test import Client
from django.urls import reverse

from agreements.models import Meeting, Participant
from agreements.services import meetings as services
from agreements.services.policy import start_policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(content, school, leader):
    draft = start_policy(school=school, by=leader)
    return services.create_meeting(version=draft, decisions=list(draft.decisions.all()[:2]), by=leader,
                                   audience=Meeting.Audience.ANYONE, hide_tally=False)


def phone(address="10.0.0.1", **headers):
    return Client(REMOTE_ADDR=address, **headers)


def guess(client, n):
    """n unknown (well-formed) join codes; the statuses."""
    codes = [f"{i:06d}".translate(str.maketrans("0123456789", "23456789AB")) for i in range(n)]
    return [client.get(reverse("meetings:vote", args=[code])).status_code for code in codes]


def test_unknown_join_codes_answer_429_after_twenty_a_minute(settings, meeting):
    client = phone()
    assert guess(client, 20) == [404] * 20
    response = client.get(reverse("meetings:vote", args=["ZZZZZZ"]))
    assert response.status_code == 429
    assert "Even wachten" in response.content.decode() and '<html lang="nl">' in response.content.decode()
    # A right guess now looks the same as a wrong one: the code stays secret.
    assert client.get(meeting.get_join_url()).status_code == 429
    assert client.post(reverse("meetings:join", args=[meeting.join_code]), {"name": "x"}).status_code == 429
    assert not Participant.objects.exists()
    # Another address is not held up.
    assert phone("10.0.0.2").get(meeting.get_join_url()).status_code == 200


def test_known_codes_are_not_counted(meeting):
    client = phone()
    for _ in range(30):
        assert client.get(meeting.get_join_url()).status_code == 200


def test_the_code_form_counts_too(meeting):
    client = phone()
    for _ in range(20):
        client.get(reverse("meetings:enter"), {"code": "ZZZZZZ"}, follow=True)
    assert client.get(reverse("meetings:enter"), {"code": "ZZZZZZ"}, follow=True).status_code == 429


def test_x_forwarded_for_is_not_believed_without_a_proxy(meeting):
    statuses = [phone(HTTP_X_FORWARDED_FOR=f"192.0.2.{i}").get(reverse("meetings:vote", args=["ZZZZZZ"])).status_code
                for i in range(21)]
    assert statuses[-1] == 429  # every "client" was the same address


def test_behind_a_proxy_the_address_the_proxy_saw_counts(settings, meeting):
    settings.PROXY_COUNT = 1
    statuses = [phone("10.0.0.9", HTTP_X_FORWARDED_FOR=f"203.0.113.66, 192.0.2.{i}")
                .get(reverse("meetings:vote", args=["ZZZZZZ"])).status_code for i in range(21)]
    assert statuses == [404] * 21  # 21 clients behind our proxy, each with one guess
    client = phone("10.0.0.9", HTTP_X_FORWARDED_FOR="spoofed, 192.0.2.200")
    assert guess(client, 21)[-1] == 429  # what the client itself writes to the left is ignored


def join(client, meeting, name=""):
    return client.post(reverse("meetings:join", args=[meeting.join_code]), {"name": name})


def test_one_address_can_join_an_anonymous_meeting_only_so_often(settings, meeting):
    settings.MEETING_JOINS_PER_ADDRESS = (3, 3600)
    for i in range(3):
        assert join(phone(), meeting, f"Telefoon {i}").status_code == 302  # a new phone (no cookie) each time
    response = join(phone(), meeting, "Nog een")
    assert response.status_code == 429
    assert "doen al heel veel telefoons mee" in response.content.decode()
    assert meeting.participants.count() == 3
    assert join(phone("10.0.0.2"), meeting, "Andere school-wifi").status_code == 302


def test_the_default_cap_leaves_room_for_a_large_staff_room(settings):
    limit, window = settings.MEETING_JOINS_PER_ADDRESS
    assert limit >= 150 and window >= 8 * 3600  # one meeting, a whole staff behind one school address


def test_a_members_only_meeting_is_not_capped_by_address(settings, content, school, leader, teacher):
    settings.MEETING_JOINS_PER_ADDRESS = (1, 3600)
    draft = start_policy(school=school, by=leader)
    meeting = services.create_meeting(version=draft, decisions=list(draft.decisions.all()[:1]), by=leader,
                                      audience=Meeting.Audience.MEMBERS, hide_tally=False)
    for user in (leader, teacher):
        client = phone()
        client.force_login(user)
        assert join(client, meeting, user.name).status_code == 302
    assert meeting.participants.count() == 2
