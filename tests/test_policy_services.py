"""The policy services: start, choices with optimistic locking, own agreements, actions, comments, themes."""

import datetime

import pytest

from agreements.models import Action, Comment, Decision, ExampleAgreement, PolicyVersion, ThemeState
from agreements.queries import policy as queries
from agreements.services import policy as services

pytestmark = pytest.mark.usefixtures("content")

READ_ONLY = "Deze versie is vastgesteld en kan niet meer worden gewijzigd."


@pytest.fixture
def version(school, leader):
    return services.start_policy(school=school, by=leader)


def decision_for(version, code):
    theme, number = code.split(".")
    return Decision.objects.select_related("example", "theme").get(
        version=version, theme__number=int(theme), example__number=int(number)
    )


def test_start_policy_creates_version_1_with_an_open_decision_per_example_agreement(school, leader):
    version = services.start_policy(school=school, by=leader)

    assert (version.number, version.status, version.created_by) == (1, PolicyVersion.Status.DRAFT, leader)
    decisions = version.decisions.all()
    assert decisions.count() == ExampleAgreement.objects.count() == 18
    assert set(decisions.values_list("choice", flat=True)) == {Decision.Choice.OPEN}
    assert version.theme_states.count() == 7


def test_start_policy_records_the_first_history_row_of_every_decision(school, leader):
    version = services.start_policy(school=school, by=leader)

    history = Decision.history.filter(version_id=version.pk)
    assert history.count() == 18
    assert set(history.values_list("history_type", "history_user_id")) == {("+", leader.pk)}


def test_start_policy_refuses_a_second_draft(version, school, leader):
    with pytest.raises(services.PolicyError, match="Er is al een concept"):
        services.start_policy(school=school, by=leader)


def test_start_policy_after_an_adopted_version_makes_version_2(version, school, leader):
    PolicyVersion.objects.filter(pk=version.pk).update(status=PolicyVersion.Status.ADOPTED)

    second = services.start_policy(school=school, by=leader)

    assert second.number == 2


def test_save_decision_stores_the_choice_bumps_the_revision_and_records_who(version, teacher):
    decision = decision_for(version, "1.1")

    services.save_decision(decision=decision, by=teacher, choice="amend", text="Onze eigen tekst.", reason="",
                           revision=1)

    decision.refresh_from_db()
    assert (decision.choice, decision.text, decision.revision, decision.updated_by) == (
        "amend", "Onze eigen tekst.", 2, teacher)
    latest = decision.history.first()
    assert (latest.history_type, latest.history_user, latest.text) == ("~", teacher, "Onze eigen tekst.")


def test_save_decision_from_a_stale_revision_is_a_conflict_and_overwrites_nothing(version, leader, teacher):
    mine = decision_for(version, "2.1")
    theirs = decision_for(version, "2.1")
    services.save_decision(decision=theirs, by=leader, choice="amend", text="Tekst van Lotte.", reason="", revision=1)

    with pytest.raises(services.Conflict) as caught:
        services.save_decision(decision=mine, by=teacher, choice="amend", text="Tekst van Tim.", reason="",
                               revision=1)

    assert (caught.value.current.text, caught.value.current.updated_by) == ("Tekst van Lotte.", leader)
    stored = Decision.objects.get(pk=mine.pk)
    assert (stored.text, stored.revision) == ("Tekst van Lotte.", 2)


def test_keeping_my_version_after_a_conflict_saves_on_top_of_the_new_revision(version, leader, teacher):
    decision = decision_for(version, "2.1")
    services.save_decision(decision=decision_for(version, "2.1"), by=leader, choice="adopt", text="", reason="",
                           revision=1)

    services.save_decision(decision=decision_for(version, "2.1"), by=teacher, choice="amend", text="Tekst van Tim.",
                           reason="", revision=2)

    decision.refresh_from_db()
    assert (decision.choice, decision.text, decision.revision, decision.updated_by) == (
        "amend", "Tekst van Tim.", 3, teacher)


def test_saving_what_is_already_stored_from_a_stale_revision_is_no_conflict(version, leader, teacher):
    services.save_decision(decision=decision_for(version, "3.1"), by=leader, choice="adopt", text="", reason="",
                           revision=1)

    services.save_decision(decision=decision_for(version, "3.1"), by=teacher, choice="adopt", text="", reason="",
                           revision=1)

    assert decision_for(version, "3.1").revision == 2
    assert decision_for(version, "3.1").history.count() == 2


def test_save_decision_refuses_an_empty_amended_text(version, leader):
    with pytest.raises(services.PolicyError, match="Vul de aangepaste tekst in."):
        services.save_decision(decision=decision_for(version, "1.1"), by=leader, choice="amend", text="  ",
                               reason="", revision=1)


def test_adopting_with_the_unchanged_example_text_stores_no_text(version, leader):
    decision = decision_for(version, "1.2")

    services.save_decision(decision=decision, by=leader, choice="adopt", text=decision.example.text, reason="",
                           revision=1)

    assert Decision.objects.get(pk=decision.pk).text == ""


def test_switching_from_amend_to_adopt_keeps_the_amended_text(version, leader):
    decision = decision_for(version, "1.2")
    services.save_decision(decision=decision, by=leader, choice="amend", text="Eigen woorden.", reason="", revision=1)

    services.save_decision(decision=decision, by=leader, choice="adopt", text="Eigen woorden.", reason="", revision=2)

    decision.refresh_from_db()
    assert (decision.choice, decision.text, decision.current_text) == ("adopt", "Eigen woorden.",
                                                                       decision.example.text)


def test_own_agreements_get_positions_in_order_and_are_adopted(version, leader):
    theme = decision_for(version, "4.1").theme

    first = services.add_own_agreement(version=version, theme=theme, by=leader, text="Eerste.")
    second = services.add_own_agreement(version=version, theme=theme, by=leader, text="Tweede.")

    assert (first.position, second.position) == (1, 2)
    assert (first.choice, first.is_own, first.history.first().history_user) == ("adopt", True, leader)


def test_deleting_an_own_agreement_renumbers_the_others(version, leader):
    theme = decision_for(version, "4.1").theme
    first, second, third = (services.add_own_agreement(version=version, theme=theme, by=leader, text=t)
                            for t in ("Een.", "Twee.", "Drie."))

    first_id = first.pk
    services.delete_own_agreement(decision=first, by=leader)

    own = Decision.objects.own().filter(version=version).order_by("position")
    assert [(d.text, d.position) for d in own] == [("Twee.", 1), ("Drie.", 2)]
    assert Decision.history.get(id=first_id, history_type="-").history_user == leader


def test_moving_an_own_agreement_up_swaps_it_with_the_one_above(version, leader):
    theme = decision_for(version, "4.1").theme
    services.add_own_agreement(version=version, theme=theme, by=leader, text="Een.")
    second = services.add_own_agreement(version=version, theme=theme, by=leader, text="Twee.")

    services.move_own_agreement(decision=second, by=leader, up=True)

    own = Decision.objects.own().filter(version=version).order_by("position")
    assert [d.text for d in own] == ["Twee.", "Een."]


def test_an_example_agreement_cannot_be_deleted(version, leader):
    with pytest.raises(services.PolicyError, match="Niet overnemen"):
        services.delete_own_agreement(decision=decision_for(version, "1.1"), by=leader)


def test_own_agreement_text_from_a_stale_revision_is_a_conflict(version, leader, teacher):
    theme = decision_for(version, "4.1").theme
    own = services.add_own_agreement(version=version, theme=theme, by=leader, text="Begin.")
    services.save_own_agreement(decision=Decision.objects.get(pk=own.pk), by=leader, text="Lotte.", revision=1)

    with pytest.raises(services.Conflict):
        services.save_own_agreement(decision=Decision.objects.get(pk=own.pk), by=teacher, text="Tim.", revision=1)

    assert Decision.objects.get(pk=own.pk).text == "Lotte."


def test_actions_are_added_in_order_edited_and_removed(version, leader):
    decision = decision_for(version, "5.1")
    first = services.add_action(decision=decision, by=leader, what="Scholing", who="ICT", due=datetime.date(2026, 9, 1))
    second = services.add_action(decision=decision, by=leader, what="Brief aan ouders")

    services.save_action(action=second, by=leader, what="Brief aan ouders sturen", who="Directie", due=None)
    services.delete_action(action=first, by=leader)

    assert list(decision.actions.values_list("what", "who", "position")) == [
        ("Brief aan ouders sturen", "Directie", 2)]


def test_a_comment_is_stored_with_its_author_and_only_the_author_deletes_it(version, teacher, mr_member):
    decision = decision_for(version, "5.2")
    comment = services.add_comment(decision=decision, by=mr_member, text="Wat vindt de MR hiervan?")

    with pytest.raises(services.PolicyError, match="alleen je eigen opmerkingen"):
        services.delete_comment(comment=comment, by=teacher)
    services.delete_comment(comment=comment, by=mr_member)

    assert not Comment.objects.exists()


def test_a_theme_note_from_a_stale_revision_is_a_conflict(version, leader, teacher):
    state = ThemeState.objects.get(version=version, theme__number=2)
    services.save_theme_note(state=state, by=leader, note="Eerst scholing.", revision=1)

    with pytest.raises(services.Conflict) as caught:
        services.save_theme_note(state=ThemeState.objects.get(pk=state.pk), by=teacher, note="Anders.", revision=1)

    assert caught.value.current.note == "Eerst scholing."


def test_a_theme_with_open_agreements_cannot_be_marked_done(version, leader):
    state = ThemeState.objects.get(version=version, theme__number=1)
    services.save_decision(decision=decision_for(version, "1.1"), by=leader, choice="adopt", text="", reason="",
                           revision=1)

    with pytest.raises(services.PolicyError, match="Nog 1 afspraak staat open"):
        services.mark_theme_done(state=state, by=leader, done=True)


def test_reopening_an_agreement_makes_its_theme_not_done(version, leader):
    state = ThemeState.objects.get(version=version, theme__number=1)
    for code in ("1.1", "1.2"):
        services.save_decision(decision=decision_for(version, code), by=leader, choice="adopt", text="", reason="",
                               revision=1)
    services.mark_theme_done(state=state, by=leader, done=True)

    services.save_decision(decision=decision_for(version, "1.2"), by=leader, choice="open", text="", reason="",
                           revision=2)

    assert ThemeState.objects.get(pk=state.pk).done is False


def test_progress_is_not_started_busy_or_done(version, leader):
    for code in ("1.1", "1.2"):
        services.save_decision(decision=decision_for(version, code), by=leader, choice="adopt", text="", reason="",
                               revision=1)
    services.mark_theme_done(state=ThemeState.objects.get(version=version, theme__number=1), by=leader, done=True)
    services.save_decision(decision=decision_for(version, "2.1"), by=leader, choice="reject", text="", reason="",
                           revision=1)
    services.save_theme_note(state=ThemeState.objects.get(version=version, theme__number=3), by=leader,
                             note="Later.", revision=1)

    progress = {s.theme.number: s.progress for s in version.theme_states.with_progress().select_related("theme")}

    assert progress == {1: "done", 2: "busy", 3: "busy", 4: "not_started", 5: "not_started", 6: "not_started",
                        7: "not_started"}


def test_coverage_counts_only_adopted_and_amended_example_agreements(version, leader):
    services.save_decision(decision=decision_for(version, "5.1"), by=leader, choice="adopt", text="", reason="",
                           revision=1)
    services.save_decision(decision=decision_for(version, "7.3"), by=leader, choice="amend", text="Anders.",
                           reason="", revision=1)
    services.save_decision(decision=decision_for(version, "6.2"), by=leader, choice="reject", text="", reason="",
                           revision=1)

    result = queries.coverage(decisions=list(version.decisions.all()))

    covered = {f"{g.category.slug}-{g.number}" for g in result.guidelines_covered}
    assert covered == {"twijs-algemeen-1", "twijs-algemeen-3", "twijs-medewerkers-4", "twijs-lesinhoud-3"}
    assert len(result.guidelines_covered) + len(result.guidelines_missing) == 18
    assert [r.number for r in result.requirements_covered] == [2, 5]
    assert [r.number for r in result.requirements_missing] == [1, 3, 4, 6, 7]


@pytest.mark.parametrize("write", [
    lambda v, u: services.save_decision(decision=decision_for(v, "1.1"), by=u, choice="adopt", text="", reason="",
                                        revision=1),
    lambda v, u: services.add_own_agreement(version=v, theme=decision_for(v, "1.1").theme, by=u, text="Nieuw."),
    lambda v, u: services.add_action(decision=decision_for(v, "1.1"), by=u, what="Iets"),
    lambda v, u: services.add_comment(decision=decision_for(v, "1.1"), by=u, text="Opmerking"),
    lambda v, u: services.save_theme_note(state=v.theme_states.first(), by=u, note="Notitie", revision=1),
    lambda v, u: services.mark_theme_done(state=v.theme_states.first(), by=u, done=False),
], ids=["choice", "own agreement", "action", "comment", "note", "done"])
def test_every_write_refuses_a_version_that_is_no_longer_a_draft(version, leader, write):
    version.status = PolicyVersion.Status.ADOPTED
    version.save()

    with pytest.raises(services.PolicyError, match=READ_ONLY):
        write(version, leader)

    assert decision_for(version, "1.1").revision == 1
    assert not Action.objects.exists() and not Comment.objects.exists()
    assert Decision.objects.own().count() == 0


def test_writes_to_an_existing_own_agreement_and_action_refuse_a_version_awaiting_consent(version, leader):
    own = services.add_own_agreement(version=version, theme=decision_for(version, "1.1").theme, by=leader, text="X.")
    action = services.add_action(decision=own, by=leader, what="Iets")
    PolicyVersion.objects.filter(pk=version.pk).update(status=PolicyVersion.Status.AWAITING_CONSENT)
    message = "Deze versie ligt ter instemming en kan niet meer worden gewijzigd."

    for write in (
        lambda: services.save_own_agreement(decision=own, by=leader, text="Y.", revision=1),
        lambda: services.move_own_agreement(decision=own, by=leader, up=True),
        lambda: services.delete_own_agreement(decision=own, by=leader),
        lambda: services.save_action(action=action, by=leader, what="Anders"),
        lambda: services.delete_action(action=action, by=leader),
    ):
        with pytest.raises(services.PolicyError, match=message):
            write()

    assert Decision.objects.get(pk=own.pk).text == "X." and Action.objects.get().what == "Iets"
