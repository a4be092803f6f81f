"""A whole team meeting in real browsers: the leader, the projector and three phones, then its record."""

import io

import pandas
import pytest
from playwright.sync_api import expect

from agreements.models import Ballot, Decision, Meeting, RenderedDocument
from agreements.services.policy import start_policy
from tests.browser.conftest import assert_page_ok

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def join_by_code(phone, code, name):
    phone.goto("/stem/")
    phone.get_by_label("Code").fill(code.lower())
    phone.get_by_role("button", name="Verder").click()
    expect(phone.get_by_role("heading", name="Doe mee met de teamvergadering")).to_be_visible()
    assert_page_ok(phone)
    phone.get_by_label("Je naam (mag leeg blijven)").fill(name)
    phone.get_by_role("button", name="Doe mee").click()
    expect(phone.get_by_role("button", name="Steun", exact=True)).to_be_visible()


def vote(phone, choice, comment=None):
    if comment is not None:
        phone.get_by_label("Opmerking (mag leeg blijven)").fill(comment)
    phone.get_by_role("button", name=choice, exact=True).click()
    expect(phone.locator(".your-vote")).to_contain_text(f"Je stem: {choice}")


def tally_row(projector, choice):
    return projector.locator(f".tally-{choice} .tally-count")


@pytest.mark.worker
@pytest.mark.xdist_group("worker")
@pytest.mark.usefixtures("media_root")
def test_a_team_meeting_from_phones_to_the_draft_and_its_record(transactional_db, content, school, leader, new_page,
                                                                 login, celery_worker_process, tmp_path):
    celery_worker_process()
    draft = start_policy(school=school, by=leader)
    first, second = list(draft.decisions.all()[:2])

    # The leader sets the meeting up from the draft.
    control = login(new_page(), leader)
    control.goto(f"/versies/{draft.pk}/vergaderingen/nieuw/")
    assert_page_ok(control)
    control.get_by_role("button", name="Vergadering klaarzetten").click()
    expect(control.get_by_role("heading", name="Nu op het scherm")).to_be_visible()
    meeting = Meeting.objects.get()
    control.get_by_role("button", name="Stemming openen").click()
    expect(control.get_by_text("De stemming over afspraak 1 is open.")).to_be_visible()
    assert_page_ok(control)

    # The projector, in its own window.
    projector = login(new_page(viewport={"width": 1280, "height": 800}), leader)
    projector.goto(f"/vergaderingen/{meeting.pk}/scherm/")
    expect(projector.locator(".join-code")).to_have_text(meeting.join_code)
    expect(projector.locator(".tally-agreement")).to_have_text(first.example.text)
    assert projector.locator("img.join-qr").evaluate("img => img.complete && img.naturalWidth > 0")
    assert_page_ok(projector)

    # Three phones join by code and vote.
    phones = []
    for name, choice in [("Anne", "Steun"), ("Bram", "Steun"), ("Chris", "Geen steun")]:
        phone = new_page(viewport=PHONE)
        join_by_code(phone, meeting.join_code, name)
        vote(phone, choice)
        phones.append(phone)
    assert_page_ok(phones[0])

    # The projector shows them within a few seconds, without a reload.
    expect(projector.locator(".tally-turnout")).to_have_text("3 doen mee · 3 hebben gestemd", timeout=6000)
    expect(tally_row(projector, "support")).to_have_text("2 67%")
    expect(tally_row(projector, "against")).to_have_text("1 33%")
    expect(projector.locator("#stand-status")).to_contain_text("3 van 3 deelnemers hebben gestemd.")

    # Paused, the projector keeps what it shows; resumed, it catches up.
    projector.get_by_role("button", name="Live-updates pauzeren").click()
    expect(projector.get_by_text("De live-updates staan op pauze.")).to_be_visible()
    vote(phones[2], "Steun met aanpassing", comment="Zeg erbij welke tools goedgekeurd zijn.")
    projector.wait_for_timeout(3000)
    expect(tally_row(projector, "against")).to_have_text("1 33%")
    projector.get_by_role("button", name="Live-updates hervatten").click()

    # The changed vote is counted once.
    expect(tally_row(projector, "amended")).to_have_text("1 33%", timeout=6000)
    expect(tally_row(projector, "against")).to_have_text("0 0%")
    expect(projector.locator(".tally-turnout")).to_have_text("3 doen mee · 3 hebben gestemd")
    assert Ballot.objects.filter(item__decision=first).count() == 3
    assert_page_ok(projector)

    # The leader closes the item and moves on; the phones follow by themselves.
    control.reload()
    control.get_by_role("button", name="Stemming sluiten").click()
    control.get_by_role("button", name="Volgende afspraak →").click()
    for phone in phones:
        expect(phone.locator(".phone-agreement")).to_have_text(second.example.text, timeout=6000)
        expect(phone.get_by_text("De stemming is nog niet open.")).to_be_visible()
    assert_page_ok(phones[1])

    # The outcome goes into the draft.
    control.goto(f"/vergaderingen/{meeting.pk}/uitslag/")
    expect(control.get_by_text("Zeg erbij welke tools goedgekeurd zijn.")).to_be_visible()
    expect(control.get_by_label("Uitkomst")).to_have_value("adopt")
    assert_page_ok(control)
    control.get_by_role("button", name="Verwerk uitkomst").click()
    expect(control.get_by_text("Verwerkt in het concept: Overnemen.")).to_be_visible()
    first.refresh_from_db()
    assert (first.choice, first.votes_support, first.votes_support_amended, first.votes_against) == (
        Decision.Choice.ADOPT, 2, 1, 0)
    assert first.meeting_date is not None
    assert first.revision == 2
    second.refresh_from_db()
    assert (second.choice, second.meeting_date) == (Decision.Choice.OPEN, None)

    # The leader closes the meeting; the record has the bars, the downloads and, from the worker, the PDF.
    control.goto(f"/vergaderingen/{meeting.pk}/")
    control.get_by_role("button", name="Vergadering afsluiten").click()
    control.get_by_role("link", name="Verslag: pdf en spreadsheet").click()
    expect(control.get_by_role("heading", name="Verslag van de teamvergadering", exact=False)).to_be_visible()
    expect(control.locator("#punt-1 .record-verdict")).to_have_text("De meeste stemmen: steun.")
    expect(control.locator("#punt-2 .record-verdict")).to_have_text("Niet in stemming gebracht.")
    expect(control.locator("#punt-1 .tally-support .tally-count")).to_have_text("2 67%")
    assert "Anne" not in control.content() and "Chris" not in control.content()
    assert_page_ok(control)
    with control.expect_download() as info:
        control.get_by_role("link", name="Spreadsheet (.xlsx)").click()
    table = pandas.read_excel(io.BytesIO(open(info.value.path(), "rb").read()), keep_default_na=False)
    assert list(table["Steun"])[:2] == [2, 0] and list(table["Uitkomst in het concept"])[:2] == ["Overnemen", ""]
    control.get_by_role("button", name="Maak het verslag als pdf").click()
    download_link = control.get_by_role("link", name="Download de pdf")
    expect(download_link).to_be_visible(timeout=60_000)
    assert_page_ok(control)
    with control.expect_download() as info:
        download_link.click()
    assert info.value.suggested_filename.startswith("Verslag-teamvergadering-basisschool-de-regenboog-")
    assert open(info.value.path(), "rb").read().startswith(b"%PDF-")
    assert RenderedDocument.objects.get(meeting=meeting).status == "done"
