"""A tool's assessment: the AI-tool questions and the EU guiding questions answered ja / deels / nee / weet ik niet
with a note, the leader's verdict with conditions and a re-assessment date, versions, and re-confirming the verdict
after a changed answer."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from agreements.models import Answer, Assessment, ChecklistItem, GuidingQuestion, Tool
from agreements.queries import tools as queries
from agreements.services import tools as services

pytestmark = pytest.mark.usefixtures("content")


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def tool(school, leader):
    return services.add_tool(school=school, by=leader, name="MagicSchool", purpose="Lesideeën")


def keys():
    first_tool_question = ChecklistItem.objects.filter(kind="tool_question").order_by("number").first()
    privacy = GuidingQuestion.objects.get(requirement__number=5, number=6)  # "Voldoet het AI-systeem aan de AVG?"
    return queries.key_of(first_tool_question), queries.key_of(privacy)


def answer_post(tool, **answers):
    data = {"number": tool.assessment.number}
    for key, (value, note) in answers.items():
        data[f"{key}-value"], data[f"{key}-note"] = value, note
    return data


def in_a_year():
    return timezone.localdate() + timedelta(days=365)


def test_the_assessment_asks_the_three_tool_questions_and_the_36_eu_guiding_questions():
    groups = queries.assessment_questions()
    assert [len(g["questions"]) for g in groups] == [3, 6, 5, 6, 5, 6, 4, 4]
    assert groups[0]["questions"][2][1].text == "Worden gegevens veilig behandeld en privacyregels nageleefd?"
    assert groups[5]["title"] == "5. Privacy en datagovernance"


def test_a_teacher_answers_questions_with_a_note_and_the_tool_page_sums_them_up(tool, teacher):
    curriculum, gdpr = keys()
    client = client_for(teacher)
    page = client.get(reverse("tools:assess", args=[tool.pk])).content.decode()
    assert "Past het bij het curriculum/onderwijsdoelen?" in page
    assert "Voldoet het AI-systeem aan de algemene verordening gegevensbescherming?" in page

    response = client.post(reverse("tools:assess", args=[tool.pk]),
                           answer_post(tool, **{curriculum: ("yes", "Past bij taal"), gdpr: ("unknown", "")}),
                           follow=True)
    html = response.content.decode()
    assert "De antwoorden zijn opgeslagen." in html
    assert "2 van de 39 vragen beantwoord (versie 1)." in html
    assert sorted(tool.assessment.answers.values_list("value", "note")) == [("unknown", ""), ("yes", "Past bij taal")]


def test_saving_the_same_answers_again_makes_no_new_version(tool, teacher):
    curriculum, _ = keys()
    services.save_answers(tool=tool, by=teacher, answers={curriculum: ("yes", "")}, number=0)
    assessment = services.save_answers(tool=tool, by=teacher, answers={curriculum: ("yes", "")}, number=1)
    assert assessment.number == 1


def test_clearing_an_answer_removes_it(tool, teacher):
    curriculum, _ = keys()
    services.save_answers(tool=tool, by=teacher, answers={curriculum: ("no", "")}, number=0)
    assessment = services.save_answers(tool=tool, by=teacher, answers={curriculum: ("", "")}, number=1)
    assert (assessment.number, assessment.answers.count()) == (2, 0)


def test_a_note_of_2001_characters_is_refused_and_kept_in_the_form(tool, teacher):
    curriculum, _ = keys()
    too_long = "n" * 2001
    response = client_for(teacher).post(reverse("tools:assess", args=[tool.pk]),
                                        answer_post(tool, **{curriculum: ("partly", too_long)}))
    html = response.content.decode()
    assert "Zorg dat deze waarde niet meer dan 2000 tekens bevat (het zijn er nu 2001)." in html
    assert too_long in html
    assert not Answer.objects.exists()

    client_for(teacher).post(reverse("tools:assess", args=[tool.pk]),
                             answer_post(tool, **{curriculum: ("partly", "n" * 2000)}))
    assert Answer.objects.get().note == "n" * 2000


def test_a_note_without_an_answer_asks_for_the_answer(tool, teacher):
    curriculum, _ = keys()
    response = client_for(teacher).post(reverse("tools:assess", args=[tool.pk]),
                                        answer_post(tool, **{curriculum: ("", "Nog uitzoeken")}))
    html = response.content.decode()
    assert "Kies een antwoord bij je toelichting." in html and "Nog uitzoeken" in html
    assert not Answer.objects.exists()


def test_answers_saved_from_an_older_version_are_a_conflict_not_an_overwrite(tool, leader, teacher):
    curriculum, _ = keys()
    services.save_answers(tool=tool, by=leader, answers={curriculum: ("yes", "")}, number=0)
    response = client_for(teacher).post(reverse("tools:assess", args=[tool.pk]),
                                        {"number": 0, f"{curriculum}-value": "no", f"{curriculum}-note": "Stale"})
    html = response.content.decode()
    assert "Iemand anders heeft deze beoordeling net gewijzigd." in html and "Stale" in html
    assert Answer.objects.get().value == "yes"


def test_the_leader_approves_under_conditions_with_a_reassessment_date(tool, leader):
    date = in_a_year()
    response = client_for(leader).post(reverse("tools:decide", args=[tool.pk]), {
        "verdict": "conditional", "conditions": "Alleen zonder namen van leerlingen.",
        "reassess_on": date.isoformat(), "number": 0,
    }, follow=True)
    assert "Het oordeel over MagicSchool is vastgelegd." in response.content.decode()
    assessment = Assessment.objects.get(tool=tool)
    assert (assessment.verdict, assessment.conditions, assessment.reassess_on, assessment.decided_by) == (
        "conditional", "Alleen zonder namen van leerlingen.", date, leader)
    assert assessment.is_approved and list(Tool.objects.approved()) == [tool]


@pytest.mark.parametrize(("data", "message"), [
    ({"verdict": ""}, "Kies een oordeel."),
    ({"verdict": "conditional", "conditions": ""}, "Schrijf op onder welke voorwaarden de tool is goedgekeurd."),
    ({"verdict": "approved", "reassess_on": ""}, "Kies een datum waarop jullie de tool opnieuw beoordelen."),
    ({"verdict": "approved", "reassess_on": "2020-01-01"}, "Deze datum ligt in het verleden."),
    ({"verdict": "approved", "reassess_on": "31-02-2027"}, "Vul een geldige datum in."),
    ({"verdict": "approved", "conditions": "v" * 2001}, "niet meer dan 2000 tekens"),
])
def test_a_verdict_with_bad_input_is_refused_in_dutch_and_keeps_what_was_typed(tool, leader, data, message):
    post = {"verdict": "approved", "conditions": "Mijn voorwaarden", "reassess_on": in_a_year().isoformat(),
            "number": 0, **data}
    response = client_for(leader).post(reverse("tools:decide", args=[tool.pk]), post)
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert post["conditions"] in html
    assert Assessment.objects.get(tool=tool).verdict == ""


def test_the_service_refuses_a_reassessment_date_in_the_past(tool, leader):
    with pytest.raises(services.ToolError, match="ligt in het verleden"):
        services.decide(tool=tool, by=leader, verdict="approved", conditions="",
                        reassess_on=timezone.localdate() - timedelta(days=1))


def test_only_the_leader_gives_the_verdict(tool, teacher, mr_member):
    for user in (teacher, mr_member):
        client = client_for(user)
        assert client.get(reverse("tools:decide", args=[tool.pk])).status_code == 404
        post = {"verdict": "approved", "reassess_on": in_a_year().isoformat()}
        assert client.post(reverse("tools:decide", args=[tool.pk]), post).status_code == 404
    assert Assessment.objects.get(tool=tool).verdict == ""


def test_a_changed_answer_after_approval_asks_to_reconfirm_the_verdict(tool, leader, teacher):
    curriculum, gdpr = keys()
    services.save_answers(tool=tool, by=teacher, answers={gdpr: ("yes", "")}, number=0)
    services.decide(tool=tool, by=leader, verdict="approved", conditions="", reassess_on=in_a_year())

    response = client_for(teacher).post(reverse("tools:assess", args=[tool.pk]),
                                        answer_post(Tool.objects.get(pk=tool.pk), **{gdpr: ("no", "Data in de VS")}),
                                        follow=True)
    html = response.content.decode()
    assert "de schoolleider moet het oordeel opnieuw bevestigen" in html
    assessment = Assessment.objects.get(tool=tool)
    assert assessment.needs_reconfirm and not assessment.is_approved
    assert list(Tool.objects.approved()) == []

    page = client_for(leader).get(reverse("tools:decide", args=[tool.pk])).content.decode()
    assert "Oordeel bevestigen" in page
    client_for(leader).post(reverse("tools:decide", args=[tool.pk]), {
        "verdict": "approved", "reassess_on": in_a_year().isoformat(), "number": assessment.number})
    assessment.refresh_from_db()
    assert not assessment.needs_reconfirm and assessment.is_approved


def test_every_saved_change_is_a_new_version_in_the_history(tool, leader, teacher):
    curriculum, _ = keys()
    services.save_answers(tool=tool, by=teacher, answers={curriculum: ("yes", "")}, number=0)
    services.decide(tool=tool, by=leader, verdict="rejected", conditions="", reassess_on=None)

    assessment = Assessment.objects.get(tool=tool)
    assert assessment.number == 2
    assert [h.number for h in assessment.history.order_by("history_id")] == [0, 1, 2]
    history = client_for(leader).get(reverse("tools:history", args=[tool.pk])).content.decode()
    assert "Oordeel: Nog geen oordeel &rarr; Niet goedgekeurd" in history
