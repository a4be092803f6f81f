"""Schools, roles and invitations: who may do what (the README's access table, cell by cell) and bad input."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import Invitation, Membership, Role, School, User
from tests.factories import PASSWORD, InvitationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parent.parent / "README.md"


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def url(name, *args):
    return reverse(f"schools:{name}", args=args)


# --- The access table -------------------------------------------------------------------------
# Columns as in README.md "Access rules"; "outsider" is the leader of another school.

PERSONAS = ["leader", "teacher", "mr_member", "outsider", "anonymous"]
ACCESS = {
    "see the school's dashboard": (True, True, True, False, False),
    "see members and open invitations": (True, False, False, False, False),
    "invite someone (link, role)": (True, False, False, False, False),
    "revoke an invitation": (True, False, False, False, False),
    "change a member's role": (True, False, False, False, False),
    "remove a member": (True, False, False, False, False),
    "leave the school": (True, True, True, False, False),
    "create a new school": (True, True, True, True, False),
}


@pytest.fixture
def world(school, leader, teacher, mr_member, other_leader):
    """The personas, plus a colleague to act on, a second leader and an open invitation."""
    return {
        "school": school,
        "leader": leader,
        "teacher": teacher,
        "mr_member": mr_member,
        "outsider": other_leader,
        "anonymous": None,
        "colleague": MembershipFactory(school=school, role=Role.TEAM, user__email="collega@regenboog.example"),
        "co_leader": MembershipFactory(school=school, role=Role.LEADER),  # so a leader may leave
        "invitation": InvitationFactory(school=school, role=Role.MR),
    }


def _do(action, client, w, actor):
    s = w["school"]
    colleague, invitation = w["colleague"], w["invitation"]
    if action == "see the school's dashboard":
        response = client.get(url("dashboard", s.pk))
        return response, response.status_code == 200 and s.name in response.content.decode()
    if action == "see members and open invitations":
        response = client.get(url("team", s.pk))
        html = response.content.decode()
        return response, response.status_code == 200 and colleague.user.email in html and invitation.token in html
    if action == "invite someone (link, role)":
        response = client.post(url("team", s.pk), {"role": Role.TEAM, "email": "nieuw@regenboog.example"})
        return response, Invitation.objects.filter(email="nieuw@regenboog.example").exists()
    if action == "revoke an invitation":
        response = client.post(url("revoke_invitation", s.pk, invitation.pk))
        invitation.refresh_from_db()
        return response, invitation.revoked_at is not None
    if action == "change a member's role":
        response = client.post(url("change_role", s.pk, colleague.pk), {"role": Role.MR})
        return response, Membership.objects.get(pk=colleague.pk).role == Role.MR
    if action == "remove a member":
        response = client.post(url("remove_member", s.pk, colleague.pk))
        return response, not Membership.objects.filter(pk=colleague.pk).exists()
    if action == "leave the school":
        members = Membership.objects.filter(school=s).count()
        response = client.post(url("leave", s.pk))
        return response, Membership.objects.filter(school=s).count() == members - 1 and not (
            actor and Membership.objects.filter(school=s, user=actor).exists()
        )
    if action == "create a new school":
        response = client.post(url("create"), {"name": "Nieuwe School", "sector": "vo", "place": "Gouda"})
        return response, School.objects.filter(name="Nieuwe School").exists()
    raise AssertionError(f"no test for {action!r}")


CELLS = [(action, persona) for action in ACCESS for persona in PERSONAS]
PAGES = {"see the school's dashboard", "see members and open invitations"}  # the rest are forms (POST)


@pytest.mark.parametrize(("action", "persona"), CELLS, ids=[f"{a} | {p}" for a, p in CELLS])
def test_access_table_cell(world, action, persona):
    allowed = ACCESS[action][PERSONAS.index(persona)]
    actor = world[persona]
    response, happened = _do(action, client_for(actor), world, actor)
    if allowed:
        assert happened, f"{persona} could not {action} ({response.status_code})"
        if action in PAGES:
            assert response.status_code == 200
        else:  # a form: done, and on to the next page (never the login page)
            assert response.status_code == 302
            assert not response["Location"].startswith(reverse("login"))
    else:
        assert not happened, f"{persona} could {action}"
        if persona == "anonymous":
            assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
        else:
            assert response.status_code == 404


def _readme_access_table():
    text = README.read_text()
    section = text.split("## Access rules", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    table = {}
    for row in rows[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        table[cells[0]] = tuple(c.lower().startswith("yes") for c in cells[1:])
    return table


def test_the_readme_access_table_is_the_one_tested():
    assert _readme_access_table() == ACCESS


# --- Schools ----------------------------------------------------------------------------------


def test_creating_a_school_makes_you_its_leader(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(url("create"), {"name": "OBS De Linde", "sector": "po", "place": "Ede", "brin": "12ab"})
    school = School.objects.get(name="OBS De Linde")
    assert (school.sector, school.place, school.brin) == ("po", "Ede", "12AB")
    assert Membership.objects.get(school=school).user == user
    assert Membership.objects.get(school=school).role == Role.LEADER
    assert response["Location"] == url("dashboard", school.pk)


def test_a_school_name_is_kept_on_one_line(client):
    """The name goes into the subject of invitation mails, where a line break is refused."""
    client.force_login(UserFactory())
    client.post(url("create"), {"name": "OBS De\r\nLinde  ", "sector": "po", "place": " Ede\n"})
    assert School.objects.values_list("name", "place").get() == ("OBS De Linde", "Ede")


def test_a_wrong_brin_code_is_explained_and_nothing_is_created(client):
    client.force_login(UserFactory())
    response = client.post(url("create"), {"name": "OBS De Linde", "sector": "po", "place": "Ede", "brin": "ABC"})
    html = response.content.decode()
    assert "Een BRIN-code is twee cijfers en twee letters" in html
    assert 'value="OBS De Linde"' in html
    assert not School.objects.exists()


def test_a_school_needs_name_sector_and_place(client):
    client.force_login(UserFactory())
    response = client.post(url("create"), {"name": "", "sector": "", "place": ""})
    assert response.content.decode().count("Dit veld is verplicht.") == 3
    assert not School.objects.exists()


def test_my_schools_lists_only_mine(client, leader, school, other_school):
    client.force_login(leader)
    html = client.get(url("list")).content.decode()
    assert school.name in html and "Schoolleider" in html
    assert other_school.name not in html


def test_dashboard_shows_the_school_and_my_role(client, teacher, school):
    client.force_login(teacher)
    html = client.get(url("dashboard", school.pk)).content.decode()
    assert f"<h1>{school.name}</h1>" in html
    assert "Je rol: <strong>Teamlid</strong>" in html
    assert url("team", school.pk) not in html


def test_dashboard_counts_one_lid_and_several_leden(client, leader, teacher, mr_member, school, other_school):
    client.force_login(leader)
    html = client.get(url("dashboard", school.pk)).content.decode()
    assert "3 leden" in html and "liden" not in html
    MembershipFactory(user=leader, school=other_school, role=Role.LEADER)
    alone = client.get(url("dashboard", other_school.pk)).content.decode()
    assert "1 lid" in alone and "1 leden" not in alone


def test_dashboard_links_leaders_to_team_management(client, leader, school):
    client.force_login(leader)
    html = client.get(url("dashboard", school.pk)).content.decode()
    assert f'href="{url("team", school.pk)}"' in html
    assert "Team beheren en uitnodigen" in html


def test_choosing_a_school_is_remembered_and_marked_in_the_menu(client, leader, school, other_school):
    MembershipFactory(user=leader, school=other_school, role=Role.TEAM)
    client.force_login(leader)
    client.get(url("dashboard", other_school.pk))
    assert client.session["current_school_id"] == other_school.pk
    html = client.get(url("list")).content.decode()
    current = re.search(r'<a class="dropdown-item active" href="([^"]+)" aria-current="true">', html)
    assert current.group(1) == url("dashboard", other_school.pk)


# --- Invitations ------------------------------------------------------------------------------


def test_an_invitation_link_is_shown_to_copy(client, leader, school):
    client.force_login(leader)
    response = client.post(url("team", school.pk), {"role": Role.TEAM, "email": ""}, follow=True)
    invitation = Invitation.objects.get(school=school)
    html = response.content.decode()
    assert "Kopieer de link hieronder" in html
    link = f"http://testserver{url('accept_invitation', invitation.token)}"
    assert re.search(rf'<input class="form-control invitation-link" id="link-{invitation.pk}" type="text" '
                     rf'value="{re.escape(link)}" readonly>', html)
    assert f'data-copy="link-{invitation.pk}"' in html
    assert invitation.created_by == leader and invitation.role == Role.TEAM
    assert mail.outbox == []


def test_an_invitation_with_an_address_is_mailed(client, leader, school):
    client.force_login(leader)
    client.post(url("team", school.pk), {"role": Role.MR, "email": "Mr@Regenboog.example"})
    invitation = Invitation.objects.get(school=school)
    assert invitation.email == "mr@regenboog.example"
    [message] = mail.outbox
    assert message.to == ["mr@regenboog.example"]
    assert message.subject == f"Uitnodiging voor {school.name} in de AI-beleidsbouwer"
    assert f"http://testserver{url('accept_invitation', invitation.token)}" in message.body
    assert "als MR-lid" in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    link = "http://testserver" + url("accept_invitation", invitation.token)
    assert f'<a href="{link}">' in html


def test_an_invitation_expires_after_14_days(client, leader, school):
    client.force_login(leader)
    client.post(url("team", school.pk), {"role": Role.TEAM})
    invitation = Invitation.objects.get()
    assert abs(invitation.expires_at - (timezone.now() + timedelta(days=14))) < timedelta(minutes=1)


def test_inviting_an_address_that_is_already_a_member_is_refused(client, leader, teacher, school):
    client.force_login(leader)
    response = client.post(url("team", school.pk), {"role": Role.TEAM, "email": "TIM@regenboog.example"})
    assert "Iemand met dit e-mailadres is al lid van deze school." in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_inviting_an_address_with_an_open_invitation_is_refused(client, leader, school):
    InvitationFactory(school=school, email="nieuw@regenboog.example")
    client.force_login(leader)
    response = client.post(url("team", school.pk), {"role": Role.TEAM, "email": "nieuw@regenboog.example"})
    assert "Er staat al een uitnodiging open voor dit e-mailadres." in response.content.decode()
    assert Invitation.objects.count() == 1


def test_an_invitation_needs_a_known_role(client, leader, school):
    client.force_login(leader)
    response = client.post(url("team", school.pk), {"role": "admin", "email": ""})
    assert "Selecteer een geldige keuze." in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_signed_out_visitor_sees_school_and_role_and_can_register_or_log_in(client, school):
    invitation = InvitationFactory(school=school, role=Role.MR)
    link = url("accept_invitation", invitation.token)
    html = client.get(link).content.decode()
    assert f"Uitnodiging voor {school.name}" in html
    assert "Je bent uitgenodigd als <strong>MR-lid</strong>" in html
    assert f'href="{reverse("register")}?next={link}"' in html.replace("%2F", "/")
    assert f'href="{reverse("login")}?next={link}"' in html.replace("%2F", "/")


def test_a_new_colleague_registers_from_the_link_and_accepts(client, school):
    invitation = InvitationFactory(school=school, role=Role.TEAM)
    link = url("accept_invitation", invitation.token)
    response = client.post(reverse("register"), {"name": "Nina Nieuw", "email": "nina@regenboog.example",
                                                 "password1": PASSWORD, "password2": PASSWORD, "next": link})
    assert response["Location"] == link
    response = client.post(link, follow=True)
    user = User.objects.get(email="nina@regenboog.example")
    membership = Membership.objects.get(user=user)
    assert (membership.school, membership.role) == (school, Role.TEAM)
    assert f"Welkom bij {school.name}. Je bent Teamlid." in response.content.decode()
    assert response.redirect_chain[-1][0] == url("dashboard", school.pk)
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None


def test_accepting_while_signed_out_asks_to_log_in_first(client, school):
    invitation = InvitationFactory(school=school)
    link = url("accept_invitation", invitation.token)
    response = client.post(link)
    assert response.status_code == 302
    assert response["Location"] == f"/account/inloggen/?next={link}"
    assert not Membership.objects.filter(school=school).exists()


def _expired(inv):
    inv.expires_at = timezone.now() - timedelta(minutes=1)


def _used(inv):
    inv.accepted_at, inv.accepted_by = timezone.now(), UserFactory()


def _revoked(inv):
    inv.revoked_at = timezone.now()


@pytest.mark.parametrize(("spoil", "message"), [
    (_expired, "Deze uitnodiging is verlopen."),
    (_used, "Deze uitnodiging is al gebruikt."),
    (_revoked, "Deze uitnodiging is ingetrokken."),
], ids=["expired", "used", "revoked"])
def test_an_unusable_invitation_says_why_and_changes_nothing(client, school, spoil, message):
    invitation = InvitationFactory(school=school)
    spoil(invitation)
    invitation.save()
    user = UserFactory()
    client.force_login(user)
    link = url("accept_invitation", invitation.token)
    page = client.get(link)
    assert page.status_code == 410
    assert message in page.content.decode()
    assert "Uitnodiging aannemen" not in page.content.decode()
    before = Invitation.objects.filter(pk=invitation.pk).values().get()
    response = client.post(link, follow=True)
    assert message in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()
    assert Invitation.objects.filter(pk=invitation.pk).values().get() == before


def test_an_existing_member_cannot_accept_again(client, teacher, school):
    invitation = InvitationFactory(school=school, role=Role.LEADER)
    client.force_login(teacher)
    response = client.post(url("accept_invitation", invitation.token), follow=True)
    assert "Je bent al lid van deze school." in response.content.decode()
    assert Membership.objects.get(user=teacher).role == Role.TEAM
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_invitation_for_another_address_cannot_be_accepted(client, school):
    invitation = InvitationFactory(school=school, email="bedoeld@regenboog.example")
    user = UserFactory(email="iemand.anders@school.example")
    client.force_login(user)
    response = client.post(url("accept_invitation", invitation.token), follow=True)
    assert "Deze uitnodiging is voor een ander e-mailadres." in response.content.decode()
    assert not Membership.objects.filter(user=user).exists()


def test_an_invitation_for_my_address_can_be_accepted(client, school):
    invitation = InvitationFactory(school=school, email="bedoeld@regenboog.example")
    user = UserFactory(email="bedoeld@regenboog.example")
    client.force_login(user)
    client.post(url("accept_invitation", invitation.token))
    assert Membership.objects.filter(user=user, school=school).exists()


def test_an_unknown_invitation_token_is_a_404(client):
    assert client.get(url("accept_invitation", "bestaat-niet")).status_code == 404


def test_a_revoked_invitation_disappears_from_the_team_page(client, leader, school):
    invitation = InvitationFactory(school=school)
    client.force_login(leader)
    response = client.post(url("revoke_invitation", school.pk, invitation.pk), follow=True)
    html = response.content.decode()
    assert "De uitnodiging is ingetrokken." in html
    assert invitation.token not in html


def test_an_accepted_invitation_cannot_be_revoked(client, leader, school):
    invitation = InvitationFactory(school=school, accepted_at=timezone.now(), accepted_by=UserFactory())
    client.force_login(leader)
    response = client.post(url("revoke_invitation", school.pk, invitation.pk), follow=True)
    assert "Deze uitnodiging is al aangenomen." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


# --- Roles and the last leader ----------------------------------------------------------------


def test_the_last_leader_cannot_give_up_the_role(client, leader, school):
    client.force_login(leader)
    own = Membership.objects.get(user=leader)
    response = client.post(url("change_role", school.pk, own.pk), {"role": Role.TEAM}, follow=True)
    assert "Een school heeft altijd minstens één schoolleider." in response.content.decode()
    assert Membership.objects.get(pk=own.pk).role == Role.LEADER


def test_the_last_leader_cannot_leave(client, leader, teacher, school):
    client.force_login(leader)
    response = client.post(url("leave", school.pk), follow=True)
    assert "Een school heeft altijd minstens één schoolleider." in response.content.decode()
    assert Membership.objects.filter(user=leader, school=school).exists()


def test_the_last_leader_cannot_be_removed(client, leader, school):
    client.force_login(leader)
    own = Membership.objects.get(user=leader)
    client.post(url("remove_member", school.pk, own.pk))
    assert Membership.objects.filter(pk=own.pk).exists()


def test_a_leader_steps_down_when_there_is_another_leader(client, leader, school):
    MembershipFactory(school=school, role=Role.LEADER)
    client.force_login(leader)
    own = Membership.objects.get(user=leader)
    response = client.post(url("change_role", school.pk, own.pk), {"role": Role.TEAM})
    assert Membership.objects.get(pk=own.pk).role == Role.TEAM
    assert response["Location"] == url("dashboard", school.pk)


def test_a_leader_makes_a_teacher_leader(client, leader, teacher, school):
    client.force_login(leader)
    membership = Membership.objects.get(user=teacher)
    response = client.post(url("change_role", school.pk, membership.pk), {"role": Role.LEADER}, follow=True)
    assert "Tim Leraar is nu Schoolleider." in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).role == Role.LEADER


def test_an_unknown_role_is_refused(client, leader, teacher, school):
    client.force_login(leader)
    membership = Membership.objects.get(user=teacher)
    response = client.post(url("change_role", school.pk, membership.pk), {"role": "baas"}, follow=True)
    assert "Kies een van de rollen." in response.content.decode()
    assert Membership.objects.get(pk=membership.pk).role == Role.TEAM


def test_a_removed_member_loses_access(client, leader, teacher, school):
    client.force_login(leader)
    membership = Membership.objects.get(user=teacher)
    response = client.post(url("remove_member", school.pk, membership.pk), follow=True)
    assert "Tim Leraar is geen lid meer van" in response.content.decode()
    assert client_for(teacher).get(url("dashboard", school.pk)).status_code == 404


def test_a_member_of_another_school_cannot_be_touched_through_my_school(client, leader, school, other_leader):
    """A leader who guesses the membership id of another school's member gets a 404."""
    client.force_login(leader)
    foreign = Membership.objects.get(user=other_leader)
    assert client.post(url("change_role", school.pk, foreign.pk), {"role": Role.TEAM}).status_code == 404
    assert client.post(url("remove_member", school.pk, foreign.pk)).status_code == 404
    assert Membership.objects.get(pk=foreign.pk).role == Role.LEADER


# --- Query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 10])
def test_team_page_queries_do_not_grow_with_the_team(client, django_assert_max_num_queries, size):
    leader = MembershipFactory(role=Role.LEADER)
    school = leader.school
    for _ in range(size - 1):
        MembershipFactory(school=school)
    for _ in range(size):
        InvitationFactory(school=school)
    client.force_login(leader.user)
    with django_assert_max_num_queries(7):
        response = client.get(url("team", school.pk))
    assert response.content.decode().count("Intrekken</button>") == size
    assert response.content.decode().count('<select class="form-select form-select-sm w-auto"') == size


@pytest.mark.parametrize("size", [1, 10])
def test_school_list_queries_do_not_grow_with_the_schools(client, django_assert_max_num_queries, size):
    user = UserFactory()
    for _ in range(size):
        MembershipFactory(user=user)
    client.force_login(user)
    with django_assert_max_num_queries(5):
        response = client.get(url("list"))
    assert len(re.findall(r'class="fw-semibold" href="/scholen/\d+/"', response.content.decode())) == size
