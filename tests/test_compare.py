"""Comparing two versions of a school's policy: per theme the agreements added, removed and changed (word diff),
the actions and the note; the page, its links and its bad input."""

import pytest
from django.urls import reverse

from agreements.queries.compare import compare_versions
from agreements.services import documents
from agreements.services.policy import start_policy
from tests.document_data import adopted_version
from tests.review_data import changed_draft


@pytest.fixture
def v1(school, leader, mr_member):
    return adopted_version(school=school, leader=leader, mr_member=mr_member)


def decision(version, code):
    return next(d for d in version.decisions.select_related("example", "theme") if d.code == code)


@pytest.fixture
def v2(v1, leader):
    """Version 2 with one change of every kind, made as the wizard makes them."""
    return changed_draft(v1, by=leader)


def by_theme(comparison):
    return {t.theme.number: t for t in comparison.themes}


def test_every_kind_of_change_is_found_per_theme(v1, v2):
    themes = by_theme(compare_versions(v1, v2))
    t1 = themes[1]
    assert [c.new.code for c in t1.changed] == [v2.changed["amended"]]
    assert t1.changed[0].new_text.endswith("Ook in de bovenbouw.")
    assert t1.changed[0].old_text + " Ook in de bovenbouw." == t1.changed[0].new_text
    assert [c.old.code for c in t1.removed] == [v2.changed["dropped"]]
    assert t1.removed[0].reason == "Dit doen we niet meer."
    assert "Ouders krijgen elk jaar een AI-avond." in [c.new_text for c in t1.added]
    readopted = themes[v2.changed["readopted_theme"]]
    assert v2.changed["readopted"] in [c.new.code for c in readopted.added]
    # An own agreement whose text changed is the same agreement, changed (paired by its origin).
    assert len(themes[2].changed) == 1 and not themes[2].added and not themes[2].removed
    assert "mentor" in themes[2].changed[0].new_text and "leraar" in themes[2].changed[0].old_text
    assert len(themes[3].removed) == 1 and themes[3].removed[0].old.is_own
    t4 = themes[4]
    assert [c.new.code for c in t4.changed] == [v2.changed["action"]]
    assert not t4.changed[0].text_changed and t4.changed[0].actions_changed
    assert t4.changed[0].actions_new[-1]["what"] == "Ouderbrief over AI sturen"
    assert themes[5].note_changed and not themes[5].changed
    assert themes[5].summary == "notitie gewijzigd"
    touched = {1, 2, 3, 4, 5, v2.changed["readopted_theme"]}
    untouched = [t for number, t in themes.items() if number not in touched]
    assert untouched and {t.summary for t in untouched} == {"Geen wijzigingen"}


def test_the_summary_line_counts_each_kind(v1, v2):
    t1 = by_theme(compare_versions(v1, v2))[1]
    expected = [f"{len(t1.changed)} gewijzigd", f"{len(t1.added)} nieuw", f"{len(t1.removed)} vervallen"]
    assert t1.summary == ", ".join(expected)
    assert (len(t1.changed), len(t1.removed)) == (1, 1)


def test_an_unchanged_copy_has_no_changes(v1, leader):
    draft = documents.start_new_draft_from(version=v1, by=leader)
    comparison = compare_versions(v1, draft)
    assert not comparison.has_changes
    assert {t.summary for t in comparison.themes} == {"Geen wijzigingen"}


def test_open_and_rejected_agreements_are_not_in_the_comparison(school, leader):
    first = start_policy(school=school, by=leader)  # every example open
    comparison = compare_versions(first, first)
    assert not comparison.has_changes


def test_the_page_shows_the_draft_against_its_version(client, leader, v1, v2):
    client.force_login(leader)
    response = client.get(reverse("policy:compare", args=[v2.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Wat is er veranderd van versie 1 naar versie 2" in page
    assert "Ook in de bovenbouw." in page and "<ins>" in page
    assert "Ouders krijgen elk jaar een AI-avond." in page
    assert "Dit doen we niet meer." in page
    assert "Ouderbrief over AI sturen" in page
    assert "notitie gewijzigd" in page


def test_choosing_another_version_redirects_to_the_pair(client, leader, v1, v2):
    client.force_login(leader)
    response = client.get(reverse("policy:compare", args=[v2.pk]), {"met": v1.pk})
    assert response["Location"] == reverse("policy:compare_with", args=[v2.pk, v1.pk])
    # Either order reads old -> new.
    page = client.get(reverse("policy:compare_with", args=[v1.pk, v2.pk])).content.decode()
    assert "Wat is er veranderd van versie 1 naar versie 2" in page


def test_comparing_a_version_with_itself_says_so(client, leader, v1):
    client.force_login(leader)
    response = client.get(reverse("policy:compare_with", args=[v1.pk, v1.pk]))
    assert response.status_code == 200
    assert "Je vergelijkt versie 1 met zichzelf. Kies een andere versie." in response.content.decode()


def test_a_single_version_has_nothing_to_compare(client, leader, v1):
    client.force_login(leader)
    page = client.get(reverse("policy:compare", args=[v1.pk])).content.decode()
    assert "Er is nog maar één versie. Er is niets om mee te vergelijken." in page


def test_a_version_of_another_school_is_not_found(client, leader, other_school, other_leader, v1, v2):
    theirs = start_policy(school=other_school, by=other_leader)
    client.force_login(leader)
    assert client.get(reverse("policy:compare_with", args=[v2.pk, theirs.pk])).status_code == 404
    assert client.get(reverse("policy:compare", args=[v2.pk]), {"met": theirs.pk}, follow=True).status_code == 404
    client.force_login(other_leader)
    assert client.get(reverse("policy:compare_with", args=[theirs.pk, v1.pk])).status_code == 404
    assert client.get(reverse("policy:compare", args=[v2.pk])).status_code == 404


def test_the_version_list_review_and_history_link_to_the_comparison(client, teacher, v1, v2):
    client.force_login(teacher)
    compare_url = reverse("policy:compare", args=[v2.pk])
    assert compare_url in client.get(reverse("policy:home", args=[v1.policy.school_id])).content.decode()
    assert compare_url in client.get(reverse("policy:review", args=[v2.pk])).content.decode()
    d = decision(v2, v2.changed["amended"])
    history = client.get(reverse("policy:history", args=[d.pk])).content.decode()
    assert f"{compare_url}#thema-{d.theme.number}" in history
