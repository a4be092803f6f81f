"""The policy wizard's pages and forms, with and without htmx."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from agreements.models import Action, Comment, Decision, PolicyVersion, ThemeState
from agreements.services import policy as services

pytestmark = pytest.mark.usefixtures("content")

HTMX = {"HX-Request": "true"}


@pytest.fixture
def version(school, leader):
    return services.start_policy(school=school, by=leader)


def decision_for(version, code):
    theme, number = code.split(".")
    return Decision.objects.select_related("example", "theme").get(
        version=version, theme__number=int(theme), example__number=int(number))


def step_url(version, number):
    return reverse("policy:step", args=[version.pk, number])


def choice_data(decision, choice, text="", reason="", revision=None):
    prefix = f"afspraak-{decision.pk}"
    return {f"{prefix}-choice": choice, f"{prefix}-text": text, f"{prefix}-reason": reason,
            f"{prefix}-revision": decision.revision if revision is None else revision}


def save(client, decision, headers=None, **kwargs):
    return client.post(reverse("policy:save_decision", args=[decision.pk]), choice_data(decision, **kwargs),
                       headers=headers or {})


# --- Start --------------------------------------------------------------------------------------


def test_a_leader_without_a_draft_sees_the_start_button(client, leader, school):
    client.force_login(leader)

    response = client.get(reverse("policy:home", args=[school.pk]))

    assert response.status_code == 200
    assert b"Beleid opstellen</button>" in response.content


def test_a_teacher_without_a_draft_is_told_the_leader_starts(client, teacher, school):
    client.force_login(teacher)

    response = client.get(reverse("policy:home", args=[school.pk]))

    assert b"Beleid opstellen</button>" not in response.content
    assert "De schoolleider begint met het beleid." in response.content.decode()


def test_starting_the_policy_creates_a_draft_and_opens_its_overview(client, leader, school):
    client.force_login(leader)

    response = client.post(reverse("policy:start", args=[school.pk]))

    version = PolicyVersion.objects.get(policy__school=school)
    assert response.url == reverse("policy:overview", args=[version.pk])
    assert version.decisions.count() == 18


def test_starting_a_second_draft_is_refused_with_a_message(client, leader, school, version):
    client.force_login(leader)

    response = client.post(reverse("policy:start", args=[school.pk]), follow=True)

    assert "Er is al een concept. Werk daarin verder." in response.content.decode()
    assert PolicyVersion.objects.count() == 1


def test_only_a_leader_starts_the_policy(client, teacher, school):
    client.force_login(teacher)

    assert client.post(reverse("policy:start", args=[school.pk])).status_code == 404
    assert not PolicyVersion.objects.exists()


def test_the_home_page_links_to_the_draft_and_lists_the_versions(client, teacher, school, version):
    client.force_login(teacher)

    content = client.get(reverse("policy:home", args=[school.pk])).content.decode()

    assert "Concept: versie 1" in content
    assert reverse("policy:overview", args=[version.pk]) in content


def test_the_school_card_shows_the_status_and_links_to_the_policy(school, version):
    html = render_to_string("policy/_school_card.html", {"school": school})

    assert "Versie 1: concept." in html
    assert reverse("policy:home", args=[school.pk]) in html


def test_the_school_card_of_a_school_without_a_policy_says_not_started(school):
    assert "Nog niet begonnen." in render_to_string("policy/_school_card.html", {"school": school})


def test_anonymous_visitors_are_sent_to_log_in(client, version):
    url = step_url(version, 1)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"/account/inloggen/?next={url}"


# --- Pages --------------------------------------------------------------------------------------


def test_the_overview_shows_progress_over_the_seven_themes(client, teacher, version, leader):
    state = ThemeState.objects.get(version=version, theme__number=1)
    for code in ("1.1", "1.2"):
        services.save_decision(decision=decision_for(version, code), by=leader, choice="adopt", text="", reason="",
                               revision=1)
    services.mark_theme_done(state=state, by=leader, done=True)
    client.force_login(teacher)

    response = client.get(reverse("policy:overview", args=[version.pk]))

    content = response.content.decode()
    assert "1 van de 7 thema's klaar" in content
    assert "2 van de 18 afspraken gekozen" in content
    assert '<progress id="voortgang-meter" class="wizard-meter" max="18" value="2">' in content
    assert "Verder met thema 2" in content
    assert "meetings/_draft_actions.html" in [t.name for t in response.templates]


def test_a_step_shows_the_theme_its_sketch_the_prompts_guidelines_and_agreements(client, teacher, version):
    client.force_login(teacher)

    response = client.get(step_url(version, 5))

    content = response.content.decode()
    assert "Bescherm je eigen privacy en die van anderen" in content
    assert "Situatieschets" in content
    assert "Steunen wij deze afspraak? Wat is hiervoor nodig?" in content
    assert "Welke aanvullende afspraken zijn nodig op onze school?" in content
    assert "Richtlijnen bij dit thema" in content and "Aanbevelingen PO-Raad" in content
    assert "Voer geen persoonsgegevens in." in content and "Houd je aan wet- en regelgeving." in content
    assert content.count('class="decision-form"') == 2


def test_a_step_of_an_unknown_theme_is_404(client, teacher, version):
    client.force_login(teacher)

    assert client.get(step_url(version, 8)).status_code == 404


def test_an_mr_member_reads_and_may_comment_but_gets_no_edit_forms(client, mr_member, version):
    client.force_login(mr_member)

    content = client.get(step_url(version, 1)).content.decode()

    assert 'class="decision-form"' not in content and "Afspraak toevoegen" not in content
    assert "Keuze</dt><dd>Nog open</dd>" in content
    assert content.count("Opmerking plaatsen") == 2


def test_a_decision_shows_its_meeting_result(client, teacher, version):
    Decision.objects.filter(pk=decision_for(version, "1.1").pk).update(
        meeting_date=datetime.date(2026, 3, 12), votes_support=14, votes_support_amended=3, votes_against=1)
    client.force_login(teacher)

    content = client.get(step_url(version, 1)).content.decode()

    assert "Teamvergadering 12-03-2026: 14 steun, 3 steun met aanpassing, 1 geen steun" in content


# --- Choosing -------------------------------------------------------------------------------------


def test_saving_a_choice_without_javascript_stores_it_and_returns_to_the_agreement(client, teacher, version):
    decision = decision_for(version, "1.1")
    client.force_login(teacher)

    response = save(client, decision, choice="amend", text="Onze tekst.")

    assert response.url == step_url(version, 1) + f"#afspraak-{decision.pk}"
    decision.refresh_from_db()
    assert (decision.choice, decision.text, decision.updated_by) == ("amend", "Onze tekst.", teacher)


def test_saving_a_choice_with_htmx_answers_with_the_status_revision_diff_and_progress(client, teacher, version):
    decision = decision_for(version, "1.1")
    client.force_login(teacher)

    response = save(client, decision, headers=HTMX, choice="amend",
                    text="Zet generatieve AI in om de ontwikkeling van elke leerling te verrijken en versterken.")

    content = response.content.decode()
    assert response.status_code == 200
    assert f'<span id="status-afspraak-{decision.pk}" data-hx-swap-oob="innerHTML">Opgeslagen.</span>' in content
    assert f'name="afspraak-{decision.pk}-revision" value="2"' in content
    hidden = '<span class="visually-hidden">'
    assert f"<del>{hidden}[weg: </span>de{hidden}]</span></del>" in content
    assert f"<ins>{hidden}[nieuw: </span>elke{hidden}]</span></ins>" in content
    assert 'id="voortgang" class="wizard-progress" aria-labelledby="voortgang-kop" data-hx-swap-oob="true"' in content
    assert "Bezig" in content
    assert "<textarea" not in content  # nothing the user may be typing in is replaced


def test_an_empty_amended_text_comes_back_with_a_message_and_the_typed_reason(client, teacher, version):
    decision = decision_for(version, "1.1")
    client.force_login(teacher)

    response = save(client, decision, choice="amend", text="   ", reason="Mijn getypte reden")

    content = response.content.decode()
    assert response.status_code == 422
    assert "Vul de aangepaste tekst in." in content
    assert f'aria-describedby="id_afspraak-{decision.pk}-text_error"' in content
    assert "Mijn getypte reden</textarea>" in content
    assert decision_for(version, "1.1").choice == "open"


def test_a_text_over_the_limit_gets_a_clear_message_and_is_given_back(client, teacher, version):
    decision = decision_for(version, "1.1")
    client.force_login(teacher)
    long_text = "woord " * 400

    response = save(client, decision, headers=HTMX, choice="amend", text=long_text)

    content = response.content.decode()
    assert response["HX-Retarget"] == f"#afspraak-{decision.pk}"
    assert "Deze tekst is te lang: 2399 tekens. Gebruik hoogstens 2000 tekens." in content
    assert long_text.strip() in content
    assert decision_for(version, "1.1").text == ""


def test_html_in_a_text_is_shown_escaped(client, teacher, version, leader):
    services.save_decision(decision=decision_for(version, "1.1"), by=leader, choice="amend",
                           text="<script>alert('x')</script> <b>vet</b>", reason="", revision=1)
    services.add_own_agreement(version=version, theme=decision_for(version, "1.1").theme, by=leader,
                               text="<img src=x onerror=alert(1)>")
    client.force_login(teacher)

    for url in (step_url(version, 1), reverse("policy:review", args=[version.pk])):
        content = client.get(url).content.decode()
        assert "<script>alert" not in content and "<b>vet</b>" not in content and "<img src=x" not in content
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in content
        assert "&lt;img src=x onerror=alert(1)&gt;" in content


# --- Conflicts ------------------------------------------------------------------------------------


def test_a_save_from_a_stale_page_shows_both_texts_and_overwrites_nothing(client, teacher, leader, version):
    decision = decision_for(version, "2.2")
    services.save_decision(decision=decision_for(version, "2.2"), by=leader, choice="amend", text="Tekst van Lotte.",
                           reason="", revision=1)
    client.force_login(teacher)

    response = save(client, decision, choice="amend", text="Tekst van Tim.", revision=1)

    content = response.content.decode()
    assert response.status_code == 409
    assert "Lotte Leider heeft afspraak 2.2 opgeslagen terwijl jij ermee bezig was." in content
    assert "Tekst van Lotte." in content and "Tekst van Tim.</textarea>" in content
    assert f'name="afspraak-{decision.pk}-revision" value="2"' in content
    assert decision_for(version, "2.2").text == "Tekst van Lotte."


def test_a_conflict_with_htmx_replaces_the_card_with_the_choice(client, teacher, leader, version):
    decision = decision_for(version, "2.2")
    services.save_decision(decision=decision_for(version, "2.2"), by=leader, choice="adopt", text="", reason="",
                           revision=1)
    client.force_login(teacher)

    response = save(client, decision, headers=HTMX, choice="reject", reason="Te streng.", revision=1)

    content = response.content.decode()
    assert response["HX-Retarget"] == f"#afspraak-{decision.pk}"
    assert "Hun versie (nu opgeslagen)" in content and "Overnemen" in content
    assert "Te streng.</textarea>" in content
    assert "Mijn versie opslaan" in content and "Hun versie houden" in content


def test_keeping_my_version_from_the_conflict_box_saves_it_and_shows_the_card(client, teacher, leader, version):
    decision = decision_for(version, "2.2")
    services.save_decision(decision=decision_for(version, "2.2"), by=leader, choice="adopt", text="", reason="",
                           revision=1)
    client.force_login(teacher)

    response = save(client, decision, headers={**HTMX, "HX-Target": f"afspraak-{decision.pk}"}, choice="reject",
                    reason="Te streng.", revision=2)

    assert "Jouw versie is opgeslagen." in response.content.decode()
    stored = decision_for(version, "2.2")
    assert (stored.choice, stored.reason, stored.updated_by) == ("reject", "Te streng.", teacher)


def test_taking_their_version_shows_the_card_as_saved_now(client, teacher, leader, version):
    decision = decision_for(version, "2.2")
    services.save_decision(decision=decision, by=leader, choice="amend", text="Tekst van Lotte.", reason="",
                           revision=1)
    client.force_login(teacher)

    response = client.get(reverse("policy:decision", args=[decision.pk]), headers=HTMX)

    content = response.content.decode()
    assert f'id="afspraak-{decision.pk}"' in content and "Tekst van Lotte.</textarea>" in content
    assert f'name="afspraak-{decision.pk}-revision" value="2"' in content


# --- A version that is no longer a draft ------------------------------------------------------------


def test_an_edit_to_an_adopted_version_is_refused_with_a_message(client, teacher, version):
    decision = decision_for(version, "1.1")
    PolicyVersion.objects.filter(pk=version.pk).update(status=PolicyVersion.Status.ADOPTED)
    client.force_login(teacher)

    response = save(client, decision, choice="adopt")
    page = client.get(response.url)

    assert "Deze versie is vastgesteld en kan niet meer worden gewijzigd." in page.content.decode()
    assert decision_for(version, "1.1").choice == "open"


def test_an_adopted_version_is_shown_read_only(client, leader, version):
    PolicyVersion.objects.filter(pk=version.pk).update(status=PolicyVersion.Status.ADOPTED)
    client.force_login(leader)

    content = client.get(step_url(version, 1)).content.decode()

    assert "Deze versie is vastgesteld en kan niet meer worden gewijzigd." in content
    assert "<form" not in content.split('id="inhoud"')[1]


def test_an_htmx_edit_to_an_adopted_version_shows_the_message_in_the_card(client, teacher, version):
    decision = decision_for(version, "1.1")
    PolicyVersion.objects.filter(pk=version.pk).update(status=PolicyVersion.Status.ADOPTED)
    client.force_login(teacher)

    response = save(client, decision, headers=HTMX, choice="adopt")

    assert response["HX-Retarget"] == f"#afspraak-{decision.pk}"
    assert '<div class="alert alert-danger py-2" role="alert">Deze versie is vastgesteld' in response.content.decode()


# --- Who may do what --------------------------------------------------------------------------------


def object_urls(version, leader):
    decision = decision_for(version, "1.1")
    action = services.add_action(decision=decision, by=leader, what="Iets")
    comment = services.add_comment(decision=decision, by=leader, text="Opmerking")
    return {
        "get": [
            reverse("policy:home", args=[version.policy.school_id]),
            reverse("policy:overview", args=[version.pk]),
            step_url(version, 1),
            reverse("policy:review", args=[version.pk]),
            reverse("policy:decision", args=[decision.pk]),
            reverse("policy:history", args=[decision.pk]),
        ],
        "post": [
            reverse("policy:start", args=[version.policy.school_id]),
            reverse("policy:save_decision", args=[decision.pk]),
            reverse("policy:add_own", args=[version.pk, 1]),
            reverse("policy:delete_own", args=[decision.pk]),
            reverse("policy:move_own", args=[decision.pk]),
            reverse("policy:add_action", args=[decision.pk]),
            reverse("policy:save_action", args=[action.pk]),
            reverse("policy:delete_action", args=[action.pk]),
            reverse("policy:add_comment", args=[decision.pk]),
            reverse("policy:delete_comment", args=[comment.pk]),
            reverse("policy:save_note", args=[version.pk, 1]),
            reverse("policy:mark_done", args=[version.pk, 1]),
        ],
    }


def test_a_leader_of_another_school_gets_404_everywhere(client, other_leader, leader, version):
    urls = object_urls(version, leader)
    client.force_login(other_leader)

    statuses = {url: client.get(url).status_code for url in urls["get"]}
    statuses |= {url: client.post(url, {}).status_code for url in urls["post"]}

    assert set(statuses.values()) == {404}
    assert Action.objects.count() == 1 and Comment.objects.count() == 1


def test_an_mr_member_gets_404_on_every_edit(client, mr_member, leader, version):
    urls = object_urls(version, leader)
    client.force_login(mr_member)
    edits = [u for u in urls["post"] if "/opmerkingen/" not in u]

    assert {client.post(url, {}).status_code for url in edits} == {404}


def test_an_empty_comment_gets_a_message(client, teacher, version):
    decision = decision_for(version, "1.1")
    client.force_login(teacher)

    response = client.post(reverse("policy:add_comment", args=[decision.pk]),
                           {f"opmerking-{decision.pk}-text": "  "}, headers=HTMX)

    assert "Schrijf eerst je opmerking." in response.content.decode()
    assert not Comment.objects.exists()


def test_an_mr_member_comments_on_an_agreement(client, mr_member, version):
    decision = decision_for(version, "1.1")
    client.force_login(mr_member)

    response = client.post(reverse("policy:add_comment", args=[decision.pk]),
                           {f"opmerking-{decision.pk}-text": "De MR wil dit bespreken."}, headers=HTMX)

    content = response.content.decode()
    assert "De MR wil dit bespreken." in content and "Mira MR" in content
    assert Comment.objects.get().author == mr_member


def test_get_requests_change_nothing(client, leader, version):
    decision = decision_for(version, "1.1")
    client.force_login(leader)

    assert client.get(reverse("policy:save_decision", args=[decision.pk])).status_code == 405
    assert client.get(reverse("policy:start", args=[version.policy.school_id])).status_code == 405


# --- Own agreements, actions, comments, notes, done ---------------------------------------------------


def test_adding_an_own_agreement_with_htmx_returns_the_list_with_it(client, teacher, version):
    client.force_login(teacher)

    response = client.post(reverse("policy:add_own", args=[version.pk, 3]),
                           {"nieuw-thema-3-text": "We controleren AI-tools samen."}, headers=HTMX)

    content = response.content.decode()
    assert 'id="eigen-afspraken-3"' in content and "We controleren AI-tools samen.</textarea>" in content
    assert Decision.objects.own().get().updated_by == teacher


def test_an_empty_own_agreement_is_refused_with_a_message(client, teacher, version):
    client.force_login(teacher)

    response = client.post(reverse("policy:add_own", args=[version.pk, 3]), {"nieuw-thema-3-text": " "})

    assert response.status_code == 422
    assert "Vul de tekst van de afspraak in." in response.content.decode()
    assert not Decision.objects.own().exists()


def test_an_own_agreement_text_is_changed_and_may_not_be_emptied(client, teacher, leader, version):
    own = services.add_own_agreement(version=version, theme=decision_for(version, "3.1").theme, by=leader,
                                     text="We kiezen tools samen.")
    client.force_login(teacher)
    url = reverse("policy:save_decision", args=[own.pk])

    saved = client.post(url, {f"afspraak-{own.pk}-text": "We kiezen AI-tools samen met de ICT-coördinator.",
                              f"afspraak-{own.pk}-revision": 1}, headers=HTMX)
    emptied = client.post(url, {f"afspraak-{own.pk}-text": "", f"afspraak-{own.pk}-revision": 2}, headers=HTMX)

    saved_status = f'<span id="status-afspraak-{own.pk}" data-hx-swap-oob="innerHTML">Opgeslagen.</span>'
    assert saved_status in saved.content.decode()
    assert emptied["HX-Retarget"] == f"#afspraak-{own.pk}"
    assert "Vul de tekst van de afspraak in." in emptied.content.decode()
    own.refresh_from_db()
    assert (own.text, own.revision, own.updated_by) == ("We kiezen AI-tools samen met de ICT-coördinator.", 2, teacher)


def test_own_agreements_are_moved_and_deleted(client, teacher, leader, version):
    theme = decision_for(version, "3.1").theme
    first = services.add_own_agreement(version=version, theme=theme, by=leader, text="Een.")
    second = services.add_own_agreement(version=version, theme=theme, by=leader, text="Twee.")
    client.force_login(teacher)

    client.post(reverse("policy:move_own", args=[second.pk]), {"richting": "omhoog"})
    assert [d.text for d in Decision.objects.own().order_by("position")] == ["Twee.", "Een."]
    response = client.post(reverse("policy:delete_own", args=[second.pk]), headers=HTMX)

    assert response["HX-Retarget"] == "#eigen-afspraken-3"
    assert [(d.pk, d.position) for d in Decision.objects.own()] == [(first.pk, 1)]


def test_actions_are_added_edited_and_removed(client, teacher, version):
    decision = decision_for(version, "5.1")
    client.force_login(teacher)

    client.post(reverse("policy:add_action", args=[decision.pk]), {
        f"nieuwe-actie-{decision.pk}-what": "Privacyscholing", f"nieuwe-actie-{decision.pk}-who": "Directie",
        f"nieuwe-actie-{decision.pk}-due": "2026-09-01"})
    action = Action.objects.get()
    response = client.post(reverse("policy:save_action", args=[action.pk]), {
        f"actie-{action.pk}-what": "Privacyscholing voor iedereen", f"actie-{action.pk}-who": "ICT",
        f"actie-{action.pk}-due": ""}, headers=HTMX)
    content = response.content.decode()
    assert "Privacyscholing voor iedereen <span class=\"text-body-secondary\">· wie: ICT</span>" in content
    assert '<span id="wizard-status" data-hx-swap-oob="innerHTML">De actie is opgeslagen.</span>' in content
    action.refresh_from_db()
    assert (action.what, action.who, action.due) == ("Privacyscholing voor iedereen", "ICT", None)

    response = client.post(reverse("policy:delete_action", args=[action.pk]), headers=HTMX)

    assert "Nog geen acties." in response.content.decode()
    assert not Action.objects.exists()


def test_the_form_for_a_new_action_opens_on_request_with_and_without_javascript(client, teacher, version):
    decision = decision_for(version, "5.1")
    client.force_login(teacher)
    open_url = reverse("policy:new_action", args=[decision.pk])
    field = f'name="nieuwe-actie-{decision.pk}-what"'

    fragment = client.get(open_url, headers=HTMX).content.decode()
    closed = client.get(open_url + "?sluiten", headers=HTMX).content.decode()
    redirect = client.get(open_url)

    assert field in fragment and field not in closed
    assert redirect.url == step_url(version, 5) + f"?nieuwe-actie={decision.pk}#acties-{decision.pk}"
    assert field in client.get(redirect.url).content.decode()
    assert field not in client.get(step_url(version, 5)).content.decode()


def test_an_action_opens_for_editing_with_and_without_javascript(client, teacher, leader, version):
    decision = decision_for(version, "5.1")
    action = services.add_action(decision=decision, by=leader, what="Scholing", who="Directie")
    client.force_login(teacher)
    edit_url = reverse("policy:edit_action", args=[action.pk])

    fragment = client.get(edit_url, headers=HTMX).content.decode()
    redirect = client.get(edit_url)
    page = client.get(redirect.url).content.decode()

    assert f'name="actie-{action.pk}-what" value="Scholing"' in fragment
    assert redirect.url == step_url(version, 5) + f"?bewerk={action.pk}#actie-{action.pk}"
    assert f'name="actie-{action.pk}-what" value="Scholing"' in page
    assert f'name="actie-{action.pk}-what"' not in client.get(step_url(version, 5)).content.decode()


def test_a_changed_action_without_what_comes_back_with_the_message(client, teacher, leader, version):
    action = services.add_action(decision=decision_for(version, "5.1"), by=leader, what="Scholing")
    client.force_login(teacher)

    response = client.post(reverse("policy:save_action", args=[action.pk]), {
        f"actie-{action.pk}-what": "", f"actie-{action.pk}-who": "Iemand", f"actie-{action.pk}-due": ""})

    assert response.status_code == 422
    assert "Vul in wat er nodig is." in response.content.decode()
    assert f'name="actie-{action.pk}-who" value="Iemand"' in response.content.decode()
    assert Action.objects.get().what == "Scholing"


def test_an_action_without_what_keeps_who_and_says_what_is_missing(client, teacher, version):
    decision = decision_for(version, "5.1")
    client.force_login(teacher)

    response = client.post(reverse("policy:add_action", args=[decision.pk]), {
        f"nieuwe-actie-{decision.pk}-what": "", f"nieuwe-actie-{decision.pk}-who": "Directie",
        f"nieuwe-actie-{decision.pk}-due": "morgen"}, headers=HTMX)

    content = response.content.decode()
    assert "Vul in wat er nodig is." in content and "Vul een datum in, bijvoorbeeld 15-09-2026." in content
    assert 'value="Directie"' in content and 'value="morgen"' in content
    assert not Action.objects.exists()


def test_a_comment_shows_author_and_time_and_only_the_author_may_delete_it(client, teacher, leader, version):
    decision = decision_for(version, "1.1")
    comment = services.add_comment(decision=decision, by=leader, text="Goed plan.")
    client.force_login(teacher)

    content = client.get(step_url(version, 1)).content.decode()
    response = client.post(reverse("policy:delete_comment", args=[comment.pk]), follow=True)

    assert "Goed plan." in content and "Lotte Leider, <time" in content
    assert f'id="opmerking-verwijder-{comment.pk}"' not in content
    assert "Je kunt alleen je eigen opmerkingen verwijderen." in response.content.decode()
    assert Comment.objects.exists()


def test_a_theme_note_is_saved_and_a_stale_note_is_a_conflict(client, teacher, leader, version):
    state = ThemeState.objects.get(version=version, theme__number=2)
    client.force_login(teacher)
    url = reverse("policy:save_note", args=[version.pk, 2])

    client.post(url, {"notitie-2-note": "Eerst uitzoeken.", "notitie-2-revision": 1}, headers=HTMX)
    response = client.post(url, {"notitie-2-note": "Iets anders.", "notitie-2-revision": 1}, headers=HTMX)

    assert response["HX-Retarget"] == "#notitie-2"
    assert "Eerst uitzoeken." in response.content.decode() and "Iets anders.</textarea>" in response.content.decode()
    assert ThemeState.objects.get(pk=state.pk).note == "Eerst uitzoeken."


def test_marking_a_theme_done_with_open_agreements_says_what_is_open(client, teacher, version):
    client.force_login(teacher)

    response = client.post(reverse("policy:mark_done", args=[version.pk, 1]), {"klaar": "ja"}, headers=HTMX)

    assert "Nog 2 afspraken staan open." in response.content.decode()
    assert not ThemeState.objects.get(version=version, theme__number=1).done


def test_marking_a_theme_done_without_javascript_goes_on_to_the_next_theme(client, teacher, leader, version):
    for code in ("1.1", "1.2"):
        services.save_decision(decision=decision_for(version, code), by=leader, choice="adopt", text="", reason="",
                               revision=1)
    client.force_login(teacher)

    response = client.post(reverse("policy:mark_done", args=[version.pk, 1]), {"klaar": "ja"})

    assert response.url == step_url(version, 2)
    assert ThemeState.objects.get(version=version, theme__number=1).done


# --- History and review ----------------------------------------------------------------------------


def test_the_history_shows_who_changed_what_and_when(client, mr_member, leader, teacher, version):
    decision = decision_for(version, "1.2")
    services.save_decision(decision=decision, by=leader, choice="amend", text="Alleen als aanvulling.", reason="",
                           revision=1)
    services.save_decision(decision=decision, by=teacher, choice="reject", text="Alleen als aanvulling.",
                           reason="Te vaag.", revision=2)
    client.force_login(mr_member)

    content = client.get(reverse("policy:history", args=[decision.pk])).content.decode()

    assert content.index("Tim Leraar") < content.index("Lotte Leider")  # newest first
    assert "Keuze: Aanpassen &rarr; Niet overnemen" in content
    assert "Reden: (leeg) &rarr; Te vaag." in content
    assert "Keuze: Nog open &rarr; Aanpassen" in content
    assert "aangemaakt" in content


def test_the_review_lists_open_items_warnings_and_coverage(client, teacher, leader, version):
    services.save_decision(decision=decision_for(version, "5.1"), by=leader, choice="adopt", text="", reason="",
                           revision=1)
    services.save_decision(decision=decision_for(version, "5.2"), by=leader, choice="reject", text="", reason="",
                           revision=1)
    client.force_login(teacher)

    response = client.get(reverse("policy:review", args=[version.pk]))

    content = response.content.decode()
    open_decision = decision_for(version, "1.1")
    assert "Afspraken zonder keuze (16)" in content
    assert f'{step_url(version, 1)}#afspraak-{open_decision.pk}">Afspraak 1.1</a>' in content
    assert "Thema 1: Zet de mens centraal</a> heeft nog geen afspraak die jullie overnemen." in content
    assert "Thema 5: Bescherm je eigen privacy en die van anderen</a> heeft" not in content
    assert "Afspraak 5.2</a> nemen jullie niet over, maar er staat geen reden bij." in content
    assert "3 van de 18 afgedekt." in content and "1 van de 7 afgedekt." in content
    assert "documents/_review_actions.html" in [t.name for t in response.templates]


def test_the_review_says_nothing_is_open_when_everything_is_chosen(client, teacher, leader, version):
    for decision in version.decisions.select_related("example"):
        services.save_decision(decision=decision, by=leader, choice="adopt", text="", reason="", revision=1)
    for state in version.theme_states.all():
        services.mark_theme_done(state=state, by=leader, done=True)
    client.force_login(teacher)

    content = client.get(reverse("policy:review", args=[version.pk])).content.decode()

    assert "Alles is ingevuld. Er staat niets meer open." in content
    assert "Alle vereisten zijn afgedekt." in content


# --- Query budgets ------------------------------------------------------------------------------------


def fill(version, user, times):
    """Every agreement chosen, with `times` actions and comments each, and `times` own agreements per theme."""
    for decision in version.decisions.select_related("example"):
        services.save_decision(decision=decision, by=user, choice="amend", text="Aangepast.", reason="", revision=1)
    for state in version.theme_states.select_related("theme"):
        for i in range(times):
            services.add_own_agreement(version=version, theme=state.theme, by=user, text=f"Eigen {i}.")
    for decision in version.decisions.all():
        for i in range(times):
            services.add_action(decision=decision, by=user, what=f"Actie {i}", who="Team")
            services.add_comment(decision=decision, by=user, text=f"Opmerking {i}")


@pytest.mark.parametrize("times", [1, 10])
def test_a_wizard_step_stays_within_10_queries(client, leader, version, times, django_assert_max_num_queries):
    fill(version, leader, times)
    client.force_login(leader)

    with django_assert_max_num_queries(10):
        response = client.get(step_url(version, 7))

    assert response.content.decode().count("Opmerking 0") == 4 + times


@pytest.mark.parametrize("times", [1, 10])
def test_the_review_and_overview_stay_within_15_queries(client, leader, version, times,
                                                        django_assert_max_num_queries):
    fill(version, leader, times)
    client.force_login(leader)

    with django_assert_max_num_queries(15):
        review = client.get(reverse("policy:review", args=[version.pk]))
    with django_assert_max_num_queries(15):
        overview = client.get(reverse("policy:overview", args=[version.pk]))

    assert review.content.decode().count("Actie 0") == 18 + 7 * times
    assert overview.status_code == 200


def test_no_template_comment_shows_on_any_page(client, teacher, leader, version):
    decision = decision_for(version, "2.2")
    services.save_decision(decision=decision_for(version, "2.2"), by=leader, choice="adopt", text="", reason="",
                           revision=1)
    client.force_login(teacher)

    pages = [client.get(url) for url in (
        reverse("policy:home", args=[version.policy.school_id]), reverse("policy:overview", args=[version.pk]),
        step_url(version, 2), reverse("policy:review", args=[version.pk]),
        reverse("policy:history", args=[decision.pk]))]
    pages += [save(client, decision, choice="reject", revision=1), save(client, decision, headers=HTMX,
                                                                         choice="reject", revision=1)]

    assert [p.status_code for p in pages] == [200, 200, 200, 200, 200, 409, 200]
    assert not [p for p in pages if b"{#" in p.content or b"#}" in p.content]
