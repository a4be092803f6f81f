"""The review checklist: the sources' yearly evaluation items come with a draft started for the review; leaders
and team members tick them and write a note on the review page; MR members read them."""

import pytest
from django.urls import reverse

from agreements.models import ChecklistItem, ReviewCheck
from agreements.services import documents
from agreements.services.policy import start_policy
from tests.document_data import adopted_version


@pytest.fixture
def draft(school, leader, mr_member):
    v1 = adopted_version(school=school, leader=leader, mr_member=mr_member)
    return documents.start_new_draft_from(version=v1, by=leader)


def review_items():
    return list(ChecklistItem.objects.filter(kind=ChecklistItem.Kind.REVIEW).order_by("number"))


def test_a_review_draft_gets_every_evaluation_item_of_the_sources(draft):
    items = review_items()
    assert len(items) >= 5
    assert [c.item for c in draft.review_checks.order_by("item__number")] == items
    assert not draft.review_checks.filter(done=True).exists()


def test_a_first_draft_has_no_checklist(client, school, leader):
    version = start_policy(school=school, by=leader)
    assert not version.review_checks.exists()
    client.force_login(leader)
    assert "Evaluatielijst" not in client.get(reverse("policy:review", args=[version.pk])).content.decode()


def test_a_team_member_ticks_an_item_with_a_note_on_the_review_page(client, teacher, draft):
    first = review_items()[0]
    client.force_login(teacher)
    page = client.get(reverse("policy:review", args=[draft.pk])).content.decode()
    assert "Evaluatielijst" in page and first.text in page and f"0 van de {len(review_items())} punten" in page
    response = client.post(reverse("policy:save_check", args=[draft.pk, first.number]),
                           {"done": "on", "note": "Besproken op de studiedag van maart."})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#evaluatiepunt-{first.number}")
    check = ReviewCheck.objects.get(version=draft, item=first)
    assert check.done and check.note == "Besproken op de studiedag van maart." and check.updated_by == teacher
    page = client.get(reverse("policy:review", args=[draft.pk])).content.decode()
    assert f"1 van de {len(review_items())} punten afgevinkt." in page
    assert "Besproken op de studiedag van maart." in page


def test_a_note_that_is_too_long_gets_a_message_and_keeps_what_was_typed(client, leader, draft):
    first = review_items()[0]
    client.force_login(leader)
    typed = "Lang verhaal. " * 200
    response = client.post(reverse("policy:save_check", args=[draft.pk, first.number]), {"done": "on", "note": typed})
    assert response.status_code == 400
    page = response.content.decode()
    assert "De notitie is te lang: maximaal 2000 tekens" in page
    assert typed.strip() in page
    assert not ReviewCheck.objects.get(version=draft, item=first).done


def test_the_mr_reads_the_checklist_but_cannot_tick(client, mr_member, draft):
    first = review_items()[0]
    client.force_login(mr_member)
    page = client.get(reverse("policy:review", args=[draft.pk])).content.decode()
    assert first.text in page and "Nog niet afgevinkt" in page
    assert reverse("policy:save_check", args=[draft.pk, first.number]) not in page
    response = client.post(reverse("policy:save_check", args=[draft.pk, first.number]), {"done": "on", "note": ""})
    assert response.status_code == 404
    assert not ReviewCheck.objects.get(version=draft, item=first).done


def test_an_unknown_item_is_not_found(client, leader, draft):
    client.force_login(leader)
    assert client.post(reverse("policy:save_check", args=[draft.pk, 999]), {"done": "on"}).status_code == 404
