"""Policy data for the documents tests and benchmarks: a filled draft, finalised, signed and adopted.

Built through agreements.services (start_policy, finalise, sign, record_consent) plus direct choices and
texts on the decisions and own agreements and actions from tests.factories, as the wizard would leave them.
"""

import datetime

from django.utils import timezone

from agreements.models import Decision, Theme
from agreements.services import documents
from agreements.services.policy import start_policy
from tests.factories import ActionFactory, DecisionFactory

OWN_TEXT = (
    "Eigen afspraak {n} over thema {theme}: leerlingen leggen bij elke opdracht uit welk deel zij met hulp van "
    "een AI-chatbot hebben gemaakt, en de leraar bespreekt met de klas wat dat betekent voor het leren."
)


def filled_draft(*, school, by, own_per_theme=1, actions_per_agreement=1, long_texts=False):
    """A draft in which every example is decided (adopt, amend or reject) and each theme has own agreements."""
    version = start_policy(school=school, by=by)
    decisions = list(version.decisions.select_related("example", "theme"))
    for i, d in enumerate(decisions):
        if i % 6 == 1:
            d.choice, d.text = Decision.Choice.AMEND, f"Aangepast {d.code}: {d.example.text} Dit geldt ook voor de BSO."
        elif i % 6 == 4:
            d.choice, d.reason = Decision.Choice.REJECT, "Past niet bij onze leerlingen in groep 1 tot en met 4."
        else:
            d.choice = Decision.Choice.ADOPT
        if i % 3 == 0:
            d.meeting_date = timezone.localdate() - datetime.timedelta(days=7)
            d.votes_support, d.votes_support_amended, d.votes_against = 12, 3, 1
        d.save()
    for theme in Theme.objects.all():
        state = version.theme_states.get(theme=theme)
        state.note = f"Besproken in de studiedag; thema {theme.number} komt terug in het jaarplan."
        state.save()
        for n in range(1, own_per_theme + 1):
            text = OWN_TEXT.format(n=n, theme=theme.number)
            if long_texts:
                text = " ".join([text] * 3)
            DecisionFactory(version=version, theme=theme, text=text, position=n, updated_by=by)
    for d in version.decisions.adopted():
        for k in range(actions_per_agreement):
            ActionFactory(decision=d, what=f"Lesbrief maken bij {d.code} ({k + 1})", who="ICT-coördinator",
                          due=timezone.localdate() + datetime.timedelta(days=60 + k), position=k)
    return version


def adopt(version, *, leader, mr_member, confirm_open=False):
    """Finalise, sign and record the MR's consent: the version becomes adopted."""
    version = documents.finalise(version=version, by=leader, review_date=documents.default_review_date(),
                                 parent_contact="Lotte Leider, directeur: directie@regenboog.example",
                                 confirm_open=confirm_open)
    documents.sign(version=version, by=leader, name=leader.name, role="Directeur", signed_on=timezone.localdate())
    documents.record_consent(version=version, by=mr_member, chair_name="Mira MR", consented_on=timezone.localdate())
    version.refresh_from_db()
    return version


def adopted_version(*, school, leader, mr_member, **kwargs):
    return adopt(filled_draft(school=school, by=leader, **kwargs), leader=leader, mr_member=mr_member)


def big_adopted_version(*, school, leader, mr_member):
    """Enough content for a team edition of 20+ pages."""
    return adopted_version(school=school, leader=leader, mr_member=mr_member, own_per_theme=5,
                           actions_per_agreement=2, long_texts=True)


def large_adopted_version(*, school, leader, mr_member):
    """500 decisions: 18 examples + 7 themes x 69 own agreements, two actions per adopted one (pdf_large)."""
    return adopted_version(school=school, leader=leader, mr_member=mr_member, own_per_theme=69,
                           actions_per_agreement=2)


def slow_adopted_version(*, school, leader, mr_member, own_per_theme=15):
    """About 120 agreements with two actions each: a team edition of ~45 pages, ~6 s to render (an idle machine)."""
    return adopted_version(school=school, leader=leader, mr_member=mr_member, own_per_theme=own_per_theme,
                           actions_per_agreement=2, long_texts=True)


def pdf_facts(data):
    """What the tests check in a rendered PDF, read with pypdf and pikepdf."""
    import io
    import re

    import pikepdf
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(data))
    # A line that breaks after a hyphen ("AI-" / "chatbot") is one word again.
    text = re.sub(r"\s+", " ", re.sub(r"-\n", "-", " ".join(page.extract_text() for page in reader.pages)))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        root = pdf.Root
        fonts, unembedded = set(), []
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                descriptor = (font.DescendantFonts[0] if "/DescendantFonts" in font else font).FontDescriptor
                fonts.add(str(descriptor.FontName))
                if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    unembedded.append(str(descriptor.FontName))
        outlines = []
        with pdf.open_outline() as outline:
            stack = list(outline.root)
            while stack:
                item = stack.pop(0)
                outlines.append(item.title)
                stack[:0] = list(item.children)
        facts = {
            "pages": len(pdf.pages),
            "text": text,
            "lang": str(root.get("/Lang", "")),
            "title": str(pdf.docinfo.get("/Title", "")),
            "author": str(pdf.docinfo.get("/Author", "")),
            "marked": bool(root.get("/MarkInfo", {}).get("/Marked", False)),
            "has_struct_tree": "/StructTreeRoot" in root,
            "fonts": fonts,
            "unembedded_fonts": unembedded,
            "outlines": outlines,
            "xmp": bytes(root.Metadata.read_bytes()).decode("utf-8", "replace") if "/Metadata" in root else "",
        }
    return facts


def squash(text):
    """Whitespace as in text extracted from a PDF."""
    import re

    return re.sub(r"\s+", " ", text).strip()


LONG_WORD = "Leerlingvolgsysteemgegevensbeschermingseffectbeoordelingsrapportage"[:60]
LIST_TEXT = (
    "Voordat een leraar een AI-tool in de klas gebruikt, controleert hij of zij:\n"
    "- of de tool op de lijst van de school staat;\n"
    "- of er geen namen of cijfers van leerlingen in gaan;\n"
    "- of de uitkomst klopt (fact-checken met een tweede bron)."
)


def realistic_adopted_version(*, school, leader, mr_member):
    """A policy as a school writes it: every theme, adopted, amended, own and rejected agreements, actions,
    meeting results, diacritics (ë, é, ç, ş, ő), a 60-letter word and a "- " list typed in the wizard."""
    version = filled_draft(school=school, by=leader)
    own = list(version.decisions.own().order_by("theme__number"))
    own[0].text = f"Wij gebruiken het woord {LONG_WORD} niet in brieven aan ouders; dat begrijpt niemand."
    own[1].text = LIST_TEXT
    own[2].text = "Naïeve ideeën over AI bespreken we in de coördinatie: café-gesprekken met Şükran en Ödön Győri."
    for decision in own[:3]:
        decision.save()
    return adopt(version, leader=leader, mr_member=mr_member)
