"""'Wat is er veranderd sinds versie N' in both PDF editions of a version based on an earlier one, read back with
pypdf: the team edition lists every change with the old and new text, the parents' edition the agreements only."""

import pytest
from django.core.files.storage import default_storage

from agreements import rendering
from agreements.models import RenderedDocument
from agreements.services import documents
from tests.document_data import adopt, adopted_version, pdf_facts, squash
from tests.review_data import AMENDED_TAIL, DROP_REASON, NEW_ACTION, NEW_OWN_TEXT, changed_draft

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content", "media_root")]


@pytest.fixture(autouse=True)
def one_lease_for_the_whole_render(settings):
    """In-process, the lease's renewing thread would write to SQLite while the test's transaction holds it; the
    lease itself is tested in test_render_lease.py."""
    settings.PDF_LEASE_SECONDS = 600


def pdf_text(version, edition, user):
    document = documents.request_render(version=version, edition=edition, by=user, site_url="https://beleid.example/")
    rendering.render(document.pk)
    document.refresh_from_db()
    assert document.is_done, document.error
    with default_storage.open(document.file.name, "rb") as f:
        return pdf_facts(f.read())["text"]


@pytest.fixture
def versions(school, leader, mr_member):
    v1 = adopted_version(school=school, leader=leader, mr_member=mr_member)
    v2 = changed_draft(v1, by=leader)
    changed = v2.changed
    v2 = adopt(v2, leader=leader, mr_member=mr_member)
    v2.changed = changed
    return v1, v2


def test_the_team_edition_lists_every_change_with_old_and_new_text(versions, leader):
    v1, v2 = versions
    text = pdf_text(v2, RenderedDocument.Edition.TEAM, leader)
    assert "Wat is er veranderd sinds versie 1" in text
    section = text[text.index("Hieronder staat per thema"):]
    assert squash(f"Afspraak {v2.changed['amended']}: gewijzigd Was: {v2.changed['amended_old']}") in section
    assert squash(f"Nu: {v2.changed['amended_old']}{AMENDED_TAIL}") in section
    assert squash(f"Afspraak {v2.changed['dropped']}: vervallen Was: {v2.changed['dropped_text']}") in section
    assert f"Reden: {DROP_REASON}" in section
    assert f"Nu: {NEW_OWN_TEXT}" in section
    assert f"Acties nu: Lesbrief maken bij {v2.changed['action']} (1); {NEW_ACTION}" in section
    assert "Notitie van het team: gewijzigd" in section


def test_the_parents_edition_says_what_changed_for_pupils_and_parents(versions, leader):
    v1, v2 = versions
    text = pdf_text(v2, RenderedDocument.Edition.PARENTS, leader)
    assert "Wat is er veranderd sinds versie 1" in text
    assert f"Nieuwe afspraak: {NEW_OWN_TEXT}" in text
    assert squash(f"Deze afspraak geldt niet meer: {v2.changed['dropped_text']}") in text
    assert squash(f"Deze afspraak is veranderd. Nu: {v2.changed['amended_old']}{AMENDED_TAIL}") in text
    assert NEW_ACTION not in text and "Notitie" not in text and DROP_REASON not in text


def test_a_first_version_has_no_changes_section(school, leader, mr_member):
    v1 = adopted_version(school=school, leader=leader, mr_member=mr_member)
    assert "Wat is er veranderd" not in pdf_text(v1, RenderedDocument.Edition.PARENTS, leader)
