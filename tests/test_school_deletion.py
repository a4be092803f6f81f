"""Deleting a school: a leader types its name; 14 days in which any leader can undo it and download the data;
then the worker's retention deletes everything of the school, its PDF files too, and the verify page says the
document is no longer kept."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements import tasks
from agreements.models import (
    Comment,
    Decision,
    Invitation,
    Membership,
    Policy,
    RenderedDocument,
    Role,
    School,
    User,
)
from agreements.services import meetings
from agreements.services.policy import start_policy
from tests.factories import CommentFactory, InvitationFactory, MembershipFactory, RenderedDocumentFactory

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def ask_to_delete(client, school, name=None):
    return client.post(reverse("schools:delete", args=[school.pk]), {"name": school.name if name is None else name})


@pytest.fixture
def full_school(school, leader, teacher, settings, tmp_path):
    """The school with a policy, a comment, a meeting, an invitation and a rendered PDF file."""
    settings.MEDIA_ROOT = tmp_path
    version = start_policy(school=school, by=leader)
    decision = version.decisions.first()
    CommentFactory(decision=decision, author=teacher, text="Eens")
    meetings.create_meeting(version=version, decisions=[decision], audience="anyone", hide_tally=False, by=leader)
    InvitationFactory(school=school, email="nieuw@regenboog.example")
    document = RenderedDocumentFactory(version__policy=version.policy, version__number=2,
                                       status=RenderedDocument.Status.DONE)
    document.file.save(document.storage_name, ContentFile(b"%PDF-1.7 test"), save=True)
    document.word_file.save(document.word_storage_name, ContentFile(b"PK word"), save=True)
    return school


def test_a_wrong_name_deletes_nothing_and_keeps_what_was_typed(full_school, leader):
    response = ask_to_delete(signed_in(leader), full_school, name="De Regenboog")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Dit is niet de naam van de school." in page and 'value="De Regenboog"' in page
    assert School.objects.get(pk=full_school.pk).deletion_requested_at is None


def test_only_a_leader_may_delete_a_school(full_school, teacher):
    assert ask_to_delete(signed_in(teacher), full_school).status_code == 404
    assert School.objects.get(pk=full_school.pk).deletion_requested_at is None


def test_any_leader_can_undo_the_deletion_within_the_grace_period(full_school, leader):
    second = MembershipFactory(school=full_school, role=Role.LEADER).user
    response = ask_to_delete(signed_in(leader), full_school)
    assert response.status_code == 302
    page = signed_in(second).get(reverse("schools:dashboard", args=[full_school.pk])).content.decode()
    assert "Deze school wordt op" in page and "Niet verwijderen" in page
    signed_in(second).post(reverse("schools:cancel_deletion", args=[full_school.pk]))
    assert School.objects.get(pk=full_school.pk).deletion_requested_at is None
    with time_machine.travel(timezone.now() + timedelta(days=30), tick=False):
        assert tasks.apply_retention("deleted_schools") == 0
    assert School.objects.filter(pk=full_school.pk).exists()


def test_the_export_is_offered_and_holds_the_school(full_school, leader):
    client = signed_in(leader)
    ask_to_delete(client, full_school)
    assert reverse("schools:export", args=[full_school.pk]) in client.get(
        reverse("schools:dashboard", args=[full_school.pk])).content.decode()
    response = client.get(reverse("schools:export", args=[full_school.pk]))
    data = json.loads(response.content)
    assert data["school"]["name"] == "Basisschool De Regenboog"
    assert {m["name"] for m in data["members"]} == {"Lotte Leider", "Tim Leraar"}
    assert [c["text"] for v in data["versions"] for d in v["decisions"] for c in d["comments"]] == ["Eens"]


def test_after_the_grace_period_everything_of_the_school_is_deleted(full_school, leader, teacher, other_leader):
    document = RenderedDocument.objects.get(version__policy__school=full_school)
    code, path, word_path = document.verification_code, document.file.name, document.word_file.name
    assert default_storage.exists(path) and default_storage.exists(word_path)
    ask_to_delete(signed_in(leader), full_school)

    with time_machine.travel(timezone.now() + timedelta(days=13), tick=False):
        assert tasks.apply_retention("deleted_schools") == 0
    assert School.objects.filter(pk=full_school.pk).exists()

    with time_machine.travel(timezone.now() + timedelta(days=15), tick=False):
        assert tasks.apply_retention("deleted_schools") == 1
        assert tasks.apply_retention("deleted_schools") == 0  # idempotent
    assert not School.objects.filter(pk=full_school.pk).exists()
    assert not Policy.objects.filter(school_id=full_school.pk).exists()
    assert not Membership.objects.filter(school_id=full_school.pk).exists()
    assert not Invitation.objects.filter(school_id=full_school.pk).exists()
    assert not Comment.objects.exists() and not Decision.history.exists()
    assert not default_storage.exists(path) and not default_storage.exists(word_path)
    # The people keep their accounts; another school is untouched.
    assert User.objects.filter(pk__in=[leader.pk, teacher.pk]).count() == 2
    assert Membership.objects.filter(user=other_leader).exists()

    response = Client().get(reverse("documents:verify", args=[code]))
    assert response.status_code == 410
    assert "Dit document wordt niet meer bewaard" in response.content.decode()
