"""The leader's meeting pages: set up, control, projector, live tally, QR code, results."""


import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Ballot, Decision, Item, Meeting, Participant
from agreements.services import meetings as services
from agreements.services.policy import start_policy
from tests.factories import BallotFactory, ParticipantFactory

SUPPORT, AMENDED, AGAINST = Ballot.Choice.SUPPORT, Ballot.Choice.SUPPORT_AMENDED, Ballot.Choice.AGAINST


@pytest.fixture
def draft(content, school, leader):
    return start_policy(school=school, by=leader)


def make_meeting(draft, leader, count=3, **kwargs):
    kwargs.setdefault("audience", Meeting.Audience.ANYONE)
    kwargs.setdefault("hide_tally", False)
    return services.create_meeting(version=draft, decisions=list(draft.decisions.all()[:count]), by=leader,
                                   **kwargs)


@pytest.fixture
def meeting(draft, leader):
    return make_meeting(draft, leader)


@pytest.fixture
def leader_client(client, leader):
    client.force_login(leader)
    return client


def add_ballots(item, choices, comments=()):
    """One participant and ballot per choice, built by the factories and saved in two bulk INSERTs (up to 1000)."""
    comments = list(comments) + [""] * (len(choices) - len(comments))
    people = Participant.objects.bulk_create(ParticipantFactory.build(meeting=item.meeting, name=f"P{n}")
                                             for n, _ in enumerate(choices))
    Ballot.objects.bulk_create(BallotFactory.build(item=item, participant=p, choice=c, comment=t)
                               for p, c, t in zip(people, choices, comments, strict=True))


LEADER_PAGES = ["meetings:control", "meetings:projector", "meetings:live", "meetings:qr", "meetings:results"]
LEADER_ACTIONS = ["meetings:next", "meetings:previous", "meetings:hide_tally", "meetings:close"]
ITEM_ACTIONS = ["meetings:show_item", "meetings:open_item", "meetings:close_item"]


# --- Who may see and do what -------------------------------------------------------------------


def refused(response, who):
    """Signed-out visitors are sent to the login page; everyone else outside the role gets a 404."""
    if who == "anonymous":
        return response.status_code == 302 and response["Location"].startswith(reverse("login"))
    return response.status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "teacher", "mr_member", "other_leader"])
def test_only_the_schools_leader_sets_up_a_meeting(client, draft, who, request):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    url = reverse("meetings:new", args=[draft.pk])
    assert refused(client.get(url), who)
    assert refused(client.post(url, {"decisions": [draft.decisions.first().pk], "audience": "anyone"}), who)
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("who", ["anonymous", "teacher", "other_leader"])
def test_leader_pages_are_refused_to_anyone_but_the_schools_leader(client, meeting, who, request):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))
    for name in LEADER_PAGES:
        assert refused(client.get(reverse(name, args=[meeting.pk])), who), name
    for name in LEADER_ACTIONS:
        assert refused(client.post(reverse(name, args=[meeting.pk]), {"hide": "1"}), who), name
    item = meeting.items.first()
    for name in ITEM_ACTIONS:
        assert refused(client.post(reverse(name, args=[meeting.pk, item.pk])), who), name
    assert refused(client.post(reverse("meetings:results", args=[meeting.pk]), {}), who)
    meeting.refresh_from_db()
    item.refresh_from_db()
    assert (meeting.status, meeting.hide_tally, item.status) == (Meeting.Status.OPEN, False, Item.Status.PENDING)


def test_an_item_of_another_meeting_is_404(leader_client, draft, leader, meeting):
    other = make_meeting(draft, leader)
    other_item = other.items.first()
    response = leader_client.post(reverse("meetings:open_item", args=[meeting.pk, other_item.pk]))
    assert response.status_code == 404
    other_item.refresh_from_db()
    assert other_item.status == Item.Status.PENDING


def test_leader_actions_do_not_answer_get(leader_client, meeting):
    item = meeting.items.first()
    assert leader_client.get(reverse("meetings:open_item", args=[meeting.pk, item.pk])).status_code == 405
    assert leader_client.get(reverse("meetings:close", args=[meeting.pk])).status_code == 405


# --- Setting up -------------------------------------------------------------------------------


def test_the_setup_form_preselects_open_amended_and_own_agreements(leader_client, draft):
    adopted = draft.decisions.first()
    adopted.choice = Decision.Choice.ADOPT
    adopted.save()
    page = leader_client.get(reverse("meetings:new", args=[draft.pk])).content.decode()
    assert f'value="{adopted.pk}" id="afspraak-{adopted.pk}">' in page
    preselected = list(draft.decisions.exclude(pk=adopted.pk))
    assert len(preselected) == 17
    for decision in preselected:
        assert f'value="{decision.pk}" id="afspraak-{decision.pk}" checked>' in page
    assert "Thema 1: " in page


def test_the_leader_creates_a_meeting_with_the_chosen_agreements(leader_client, draft):
    chosen = list(draft.decisions.all()[3:5])
    response = leader_client.post(reverse("meetings:new", args=[draft.pk]), {
        "decisions": [d.pk for d in chosen], "audience": "members", "hide_tally": "on",
    })
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:control", args=[meeting.pk])
    assert [i.decision for i in meeting.items.all()] == chosen
    assert (meeting.audience, meeting.hide_tally, meeting.version) == (Meeting.Audience.MEMBERS, True, draft)


def test_no_agreements_chosen_gives_a_message_and_keeps_the_other_answers(leader_client, draft):
    response = leader_client.post(reverse("meetings:new", args=[draft.pk]),
                                  {"audience": "members", "hide_tally": "on"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kies minstens één afspraak om te bespreken." in page
    assert 'aria-describedby="afspraken-hulp afspraken-fout"' in page
    assert 'value="members" id="id_audience_1" checked' in page
    assert 'id="id_hide_tally" checked' in page
    assert not Meeting.objects.exists()


# --- Control and projector ----------------------------------------------------------------


def test_the_control_page_shows_code_join_link_and_agenda(leader_client, meeting):
    page = leader_client.get(reverse("meetings:control", args=[meeting.pk])).content.decode()
    assert meeting.join_code in page
    assert f"http://testserver/stem/{meeting.join_code}/" in page
    items = list(meeting.items.select_related("decision__example"))
    assert len(items) == 3
    for item in items:
        assert item.decision.example.text[:30] in page
    assert "Stemming openen" in page


def test_the_leader_opens_closes_and_moves_on(leader_client, meeting):
    first, second = meeting.items.all()[:2]
    control = reverse("meetings:control", args=[meeting.pk])
    response = leader_client.post(reverse("meetings:open_item", args=[meeting.pk, first.pk]))
    assert response["Location"] == control
    first.refresh_from_db()
    assert first.status == Item.Status.OPEN
    leader_client.post(reverse("meetings:close_item", args=[meeting.pk, first.pk]))
    first.refresh_from_db()
    assert first.status == Item.Status.CLOSED
    leader_client.post(reverse("meetings:next", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.current_item == second
    leader_client.post(reverse("meetings:previous", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.current_item == first
    response = leader_client.post(reverse("meetings:previous", args=[meeting.pk]), follow=True)
    assert "Dit is de eerste afspraak." in response.content.decode()


def test_a_control_on_the_projector_brings_the_leader_back_to_the_projector(leader_client, meeting):
    projector = reverse("meetings:projector", args=[meeting.pk])
    response = leader_client.post(reverse("meetings:next", args=[meeting.pk]), {"next": projector})
    assert response["Location"] == projector
    response = leader_client.post(reverse("meetings:next", args=[meeting.pk]), {"next": "https://elders.example/"})
    assert response["Location"] == reverse("meetings:control", args=[meeting.pk])


def test_the_projector_shows_code_qr_prompt_and_agreement(leader_client, meeting):
    page = leader_client.get(reverse("meetings:projector", args=[meeting.pk])).content.decode()
    assert meeting.join_code in page
    assert f'src="{reverse("meetings:qr", args=[meeting.pk])}"' in page
    assert "Steunen wij deze afspraak? Wat is hiervoor nodig?" in page
    assert meeting.items.first().text in page
    assert f'data-poll-url="{reverse("meetings:live", args=[meeting.pk])}?bediening=scherm"' in page
    assert 'role="status" aria-live="polite"' in page
    assert "Live-updates pauzeren" in page


def test_the_live_poll_brings_the_leaders_buttons_for_the_state_it_shows(leader_client, meeting):
    url = reverse("meetings:live", args=[meeting.pk])
    item = services.open_item(meeting=meeting, item=meeting.items.first())
    page = leader_client.get(url + "?bediening=scherm").content.decode()
    assert 'id="bediening" data-hx-swap-oob="true"' in page
    assert "Stemming sluiten" in page and "Stemming openen" not in page
    assert f'name="next" value="{reverse("meetings:projector", args=[meeting.pk])}"' in page
    services.close_item(meeting=meeting, item=item)
    page = leader_client.get(url + "?bediening=bediening").content.decode()
    assert "Stemming weer openen" in page and "Stemming sluiten" not in page
    assert f'name="next" value="{reverse("meetings:control", args=[meeting.pk])}"' in page
    assert 'id="bediening"' not in leader_client.get(url).content.decode()
    assert 'id="bediening"' not in leader_client.get(url + "?bediening=https://elders.example").content.decode()


def test_the_qr_code_is_an_svg_made_here(leader_client, meeting):
    response = leader_client.get(reverse("meetings:qr", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert "<svg" in svg and "<path" in svg
    assert "style=" not in svg


def test_the_live_tally_shows_counts_and_percentages(leader_client, meeting):
    item = services.open_item(meeting=meeting, item=meeting.items.first())
    add_ballots(item, [SUPPORT, SUPPORT, SUPPORT, AMENDED])
    ParticipantFactory(meeting=meeting, name="Nog niet gestemd")
    page = leader_client.get(reverse("meetings:live", args=[meeting.pk])).content.decode()
    assert '<meter class="tally-meter" min="0" max="4" value="3" aria-labelledby="stand-support">' in page
    assert '3 <span class="tally-percent">75%</span>' in page
    assert '1 <span class="tally-percent">25%</span>' in page
    assert '0 <span class="tally-percent">0%</span>' in page
    assert "<strong>5</strong> doen mee · <strong>4</strong> hebben gestemd" in page
    announce = "4 van 5 deelnemers hebben gestemd. Steun: 3. Steun met aanpassing: 1. Geen steun: 0."
    assert f'data-announce="{announce}"' in page
    assert "style=" not in page


def test_a_hidden_tally_shows_only_how_many_voted_until_the_item_closes(leader_client, draft, leader):
    meeting = make_meeting(draft, leader, hide_tally=True)
    item = services.open_item(meeting=meeting, item=meeting.items.first())
    add_ballots(item, [SUPPORT, AGAINST])
    url = reverse("meetings:live", args=[meeting.pk])
    page = leader_client.get(url).content.decode()
    assert "De uitslag komt op het scherm als de stemming sluit." in page
    assert "<meter" not in page and "Steun:" not in page
    assert "<strong>2</strong> hebben gestemd" in page
    services.close_item(meeting=meeting, item=item)
    page = leader_client.get(url).content.decode()
    assert 'value="1" aria-labelledby="stand-support"' in page


def test_the_leader_hides_and_shows_the_tally(leader_client, meeting):
    leader_client.post(reverse("meetings:hide_tally", args=[meeting.pk]), {"hide": "1"})
    meeting.refresh_from_db()
    assert meeting.hide_tally
    leader_client.post(reverse("meetings:hide_tally", args=[meeting.pk]), {"hide": "0"})
    meeting.refresh_from_db()
    assert not meeting.hide_tally


def test_the_tally_fragment_takes_at_most_5_queries_with_10_or_1000_ballots(leader_client, meeting):
    item = services.open_item(meeting=meeting, item=meeting.items.first())
    url = reverse("meetings:live", args=[meeting.pk]) + "?bediening=scherm"  # as the projector polls it
    counts = []
    for total, extra in [(10, 10), (1000, 990)]:
        add_ballots(item, [SUPPORT, AMENDED, AGAINST] * (extra // 3) + [SUPPORT] * (extra % 3))
        with CaptureQueriesContext(connection) as queries:
            response = leader_client.get(url)
        assert f"<strong>{total}</strong> hebben gestemd" in response.content.decode()
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 5


@pytest.mark.parametrize("count", [1, 10])
def test_control_and_results_pages_take_few_queries(leader_client, draft, leader, count,
                                                    django_assert_max_num_queries):
    meeting = make_meeting(draft, leader, count=count)
    for item in meeting.items.all():
        add_ballots(item, [SUPPORT, AMENDED], comments=["Prima."])
    Item.objects.filter(meeting=meeting).update(status=Item.Status.CLOSED)
    for name in ("meetings:control", "meetings:results"):
        with django_assert_max_num_queries(7):
            response = leader_client.get(reverse(name, args=[meeting.pk]))
        assert response.status_code == 200


def test_closing_the_meeting_leads_to_the_results(leader_client, meeting):
    response = leader_client.post(reverse("meetings:close", args=[meeting.pk]))
    assert response["Location"] == reverse("meetings:results", args=[meeting.pk])
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED


# --- Anonymity ------------------------------------------------------------------------------


def test_names_are_listed_without_votes_and_results_show_no_names(leader_client, meeting):
    item = services.open_item(meeting=meeting, item=meeting.items.first())
    anne = services.join(meeting=meeting, name="Anne Jansen")
    services.cast_vote(participant=anne, item_id=item.pk, choice=AGAINST, comment="Te streng.")
    control = leader_client.get(reverse("meetings:control", args=[meeting.pk])).content.decode()
    assert "Anne Jansen" in control
    assert "Te streng." not in control
    services.close_item(meeting=meeting, item=item)
    for name in ("meetings:results", "meetings:live", "meetings:projector"):
        page = leader_client.get(reverse(name, args=[meeting.pk])).content.decode()
        assert "Anne Jansen" not in page, name
    assert "Te streng." in leader_client.get(reverse("meetings:results", args=[meeting.pk])).content.decode()


# --- Results and outcome -----------------------------------------------------------------


def closed_with_votes(meeting):
    items = list(meeting.items.all())
    add_ballots(items[0], [SUPPORT, SUPPORT, AGAINST])
    add_ballots(items[1], [AMENDED, AGAINST], comments=["Noem de tools.", "Niet nodig."])
    add_ballots(items[2], [AMENDED, AMENDED, AGAINST])
    Item.objects.filter(meeting=meeting).update(status=Item.Status.CLOSED, closed_at=timezone.now())
    return items


def test_results_show_counts_comments_suggestions_and_ties(leader_client, meeting):
    items = closed_with_votes(meeting)
    page = leader_client.get(reverse("meetings:results", args=[meeting.pk])).content.decode()
    first = page.split(f'id="afspraak-{items[0].pk}"')[1]
    assert f'value="2" aria-labelledby="stand-{items[0].pk}-support"' in first  # the projector's bars
    assert '2 <span class="tally-percent">67%</span>' in first
    assert "<li>Niet nodig.</li><li>Noem de tools.</li>" in page
    assert "De stemmen staan gelijk. Er is geen voorstel: kies zelf de uitkomst." in page
    assert '<option value="adopt" selected>' in page.split(f'name="uitkomst_{items[0].pk}"')[1].split("</select>")[0]
    tie = page.split(f'name="uitkomst_{items[1].pk}"')[1].split("</select>")[0]
    assert '<option value="" selected>' in tie
    assert "Verwerk uitkomst" in page


def test_a_tie_must_be_decided_by_the_leader(leader_client, meeting):
    items = closed_with_votes(meeting)
    data = {f"uitkomst_{items[0].pk}": "adopt", f"uitkomst_{items[1].pk}": "", f"uitkomst_{items[2].pk}": "amend"}
    response = leader_client.post(reverse("meetings:results", args=[meeting.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kies zelf de uitkomst: de stemmen staan gelijk." in page
    assert f'aria-describedby="id_uitkomst_{items[1].pk}-fout"' in page
    assert '<option value="amend" selected>' in page.split(f'name="uitkomst_{items[2].pk}"')[1]
    assert not Decision.objects.filter(meeting_date__isnull=False).exists()


def test_verwerk_uitkomst_applies_the_leaders_choices_to_the_draft(leader_client, meeting, leader):
    items = closed_with_votes(meeting)
    data = {f"uitkomst_{items[0].pk}": "adopt", f"uitkomst_{items[1].pk}": "amend",
            f"uitkomst_{items[2].pk}": "skip"}
    response = leader_client.post(reverse("meetings:results", args=[meeting.pk]), data, follow=True)
    page = response.content.decode()
    assert "De uitkomst van 2 afspraken staat in het concept." in page
    assert "Verwerkt in het concept: Overnemen." in page
    first, second, third = (Decision.objects.get(pk=i.decision_id) for i in items)
    assert (first.choice, first.votes_support, first.votes_against) == (Decision.Choice.ADOPT, 2, 1)
    assert second.choice == Decision.Choice.AMEND
    assert sorted(second.comments.values_list("text", flat=True)) == [
        "Uit de teamvergadering: Niet nodig.", "Uit de teamvergadering: Noem de tools."]
    assert (third.choice, third.meeting_date) == (Decision.Choice.OPEN, None)


def test_verwerk_uitkomst_on_a_finalised_version_shows_why_not(leader_client, meeting, draft):
    items = closed_with_votes(meeting)
    draft.status = draft.Status.AWAITING_CONSENT
    draft.save()
    data = {f"uitkomst_{i.pk}": "adopt" for i in items}
    page = leader_client.post(reverse("meetings:results", args=[meeting.pk]), data).content.decode()
    assert "Dit beleid is geen concept meer." in page
    assert not Decision.objects.filter(meeting_date__isnull=False).exists()


# --- The card on the draft overview ------------------------------------------------------


def render_card(user, version):
    """The draft overview as this user sees it (the meeting card is part of it)."""
    client = Client()
    client.force_login(user)
    return client.get(reverse("policy:overview", args=[version.pk])).content.decode()


def test_the_draft_card_offers_leaders_a_meeting_and_lists_meetings(draft, leader, teacher, meeting):
    for_leader = render_card(leader, draft)
    assert "Teamvergadering starten" in for_leader
    assert reverse("meetings:new", args=[draft.pk]) in for_leader
    assert reverse("meetings:control", args=[meeting.pk]) in for_leader
    for_teacher = render_card(teacher, draft)
    assert "Teamvergadering starten" not in for_teacher
    assert reverse("meetings:control", args=[meeting.pk]) not in for_teacher
    assert f"stemmen met code {meeting.join_code}" in for_teacher
