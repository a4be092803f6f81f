"""The policy as a Word file (.docx): an editable copy beside the signed PDF, for the school guide and the
team's own folders. The same content as the PDF (pdf.render_context, read once for both), with real Word
headings (so Word's navigation pane and its table of contents work), lists, a signature table, the sources,
the glossary and the verification code of the signed PDF. It says on its first page that it is a copy one
may edit, not the signed document: the verify page accepts only the PDF.

python-docx writes the package (a well-kept library; no Word or LibreOffice needed on the server).
"""

import io
import re

import docx
from django.template.defaultfilters import date as format_date
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

QUIET = RGBColor(0x4A, 0x4A, 0x4A)  # 8.9:1 on white


def _when(value):
    return format_date(value, "j F Y")


def _paragraph(doc, text, *, style=None, bold_lead=None, quiet=False):
    paragraph = doc.add_paragraph(style=style)
    if bold_lead:
        paragraph.add_run(bold_lead + " ").bold = True
    run = paragraph.add_run(text)
    if quiet:
        run.font.color.rgb = QUIET
    return paragraph


def _text_blocks(doc, text):
    """The app's plain texts: paragraphs split by a blank line, lines starting with "- " as a bullet list."""
    for block in re.split(r"\n\s*\n", str(text or "")):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if lines and all(line.startswith("- ") for line in lines):
            for line in lines:
                doc.add_paragraph(line[2:], style="List Bullet")
        elif lines:
            doc.add_paragraph(" ".join(lines))


def _language(doc, code):
    """Spelling and screen readers: the language the edition's text is in (the library's quotes stay Dutch)."""
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = run_properties.makeelement(qn("w:lang"), {})
        run_properties.append(lang)
    lang.set(qn("w:val"), code)


def _cover(doc, c):
    doc.add_paragraph(_("AI-beleid %(school)s") % {"school": c["school"].name}, style="Title")
    _paragraph(doc, _("%(edition)s · versie %(number)s") % {"edition": c["edition_label"],
                                                             "number": c["version"].number}, style="Subtitle")
    version = c["version"]
    if version.status == "adopted":
        doc.add_paragraph(_("Vastgesteld op %(date)s") % {"date": _when(version.adopted_at)})
    else:
        doc.add_paragraph(_("%(status)s: nog niet vastgesteld") % {"status": version.get_status_display()})
    if version.review_date:
        doc.add_paragraph(_("Evaluatie vóór %(date)s") % {"date": _when(version.review_date)})
    notice = doc.add_paragraph(style="Intense Quote")
    notice.add_run(_("Dit is een bewerkbare kopie, niet het ondertekende document.")).bold = True
    document = c["document"]
    if document:
        notice.add_run(" " + _("Het ondertekende document is de pdf met verificatiecode %(code)s. Controleer die "
                               "op %(url)s") % {"code": document.verification_code, "url": document.verify_url})
    else:
        notice.add_run(" " + _("Het ondertekende document is de pdf van deze versie."))


def _introduction(doc, c):
    school = c["school"].name
    if c["is_team"]:
        doc.add_heading(_("Over dit beleid"), level=1)
        doc.add_paragraph(_("Dit zijn de afspraken van %(school)s over generatieve AI. Het team heeft ze samen "
                            "gemaakt. Het begin waren de voorbeeldafspraken van Kennisnet.") % {"school": school})
        doc.add_paragraph(_("Per thema staan hierna de afspraken die de school overneemt, aanpast of zelf heeft "
                            "toegevoegd. Bij elke afspraak staat wat ervoor nodig is: wat, wie en wanneer."))
        count = c["agreement_count"]
        doc.add_paragraph(ngettext("Dit beleid bevat %(count)s afspraak.", "Dit beleid bevat %(count)s afspraken.",
                                   count) % {"count": count})
    else:
        doc.add_heading(_("Waar gaat dit over?"), level=1)
        doc.add_paragraph(_("Steeds meer computerprogramma's kunnen zelf teksten, plaatjes of geluid maken. Dat "
                            "heet generatieve AI. Een bekend voorbeeld is ChatGPT."))
        doc.add_paragraph(_("Zulke programma's kunnen helpen bij het leren. Maar ze maken ook fouten. En ze "
                            "gebruiken soms gegevens van kinderen. Daarom heeft het team van %(school)s afspraken "
                            "gemaakt over AI op school.") % {"school": school})


def _label(decision):
    if decision.is_own:
        return _("Eigen afspraak")
    return _("Aangepast") if decision.choice == "amend" else _("Overgenomen")


def _team_agreement(doc, d):
    doc.add_heading(f"{d.code} {_label(d)}", level=2)
    _text_blocks(doc, d.current_text)
    if not d.is_own and d.choice == "amend" and d.text:
        _paragraph(doc, d.example.text, bold_lead=_("Voorbeeldafspraak van Kennisnet:"), quiet=True)
    actions = list(d.actions.all())
    if actions:
        _paragraph(doc, "", bold_lead=_("Wat is hiervoor nodig?"))
        for a in actions:
            who = a.who or _("nog niet bepaald")
            due = _when(a.due) if a.due else _("nog geen datum")
            doc.add_paragraph(_("%(what)s · wie: %(who)s · klaar: %(due)s") % {"what": a.what, "who": who,
                                                                               "due": due}, style="List Bullet")
    if d.meeting_date:
        _paragraph(doc, _("Teamvergadering van %(date)s: %(support)s steun, %(amended)s steun met aanpassing, "
                          "%(against)s geen steun.") % {
            "date": _when(d.meeting_date), "support": d.votes_support or 0,
            "amended": d.votes_support_amended or 0, "against": d.votes_against or 0}, quiet=True)


def _themes(doc, c):
    for t in c["themes"]:
        doc.add_heading(_("Thema %(number)s. %(title)s") % {"number": t["theme"].number, "title": t["theme"].title},
                        level=1)
        if c["is_team"] and t["note"]:
            _paragraph(doc, t["note"], bold_lead=_("Notitie van het team:"))
        if not t["agreements"]:
            doc.add_paragraph(_("Over dit thema zijn geen afspraken vastgelegd."))
        for d in t["agreements"]:
            if c["is_team"]:
                _team_agreement(doc, d)
            else:
                doc.add_paragraph(d.current_text, style="List Bullet")
        if c["is_team"]:
            for title, rows in ((_("Niet overgenomen"), t["rejected"]), (_("Nog niet besloten"), t["open"])):
                if rows:
                    doc.add_heading(title, level=2)
                    for d in rows:
                        reason = f" {_('Reden:')} {d.reason}" if d.reason and d.choice == "reject" else ""
                        doc.add_paragraph(f"{d.code} {d.current_text}{reason}", style="List Bullet")


def _signatures(doc, c):
    doc.add_heading(_("Vaststelling en instemming"), level=1)
    leader, mr = c["leader_signature"], c["mr_consent"]
    table = doc.add_table(rows=4, cols=2)
    table.style = "Table Grid"
    rows = [
        (_("Vastgesteld door de schoolleider"), _("Instemming van de medezeggenschapsraad (MR)")),
        (leader.name if leader else _("Nog niet ondertekend."), mr.name if mr else _("Nog niet vastgelegd.")),
        (leader.role if leader else "", mr.role if mr else ""),
        (_when(leader.signed_on) if leader else "", _when(mr.signed_on) if mr else ""),
    ]
    for r, cells in enumerate(rows):
        for col, text in enumerate(cells):
            cell = table.cell(r, col)
            cell.text = text
            if r == 0:
                cell.paragraphs[0].runs[0].bold = True
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(header.makeelement(qn("w:tblHeader"), {qn("w:val"): "true"}))


def _closing(doc, c):
    version = c["version"]
    if c["is_team"]:
        doc.add_heading(_("Evaluatie en contact"), level=1)
        if version.review_date:
            doc.add_paragraph(_("Het team evalueert dit beleid vóór %(date)s. Dan begint een nieuw concept vanaf "
                                "deze versie.") % {"date": _when(version.review_date)})
        _paragraph(doc, version.parent_contact or _("nog niet ingevuld"), bold_lead=_("Vragen van ouders:"))
    doc.add_heading(_("Bronnen"), level=1)
    for s in c["sources"]:
        _paragraph(doc, "", bold_lead=s.title)
        meta = ", ".join(part for part in (s.publisher, s.published) if part)
        _paragraph(doc, ". ".join(part for part in (meta, s.url, s.licence) if part) + ".", quiet=True)
        doc.add_paragraph(s.attribution)
    if c["is_team"] and c["glossary"]:
        doc.add_heading(_("Bijlage: begrippen"), level=1)
        for term in c["glossary"]:
            heading = doc.add_paragraph(style="Heading 3")
            heading.add_run(term.term)
            _text_blocks(doc, term.definition)


def _questions(doc, c):
    doc.add_heading(_("Heb je vragen?"), level=1)
    doc.add_paragraph(_("Wil je meer weten over deze afspraken? Of maak je je zorgen over AI op school? Neem dan "
                        "contact op met:"))
    doc.add_paragraph(c["version"].parent_contact or _("de directie van de school"))


def _footer(doc, c):
    document = c["document"]
    footer = doc.sections[0].footer.paragraphs[0]
    text = _("AI-beleid %(school)s · versie %(number)s · bewerkbare kopie") % {
        "school": c["school"].name, "number": c["version"].number}
    if document:
        text += " · " + _("verificatiecode van de pdf: %(code)s") % {"code": document.verification_code}
    footer.text = text
    footer.runs[0].font.size = Pt(9)


# Word's language tags for the editions' languages (spelling check, screen readers).
WORD_LANGUAGES = {"nl": "nl-NL", "en": "en-GB"}


def render_docx(document, c):
    """The .docx bytes of this RenderedDocument's version and edition, in the edition's language; `c` is the
    document's context (pdf.render_context)."""
    language = document.language or "nl"
    with translation.override(language):
        return _docx(c, WORD_LANGUAGES.get(language, language))


def _docx(c, word_language):
    doc = docx.Document()
    _language(doc, word_language)
    properties = doc.core_properties
    properties.title = _("AI-beleid %(school)s") % {"school": c["school"].name}
    properties.subject = f"{c['edition_label']} · {c['version'].number}"
    properties.author = c["school"].name
    properties.language = word_language
    doc.styles["Normal"].font.size = Pt(11)
    _cover(doc, c)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _introduction(doc, c)
    _themes(doc, c)
    if not c["is_team"]:
        _questions(doc, c)
    _signatures(doc, c)
    _closing(doc, c)
    _footer(doc, c)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
