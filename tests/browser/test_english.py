"""The journey in English: a browser that asks for English gets it, and every page passes axe in English too.

It ends with an English parents' edition made by a real Celery worker: English framing, the library's agreements
in Dutch as the school adopted them, and the verify page in English.
"""

import re

import pytest
from playwright.sync_api import expect

from agreements.models import Meeting, PolicyVersion, RenderedDocument, Role, User
from tests.browser.conftest import PageRecorder, assert_page_ok, wait_and_download
from tests.document_data import pdf_facts, squash
from tests.factories import PASSWORD, MembershipFactory

# A real worker renders the PDF: in the worker group, like the Dutch sign-off (tests/browser/test_signoff.py).
pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.xdist_group("worker")]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def english_page(new_page):
    """Factory: a fresh browser context whose browser asks for English (Accept-Language: en-GB)."""

    def make(viewport=None):
        return new_page(viewport, locale="en-GB")

    return make


def test_the_journey_in_english(english_page, new_page, login, live_server, transactional_db, content, media_root,
                                celery_worker_process, tmp_path):
    celery_worker_process()  # starts now, so it is ready by the time the PDF is asked for
    page = english_page()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Making agreements on generative AI together")
    expect(page.get_by_role("button", name="Nederlands")).to_be_visible()
    assert_page_ok(page)

    # Register and create a school.
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Create account").click()
    page.get_by_label("Your name").fill("Lotte Leader")
    page.get_by_label("E-mail address").fill("lotte@linde.example")
    page.get_by_label("Password*", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    assert_page_ok(page)
    page.locator("main").get_by_role("button", name="Create account").click()
    expect(page.get_by_role("status").first).to_contain_text("Welcome, Lotte.")
    assert User.objects.get(email="lotte@linde.example").language == "en"
    assert_page_ok(page)
    page.get_by_role("link", name="Create a new school").click()
    page.get_by_label("Name of the school").fill("International School De Linde")
    page.get_by_label("Sector").select_option("vo")
    page.get_by_label("Town").fill("Ede")
    assert_page_ok(page)
    page.get_by_role("button", name="Create school").click()
    expect(page.locator("main")).to_contain_text("Your role: School leader")
    assert_page_ok(page)

    # A wizard step: the library's texts stay Dutch (lang="nl"), the interface is English.
    page.get_by_role("link", name="Go to the policy").click()
    page.get_by_role("button", name="Draft the policy").click()
    page.get_by_role("link", name="Start with theme 1").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zet de mens centraal")
    expect(page.locator(".source-language-note")).to_contain_text("The source texts")
    draft = PolicyVersion.objects.get()
    first = draft.decisions.order_by("example__number").first()
    page.locator(f"#afspraak-{first.pk}").get_by_label("Adopt", exact=True).check()
    expect(page.locator(f"#status-afspraak-{first.pk}")).to_have_text("Saved.")
    assert_page_ok(page)

    # A team meeting: the leader sets it up, a phone in Dutch switches to English on the join page.
    page.goto(f"/versies/{draft.pk}/vergaderingen/nieuw/")
    assert_page_ok(page)
    page.get_by_role("button", name="Set up the meeting").click()
    expect(page.get_by_role("heading", name="On the screen now")).to_be_visible()
    page.get_by_role("button", name="Open voting", exact=True).click()
    expect(page.get_by_text("Voting on agreement 1 is open.")).to_be_visible()
    assert_page_ok(page)
    meeting = Meeting.objects.get()

    phone = new_page(viewport=PHONE)  # a Dutch phone
    phone.goto(f"/stem/{meeting.join_code}/")
    expect(phone.get_by_role("heading", name="Doe mee met de teamvergadering")).to_be_visible()
    phone.get_by_role("button", name="English", exact=True).click()
    expect(phone.get_by_role("heading", name="Join the team meeting")).to_be_visible()
    expect(phone.locator("html")).to_have_attribute("lang", "en")
    assert_page_ok(phone)
    phone.get_by_label("Your name (optional)").fill("Sam")
    phone.get_by_role("button", name="Join", exact=True).click()
    phone.get_by_role("button", name="Support", exact=True).click()
    expect(phone.locator(".your-vote")).to_contain_text("Your vote: Support")
    assert_page_ok(phone)

    # The projector.
    projector = page.context.new_page()
    projector.recorder = PageRecorder(projector, live_server.url)
    projector.goto(f"/vergaderingen/{meeting.pk}/scherm/")
    expect(projector.locator(".join-code")).to_have_text(meeting.join_code)
    expect(projector.locator("html")).to_have_attribute("lang", "en")
    assert_page_ok(projector)

    # Sign-off: finalise and sign; the documents page.
    page.goto(f"/versies/{draft.pk}/afronden/")
    page.get_by_label("Contact for parents").fill("Lotte Leader: lotte@linde.example")
    page.get_by_role("button", name="Finalise the policy").click()
    expect(page.get_by_text("Tick this box if you want to finalise anyway.")).to_be_visible()
    assert_page_ok(page)
    page.get_by_label(re.compile("finalise the policy anyway")).check()
    page.get_by_role("button", name="Finalise the policy").click()
    expect(page.get_by_text("The policy has been finalised.")).to_be_visible()
    page.get_by_label("Job title").fill("Head")
    page.get_by_role("button", name="Sign", exact=True).click()
    expect(page.get_by_text("Signed by Lotte Leader, Head, on")).to_be_visible()
    assert_page_ok(page)

    # The MR member, who reads English, records the council's consent.
    mr_member = MembershipFactory(school=draft.policy.school, role=Role.MR, user__name="Max Council",
                                  user__email="max@linde.example", user__language="en").user
    mr_page = login(english_page(), mr_member)
    mr_page.goto(f"/versies/{draft.pk}/ondertekenen/")
    expect(mr_page.get_by_role("heading", level=1)).to_have_text("Signature and consent")
    mr_page.get_by_label("Name of the MR chair").fill("Max Council")
    mr_page.get_by_role("button", name="Record consent").click()
    expect(mr_page.get_by_text("The policy has been adopted. You can now make the PDF.")).to_be_visible()
    assert_page_ok(mr_page)

    # The leader has the parents' edition made in English; a real worker renders it while the page shows progress.
    page.goto(f"/versies/{draft.pk}/documenten/")
    assert_page_ok(page)
    parents = page.get_by_role("region", name="Parents' edition")
    parents.get_by_role("button", name="Also in English: fixed texts translated, agreements as written").click()
    expect(parents.get_by_role("heading", name="In English")).to_be_visible()
    path = wait_and_download(page, parents.get_by_text(re.compile(r"Step [12] of 3")),
                             parents.get_by_role("link", name="Download the PDF (parents' edition, English)"), tmp_path)
    expect(parents.get_by_text("The PDF is ready.")).to_be_visible()
    assert path.name == "AI-beleid-international-school-de-linde-v1-ouders-en.pdf"
    assert path.read_bytes().startswith(b"%PDF-")
    document = RenderedDocument.objects.get()
    assert (document.status, document.edition, document.language) == ("done", "ouders", "en")

    # English framing; the agreement from the library stays in Dutch, as the school adopted it.
    facts = pdf_facts(path.read_bytes())
    text = facts["text"]
    assert facts["lang"] == "en"
    assert "AI policy" in text
    assert "What is this about?" in text
    assert "Any questions?" in text
    assert "Is this document genuine? Check it at" in text
    assert "Waar gaat dit over?" not in text
    first.refresh_from_db()
    assert first.current_text == first.example.text
    assert squash(first.current_text) in text

    # The verify page, in English, recognises the file.
    parents.get_by_role("link", name="verification page").click()
    expect(page.get_by_role("heading", name="Verifying the AI policy")).to_be_visible()
    page.get_by_label("PDF file").set_input_files(str(path))
    page.get_by_role("button", name="Check the PDF").click()
    expect(page.get_by_text(f"Yes, this matches. Your file is exactly the PDF with code {document.verification_code}."
                            )).to_be_visible()
    assert_page_ok(page)
