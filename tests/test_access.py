"""The named predicates of agreements/access.py, each tested alone: what a role may do (pretalx's rules.py style).

`role` is the viewer's role in the object's school (`viewer_role`), None for someone without one. The views and
templates ask these predicates; tests of the pages (test_wizard, test_documents, test_meeting_*) and the
isolation walk show that they do.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from agreements import access
from agreements.models import Meeting, PolicyVersion, Role
from tests.factories import MeetingFactory, MembershipFactory, PolicyVersionFactory, UserFactory

Status = PolicyVersion.Status
DRAFT, CONSENT, ADOPTED = Status.DRAFT, Status.AWAITING_CONSENT, Status.ADOPTED
LEADER, TEAM, MR = Role.LEADER, Role.TEAM, Role.MR
ROLES = [LEADER, TEAM, MR, None]


def version(status):
    return PolicyVersionFactory.build(status=status)  # unsaved: the predicates only read the status


@pytest.mark.parametrize(("role", "expected"), [(LEADER, True), (TEAM, False), (MR, False), (None, False)])
def test_is_leader(role, expected):
    assert access.is_leader(role) is expected


@pytest.mark.parametrize(("role", "expected"), [(LEADER, True), (TEAM, False), (MR, False), (None, False)])
def test_can_sign(role, expected):
    assert access.can_sign(role) is expected


@pytest.mark.parametrize(("role", "expected"), [(LEADER, True), (TEAM, False), (MR, True), (None, False)])
def test_can_record_consent(role, expected):
    assert access.can_record_consent(role) is expected


CAN_EDIT = {  # status -> (leader, team, mr, none)
    DRAFT: (True, True, False, False),
    CONSENT: (False, False, False, False),
    ADOPTED: (False, False, False, False),
}
CAN_COMMENT = {
    DRAFT: (True, True, True, False),
    CONSENT: (False, False, False, False),
    ADOPTED: (False, False, False, False),
}


def cells(table):
    return [(status, role, row[ROLES.index(role)]) for status, row in table.items() for role in ROLES]


@pytest.mark.parametrize(("status", "role", "expected"), cells(CAN_EDIT))
def test_can_edit(status, role, expected):
    assert access.can_edit(version(status), role) is expected


@pytest.mark.parametrize(("status", "role", "expected"), cells(CAN_COMMENT))
def test_can_comment(status, role, expected):
    assert access.can_comment(version(status), role) is expected


def test_version_permissions_of_an_mr_member_on_a_draft():
    assert access.version_permissions(version(DRAFT), MR) == {
        "can_edit": False, "can_comment": True, "is_leader": False, "read_only_message": ""}


def test_version_permissions_of_a_teacher_on_a_draft():
    assert access.version_permissions(version(DRAFT), TEAM) == {
        "can_edit": True, "can_comment": True, "is_leader": False, "read_only_message": ""}


def test_version_permissions_of_the_leader_on_an_adopted_version():
    assert access.version_permissions(version(ADOPTED), LEADER) == {
        "can_edit": False, "can_comment": False, "is_leader": True,
        "read_only_message": "Deze versie is vastgesteld en kan niet meer worden gewijzigd."}


def test_version_permissions_of_the_leader_on_a_version_awaiting_consent():
    assert access.version_permissions(version(CONSENT), LEADER) == {
        "can_edit": False, "can_comment": False, "is_leader": True,
        "read_only_message": "Deze versie ligt ter instemming en kan niet meer worden gewijzigd."}


# --- can_join: reads the membership, so these use the database -------------------------------------------


@pytest.fixture
def members_meeting(db):
    return MeetingFactory(audience=Meeting.Audience.MEMBERS)


@pytest.fixture
def open_meeting(db):
    return MeetingFactory(audience=Meeting.Audience.ANYONE)


def test_anyone_with_the_code_joins_an_open_meeting_also_signed_out(open_meeting):
    assert access.can_join(open_meeting, AnonymousUser()) is True
    assert access.can_join(open_meeting, UserFactory()) is True


@pytest.mark.parametrize("role", [LEADER, TEAM, MR])
def test_a_member_of_the_school_joins_a_members_only_meeting(members_meeting, role):
    member = MembershipFactory(school=members_meeting.version.policy.school, role=role).user
    assert access.can_join(members_meeting, member) is True


def test_a_members_only_meeting_refuses_visitors_who_are_signed_out(members_meeting):
    assert access.can_join(members_meeting, AnonymousUser()) is False


def test_a_members_only_meeting_refuses_a_member_of_another_school(members_meeting):
    outsider = MembershipFactory(role=LEADER).user
    assert access.can_join(members_meeting, outsider) is False
