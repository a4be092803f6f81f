"""The meeting record: the page, CSV and XLSX (read back with pandas), the PDF (worker path, read with pypdf),
honest about no votes, a tie and an item never opened; for the whole school, never with a voter's name."""

import io

import openpyxl
import pandas
import pymupdf
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from agreements import rendering
from agreements.models import Ballot, Decision, Meeting, Participant, RenderedDocument
from agreements.queries.documents import editions_of
from agreements.services import meetings as services
from agreements.services.policy import start_policy
from tests.document_data import pdf_facts
from tests.factories import BallotFactory, ParticipantFactory
from tests.pdf_checkers import assert_checkers_find_nothing, small_or_faint_text

SUPPORT, AMENDED, AGAINST = Ballot.Choice.SUPPORT, Ballot.Choice.SUPPORT_AMENDED, Ballot.Choice.AGAINST
VOTER_NAMES = ["Anna Stemmer", "Bram Stemmer", "Cees Stemmer", "Dini Stemmer"]

pytestmark = pytest.mark.django_db


def add_ballots(item, choices, comments=()):
    comments = list(comments) + [""] * (len(choices) - len(comments))
    people = Participant.objects.bulk_create(ParticipantFactory.build(meeting=item.meeting, name=VOTER_NAMES[n])
                                             for n, _ in enumerate(choices))
    Ballot.objects.bulk_create(BallotFactory.build(item=item, participant=p, choice=c, comment=t)
                               for p, c, t in zip(people, choices, comments, strict=True))


@pytest.fixture
def meeting(content, school, leader):
    """Four items: 1 a clear majority (applied as adopted), 2 a tie, 3 opened without votes, 4 never opened."""
    draft = start_policy(school=school, by=leader)
    meeting = services.create_meeting(version=draft, decisions=list(draft.decisions.all()[:4]), by=leader,
                                      audience=Meeting.Audience.ANYONE, hide_tally=False)
    first, second, third, _fourth = meeting.items.all()
    for item, choices, comments in [
        (first, [SUPPORT, SUPPORT, SUPPORT, AGAINST], ["=HYPERLINK(\"http://evil.example\")", "Goed plan"]),
        (second, [SUPPORT, AGAINST], []),
        (third, [], []),
    ]:
        services.open_item(meeting=meeting, item=item)
        add_ballots(item, choices, comments)
        services.close_item(meeting=meeting, item=item)
    meeting = services.close_meeting(meeting=meeting)
    services.apply_outcome(meeting=meeting, outcomes={first.pk: Decision.Choice.ADOPT}, by=leader)
    return meeting


def get(client, user, name, meeting):
    client.force_login(user)
    return client.get(reverse(f"meetings:{name}", args=[meeting.pk]))


@pytest.mark.parametrize("who", ["leader", "teacher", "mr_member"])
def test_the_whole_school_sees_the_record_without_names(client, meeting, who, request):
    response = get(client, request.getfixturevalue(who), "record", meeting)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Verslag van de teamvergadering" in page
    assert "Basisschool De Regenboog" in page
    assert "De meeste stemmen: steun." in page
    assert "De stemmen staken: er is geen meerderheid." in page
    assert "Geen stemmen." in page
    assert "Niet in stemming gebracht." in page
    assert "Goed plan" in page
    assert page.count('class="tally-meter"') == 3 * 2  # bars for the two items with votes, as on the projector
    assert not any(name in page for name in VOTER_NAMES)


def test_another_schools_leader_gets_a_404_for_each_download(client, meeting, other_leader):
    client.force_login(other_leader)
    for name in ("record", "record_csv", "record_xlsx"):
        assert client.get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 404
    assert client.post(reverse("meetings:record_pdf", args=[meeting.pk])).status_code == 404
    assert not RenderedDocument.objects.filter(meeting=meeting).exists()


def test_the_csv_has_one_row_per_item_with_counts_and_percentages(client, meeting, teacher):
    response = get(client, teacher, "record_csv", meeting)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="verslag-teamvergadering-')
    table = pandas.read_csv(io.BytesIO(response.content), sep=";", encoding="utf-8-sig", keep_default_na=False)
    assert list(table["Nummer"]) == [1, 2, 3, 4]
    assert list(table["Steun"]) == [3, 1, 0, 0]
    assert list(table["Geen steun"]) == [1, 1, 0, 0]
    assert list(table["Totaal"]) == [4, 2, 0, 0]
    assert list(table["Steun (%)"]) == [75, 50, 0, 0]
    assert list(table["Uitslag"]) == ["De meeste stemmen: steun.", "De stemmen staken: er is geen meerderheid.",
                                      "Geen stemmen.", "Niet in stemming gebracht."]
    assert list(table["Uitkomst in het concept"]) == ["Overnemen", "", "", ""]
    assert list(table["Status"]) == ["Stemming gesloten"] * 3 + ["Nog niet geopend"]
    # A comment that looks like a formula is text in a spreadsheet (a leading apostrophe), never run.
    assert table["Opmerkingen"][0].splitlines() == ["'=HYPERLINK(\"http://evil.example\")", "Goed plan"]
    assert not any(name in response.content.decode("utf-8-sig") for name in VOTER_NAMES)


def test_the_xlsx_opens_with_the_same_table_and_no_formula(client, meeting, mr_member):
    response = get(client, mr_member, "record_xlsx", meeting)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    table = pandas.read_excel(io.BytesIO(response.content), sheet_name="Verslag", keep_default_na=False)
    assert list(table["Steun"]) == [3, 1, 0, 0]
    assert list(table["Geen steun (%)"]) == [25, 50, 0, 0]
    assert table["Afspraak"][0] == meeting.items.get(position=1).text
    assert table["Opmerkingen"][0].splitlines() == ["=HYPERLINK(\"http://evil.example\")", "Goed plan"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content))["Verslag"]
    assert sheet["N2"].data_type == "s"  # stored as text: the spreadsheet never runs it


def test_a_meeting_without_any_vote_says_so(client, content, school, leader):
    draft = start_policy(school=school, by=leader)
    meeting = services.create_meeting(version=draft, decisions=list(draft.decisions.all()[:2]), by=leader,
                                      audience=Meeting.Audience.ANYONE, hide_tally=False)
    page = get(client, leader, "record", meeting).content.decode()
    assert "In deze vergadering is nog niet gestemd." in page
    assert "Het verslag als pdf kan als de vergadering is afgelopen." in page
    client.post(reverse("meetings:record_pdf", args=[meeting.pk]))
    assert not RenderedDocument.objects.filter(meeting=meeting).exists()
    table = pandas.read_csv(io.BytesIO(get(client, leader, "record_csv", meeting).content), sep=";",
                            encoding="utf-8-sig")
    assert list(table["Totaal"]) == [0, 0]


@pytest.mark.usefixtures("media_root")
def test_the_record_pdf_is_tagged_and_tells_what_was_decided(client, meeting, teacher, tmp_path):
    client.force_login(teacher)
    assert client.post(reverse("meetings:record_pdf", args=[meeting.pk])).status_code == 302
    document = RenderedDocument.objects.get(meeting=meeting)
    assert document.edition == RenderedDocument.RECORD
    rendering.render(document.pk)  # the worker's code path, in this process
    document.refresh_from_db()
    assert document.status == "done", document.error
    with default_storage.open(document.file.name, "rb") as f:
        facts = pdf_facts(f.read())
    text = facts["text"]
    assert "Verslag van de teamvergadering" in text
    assert "Basisschool De Regenboog" in text
    assert "De meeste stemmen: steun." in text and "75%" in text
    assert "De stemmen staken: er is geen meerderheid." in text
    assert "Niet in stemming gebracht." in text
    assert "Uitkomst in het concept: Overnemen" in text
    assert "Goed plan" in text
    assert not any(name in text for name in VOTER_NAMES)
    assert facts["marked"] is True and facts["has_struct_tree"] is True
    assert facts["lang"] == "nl"
    path = tmp_path / "verslag.pdf"
    with default_storage.open(document.file.name, "rb") as f:
        path.write_bytes(f.read())
    assert_checkers_find_nothing(path)
    assert small_or_faint_text(pymupdf.open(path)) == []
    page = client.get(reverse("meetings:record", args=[meeting.pk])).content.decode()
    assert reverse("documents:download", args=[document.pk]) in page
    download = client.get(reverse("documents:download", args=[document.pk]))
    assert download.status_code == 200
    assert "Verslag-teamvergadering-basisschool-de-regenboog-" in download["Content-Disposition"]


@pytest.mark.usefixtures("media_root")
def test_applying_an_outcome_later_makes_the_record_again(meeting, leader):
    document = services.request_record(meeting=meeting, by=leader, site_url="https://beleid.example/")
    rendering.render(document.pk)
    document.refresh_from_db()
    assert document.is_done
    second = meeting.items.get(position=2)
    services.apply_outcome(meeting=meeting, outcomes={second.pk: Decision.Choice.REJECT}, by=leader)
    document.refresh_from_db()
    assert document.status == "queued"
    rendering.render(document.pk)
    document.refresh_from_db()
    with default_storage.open(document.file.name, "rb") as f:
        assert "Uitkomst in het concept: Niet overnemen" in pdf_facts(f.read())["text"]


def test_the_policy_documents_page_does_not_list_a_record(client, meeting, leader):
    services.request_record(meeting=meeting, by=leader, site_url="https://beleid.example/")
    assert [e["document"] for e in editions_of(meeting.version)] == [None, None]
