"""What WeasyPrint's PDF/UA tagging cannot say through HTML and CSS, fixed afterwards with pikepdf.

pdf.py calls `finish(data, link_texts)` on the bytes WeasyPrint wrote. Each step is one function with one job
(tests/test_pdf_tags.py checks each on a real render):

- `margin_boxes_as_artifacts`: WeasyPrint tags the running header, the footer and the page numbers (margin
  boxes) as marked content whose structure elements are in no tree (they name Document as parent, Document does
  not list them). They become /Artifact /Pagination and leave the ParentTree.
- `bullets_as_artifacts`: list bullets are painted after the page's text; as Lbl they break the reading order.
  They become artifacts (a bullet says nothing the list does not).
- `one_annotation_per_link`: WeasyPrint gives every inline box inside a link an annotation of its own (a
  <span lang="nl"> in a contents entry: two annotations, the second under a Span, not a Link). The inner ones go.
- `contents_as_toc`: the table of contents (a list whose every item starts with a link inside the document)
  becomes TOC / TOCI / Reference.
- `describe_links`: a link inside the document is described by the words of the link ("Thema 1. …"), not its
  anchor ("thema-1"); every annotation gets the Print flag.
- `figures_in_page_coordinates`: a figure's BBox in PDF user space (WeasyPrint writes CSS pixels, top down).
- `drop_empty_elements`: structure elements without content (a <br>) are left out.
- `header_scopes`: every TH gets /Scope (Column in the table head, else Row).
- `continued_rows`: the second half of a row split over two pages is headed by the first half's header cell.
- `list_bodies`: a list item's content in an LBody after its Lbl (WeasyPrint puts a <div> in the LI itself).
- `clean_font_names`: "Source-Sans-3," -> "Source-Sans-3".
- `label_pages`: /PageLabels: the cover is "Omslag", then 2, 3, … as printed in the footer.

WeasyPrint's layout is untouched: only names, dictionaries and the marked-content operators change.
"""

import io
import re

import pikepdf
from pikepdf import Array, Dictionary, Name, String

PX = 0.75  # one CSS pixel in PDF points


def _kids(element):
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _is_element(obj):
    return isinstance(obj, Dictionary) and obj.get("/Type") not in ("/OBJR", "/MCR") and "/S" in obj


def walk(root):
    """Every structure element below the StructTreeRoot, parents before children."""
    stack = list(reversed(_kids(root)))
    while stack:
        element = stack.pop()
        if not _is_element(element):
            continue
        yield element
        stack.extend(reversed(_kids(element)))


def _page_numbers(pdf):
    return {page.obj.objgen: n for n, page in enumerate(pdf.pages)}


# A marked-content sequence as WeasyPrint writes it: "/Span <</MCID 12>> BDC" (text itself is in hex strings,
# so the pattern cannot match inside text). A bytes regex is ~20x faster than parsing the content stream.
MARKED = re.compile(rb"/[A-Za-z]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")
ARTIFACT = b"/Artifact <</Type /Pagination>> BDC"


def _as_artifacts(pdf, page_index, mcids):
    """Rewrite the page's marked-content operators for these MCIDs as /Artifact /Pagination."""
    page = pdf.pages[page_index]
    contents = page.Contents
    raw = contents.read_bytes() if not isinstance(contents, Array) else b"\n".join(c.read_bytes() for c in contents)
    new = MARKED.sub(lambda m: ARTIFACT if int(m.group(1)) in mcids else m.group(0), raw)
    page.Contents = pdf.make_stream(new)


def _page_parents(pdf):
    """{page index: the ParentTree array (MCID -> structure element) of that page}."""
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)
            if int(nums[i]) < len(pdf.pages) and isinstance(nums[i + 1], Array)}


NULL = pikepdf.Object.parse(b"null")


def margin_boxes_as_artifacts(pdf, artifacts):
    """Marked content whose structure element is not in the tree becomes a pagination artifact.

    `artifacts` ({page index: MCIDs}) collects them; `rewrite_artifacts` changes each page once."""
    reachable = {element.objgen for element in walk(pdf.Root.StructTreeRoot)}
    changed = 0
    for page_index, parents in _page_parents(pdf).items():
        orphans = {mcid for mcid, element in enumerate(parents)
                   if isinstance(element, Dictionary) and element.objgen not in reachable}
        if orphans:
            for mcid in orphans:
                parents[mcid] = NULL
            artifacts.setdefault(page_index, set()).update(orphans)
            changed += len(orphans)
    return changed


def rewrite_artifacts(pdf, artifacts):
    for page_index, mcids in artifacts.items():
        _as_artifacts(pdf, page_index, mcids)


def bullets_as_artifacts(pdf, artifacts):
    """A list's bullets ("•", drawn after the page's text by WeasyPrint) become artifacts; their Lbl goes.

    A bullet says nothing a list does not say, and painted last it puts the page out of reading order."""
    pages = _page_numbers(pdf)
    by_page = {}
    parents = _page_parents(pdf)
    for item in list(walk(pdf.Root.StructTreeRoot)):
        if item.get("/S") != "/LI":
            continue
        kids = _kids(item)
        labels = [kid for kid in kids if _is_element(kid) and kid.get("/S") == "/Lbl"]
        for label in labels:
            for element in [label, *walk(label)]:
                page_index = pages.get(element.Pg.objgen) if "/Pg" in element else None
                for mcid in _kids(element):
                    if not isinstance(mcid, Dictionary) and page_index is not None:
                        by_page.setdefault(page_index, set()).add(int(mcid))
        if labels:
            item.K = Array([kid for kid in kids if not (_is_element(kid) and kid.get("/S") == "/Lbl")])
    for page_index, mcids in by_page.items():
        for mcid in mcids:
            parents[page_index][mcid] = NULL
        artifacts.setdefault(page_index, set()).update(mcids)
    return sum(len(m) for m in by_page.values())


def _is_link_objr(kid):
    return isinstance(kid, Dictionary) and kid.get("/Type") == "/OBJR" and kid.Obj.get("/Subtype") == "/Link"


def one_annotation_per_link(pdf):
    """A link is one Link element with one annotation: annotations of boxes inside it leave the page, the
    element that held them and the ParentTree."""
    dropped, parent_keys = set(), set()
    for link in walk(pdf.Root.StructTreeRoot):
        if link.get("/S") != "/Link":
            continue
        for inner in walk(link):
            kids = _kids(inner)
            inner_links = [kid for kid in kids if _is_link_objr(kid)]
            if inner_links:
                inner.K = Array([kid for kid in kids if not _is_link_objr(kid)])
                dropped.update(kid.Obj.objgen for kid in inner_links)
                parent_keys.update(int(kid.Obj.StructParent) for kid in inner_links if "/StructParent" in kid.Obj)
    if not dropped:
        return 0
    for page in pdf.pages:
        if "/Annots" in page:
            page.Annots = Array([a for a in page.Annots if a.objgen not in dropped])
    tree = pdf.Root.StructTreeRoot.ParentTree
    nums = list(tree.Nums)
    tree.Nums = Array([v for i in range(0, len(nums), 2) if int(nums[i]) not in parent_keys
                       for v in (nums[i], nums[i + 1])])
    return len(dropped)


def _internal_link(element):
    for kid in _kids(element):
        if isinstance(kid, Dictionary) and kid.get("/Type") == "/OBJR" and "/Dest" in kid.Obj:
            return True
    return False


def _toc_item(item):
    """An LI whose body starts with a link to a place in the document."""
    if item.get("/S") != "/LI":
        return False
    body = [kid for kid in _kids(item) if _is_element(kid)]
    if not body or body[0].get("/S") != "/LBody":
        return False
    first = [kid for kid in _kids(body[0]) if _is_element(kid)]
    return bool(first) and first[0].get("/S") == "/Link" and _internal_link(first[0])


def contents_as_toc(pdf):
    """A list of links into the document is the table of contents: L -> TOC, LI -> TOCI, LBody -> Reference."""
    found = 0
    for element in list(walk(pdf.Root.StructTreeRoot)):
        if element.get("/S") != "/L":
            continue
        items = [kid for kid in _kids(element) if _is_element(kid)]
        if len(items) < 2 or not all(_toc_item(item) for item in items):
            continue
        element.S = Name.TOC
        for item in items:
            item.S = Name.TOCI
            for body in _kids(item):
                if _is_element(body) and body.get("/S") == "/LBody":
                    body.S = Name.Reference
        found += 1
    return found


def describe_links(pdf, link_texts):
    """Link annotations: /Contents says where a link goes in words; the Print flag on every annotation."""
    for page in pdf.pages:
        for annotation in page.get("/Annots", []):
            annotation.F = 4  # Print
            if annotation.get("/Subtype") != "/Link":
                continue
            destination = annotation.get("/Dest")
            if destination is not None and str(destination) in link_texts:
                annotation.Contents = String(link_texts[str(destination)])


def figures_in_page_coordinates(pdf):
    """WeasyPrint writes a figure's BBox in CSS pixels from the top of the page; PDF wants points from the bottom."""
    pages = _page_numbers(pdf)
    for element in walk(pdf.Root.StructTreeRoot):
        if element.get("/S") != "/Figure" or "/A" not in element or "/BBox" not in element.A:
            continue
        page = pdf.pages[pages[element.Pg.objgen]]
        height = float(page.MediaBox[3])
        x1, y1, x2, y2 = (float(v) for v in element.A.BBox)
        element.A.BBox = Array([round(x1 * PX, 3), round(height - y2 * PX, 3),
                                round(x2 * PX, 3), round(height - y1 * PX, 3)])


KEEP_EMPTY = {"/TD", "/TH", "/TR"}  # an empty cell keeps the table's grid


def drop_empty_elements(pdf):
    """Structure elements with no content and no children (WeasyPrint makes them for <br>) are left out."""
    dropped = 0
    changed = True
    while changed:
        changed = False
        for element in list(walk(pdf.Root.StructTreeRoot)):
            kids = _kids(element)
            kept = [kid for kid in kids
                    if not (_is_element(kid) and not _kids(kid) and kid.get("/S") not in KEEP_EMPTY)]
            if len(kept) != len(kids):
                dropped += len(kids) - len(kept)
                element.K = Array(kept)
                changed = True
    return dropped


def header_scopes(pdf):
    """Every TH says what it heads: a cell in the table head heads its column, any other its row."""
    for element in walk(pdf.Root.StructTreeRoot):
        if element.get("/S") != "/TH":
            continue
        row = element.get("/P")
        group = row.get("/P") if row is not None else None
        scope = Name.Column if group is not None and group.get("/S") == "/THead" else Name.Row
        if "/A" not in element:
            element.A = Dictionary(O=Name.Table)
        if "/Scope" not in element.A:
            element.A.Scope = scope


def continued_rows(pdf):
    """A row split over two pages has an empty header cell on the second; its data cell is headed by the cell
    that holds the words (the last header cell with content before it)."""
    headers, last, fixed = {}, None, 0
    for element in walk(pdf.Root.StructTreeRoot):
        if element.get("/S") == "/TH":
            if "/ID" in element:
                headers[bytes(element.ID)] = element
            if _kids(element) and "/ID" in element:
                last = element
        elif element.get("/S") == "/TD" and "/A" in element and "/Headers" in element.A and last is not None:
            named = [headers.get(bytes(h)) for h in element.A.Headers]
            if named and all(h is not None and not _kids(h) for h in named):
                element.A.Headers = Array([last.ID])
                fixed += 1
    return fixed


def list_bodies(pdf):
    """A list item's content goes in an LBody after its label (WeasyPrint puts a <div> or <p> in the LI itself).

    Marked content that moves gets its new parent in the ParentTree too."""
    tree = pdf.Root.StructTreeRoot
    pages = _page_numbers(pdf)
    parents = {}
    nums = tree.ParentTree.Nums
    for i in range(0, len(nums), 2):
        parents[int(nums[i])] = nums[i + 1]
    made = 0
    for item in list(walk(tree)):
        if item.get("/S") != "/LI":
            continue
        kids = _kids(item)
        loose = [kid for kid in kids if not (_is_element(kid) and kid.get("/S") in ("/Lbl", "/LBody"))]
        if not loose:
            continue
        body = pdf.make_indirect(Dictionary(Type=Name.StructElem, S=Name.LBody, P=item, K=Array(loose)))
        if "/Pg" in item:
            body.Pg = item.Pg
        for kid in loose:
            if _is_element(kid):
                kid.P = body
            elif isinstance(kid, int) or (isinstance(kid, pikepdf.Object) and not isinstance(kid, Dictionary)):
                array = parents.get(pages[item.Pg.objgen])
                if isinstance(array, Array) and int(kid) < len(array):
                    array[int(kid)] = body
        first_loose = kids.index(loose[0]) if loose[0] in kids else len(kids)
        kept = [kid for kid in kids if kid not in loose]
        item.K = Array(kept[:first_loose] + [body] + kept[first_loose:])
        made += 1
    return made


def clean_font_names(pdf):
    """Font names as Pango made them may end in a comma ("Source-Sans-3,"); a font name is a PDF name."""
    seen = set()
    for page in pdf.pages:
        for font in page.get("/Resources", {}).get("/Font", {}).values():
            if font.objgen in seen:
                continue
            seen.add(font.objgen)
            fonts = [font, *font.get("/DescendantFonts", [])]
            for f in fonts:
                for holder, key in ((f, "/BaseFont"), (f.get("/FontDescriptor"), "/FontName")):
                    if holder is not None and key in holder and str(holder[key]).endswith(","):
                        holder[key] = Name(str(holder[key]).rstrip(","))


def label_pages(pdf, cover_label="Omslag"):
    """The cover has a label of its own; the other pages are numbered as their footer says (from 2)."""
    nums = [0, Dictionary(P=String(cover_label))]
    if len(pdf.pages) > 1:
        nums += [1, Dictionary(S=Name.D, St=2)]
    pdf.Root.PageLabels = Dictionary(Nums=Array(nums))


def finish(data, link_texts, cover_label="Omslag"):
    """The PDF bytes with every fix above applied."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        artifacts = {}
        one_annotation_per_link(pdf)
        margin_boxes_as_artifacts(pdf, artifacts)
        bullets_as_artifacts(pdf, artifacts)
        rewrite_artifacts(pdf, artifacts)
        contents_as_toc(pdf)
        describe_links(pdf, link_texts)
        figures_in_page_coordinates(pdf)
        drop_empty_elements(pdf)
        header_scopes(pdf)
        continued_rows(pdf)
        list_bodies(pdf)
        clean_font_names(pdf)
        label_pages(pdf, cover_label)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()
