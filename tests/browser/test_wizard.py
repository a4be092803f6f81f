"""A leader and a teacher write the policy together, in two browsers: every kind of choice, own agreements,
actions, comments, a conflict resolved both ways, and the review with its coverage. Theme 1 by keyboard alone."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from agreements.models import Action, Decision, PolicyVersion
from tests.browser.conftest import assert_page_ok

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("content")]


def decision(version, code):
    theme, number = code.split(".")
    return Decision.objects.get(version=version, theme__number=int(theme), example__number=int(number))


def card(page, d):
    return page.locator(f"#afspraak-{d.pk}")


def saved(page, d):
    expect(page.locator(f"#status-afspraak-{d.pk}")).to_have_text("Opgeslagen.")


def choose(page, version, code, label, text=None, reason=None):
    """Pick a choice with the mouse; type the amended text or the reason; each change saves on its own."""
    d = decision(version, code)
    card(page, d).get_by_label(label, exact=True).check()
    saved(page, d)
    if text is not None:
        field = card(page, d).get_by_label("Jullie tekst")
        field.fill(text)
        field.blur()
        expect(card(page, d).locator(f"#verschil-{d.pk}")).not_to_have_text("Nog niets veranderd.")
    if reason is not None:
        field = card(page, d).get_by_label("Waarom nemen jullie deze afspraak niet over?")
        field.fill(reason)
        field.blur()
        saved(page, d)


def finish_theme(page, number):
    page.get_by_role("button", name=f"Thema {number} is klaar").click()
    expect(page.locator(f"#klaar-{number}")).to_contain_text(f"Thema {number} is klaar.")


def press(page, locator, key="Enter"):
    locator.focus()
    page.keyboard.press(key)


def test_a_leader_and_a_teacher_write_the_policy_together(new_page, login, leader, teacher, school,
                                                           transactional_db):
    lotte = login(new_page(), leader)
    tim = login(new_page(), teacher)

    # The leader starts the policy from the school's policy page.
    lotte.goto(reverse("policy:home", args=[school.pk]))
    assert_page_ok(lotte)
    lotte.get_by_role("button", name="Beleid opstellen").click()
    expect(lotte.get_by_role("heading", level=1)).to_have_text("AI-beleid van Basisschool De Regenboog")
    assert_page_ok(lotte)
    version = PolicyVersion.objects.get(policy__school=school)

    # Theme 1, by keyboard alone: adopt 1.1 with an action, amend 1.2, add an own agreement, mark it done.
    press(lotte, lotte.get_by_role("link", name="Begin bij thema 1"))
    expect(lotte.get_by_role("heading", level=1)).to_contain_text("Zet de mens centraal")
    lotte.wait_for_load_state()  # the heading can show before the deferred scripts that save a choice have run
    d11, d12 = decision(version, "1.1"), decision(version, "1.2")
    press(lotte, card(lotte, d11).get_by_label("Overnemen", exact=True), "Space")
    saved(lotte, d11)
    press(lotte, card(lotte, d11).get_by_role("link", name="Actie toevoegen"))
    expect(card(lotte, d11).get_by_label("Wat is er nodig?")).to_be_focused()
    lotte.keyboard.type("Studiedag over AI en de leerling")
    lotte.keyboard.press("Tab")
    lotte.keyboard.type("Directie")
    lotte.keyboard.press("Enter")
    expect(card(lotte, d11).locator(".action-list > li")).to_have_count(1)
    expect(card(lotte, d11).get_by_label("Wat is er nodig?")).to_be_focused()  # ready for the next action
    press(lotte, card(lotte, d11).get_by_role("link", name="Sluiten"))
    expect(card(lotte, d11).get_by_label("Wat is er nodig?")).to_have_count(0)
    press(lotte, card(lotte, d12).get_by_label("Aanpassen", exact=True), "Space")
    saved(lotte, d12)
    lotte.keyboard.press("Tab")  # from the choice to the amended text
    lotte.keyboard.press("ControlOrMeta+a")
    lotte.keyboard.type("Gebruik generatieve AI alleen ter aanvulling in de klas, nooit als vervanging.")
    lotte.keyboard.press("Tab")
    expect(card(lotte, d12).locator(f"#verschil-{d12.pk}")).to_contain_text("nooit als vervanging.")
    lotte.get_by_label("Nieuwe afspraak").focus()
    lotte.keyboard.type("Elke leerling mag zonder AI werken als hij dat wil.")
    press(lotte, lotte.get_by_role("button", name="Afspraak toevoegen"))
    expect(lotte.locator(".decision-own")).to_have_count(1)
    press(lotte, lotte.get_by_role("button", name="Thema 1 is klaar"))
    expect(lotte.locator("#klaar-1")).to_contain_text("Thema 1 is klaar.")
    expect(lotte.locator("#voortgang")).to_contain_text("1 van de 7 thema's klaar")
    assert_page_ok(lotte)
    press(lotte, lotte.get_by_role("link", name="Verder naar thema 2"))
    expect(lotte.get_by_role("heading", level=1)).to_contain_text("Houd zelf de regie")
    lotte.wait_for_load_state()

    stored = decision(version, "1.2")
    assert (stored.choice, stored.updated_by) == ("amend", leader)
    assert stored.text.endswith("nooit als vervanging.")
    assert Action.objects.get().what == "Studiedag over AI en de leerling"

    # The teacher does themes 2 to 4: not adopt with a reason, a comment, an own agreement with an action.
    tim.goto(reverse("policy:step", args=[version.pk, 2]))
    choose(tim, version, "2.1", "Niet overnemen", reason="Dit staat al in ons toetsbeleid.")
    choose(tim, version, "2.2", "Overnemen")
    choose(tim, version, "2.3", "Aanpassen", text="Gebruik generatieve AI om je denken te verruimen.")
    d21 = decision(version, "2.1")
    card(tim, d21).locator("summary").click()
    card(tim, d21).get_by_label("Jouw opmerking").fill("Lotte, kijk jij of dit klopt?")
    card(tim, d21).get_by_role("button", name="Opmerking plaatsen").click()
    expect(card(tim, d21).locator(".comment-list")).to_contain_text("Tim Leraar")
    finish_theme(tim, 2)
    tim.goto(reverse("policy:step", args=[version.pk, 3]))
    choose(tim, version, "3.1", "Overnemen")
    choose(tim, version, "3.2", "Overnemen")
    tim.get_by_label("Nieuwe afspraak").fill("We toetsen elke nieuwe AI-tool op vooroordelen.")
    tim.get_by_role("button", name="Afspraak toevoegen").click()
    own = tim.locator(".decision-own")
    expect(own).to_have_count(1)
    own.get_by_role("link", name="Actie toevoegen").click()
    own.get_by_label("Wat is er nodig?").fill("Checklist voor AI-tools maken")
    own.get_by_role("button", name="Toevoegen").click()
    expect(own.locator(".action-list > li")).to_have_count(1)
    own.get_by_role("link", name="Wijzigen (actie: Checklist voor AI-tools maken)").click()
    expect(own.get_by_label("Wat is er nodig?").first).to_be_focused()
    own.locator(".action-form").get_by_label("Wie doet het?").fill("ICT-coördinator")
    own.locator(".action-form").get_by_role("button", name="Opslaan").click()
    expect(own.locator(".action-list > li").first).to_contain_text("wie: ICT-coördinator")
    own.locator(".new-action").get_by_label("Wat is er nodig?").fill("Dubbel ingevoerd")
    own.get_by_role("button", name="Toevoegen").click()
    expect(own.locator(".action-list > li")).to_have_count(2)
    own.get_by_role("button", name="Verwijderen (actie: Dubbel ingevoerd)").click()
    expect(own.locator(".action-list > li")).to_have_count(1)
    finish_theme(tim, 3)
    assert_page_ok(tim)
    tim.goto(reverse("policy:step", args=[version.pk, 4]))
    choose(tim, version, "4.1", "Overnemen")
    choose(tim, version, "4.2", "Overnemen")
    finish_theme(tim, 4)

    # The leader sees the teacher's work.
    lotte.reload()
    expect(card(lotte, d21).get_by_label("Niet overnemen", exact=True)).to_be_checked()
    expect(card(lotte, d21).get_by_label("Waarom nemen jullie deze afspraak niet over?")).to_have_value(
        "Dit staat al in ons toetsbeleid.")
    expect(card(lotte, d21).locator(".comment-list")).to_contain_text("Lotte, kijk jij of dit klopt?")
    expect(lotte.locator("#voortgang")).to_contain_text("4 van de 7 thema's klaar")

    # Both open theme 5; the leader saves first, the teacher's page is stale.
    lotte.goto(reverse("policy:step", args=[version.pk, 5]))
    tim.goto(reverse("policy:step", args=[version.pk, 5]))
    choose(lotte, version, "5.1", "Aanpassen", text="Voer nooit persoonsgegevens van leerlingen in.")
    choose(lotte, version, "5.2", "Overnemen")
    d51, d52 = decision(version, "5.1"), decision(version, "5.2")

    card(tim, d51).get_by_label("Niet overnemen", exact=True).check()
    conflict = tim.locator(f"#afspraak-{d51.pk}.conflict")
    expect(conflict).to_contain_text("Lotte Leider heeft afspraak 5.1 opgeslagen terwijl jij ermee bezig was.")
    expect(conflict.locator(".theirs")).to_contain_text("Voer nooit persoonsgegevens van leerlingen in.")
    assert_page_ok(tim)
    conflict.get_by_label("Waarom nemen jullie deze afspraak niet over?").fill("Dit regelen we bij afspraak 5.2.")
    conflict.get_by_role("button", name="Mijn versie opslaan").click()
    expect(card(tim, d51).locator(f"#status-afspraak-{d51.pk}")).to_have_text("Jouw versie is opgeslagen.")
    stored = decision(version, "5.1")
    assert (stored.choice, stored.reason, stored.updated_by) == ("reject", "Dit regelen we bij afspraak 5.2.",
                                                                  teacher)

    card(tim, d52).get_by_label("Aanpassen", exact=True).check()
    conflict = tim.locator(f"#afspraak-{d52.pk}.conflict")
    expect(conflict.locator(".theirs")).to_contain_text("Overnemen")
    conflict.get_by_role("link", name="Hun versie houden").click()
    expect(card(tim, d52).get_by_label("Overnemen", exact=True)).to_be_checked()
    assert decision(version, "5.2").choice == "adopt"

    lotte.reload()
    expect(card(lotte, d51).get_by_label("Niet overnemen", exact=True)).to_be_checked()
    lotte.get_by_role("link", name="Geschiedenis van afspraak 5.1").click()
    expect(lotte.locator(".history-list > li").first).to_contain_text("Tim Leraar")
    assert_page_ok(lotte)

    # The leader finishes themes 5 to 7.
    lotte.goto(reverse("policy:step", args=[version.pk, 5]))
    finish_theme(lotte, 5)
    lotte.goto(reverse("policy:step", args=[version.pk, 6]))
    for code in ("6.1", "6.2", "6.3"):
        choose(lotte, version, code, "Overnemen")
    finish_theme(lotte, 6)
    lotte.goto(reverse("policy:step", args=[version.pk, 7]))
    for code in ("7.1", "7.2", "7.3", "7.4"):
        choose(lotte, version, code, "Overnemen")
    finish_theme(lotte, 7)
    expect(lotte.locator("#voortgang")).to_contain_text("7 van de 7 thema's klaar")

    # The review: nothing open, and what the adopted agreements cover.
    lotte.get_by_role("link", name="Verder naar controleren").click()
    expect(lotte.get_by_role("heading", level=1)).to_have_text("Controleren")
    expect(lotte.get_by_text("Afspraken zonder keuze")).to_have_count(0)
    expect(lotte.locator(".warnings")).to_have_count(0)
    expect(lotte.get_by_text("Alles is ingevuld. Er staat niets meer open.")).to_be_visible()
    # Not adopted: 2.1, the only agreement for TWijs "medewerkers 1", and 5.1, the only one for
    # "algemeen 3" and "medewerkers 4".
    expect(lotte.get_by_text("15 van de 18 afgedekt.")).to_be_visible()
    missing = lotte.locator(".coverage-missing").first.locator("li")
    expect(missing).to_have_count(3)
    expect(missing.nth(0)).to_contain_text("Algemene richtlijnen 3")
    expect(missing.nth(1)).to_contain_text("Richtlijnen voor medewerkers van TWijs 1")
    expect(missing.nth(2)).to_contain_text("Richtlijnen voor medewerkers van TWijs 4")
    expect(lotte.get_by_text("7 van de 7 afgedekt.")).to_be_visible()
    expect(lotte.locator(".review-theme").first).to_contain_text("nooit als vervanging.")
    expect(lotte.locator(".review-theme").nth(1)).to_contain_text("Reden: Dit staat al in ons toetsbeleid.")
    assert_page_ok(lotte)


def test_an_mr_member_reads_the_draft_and_comments_on_a_phone(new_page, login, leader, mr_member, school,
                                                              transactional_db):
    from agreements.services.policy import start_policy

    version = start_policy(school=school, by=leader)
    page = login(new_page(viewport={"width": 390, "height": 844}), mr_member)
    d = decision(version, "4.1")

    page.goto(reverse("policy:step", args=[version.pk, 4]))
    expect(page.locator(".decision-form")).to_have_count(0)
    card(page, d).locator("summary").click()
    card(page, d).get_by_label("Jouw opmerking").fill("De MR wil weten wie de scholing geeft.")
    card(page, d).get_by_role("button", name="Opmerking plaatsen").click()

    expect(card(page, d).locator(".comment-list")).to_contain_text("Mira MR")
    assert_page_ok(page)
