"""Sign-off: finalise (draft -> ter instemming), sign and MR consent (-> vastgesteld), read-only afterwards,
the preview, generating and downloading the PDF, sharing the parents' edition, the next draft."""

import datetime
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from agreements import rendering
from agreements.models import Action, Decision, PolicyVersion, RenderedDocument, Signature
from agreements.services import documents
from agreements.services.policy import PolicyError, start_policy
from tests.document_data import adopt, adopted_version, filled_draft
from tests.factories import DecisionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content", "media_root")]

SITE = "http://testserver/"


def text_of(response):
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&#x27;", "'").replace("&quot;", '"')


@pytest.fixture
def draft(school, leader):
    return filled_draft(school=school, by=leader)


@pytest.fixture
def consent_version(draft, leader):
    return documents.finalise(version=draft, by=leader, review_date=documents.default_review_date(),
                              parent_contact="De directeur")


@pytest.fixture
def adopted(school, leader, mr_member):
    return adopted_version(school=school, leader=leader, mr_member=mr_member)


def finalise_url(version):
    return reverse("documents:finalise", args=[version.pk])


def sign_url(version):
    return reverse("documents:sign", args=[version.pk])


def documents_url(version):
    return reverse("documents:documents", args=[version.pk])


def open_one(version):
    decision = version.decisions.examples().first()
    decision.choice = Decision.Choice.OPEN
    decision.save()
    return decision


# --- Finalise -------------------------------------------------------------------------------------


def test_finalise_page_lists_the_open_agreements_and_proposes_a_review_date_in_a_year(client, leader, draft):
    decision = open_one(draft)
    client.force_login(leader)
    response = client.get(finalise_url(draft))
    assert response.status_code == 200
    text = text_of(response)
    assert "Nog open: 1 afspraak" in text
    assert decision.example.text in text
    assert f'value="{documents.default_review_date().isoformat()}"' in response.content.decode()
    assert "Ik wil het beleid toch afronden" in text


def test_finalising_with_open_items_needs_the_confirmation_and_keeps_what_was_typed(client, leader, draft):
    open_one(draft)
    client.force_login(leader)
    data = {"review_date": "2031-06-30", "parent_contact": "Juf Anna, anna@regenboog.example"}
    response = client.post(finalise_url(draft), data)
    assert response.status_code == 200
    assert "Vink dit aan als je toch wilt afronden." in text_of(response)
    assert 'value="2031-06-30"' in response.content.decode()
    assert "Juf Anna, anna@regenboog.example" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == PolicyVersion.Status.DRAFT
    assert draft.review_date is None


def test_finalising_with_open_items_and_the_confirmation_makes_the_version_await_consent(client, leader, draft):
    open_one(draft)
    client.force_login(leader)
    data = {"review_date": "2031-06-30", "parent_contact": "Juf Anna", "confirm_open": "on"}
    response = client.post(finalise_url(draft), data)
    assert response.status_code == 302
    assert response.url == sign_url(draft)
    draft.refresh_from_db()
    assert draft.status == PolicyVersion.Status.AWAITING_CONSENT
    assert draft.review_date == datetime.date(2031, 6, 30)
    assert draft.parent_contact == "Juf Anna"
    assert draft.finalised_by == leader
    assert draft.finalised_at is not None


def test_the_finalise_service_refuses_open_items_without_confirmation(leader, draft):
    open_one(draft)
    with pytest.raises(PolicyError, match="nog 1 afspraak open"):
        documents.finalise(version=draft, by=leader, review_date=datetime.date(2031, 1, 1), parent_contact="x")
    draft.refresh_from_db()
    assert draft.is_draft


def test_finalise_refuses_a_review_date_that_is_not_in_the_future(client, leader, draft):
    client.force_login(leader)
    response = client.post(finalise_url(draft), {"review_date": timezone.localdate().isoformat(),
                                                  "parent_contact": "Juf Anna"})
    assert response.status_code == 200
    assert "Kies een datum in de toekomst." in text_of(response)
    draft.refresh_from_db()
    assert draft.is_draft


def test_only_the_schools_leader_can_finalise(client, teacher, mr_member, other_leader, draft):
    for user in (teacher, mr_member, other_leader):
        client.force_login(user)
        assert client.get(finalise_url(draft)).status_code == 404
        assert client.post(finalise_url(draft), {"review_date": "2031-01-01", "parent_contact": "x"}).status_code == 404
    draft.refresh_from_db()
    assert draft.is_draft


def test_a_finalised_version_cannot_be_finalised_again_or_changed(client, leader, consent_version):
    client.force_login(leader)
    before = (consent_version.review_date, consent_version.parent_contact, consent_version.finalised_at)
    data = {"review_date": "2035-01-01", "parent_contact": "Iemand anders", "confirm_open": "on"}
    response = client.post(finalise_url(consent_version), data, follow=True)
    assert "Dit beleid is al afgerond. Er is niets veranderd." in text_of(response)
    with pytest.raises(PolicyError, match="al afgerond"):
        documents.finalise(version=consent_version, by=leader, review_date=datetime.date(2035, 1, 1),
                           parent_contact="Iemand anders")
    consent_version.refresh_from_db()
    assert (consent_version.review_date, consent_version.parent_contact, consent_version.finalised_at) == before


def test_an_adopted_version_refuses_finalising_and_signing(client, leader, mr_member, adopted):
    client.force_login(leader)
    response = client.post(finalise_url(adopted), {"review_date": "2035-01-01", "parent_contact": "x"}, follow=True)
    assert "Dit beleid is al afgerond. Er is niets veranderd." in text_of(response)
    with pytest.raises(PolicyError, match="al vastgesteld"):
        documents.record_consent(version=adopted, by=mr_member, chair_name="X", consented_on=timezone.localdate())
    assert adopted.signatures.count() == 2


# --- Sign and consent -----------------------------------------------------------------------------


def sign_data(**overrides):
    data = {"kind": "leader", "leider-name": "Lotte Leider", "leider-role": "Directeur",
            "leider-signed_on": timezone.localdate().isoformat()}
    return {**data, **overrides}


def consent_data(**overrides):
    data = {"kind": "mr_consent", "mr-chair_name": "Mira MR", "mr-consented_on": timezone.localdate().isoformat()}
    return {**data, **overrides}


@pytest.mark.parametrize("order", ["leader first", "mr first"])
def test_signature_and_consent_in_either_order_adopt_the_version(client, leader, mr_member, consent_version, order):
    steps = [(leader, sign_data()), (mr_member, consent_data())]
    if order == "mr first":
        steps.reverse()
    (first_user, first), (second_user, second) = steps
    client.force_login(first_user)
    response = client.post(sign_url(consent_version), first)
    assert response.status_code == 302
    consent_version.refresh_from_db()
    assert consent_version.status == PolicyVersion.Status.AWAITING_CONSENT
    client.force_login(second_user)
    response = client.post(sign_url(consent_version), second)
    assert response.url == documents_url(consent_version)
    consent_version.refresh_from_db()
    assert consent_version.status == PolicyVersion.Status.ADOPTED
    assert consent_version.adopted_at is not None
    leader_signature = consent_version.signatures.get(kind=Signature.Kind.LEADER)
    assert (leader_signature.name, leader_signature.role, leader_signature.recorded_by) == ("Lotte Leider", "Directeur",
                                                                                           leader)
    consent = consent_version.signatures.get(kind=Signature.Kind.MR_CONSENT)
    assert (consent.name, consent.role, consent.recorded_by) == ("Mira MR", "Voorzitter MR", mr_member)


def test_the_leader_may_also_record_the_mr_consent(client, leader, consent_version):
    client.force_login(leader)
    client.post(sign_url(consent_version), consent_data(**{"mr-chair_name": "Kees Voorzitter"}))
    assert consent_version.signatures.get(kind=Signature.Kind.MR_CONSENT).name == "Kees Voorzitter"


def test_the_sign_page_shows_both_signatures(client, teacher, adopted):
    client.force_login(teacher)
    text = text_of(client.get(sign_url(adopted)))
    today = timezone.localdate()
    assert "Ondertekend door Lotte Leider, Directeur, op" in text
    assert "De MR heeft ingestemd op" in text
    assert "Voorzitter MR: Mira MR" in text
    assert f"Het beleid is vastgesteld op {today.day}" in text


def test_signing_a_draft_is_refused(client, leader, draft):
    client.force_login(leader)
    response = client.post(sign_url(draft), sign_data(), follow=True)
    assert "Rond het beleid eerst af." in text_of(response)
    assert not draft.signatures.exists()
    with pytest.raises(PolicyError, match="Rond het beleid eerst af"):
        documents.sign(version=draft, by=leader, name="L", role="D", signed_on=timezone.localdate())


def test_a_second_signature_on_an_adopted_version_is_refused(client, leader, adopted):
    client.force_login(leader)
    response = client.post(sign_url(adopted), sign_data(**{"leider-name": "Iemand Anders"}), follow=True)
    message = "Dit beleid is al vastgesteld. Er kan geen handtekening meer bij. Er is niets veranderd."
    assert message in text_of(response)
    assert list(adopted.signatures.values_list("name", flat=True)) == ["Lotte Leider", "Mira MR"]


def test_the_leader_cannot_sign_twice(client, leader, consent_version):
    client.force_login(leader)
    client.post(sign_url(consent_version), sign_data())
    response = client.post(sign_url(consent_version), sign_data(**{"leider-name": "Nog een keer"}), follow=True)
    assert "De schoolleider heeft dit beleid al ondertekend." in text_of(response)
    assert list(consent_version.signatures.values_list("name", flat=True)) == ["Lotte Leider"]


def test_a_teacher_can_neither_sign_nor_record_consent(client, teacher, consent_version):
    client.force_login(teacher)
    assert client.post(sign_url(consent_version), sign_data()).status_code == 404
    assert client.post(sign_url(consent_version), consent_data()).status_code == 404
    text = text_of(client.get(sign_url(consent_version)))
    assert "Nog niet ondertekend. De schoolleider doet dit." in text
    assert not consent_version.signatures.exists()


def test_an_mr_member_records_consent_but_cannot_sign(client, mr_member, consent_version):
    client.force_login(mr_member)
    assert client.post(sign_url(consent_version), sign_data()).status_code == 404
    assert client.post(sign_url(consent_version), consent_data()).status_code == 302
    assert list(consent_version.signatures.values_list("kind", flat=True)) == [Signature.Kind.MR_CONSENT]


def test_a_signature_date_in_the_future_is_refused_with_what_was_typed_kept(client, leader, consent_version):
    client.force_login(leader)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(sign_url(consent_version), sign_data(**{"leider-signed_on": tomorrow,
                                                                  "leider-name": "Lotte L."}))
    assert response.status_code == 200
    assert "Deze datum ligt in de toekomst." in text_of(response)
    assert 'value="Lotte L."' in response.content.decode()
    assert not consent_version.signatures.exists()


def test_another_schools_leader_sees_nothing(client, other_leader, adopted):
    client.force_login(other_leader)
    for url in (sign_url(adopted), documents_url(adopted), reverse("documents:preview", args=[adopted.pk])):
        assert client.get(url).status_code == 404


def test_signed_out_visitors_are_sent_to_log_in(client, adopted):
    response = client.get(documents_url(adopted))
    assert response.status_code == 302
    assert response.url == f"/account/inloggen/?next={documents_url(adopted)}"


# --- Preview --------------------------------------------------------------------------------------


def test_the_team_preview_shows_every_adopted_agreement_with_its_actions_and_meeting_result(client, teacher, draft):
    client.force_login(teacher)
    text = text_of(client.get(reverse("documents:preview", args=[draft.pk])))
    adopted = list(draft.decisions.adopted())
    assert len(adopted) == 22  # filled_draft: 15 example agreements adopted or amended, 7 own ones
    for decision in adopted:
        assert decision.current_text in text
    assert "Lesbrief maken bij 1.1 (1)" in text
    assert "12 steun, 3 steun met aanpassing, 1 geen steun" in text
    assert "Concept: nog niet vastgesteld" in text
    rejected = draft.decisions.filter(choice=Decision.Choice.REJECT).first()
    assert f"Reden: {rejected.reason}" in text


def test_the_parents_preview_has_the_agreements_but_no_actions_or_votes(client, teacher, draft):
    client.force_login(teacher)
    text = text_of(client.get(reverse("documents:preview", args=[draft.pk]) + "?editie=ouders"))
    adopted = list(draft.decisions.adopted())
    assert len(adopted) == 22  # filled_draft: 15 example agreements adopted or amended, 7 own ones
    for decision in adopted:
        assert decision.current_text in text
    assert "Waar gaat dit over?" in text
    assert "Lesbrief maken" not in text
    assert "steun" not in text
    assert "Niet overgenomen" not in text


def test_texts_typed_by_the_school_are_escaped_in_the_preview(client, leader, draft):
    DecisionFactory(version=draft, position=9, text="<script>alert(1)</script> geen HTML")  # theme 1
    client.force_login(leader)
    html = client.get(reverse("documents:preview", args=[draft.pk])).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; geen HTML" in html
    assert "<script>alert(1)" not in html


@pytest.mark.parametrize("own_per_theme", [1, 10])
def test_the_preview_stays_within_its_query_budget(client, leader, school, own_per_theme,
                                                   django_assert_max_num_queries):
    version = filled_draft(school=school, by=leader, own_per_theme=own_per_theme)
    client.force_login(leader)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("documents:preview", args=[version.pk]))
    assert response.status_code == 200


# --- Generate, status, download -------------------------------------------------------------------


def test_asking_twice_for_a_pdf_queues_one_row_and_one_task(client, teacher, adopted,
                                                           django_capture_on_commit_callbacks):
    client.force_login(teacher)
    with django_capture_on_commit_callbacks() as first:
        client.post(documents_url(adopted), {"edition": "team"})
    with django_capture_on_commit_callbacks() as second:
        client.post(documents_url(adopted), {"edition": "team"})
    document = RenderedDocument.objects.get()
    assert (document.version, document.edition, document.status) == (adopted, "team", "queued")
    assert document.created_by == teacher
    assert document.site_url == SITE
    assert (len(first), len(second)) == (1, 0)


def test_a_pdf_of_a_version_that_is_not_adopted_is_refused(client, leader, consent_version):
    client.force_login(leader)
    response = client.post(documents_url(consent_version), {"edition": "team"}, follow=True)
    assert "Een pdf kan pas worden gemaakt als het beleid is vastgesteld." in text_of(response)
    assert not RenderedDocument.objects.exists()


def test_an_unknown_edition_is_refused(client, leader, adopted):
    client.force_login(leader)
    response = client.post(documents_url(adopted), {"edition": "pers"}, follow=True)
    assert "Kies de teameditie of de editie voor ouders." in text_of(response)
    assert not RenderedDocument.objects.exists()


def request(version, edition, user):
    return documents.request_render(version=version, edition=edition, by=user, site_url=SITE)


def test_a_queued_document_polls_its_status_and_the_status_answers_204_until_it_changes(client, teacher, adopted):
    document = request(adopted, "team", teacher)
    client.force_login(teacher)
    page = client.get(documents_url(adopted)).content.decode()
    status_url = reverse("documents:status", args=[document.pk])
    assert f'data-hx-get="{status_url}?seen=queued"' in page
    assert 'data-hx-trigger="every 2s"' in page
    assert "Stap 1 van 3: de pdf staat in de wachtrij." in page
    assert client.get(status_url + "?seen=queued").status_code == 204
    RenderedDocument.objects.filter(pk=document.pk).update(status="rendering", started_at=timezone.now())
    response = client.get(status_url + "?seen=queued")
    assert response.status_code == 200
    assert "Stap 2 van 3: de pdf wordt gemaakt." in text_of(response)
    assert "no-store" in response["Cache-Control"]


def test_a_done_document_shows_the_download_and_stops_polling(client, teacher, adopted):
    document = request(adopted, "team", teacher)
    rendering.render(document.pk)
    client.force_login(teacher)
    response = client.get(reverse("documents:status", args=[document.pk]) + "?seen=rendering")
    html = response.content.decode()
    assert "hx-trigger" not in html
    assert reverse("documents:download", args=[document.pk]) in html
    document.refresh_from_db()
    assert document.verification_code in html
    assert document.sha256 in html


def test_the_download_is_for_members_only_uncached_and_well_named(client, teacher, mr_member, other_leader, adopted):
    document = request(adopted, "team", teacher)
    rendering.render(document.pk)
    document.refresh_from_db()
    url = reverse("documents:download", args=[document.pk])
    client.force_login(mr_member)
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="AI-beleid-basisschool-de-regenboog-v1-team.pdf"'
    assert "no-store" in response["Cache-Control"]
    client.force_login(other_leader)
    assert client.get(url).status_code == 404
    assert client.get(reverse("documents:status", args=[document.pk])).status_code == 404


def test_a_download_of_a_document_that_is_not_done_is_404(client, teacher, adopted):
    document = request(adopted, "team", teacher)
    client.force_login(teacher)
    assert client.get(reverse("documents:download", args=[document.pk])).status_code == 404


@pytest.mark.parametrize("documents_count", [1, 2])
def test_the_documents_page_stays_within_its_query_budget(client, leader, adopted, documents_count,
                                                          django_assert_max_num_queries):
    for edition in ["team", "ouders"][:documents_count]:
        rendering.render(request(adopted, edition, leader).pk)
    client.force_login(leader)
    with django_assert_max_num_queries(10):
        response = client.get(documents_url(adopted))
    assert response.content.decode().count("Download de pdf") == documents_count


# --- Sharing the parents' edition -----------------------------------------------------------------


def test_the_leader_shares_the_parents_edition_by_a_public_link_and_switches_it_off(client, leader, adopted):
    document = request(adopted, "ouders", leader)
    rendering.render(document.pk)
    client.force_login(leader)
    client.post(reverse("documents:share", args=[document.pk]), {"enabled": "1"})
    document.refresh_from_db()
    link = reverse("documents:parents", args=[document.share_token])
    assert len(document.share_token) >= 32
    assert link in client.get(documents_url(adopted)).content.decode()
    client.logout()
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert 'filename="AI-beleid-basisschool-de-regenboog-v1-ouders.pdf"' in response["Content-Disposition"]
    client.force_login(leader)
    client.post(reverse("documents:share", args=[document.pk]), {"enabled": "0"})
    client.logout()
    assert client.get(link).status_code == 404


def test_only_the_leader_switches_sharing_and_only_for_the_parents_edition(client, teacher, leader, adopted):
    parents = request(adopted, "ouders", leader)
    team = request(adopted, "team", leader)
    rendering.render(parents.pk)
    rendering.render(team.pk)
    client.force_login(teacher)
    assert client.post(reverse("documents:share", args=[parents.pk]), {"enabled": "1"}).status_code == 404
    client.force_login(leader)
    response = client.post(reverse("documents:share", args=[team.pk]), {"enabled": "1"}, follow=True)
    assert "Alleen de editie voor ouders kan met een openbare link worden gedeeld." in text_of(response)
    assert not RenderedDocument.objects.filter(share_token__isnull=False).exists()


def test_the_team_edition_has_no_public_link(client, leader, adopted):
    team = request(adopted, "team", leader)
    rendering.render(team.pk)
    assert client.get(reverse("documents:parents", args=[team.verification_code])).status_code == 404


# --- The next draft -------------------------------------------------------------------------------


def test_a_new_draft_starts_from_an_adopted_version_with_its_decisions_actions_and_notes(client, leader, adopted):
    client.force_login(leader)
    response = client.post(reverse("documents:new_draft", args=[adopted.pk]))
    draft = PolicyVersion.objects.get(status=PolicyVersion.Status.DRAFT)
    assert response.url == reverse("policy:overview", args=[draft.pk])
    assert (draft.number, draft.based_on, draft.created_by) == (2, adopted, leader)

    def decisions(version):
        return sorted((d.theme_id, d.example_id or 0, d.choice, d.text, d.reason, d.position)
                      for d in version.decisions.all())

    assert decisions(draft) == decisions(adopted)
    assert Action.objects.filter(decision__version=draft).count() == Action.objects.filter(
        decision__version=adopted).count()
    assert sorted(draft.theme_states.values_list("theme_id", "note")) == sorted(
        adopted.theme_states.values_list("theme_id", "note"))
    adopted.refresh_from_db()
    assert adopted.status == PolicyVersion.Status.ADOPTED


def test_a_new_draft_is_refused_while_another_draft_exists_or_from_a_version_not_adopted(client, leader, adopted,
                                                                                         consent_version):
    client.force_login(leader)
    response = client.post(reverse("documents:new_draft", args=[consent_version.pk]), follow=True)
    assert "Een nieuw concept kan alleen beginnen bij een vastgesteld beleid." in text_of(response)
    assert PolicyVersion.objects.count() == 2


def test_a_second_new_draft_is_refused(client, leader, adopted):
    documents.start_new_draft_from(version=adopted, by=leader)
    client.force_login(leader)
    response = client.post(reverse("documents:new_draft", args=[adopted.pk]), follow=True)
    assert "Er is al een concept. Werk daarin verder. Er is niets veranderd." in text_of(response)
    assert PolicyVersion.objects.count() == 2


def test_only_the_leader_starts_a_new_draft(client, teacher, adopted):
    client.force_login(teacher)
    assert client.post(reverse("documents:new_draft", args=[adopted.pk])).status_code == 404
    assert reverse("documents:new_draft", args=[adopted.pk]) not in client.get(documents_url(adopted)).content.decode()


# --- The card on the wizard's review page ---------------------------------------------------------


def test_the_review_page_offers_finalising_to_the_leader_only(client, school, leader, teacher):
    version = start_policy(school=school, by=leader)
    review = reverse("policy:review", args=[version.pk])
    client.force_login(leader)
    leader_html = client.get(review).content.decode()
    client.force_login(teacher)
    teacher_html = client.get(review).content.decode()
    assert reverse("documents:finalise", args=[version.pk]) in leader_html
    assert "Beleid afronden" in leader_html
    assert reverse("documents:finalise", args=[version.pk]) not in teacher_html
    assert "rondt de schoolleider het beleid af" in teacher_html


def test_the_review_card_of_an_adopted_version_links_to_the_pdf(leader, mr_member, school):
    version = adopt(filled_draft(school=school, by=leader), leader=leader, mr_member=mr_member)
    html = render_to_string("documents/_review_actions.html",
                            {"version": version, "membership": leader.memberships.get()})
    assert reverse("documents:documents", args=[version.pk]) in html
