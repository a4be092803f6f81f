"""Account self-service (AVG): change the name, change the e-mail address by a link, download my data, delete."""

import json
import re

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import Comment, Membership, Participant, Role, Signature, User
from agreements.services import meetings
from agreements.services.policy import start_policy
from tests.factories import PASSWORD, CommentFactory, MembershipFactory, SignatureFactory, UserFactory

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def can_log_in(email, password=PASSWORD):
    client = Client()
    client.post(reverse("login"), {"username": email, "password": password})
    return SESSION_KEY in client.session


def link_in(message):
    return re.search(r"http://testserver(/account/e-mailadres/bevestigen/[^/\s]+/)", message.body).group(1)


# --- Name -----------------------------------------------------------------------------------------


def test_a_user_changes_their_name(teacher):
    client = signed_in(teacher)
    response = client.post(reverse("account"), {"name": "  Tim   de Leraar "}, follow=True)
    assert "Je naam is gewijzigd." in response.content.decode()
    teacher.refresh_from_db()
    assert teacher.name == "Tim de Leraar"


def test_an_empty_name_is_refused_in_dutch(teacher):
    response = signed_in(teacher).post(reverse("account"), {"name": "   "})
    assert response.status_code == 200
    assert "Vul je naam in." in response.content.decode() or "Dit veld is verplicht." in response.content.decode()
    teacher.refresh_from_db()
    assert teacher.name == "Tim Leraar"


def test_the_account_pages_want_a_signed_in_user(client):
    for name in ("account", "email_change", "my_data", "delete_account"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name


# --- E-mail address -------------------------------------------------------------------------------


def ask_for(client, email, password=PASSWORD):
    return client.post(reverse("email_change"), {"email": email, "password": password})


def test_a_new_address_is_confirmed_by_a_link_and_the_old_address_is_told(teacher):
    client = signed_in(teacher)
    response = ask_for(client, "Tim.Nieuw@school.example")
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.email == "tim@regenboog.example"  # nothing changes before the link is used
    assert [m.to for m in mail.outbox] == [["tim.nieuw@school.example"], ["tim@regenboog.example"]]
    link = link_in(mail.outbox[0])

    page = Client().get(link)  # another device, not signed in: the link is the secret
    assert "tim.nieuw@school.example" in page.content.decode()
    teacher.refresh_from_db()
    assert teacher.email == "tim@regenboog.example"  # a GET (a mail scanner) changes nothing

    response = Client().post(link)
    assert response.status_code == 302
    teacher.refresh_from_db()
    assert teacher.email == "tim.nieuw@school.example"
    assert mail.outbox[-1].to == ["tim@regenboog.example"]
    assert "tim.nieuw@school.example" in mail.outbox[-1].body
    assert can_log_in("tim.nieuw@school.example") and not can_log_in("tim@regenboog.example")


def test_a_used_link_says_so_and_changes_nothing(teacher):
    client = signed_in(teacher)
    ask_for(client, "tim.nieuw@school.example")
    link = link_in(mail.outbox[0])
    client.post(link)
    response = client.post(link)
    assert response.status_code == 400
    assert "Deze link is al gebruikt" in response.content.decode()
    teacher.refresh_from_db()
    assert teacher.email == "tim.nieuw@school.example"


def test_an_expired_link_says_so(teacher):
    client = signed_in(teacher)
    ask_for(client, "tim.nieuw@school.example")
    link = link_in(mail.outbox[0])
    with time_machine.travel(timezone.now() + timezone.timedelta(days=3)):
        response = client.post(link)
    assert response.status_code == 400
    assert "Deze link is verlopen" in response.content.decode()
    teacher.refresh_from_db()
    assert teacher.email == "tim@regenboog.example"


def test_a_broken_link_says_so(teacher):
    response = signed_in(teacher).get(reverse("email_confirm", args=["niet-echt:abc"]))
    assert response.status_code == 400
    assert "Deze link klopt niet" in response.content.decode()


def test_an_address_that_already_has_an_account_is_refused(teacher, leader):
    response = ask_for(signed_in(teacher), "LOTTE@regenboog.example")
    assert response.status_code == 200
    assert "Er is al een account met dit e-mailadres." in response.content.decode()
    assert 'value="LOTTE@regenboog.example"' in response.content.decode()  # what was typed is kept
    assert mail.outbox == []


def test_an_address_taken_after_the_link_was_sent_is_refused_when_confirming(teacher):
    client = signed_in(teacher)
    ask_for(client, "tim.nieuw@school.example")
    UserFactory(email="tim.nieuw@school.example")
    response = client.post(link_in(mail.outbox[0]))
    assert response.status_code == 400
    assert "Er is intussen al een account met dit e-mailadres." in response.content.decode()
    teacher.refresh_from_db()
    assert teacher.email == "tim@regenboog.example"


def test_a_new_address_needs_the_current_password(teacher):
    response = ask_for(signed_in(teacher), "tim.nieuw@school.example", password="fout")
    assert response.status_code == 200
    assert "Je wachtwoord klopt niet." in response.content.decode()
    assert mail.outbox == []


# --- My data --------------------------------------------------------------------------------------


def test_my_data_holds_what_the_app_keeps_about_me_and_nothing_of_others(school, leader, teacher):
    version = start_policy(school=school, by=leader)
    decision = version.decisions.first()
    CommentFactory(decision=decision, author=teacher, text="Goed idee, Tim")
    CommentFactory(decision=decision, author=leader, text="Dit is van Lotte")
    meeting = meetings.create_meeting(version=version, decisions=[decision], audience="members", hide_tally=False,
                                      by=leader)
    Participant.objects.create(meeting=meeting, user=teacher, name="Tim in de vergadering")

    response = signed_in(teacher).get(reverse("my_data"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="mijn-gegevens-')
    data = json.loads(response.content)
    assert data["account"]["name"] == "Tim Leraar" and data["account"]["email"] == "tim@regenboog.example"
    assert [(m["school"], m["role"]) for m in data["memberships"]] == [("Basisschool De Regenboog", "Teamlid")]
    assert [c["text"] for c in data["comments"]] == ["Goed idee, Tim"]
    assert [p["name"] for p in data["meetings"]] == ["Tim in de vergadering"]
    assert "Dit is van Lotte" not in response.content.decode()
    assert "lotte@regenboog.example" not in response.content.decode()


# --- Deleting the account -------------------------------------------------------------------------


def delete(client, password=PASSWORD):
    return client.post(reverse("delete_account"), {"password": password})


def test_deleting_the_account_anonymises_it_and_keeps_texts_and_signatures(school, leader, mr_member):
    version = start_policy(school=school, by=leader)
    decision = version.decisions.first()
    comment = CommentFactory(decision=decision, author=mr_member, text="Graag ook de ouders informeren")
    signature = SignatureFactory(version=version, kind=Signature.Kind.MR_CONSENT, name="Mira MR", role="Voorzitter MR",
                                 recorded_by=mr_member)
    meeting = meetings.create_meeting(version=version, decisions=[decision], audience="members", hide_tally=False,
                                      by=leader)
    Participant.objects.create(meeting=meeting, user=mr_member, name="Mira")
    client = signed_in(mr_member)
    other_device = signed_in(mr_member)

    response = delete(client)

    assert response.status_code == 302 and response["Location"] == reverse("account_deleted")
    mr_member.refresh_from_db()
    assert mr_member.deleted_at is not None and not mr_member.is_active
    assert mr_member.name == "" and "mira" not in mr_member.email
    assert str(mr_member) == "verwijderd account"
    assert not Membership.objects.filter(user=mr_member).exists()
    assert Comment.objects.get(pk=comment.pk).text == "Graag ook de ouders informeren"
    signature.refresh_from_db()
    assert (signature.name, signature.role) == ("Mira MR", "Voorzitter MR")  # as printed in the signed document
    assert Participant.objects.get(meeting=meeting).name == ""
    # Sessions end, here and on the other device; the old password no longer signs in.
    assert SESSION_KEY not in client.session
    assert other_device.get(reverse("account")).status_code == 302
    assert not can_log_in("mira@regenboog.example")
    # Colleagues see "verwijderd account" beside the comment.
    page = signed_in(leader).get(reverse("policy:step", args=[version.pk, decision.theme.number]))
    assert "verwijderd account" in page.content.decode()


def test_the_last_leader_cannot_delete_the_account_and_is_told_what_to_do(school, leader, teacher):
    client = signed_in(leader)
    page = client.get(reverse("delete_account")).content.decode()
    assert "Je bent de enige schoolleider van Basisschool De Regenboog." in page
    assert "Maak eerst iemand anders schoolleider" in page
    response = delete(client)
    assert response.status_code == 400
    leader.refresh_from_db()
    assert leader.deleted_at is None and leader.is_active
    assert Membership.objects.filter(user=leader, role=Role.LEADER).exists()


def test_a_leader_with_a_second_leader_can_delete_the_account(school, leader):
    MembershipFactory(school=school, role=Role.LEADER)
    assert delete(signed_in(leader)).status_code == 302
    assert User.objects.get(pk=leader.pk).deleted_at is not None


def test_a_wrong_password_deletes_nothing(teacher):
    response = delete(signed_in(teacher), password="verkeerd")
    assert response.status_code == 400
    assert "Je wachtwoord klopt niet." in response.content.decode()
    teacher.refresh_from_db()
    assert teacher.deleted_at is None


def test_deleting_twice_says_so_and_changes_nothing(teacher):
    client = signed_in(teacher)
    delete(client)
    before = User.objects.filter(pk=teacher.pk).values().get()
    response = client.post(reverse("delete_account"), {"password": PASSWORD}, follow=True)
    assert "Je bent niet (meer) ingelogd." in response.content.decode()
    assert User.objects.filter(pk=teacher.pk).values().get() == before


def test_wrong_passwords_are_rate_limited(teacher):
    client = signed_in(teacher)
    for _ in range(10):
        assert delete(client, password="verkeerd").status_code == 400
    response = delete(client, password="verkeerd")
    assert response.status_code == 429
    assert "te vaak een verkeerd wachtwoord" in response.content.decode()


def test_the_last_leader_of_a_school_being_deleted_can_delete_the_account(school, leader):
    client = signed_in(leader)
    client.post(reverse("schools:delete", args=[school.pk]), {"name": school.name})
    assert delete(client).status_code == 302
    assert User.objects.get(pk=leader.pk).deleted_at is not None
