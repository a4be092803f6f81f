"""The policy PDF's tags (PDF/UA-1): two third-party checkers on both editions of a realistic policy, qpdf, and
each fix of agreements/pdf_tags.py checked with pikepdf on a real render."""

import io

import pikepdf
import pytest
from django.core.files.storage import default_storage

from agreements import pdf_tags, rendering
from agreements.models import GlossaryTerm, Source, Theme
from agreements.services import documents
from tests.document_data import realistic_adopted_version
from tests.pdf_checkers import assert_checkers_find_nothing, assert_checkers_find_nothing_in_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("content", "media_root")]


def render_bytes(version, edition, user, language="nl"):
    document = documents.request_render(version=version, edition=edition, by=user, site_url="https://beleid.example/",
                                        language=language)
    rendering.render(document.pk)
    document.refresh_from_db()
    assert document.status == "done", document.error
    with default_storage.open(document.file.name, "rb") as f:
        return f.read()


@pytest.fixture
def policy(school, leader, mr_member):
    return realistic_adopted_version(school=school, leader=leader, mr_member=mr_member)


@pytest.fixture
def team_pdf(policy, leader):
    return render_bytes(policy, "team", leader)


@pytest.mark.parametrize("edition", ["team", "ouders"])
def test_both_editions_pass_outloud_pdfua_and_qpdf_without_a_finding(tmp_path, policy, leader, edition):
    path = tmp_path / f"{edition}.pdf"
    path.write_bytes(render_bytes(policy, edition, leader))
    assert_checkers_find_nothing(path)


def elements(pdf):
    return list(pdf_tags.walk(pdf.Root.StructTreeRoot))


def kids(element):
    return pdf_tags._kids(element)


def page_mcids(page):
    """The MCIDs of a page's marked content, and how many artifact sequences it has."""
    mcids, artifacts = [], 0
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
            mcids.append(int(operands[1].MCID))
        elif str(operator) in ("BDC", "BMC") and operands[0] == pikepdf.Name.Artifact:
            artifacts += 1
    return mcids, artifacts


def test_the_structure_tree_is_complete_and_the_parent_tree_agrees_with_it(team_pdf):
    with pikepdf.open(io.BytesIO(team_pdf)) as pdf:
        tree = elements(pdf)
        reachable = {e.objgen for e in tree}
        # Every element names its real parent.
        for element in tree:
            for kid in kids(element):
                if pdf_tags._is_element(kid):
                    assert kid.P.objgen == element.objgen
        parents = pdf_tags._page_parents(pdf)
        for n, page in enumerate(pdf.pages):
            mcids, artifacts = page_mcids(page)
            # Each marked sequence maps to a reachable element that lists that MCID; nothing else is mapped.
            mapped = [mcid for mcid, e in enumerate(parents[n]) if isinstance(e, pikepdf.Dictionary)]
            assert sorted(mcids) == mapped
            for mcid in mcids:
                element = parents[n][mcid]
                assert element.objgen in reachable
                assert mcid in [int(k) for k in kids(element) if not isinstance(k, pikepdf.Dictionary)]
            if n:  # header, footer and page number are artifacts (the cover has none)
                assert artifacts >= 2
        assert not any(e.get("/S") == "/NonStruct" and not kids(e) for e in tree)


def test_the_table_of_contents_is_toc_with_one_described_link_per_entry(team_pdf):
    with pikepdf.open(io.BytesIO(team_pdf)) as pdf:
        tocs = [e for e in elements(pdf) if e.get("/S") == "/TOC"]
        assert len(tocs) == 1
        items = kids(tocs[0])
        assert len(items) == 12 and all(i.S == "/TOCI" for i in items)
        contents_page = pdf.pages[1]
        link_annotations = [a for a in contents_page.Annots if a.get("/Dest") is not None]
        assert len(link_annotations) == 12  # one per entry (it was three)
        descriptions = []
        for item in items:
            links = [e for e in pdf_tags.walk(item) if e.get("/S") == "/Link"]
            assert len(links) == 1
            objrs = [k for k in kids(links[0]) if isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/OBJR"]
            assert len(objrs) == 1
            descriptions.append(str(objrs[0].Obj.Contents))
        assert descriptions[:2] == ["Over dit beleid", "Thema 1. Zet de mens centraal"]
        assert descriptions[-1] == "Bijlage: begrippen"


def test_every_annotation_prints_and_every_figure_box_is_on_its_page(team_pdf):
    with pikepdf.open(io.BytesIO(team_pdf)) as pdf:
        annotations = [a for page in pdf.pages for a in page.get("/Annots", [])]
        assert annotations and all(int(a.F) & 4 for a in annotations)
        figures = [e for e in elements(pdf) if e.get("/S") == "/Figure"]
        assert figures
        for figure in figures:
            x1, y1, x2, y2 = (float(v) for v in figure.A.BBox)
            page = next(p for p in pdf.pages if p.obj.objgen == figure.Pg.objgen)
            width, height = float(page.MediaBox[2]), float(page.MediaBox[3])
            assert 0 <= x1 < x2 <= width and 0 <= y1 < y2 <= height


def test_tables_head_their_cells_and_lists_have_bodies(team_pdf):
    with pikepdf.open(io.BytesIO(team_pdf)) as pdf:
        tree = elements(pdf)
        headers = [e for e in tree if e.get("/S") == "/TH"]
        assert headers and all("/Scope" in h.A for h in headers)
        by_id = {bytes(h.ID): h for h in headers if "/ID" in h}
        cells = [e for e in tree if e.get("/S") == "/TD"]
        for cell in cells:
            named = [by_id[bytes(i)] for i in cell.A.Headers]
            assert named and any(kids(h) for h in named)  # a term or a signature label, never only empty halves
        # The glossary: each row a term (row header) and its definition.
        glossary_rows = [e for e in tree if e.get("/S") == "/TR" and
                         [k.S for k in kids(e)] == ["/TH", "/TD"]]
        assert len(glossary_rows) > 30
        assert all(r.K[0].A.Scope == "/Row" for r in glossary_rows)
        # Lists: every item has a body and no bullet label (the bullets are artifacts).
        items = [e for e in tree if e.get("/S") == "/LI"]
        assert items and all([k.S for k in kids(i) if pdf_tags._is_element(k)] == ["/LBody"] for i in items)


def test_bookmarks_page_labels_and_font_names(team_pdf, policy):
    with pikepdf.open(io.BytesIO(team_pdf)) as pdf:
        titles = []
        with pdf.open_outline() as outline:
            stack = list(outline.root)
            while stack:
                item = stack.pop(0)
                titles.append(item.title)
                stack[:0] = list(item.children)
        own = policy.decisions.own().order_by("theme__number").first()
        assert any(t.startswith(f"{own.code} Wij gebruiken het woord") for t in titles)
        assert not any(t.endswith("Eigen afspraak") for t in titles)
        agreements = [t for t in titles if t.split(" ")[0] in {d.code for d in policy.decisions.adopted()}]
        assert len(agreements) == policy.decisions.adopted().count()
        assert all(len(t) <= 80 for t in agreements)

        assert pdf.Root.PageLabels.Nums[1].P == "Omslag"
        assert (int(pdf.Root.PageLabels.Nums[2]), int(pdf.Root.PageLabels.Nums[3].St)) == (1, 2)

        names = [str(f.BaseFont) for page in pdf.pages for f in page.Resources.Font.values()]
        assert names and not any(name.endswith(",") for name in names)


def test_an_english_edition_marks_the_dutch_library_texts_as_dutch(policy, leader, team_pdf):
    """WCAG 3.1.2 / PDF/UA: a screen reader reads the quoted library in Dutch, the rest in English."""
    english = render_bytes(policy, "team", leader, language="en")
    assert_checkers_find_nothing_in_bytes(english)
    with pikepdf.open(io.BytesIO(english)) as pdf:
        assert str(pdf.Root.Lang) == "en"
        # The Dutch theme titles inside the contents links: still one annotation per entry (one_annotation_per_link).
        assert len([a for a in pdf.pages[1].Annots if "/Dest" in a]) == 12
        tree = elements(pdf)
        marked = [e for e in tree if "/Lang" in e]
        assert {str(e.Lang) for e in marked} == {"nl"}

        def has_dutch_span(element):
            return any(pdf_tags._is_element(k) and k.S == "/Span" and str(k.get("/Lang")) == "nl"
                       for k in kids(element))

        # Each theme's title in its heading; each term of the glossary in its row header.
        assert sum(1 for e in tree if e.S == "/H2" and has_dutch_span(e)) == Theme.objects.count()
        assert sum(1 for e in tree if e.S == "/TH" and has_dutch_span(e)) == GlossaryTerm.objects.count()
        # Agreements in the example's words, the Kennisnet text under an amendment, each source (a block may
        # be split over two pages, so at least as many blocks).
        decisions = policy.decisions.adopted()
        library_blocks = (sum(1 for d in decisions if not d.has_own_words)
                          + sum(1 for d in decisions if not d.is_own and d.has_own_words) + Source.objects.count())
        assert sum(1 for e in tree if e.S == "/Div" and str(e.get("/Lang")) == "nl") >= library_blocks
    with pikepdf.open(io.BytesIO(team_pdf)) as pdf:  # all Dutch: the document's language says it all
        assert not [e for e in elements(pdf) if "/Lang" in e]
