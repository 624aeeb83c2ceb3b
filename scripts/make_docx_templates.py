#!/usr/bin/env python3
"""Build the default DOCX templates: templates/<kind>.docx, one per document kind.

Run from the repository root: ``.venv/bin/python scripts/make_docx_templates.py``.  The output is
byte-identical on every run (fixed zip entry times and order), so the committed templates only change
when this script does.

The templates are docxtpl (Jinja2) templates built with python-docx: the Jinja tags are plain text in the
document.  They print the document view (``plandocs.view.plan.plan.DocumentView``) given as ``doc``; the measures
table is a subdocument inserted at ``{{p table }}``.  The action plan template (seed 003) also uses
``sections_before``, ``table_section`` and ``sections_after`` to put the table in a landscape section
between portrait prose.  Page margins, font sizes and the contents' tab stop are set by
``plandocs.render.pipeline.docx`` at render time; orientation, paper size and layout are fixed here.

Conventions for organisations that edit a copy in Word: a paragraph holding only ``{%p … %}`` disappears
from the output; ``{%tr … %}`` does the same for a table row.  Styles are named "Plan …" so they can be
restyled without touching the tags.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from copy import deepcopy
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.section import Section
from docx.shared import Mm, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from plandocs.render.docx import repack_package

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "plandocs" / "templates"

FONT = "Times New Roman"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
CORE_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    b'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title></dc:title><dc:creator>plandocs</dc:creator>'
    b"<cp:lastModifiedBy>plandocs</cp:lastModifiedBy><cp:revision>1</cp:revision>"
    b'<dcterms:created xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:created>'
    b'<dcterms:modified xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>'
)
"""Written as text: python-docx's core properties API misbehaves once docxcompose is imported (it rebinds the
``cp`` prefix), and the templates must not depend on what else the process imported."""
MARGINS = (20, 10, 20, 30)
"""Default top, right, bottom, left margins in mm (ДСТУ 4163:2020); render_docx sets the real ones."""
STAMP_WIDTH = 73  # ДСТУ 4163:2020: multi-line requisites at most about 73 mm wide
"""Width of the approval stamp block in mm, at the right margin."""
INDENT = 709
"""First-line indent of body paragraphs: 1.25 cm in twips."""

KINDS: dict[str, str] = {
    "quarterly-plan": "landscape",
    "annual-plan": "landscape",
    "city-programme": "landscape",
    "programme": "landscape",
    "action-plan": "mixed",
    "report": "summary",
    "region": "summary",
    "comparative": "comparative-portrait",
    "comparative-landscape": "comparative-landscape",
}
"""Kind → layout: ``landscape`` (every page landscape, seeds 000–002, 004), ``mixed`` (portrait prose
with the table in a landscape section, seed 003) or ``summary`` (landscape, the table followed by the
outcome summary of execution reports and regional summaries, as summary.html prints it)."""

W = nsdecls("w")


# --------------------------------------------------------------------------- package and styles


def _twips(mm: float) -> int:
    return round(mm * 1440 / 25.4)


def _prune_package(doc: DocxDocument) -> None:
    """Drop the parts of python-docx's default template a plan does not need (thumbnail of an empty
    page, Word 2010 style effects, custom XML, numbering) and name plandocs as the application."""
    pkg = doc.part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            pkg.rels.pop(rid)
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = (
                b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
                b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
                b"<Application>plandocs</Application></Properties>"
            )
    drop = {RT.CUSTOM_XML, RT.NUMBERING, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"}
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype in drop:
            doc.part.rels.pop(rid)
    settings = doc.settings.element
    for tag in ("w:rsids", "w:proofState", "w14:docId"):
        for el in settings.findall(qn(tag)):
            settings.remove(el)
    tab_stop = settings.find(qn("w:defaultTabStop"))
    tab_stop.set(qn("w:val"), str(INDENT))
    # no w:autoHyphenation: it has no minimum of letters each side («допомо-ги»); the renderer puts soft
    # hyphens into the table's body text instead (plandocs.render.docx_hyphens)
    for auto in settings.findall(qn("w:autoHyphenation")):
        settings.remove(auto)
    for compat in settings.iter(qn("w:compatSetting")):
        if compat.get(qn("w:name")) == "compatibilityMode":
            compat.set(qn("w:val"), "15")  # Word 2013+ layout: a table's indent is measured to its border
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), "uk-UA")


NO_HYPHENS = "<w:suppressAutoHyphens/>"
"""Stamps, titles, signatures and the order's header are never hyphenated (issue 10), as in the PDF."""

_FONTS = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'

# (styleId, name, basedOn, pPr, rPr); paragraph styles unless the id ends with "Char".
_STYLES: tuple[tuple[str, str, str, str, str], ...] = (
    ("Normal", "Normal", "", '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>',
     f'{_FONTS}<w:sz w:val="24"/><w:szCs w:val="24"/><w:lang w:val="uk-UA" w:eastAsia="uk-UA" w:bidi="ar-SA"/>'),
    ("Heading1", "heading 1", "Normal",
     '<w:keepNext/><w:keepLines/><w:spacing w:before="240" w:after="120"/><w:jc w:val="center"/>'
     '<w:outlineLvl w:val="0"/>', f'{_FONTS}<w:b/><w:bCs/><w:color w:val="000000"/><w:sz w:val="24"/>'
     '<w:szCs w:val="24"/>'),
    ("Header", "header", "Normal", '<w:jc w:val="center"/>', ""),
    ("Footer", "footer", "Normal", '<w:jc w:val="center"/>', ""),
    ("TOC1", "toc 1", "Normal",
     '<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9628"/></w:tabs><w:spacing w:after="60"/>', ""),
    ("PlanTitle", "Plan Title", "Normal", f'<w:keepNext/>{NO_HYPHENS}<w:jc w:val="center"/>', "<w:b/><w:bCs/>"),
    ("PlanContentsHeading", "Plan Contents Heading", "Normal",
     '<w:keepNext/><w:spacing w:before="240" w:after="120"/><w:jc w:val="center"/>', "<w:b/><w:bCs/>"),
    ("PlanBody", "Plan Body", "Normal", f'<w:spacing w:after="60"/><w:ind w:firstLine="{INDENT}"/><w:jc w:val="both"/>',
     ""),
    ("PlanItem", "Plan Item", "Normal", f'<w:spacing w:after="60"/><w:ind w:left="{INDENT}"/><w:jc w:val="both"/>', ""),
    ("PlanGoal", "Plan Goal", "Normal", '<w:spacing w:after="60"/>', ""),
    ("PlanGoalChild", "Plan Goal Child", "PlanGoal", f'<w:ind w:left="{INDENT}"/>', ""),
    ("PlanStamp", "Plan Stamp", "Normal",
     f'<w:tabs><w:tab w:val="right" w:pos="{_twips(STAMP_WIDTH)}"/></w:tabs>{NO_HYPHENS}', ""),
    ("PlanStampLabel", "Plan Stamp Label", "PlanStamp", "<w:keepNext/>", "<w:b/><w:bCs/>"),
    # the signature line before the name where the YAML writes no signature place (ДСТУ 4163:2020)
    ("PlanStampSign", "Plan Stamp Sign", "Normal",
     f'<w:tabs><w:tab w:val="right" w:leader="underscore" w:pos="{_twips(STAMP_WIDTH)}"/></w:tabs>{NO_HYPHENS}',
     ""),
    ("PlanSignature", "Plan Signature", "Normal", NO_HYPHENS, ""),
    ("PlanOrderHeader", "Plan Order Header", "Normal", f'<w:keepNext/>{NO_HYPHENS}<w:jc w:val="center"/>',
     "<w:b/><w:bCs/>"),
    ("PlanOrderKind", "Plan Order Kind", "PlanOrderHeader", '<w:spacing w:before="240" w:after="240"/>', ""),
    ("PlanOrderTitle", "Plan Order Title", "Normal", f'<w:keepNext/>{NO_HYPHENS}<w:ind w:right="{_twips(70)}"/>',
     "<w:b/><w:bCs/>"),
)
_KEEP_STYLES = {"DefaultParagraphFont", "TableNormal", "NoList"}


def _style(style_id: str, name: str, based_on: str, ppr: str, rpr: str) -> BaseOxmlElement:
    custom = "" if style_id in {"Normal", "Heading1", "Header", "Footer", "TOC1"} else ' w:customStyle="1"'
    default = ' w:default="1"' if style_id == "Normal" else ""
    parts = [f'<w:style {W} w:type="paragraph"{default}{custom} w:styleId="{style_id}"><w:name w:val="{name}"/>']
    if based_on:
        parts.append(f'<w:basedOn w:val="{based_on}"/><w:next w:val="Normal"/>')
    parts.append('<w:uiPriority w:val="9"/><w:qFormat/>' if style_id == "Heading1" else "")
    parts.append(f"<w:pPr>{ppr}</w:pPr>" if ppr else "")
    parts.append(f"<w:rPr>{rpr}</w:rPr>" if rpr else "")
    parts.append("</w:style>")
    return parse_xml("".join(parts))


def _setup_styles(doc: DocxDocument) -> None:
    """Times New Roman everywhere (docDefaults and Normal, with cs/eastAsia fonts), Ukrainian language,
    Heading 1 restyled black, bold and centred (the contents field finds it), and the "Plan …" styles."""
    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    assert defaults is not None
    styles.replace(defaults, parse_xml(
        f'<w:docDefaults {W}><w:rPrDefault><w:rPr>{_FONTS}<w:sz w:val="24"/><w:szCs w:val="24"/>'
        '<w:lang w:val="uk-UA" w:eastAsia="uk-UA" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
        "</w:docDefaults>"))
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in _KEEP_STYLES:
            styles.remove(style)
    for spec in _STYLES:
        styles.append(_style(*spec))


# --------------------------------------------------------------------------- page setup


def _page(section: Section, orientation: str) -> None:
    landscape = orientation == "landscape"
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    top, right, bottom, left = MARGINS
    section.top_margin, section.right_margin = Mm(top), Mm(right)
    section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
    section.header_distance = section.footer_distance = Mm(10)


def _page_number_header(section: Section) -> None:
    """A PAGE field centred in the header; an empty first-page header (no number on page 1)."""
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.style = "Header"
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run_xml in ('<w:fldChar w:fldCharType="begin"/>', '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
                    '<w:fldChar w:fldCharType="separate"/>', "<w:t>2</w:t>", '<w:fldChar w:fldCharType="end"/>'):
        p._p.append(parse_xml(f"<w:r {W}>{run_xml}</w:r>"))
    first = section.first_page_header
    first.is_linked_to_previous = False
    first.paragraphs[0].style = "Header"


# --------------------------------------------------------------------------- template writer


class _Writer:
    """Appends template paragraphs and tables to a python-docx document."""

    def __init__(self, doc: DocxDocument, text_width: float) -> None:
        self.doc = doc
        self.text_width = text_width
        """Text width in mm of the section being written (for the signature tables' grid)."""

    def para(self, text: str = "", style: str = "Normal") -> Paragraph:
        p = self.doc.add_paragraph(style=style)
        if text:
            p.add_run(text)
        return p

    def tag(self, tag: str) -> None:
        """A paragraph holding only a ``{%p … %}`` tag (removed from the output)."""
        self.para(tag)

    def page_break(self) -> None:
        self.para()._p.append(parse_xml(f'<w:r {W}><w:br w:type="page"/></w:r>'))

    def section_break(self, orientation: str) -> None:
        """End the current section here; it gets the given orientation, the next one the body's."""
        body_sect = self.doc.element.body.sectPr
        assert body_sect is not None
        sect = deepcopy(body_sect)
        self.para()._p.get_or_add_pPr().append(sect)
        _page(Section(sect, self.doc.part), orientation)

    def raw(self, p: Paragraph, xml: str) -> None:
        p._p.append(parse_xml(f"<w:r {W}>{xml}</w:r>"))

    # ---- tables

    def layout_table(self, shares: Sequence[int], rows: int = 1, width_mm: float | None = None,
                     align: str = "left", borders: bool = False) -> Table:
        """A table for stamps and signatures (borderless, no cell margins) or a summary (``borders``):
        ``width_mm`` fixed, else the full text width with columns in percent (``shares`` out of 100) so
        it follows the render-time margins."""
        total = width_mm or self.text_width
        table: Table = self.doc.add_table(rows=rows, cols=len(shares))
        tbl = table._tbl
        width = f'<w:tblW w:w="{_twips(total)}" w:type="dxa"/>' if width_mm else '<w:tblW w:w="5000" w:type="pct"/>'
        line = 'w:val="single" w:sz="4" w:space="0" w:color="000000"' if borders else 'w:val="nil"'
        margin = 57 if borders else 0
        tbl.replace(tbl.tblPr, parse_xml(
            f'<w:tblPr {W}>{width}<w:jc w:val="{align}"/><w:tblInd w:w="0" w:type="dxa"/>'
            f"<w:tblBorders><w:top {line}/><w:left {line}/><w:bottom {line}/><w:right {line}/>"
            f"<w:insideH {line}/><w:insideV {line}/></w:tblBorders>"
            f'<w:tblLayout w:type="{"fixed" if width_mm else "autofit"}"/>'
            f'<w:tblCellMar><w:left w:w="{margin}" w:type="dxa"/><w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
            'w:noHBand="1" w:noVBand="1"/></w:tblPr>'))
        for col, share in zip(tbl.tblGrid.gridCol_lst, shares, strict=True):
            col.w = Twips(_twips(total * share / 100))
        for row in table.rows:
            for cell, share in zip(row.cells, shares, strict=True):
                tcpr = cell._tc.get_or_add_tcPr()
                for old in tcpr.findall(qn("w:tcW")):
                    tcpr.remove(old)
                tcw = (f'<w:tcW {W} w:w="{_twips(total * share / 100)}" w:type="dxa"/>' if width_mm
                       else f'<w:tcW {W} w:w="{share * 50}" w:type="pct"/>')
                tcpr.insert(0, parse_xml(tcw))
        return table


def _cell_para(cell_paragraph: Paragraph, text: str, style: str, align: str | None = None) -> Paragraph:
    p = cell_paragraph
    p.style = style
    if text:
        p.add_run(text)
    if align:
        p._p.get_or_add_pPr().append(parse_xml(f'<w:jc {W} w:val="{align}"/>'))
    return p


def _add_cell_para(cell: _Cell, text: str, style: str) -> Paragraph:
    p: Paragraph = cell.add_paragraph(style=style)
    if text:
        p.add_run(text)
    return p


# --------------------------------------------------------------------------- blocks


def order_block(w: _Writer) -> None:
    """The approving order (розпорядження, наказ) on its own portrait section (seed 003)."""
    w.tag("{%p if doc.order %}")
    w.tag("{%p for line in doc.order.header %}")
    w.para("{{ line }}", "Plan Order Header")
    w.tag("{%p endfor %}")
    w.para("{{ doc.order.kind }}", "Plan Order Kind")
    w.para("від {{ doc.order.date }} №\u00a0{{ doc.order.number }}")
    w.tag("{%p if doc.order.place %}")
    w.para("{{ doc.order.place }}")
    w.tag("{%p endif %}")
    w.para()
    w.tag("{%p for line in doc.order.title %}")
    w.para("{{ line }}", "Plan Order Title")
    w.tag("{%p endfor %}")
    w.para()
    w.tag("{%p if doc.order.preamble %}")
    w.para("{{ doc.order.preamble }}", "Plan Body")
    w.tag("{%p endif %}")
    w.tag("{%p for item in doc.order.items %}")
    w.para("{{ loop.index }}. {{ item }}", "Plan Body")
    w.tag("{%p endfor %}")
    w.tag("{%p if doc.order.signature %}")
    w.tag("{%p with s = doc.order.signature %}")
    w.para()
    signature_table(w, "s.position", date=True)
    w.tag("{%p endwith %}")
    w.tag("{%p endif %}")
    w.section_break("portrait")
    w.tag("{%p endif %}")


def stamps(w: _Writer) -> None:
    """Approval stamps (гриф затвердження): a 73 mm block at the right margin, one row per stamp."""
    w.tag("{%p if doc.approval %}")
    table = w.layout_table([100], rows=3, width_mm=STAMP_WIDTH, align="right")
    table.rows[0].cells[0].paragraphs[0].add_run("{%tr for s in doc.approval %}")
    table.rows[2].cells[0].paragraphs[0].add_run("{%tr endfor %}")
    cell = table.rows[1].cells[0]
    _cell_para(cell.paragraphs[0], "{{ s.label }}", "Plan Stamp Label")
    _add_cell_para(cell, "{%p for line in s.lines %}", "Plan Stamp")
    _add_cell_para(cell, "{{ line }}", "Plan Stamp")
    _add_cell_para(cell, "{%p endfor %}", "Plan Stamp")
    # a signature place the YAML writes («(підпис)») is printed as written; else a line, then the name on one
    # line at the right edge (the no-break space keeps the line from touching the name)
    _add_cell_para(cell, "{%p if s.signature %}", "Plan Stamp")
    _add_cell_para(cell, "{{ s.signature }}\t{{ s.name }}", "Plan Stamp")
    _add_cell_para(cell, "{%p elif s.name %}", "Plan Stamp")
    _add_cell_para(cell, "\t\u00a0{{ s.name }}", "Plan Stamp Sign")
    _add_cell_para(cell, "{%p endif %}", "Plan Stamp")
    _add_cell_para(cell, "{%p if s.date %}", "Plan Stamp")
    _add_cell_para(cell, "{{ s.date }}", "Plan Stamp")
    _add_cell_para(cell, "{%p endif %}", "Plan Stamp")
    _add_cell_para(cell, "", "Plan Stamp")
    w.tag("{%p endif %}")


def title(w: _Writer) -> None:
    w.para()
    w.tag("{%p for line in doc.title %}")
    w.para("{{ line }}", "Plan Title")
    w.tag("{%p endfor %}")
    w.para()


def contents(w: _Writer) -> None:
    """ЗМІСТ: a TOC field whose current result lists the sections (Word refreshes it on open, since
    render_docx sets w:updateFields); each entry links to its heading and shows a PAGEREF page number, whose
    current result is the page the PDF layout found (so LibreOffice, which does not update, shows it too)."""
    w.tag("{%p if doc.contents %}")
    # the title page stands alone, as in the original (Pokrovsk: title p.2, ЗМІСТ p.3), and as the PDF prints it
    w.para("ЗМІСТ", "Plan Contents Heading").paragraph_format.page_break_before = True
    begin = w.para()
    w.raw(begin, '<w:fldChar w:fldCharType="begin"/>')
    w.raw(begin, '<w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText>')
    w.raw(begin, '<w:fldChar w:fldCharType="separate"/>')
    w.tag("{%p for s in doc.sections %}")
    entry = w.para(style="toc 1")
    entry._p.append(parse_xml(
        f'<w:hyperlink {W} w:anchor="_Toc{{{{ s.number }}}}" w:history="1">'
        "<w:r><w:t>{{ s.number }}. {{ s.title }}</w:t></w:r><w:r><w:tab/></w:r>"
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGEREF _Toc{{ s.number }} \\h </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>{{ s.page }}</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink>'))
    w.tag("{%p endfor %}")
    end = w.para()
    w.raw(end, '<w:fldChar w:fldCharType="end"/>')
    w.page_break()
    w.tag("{%p endif %}")


def heading(w: _Writer) -> None:
    """The section heading (Heading 1) with the bookmark the contents entry points at."""
    p = w.para(style="Heading 1")
    p._p.append(parse_xml(f'<w:bookmarkStart {W} w:id="{{{{ s.number }}}}" w:name="_Toc{{{{ s.number }}}}"/>'))
    p.add_run("{{ s.number }}. {{ s.title }}")
    p._p.append(parse_xml(f'<w:bookmarkEnd {W} w:id="{{{{ s.number }}}}"/>'))


def paragraphs(w: _Writer, items: str) -> None:
    """Prose paragraphs; one starting with "- " is a list item."""
    w.tag(f"{{%p for p in {items} %}}")
    w.tag('{%p if p.startswith("- ") %}')
    w.para("{{ p }}", "Plan Item")
    w.tag("{%p else %}")
    w.para("{{ p }}", "Plan Body")
    w.tag("{%p endif %}")
    w.tag("{%p endfor %}")


PROSE_STYLES = (("h2", "Heading2"), ("h3", "Heading3"), ("bullet", "ListBullet"), ("footnote", "PlanFootnote"))
"""Block kind → paragraph style id of the Markdown subset; render/docx_forms.py adds these styles (and the
bullet numbering) to a document only when it has such prose, so other documents keep their bytes."""


def blocks(w: _Writer, items: str) -> None:
    """Prose parsed as the Markdown subset (``prose: markdown``): a styled paragraph per block, its runs
    built by the ``rich`` function of the render context."""
    w.tag(f"{{%p for b in {items} %}}")
    for i, (kind, style_id) in enumerate(PROSE_STYLES):
        w.tag(f'{{%p {"if" if i == 0 else "elif"} b.kind == "{kind}" %}}')
        p = w.para("{{r rich(b) }}")
        p._p.get_or_add_pPr().get_or_add_pStyle().val = style_id
    w.tag("{%p else %}")
    w.para("{{r rich(b) }}", "Plan Body")
    w.tag("{%p endif %}")
    w.tag("{%p endfor %}")


def goals(w: _Writer) -> None:
    """The list of strategic and operational goals (a section with insert: goals)."""
    w.tag('{%p if s.insert == "goals" %}')
    w.tag("{%p for g in doc.goals %}")
    p = w.para(style="Plan Goal")
    p.add_run("{{ g.label }}").bold = True
    p.add_run(" {{ g.title }}")
    w.tag("{%p for c in g.children %}")
    w.para("{{ c.label }} {{ c.title }}", "Plan Goal Child")
    w.tag("{%p endfor %}")
    w.tag("{%p endfor %}")
    w.tag("{%p endif %}")


def sections_loop(w: _Writer, items: str, with_table: bool) -> None:
    w.tag(f"{{%p for s in {items} %}}")
    heading(w)
    paragraphs(w, "s.paragraphs")
    blocks(w, "s.blocks")
    goals(w)
    if with_table:
        w.tag('{%p if s.insert == "table" %}')
        w.para("{{p table }}")
        w.tag("{%p endif %}")
    paragraphs(w, "s.paragraphs_after")
    blocks(w, "s.blocks_after")
    w.tag("{%p endfor %}")


def _keep_together(element: BaseOxmlElement) -> None:
    """Every paragraph of ``element`` kept with the next one, and each of its table rows unsplit: what follows
    (the signatures) is never left alone on a page (orphan control, issue 10)."""
    for p in element.iter(qn("w:p")):
        p.get_or_add_pPr().keepNext_val = True
    for tr in element.iter(qn("w:tr")):
        tr.get_or_add_trPr().append(parse_xml(f"<w:cantSplit {W}/>"))


def signature_table(w: _Writer, position: str, date: bool, keep: bool = False) -> None:
    """Position on the left, signature place in the middle, name on the right (variable ``s``); ``keep``
    keeps it with what follows (the next signature of the closing block)."""
    table = w.layout_table([55, 20, 25])
    left, middle, right = table.rows[0].cells
    _cell_para(left.paragraphs[0], f"{{%p for line in {position} or [''] %}}", "Plan Signature")
    _add_cell_para(left, "{{ line }}", "Plan Signature")
    _add_cell_para(left, "{%p endfor %}", "Plan Signature")
    if date:
        _add_cell_para(left, "{%p if s.date %}", "Plan Signature")
        _add_cell_para(left, "{{ s.date }}", "Plan Signature")
        _add_cell_para(left, "{%p endif %}", "Plan Signature")
    _cell_para(middle.paragraphs[0], "{{ s.signature }}", "Plan Signature", "center")
    _cell_para(right.paragraphs[0], "{{ s.name }}", "Plan Signature", "right")
    for cell in (middle, right):
        cell._tc.get_or_add_tcPr().append(parse_xml(f'<w:vAlign {W} w:val="bottom"/>'))
    if keep:
        _keep_together(table._tbl)


def closing(w: _Writer) -> None:
    """Signatures, acknowledgements (Ознайомлений) and agreements (ПОГОДЖЕНО) at the end."""
    w.tag("{%p for s in doc.signatures %}")
    w.para().paragraph_format.keep_with_next = True  # the table's last rows keep with it, it with the signature
    signature_table(w, "s.position", date=True, keep=True)
    w.tag("{%p endfor %}")
    for items in ("doc.acknowledgements", "doc.agreements"):
        w.tag(f"{{%p for s in {items} %}}")
        w.para().paragraph_format.keep_with_next = True
        w.para("{{ s.label }}", "Plan Stamp Label").runs[0].bold = False
        signature_table(w, "s.lines", date=True, keep=True)
        w.tag("{%p endfor %}")
    w.para()


_SUMMARY_COLUMNS = (
    ('{{ "Організація" if doc.kind == "region" else "Пріоритет" }}', "label"),
    ("Заплановано на період", "due"), ("Виконано", "done"), ("Перевиконано", "exceeded"),
    ("Не виконано", "missed"), ("Не заплановано на період", "not_due"), ("Рівень виконання", "completion"),
)


def summary(w: _Writer) -> None:
    """Notes, then the outcome summary per priority (or organisation) with the total row, as summary.html
    prints them (its plan-vs-fact chart is not reproduced)."""
    w.tag('{%p for note in doc.summary.notes %}')
    w.para("{{ note }}", "Plan Body")
    w.tag("{%p endfor %}")
    w.para('{{ doc.summary.heading }}', "Plan Contents Heading")
    table = w.layout_table([34] + [11] * 6, rows=5, borders=True)
    head, loop, line, end, total = table.rows
    loop.cells[0].paragraphs[0].add_run("{%tr for s in doc.summary.lines %}")
    end.cells[0].paragraphs[0].add_run("{%tr endfor %}")
    for i, (title, attr) in enumerate(_SUMMARY_COLUMNS):
        align = "left" if i == 0 else "center"
        _cell_para(head.cells[i].paragraphs[0], title, "Plan Signature", "center").runs[0].bold = True
        head.cells[i]._tc.get_or_add_tcPr().append(parse_xml(f'<w:vAlign {W} w:val="center"/>'))
        _cell_para(line.cells[i].paragraphs[0], f"{{{{ s.{attr} }}}}", "Plan Signature", align)
        cell = _cell_para(total.cells[i].paragraphs[0], f"{{{{ doc.summary.total.{attr} }}}}", "Plan Signature",
                          align)
        cell.runs[0].bold = True
    head._tr.get_or_add_trPr().append(parse_xml(f"<w:tblHeader {W}/>"))
    for row in (head, line, total):  # a short table: kept on one page, and «Усього» with the signatures
        _keep_together(row._tr)
    w.para().paragraph_format.keep_with_next = True


# --------------------------------------------------------------------------- layouts


def comparative(doc: DocxDocument, orientation: str) -> bytes:
    """The comparative table («порівняльна таблиця») of an amended plan; its rich cells are built at render
    time (``plandocs.render.docx``), like every measures table."""
    # its own style, added here only: the other templates stay byte-identical
    doc.styles.element.append(_style("PlanRequisites", "Plan Requisites", "Normal",
                                     '<w:keepNext/><w:jc w:val="center"/>', ""))
    section = doc.sections[0]
    _page(section, orientation)
    _page_number_header(section)
    right, left = MARGINS[1], MARGINS[3]
    w = _Writer(doc, (297 if orientation == "landscape" else 210) - right - left)
    title(w)
    w.tag('{%p for line in doc.requisites %}')
    w.para("{{ line }}", "Plan Requisites")
    w.tag("{%p endfor %}")
    w.para()
    w.para("{{p table }}")
    closing(w)
    buf = io.BytesIO()
    doc.save(buf)
    return repack(buf.getvalue())


def build(layout: str) -> bytes:
    doc = Document()
    _prune_package(doc)
    _setup_styles(doc)
    if layout.startswith("comparative-"):
        return comparative(doc, layout.removeprefix("comparative-"))
    last = "portrait" if layout == "mixed" else "landscape"
    section = doc.sections[0]
    _page(section, last)
    _page_number_header(section)
    right, left = MARGINS[1], MARGINS[3]
    portrait_width, landscape_width = 210 - right - left, 297 - right - left
    w = _Writer(doc, portrait_width)
    order_block(w)
    w.text_width = portrait_width if layout == "mixed" else landscape_width
    stamps(w)
    title(w)
    contents(w)
    if layout in ("landscape", "summary"):
        sections_loop(w, "doc.sections", with_table=True)
        w.tag("{%p if doc.table_section < 0 %}")
        w.para("{{p table }}")
        w.tag("{%p endif %}")
        if layout == "summary":
            summary(w)
    else:
        sections_loop(w, "sections_before", with_table=False)
        w.tag("{%p if table_section %}")
        w.tag("{%p with s = table_section %}")
        heading(w)
        paragraphs(w, "s.paragraphs")
        blocks(w, "s.blocks")
        w.tag("{%p endwith %}")
        w.tag("{%p endif %}")
        w.section_break("portrait")
        w.para("{{p table }}")
        w.section_break("landscape")
        w.tag("{%p if table_section %}")
        w.tag("{%p with s = table_section %}")
        paragraphs(w, "s.paragraphs_after")
        blocks(w, "s.blocks_after")
        w.tag("{%p endwith %}")
        w.tag("{%p endif %}")
        sections_loop(w, "sections_after", with_table=False)
    closing(w)
    buf = io.BytesIO()
    doc.save(buf)
    return repack(buf.getvalue())


def repack(data: bytes) -> bytes:
    """The same package with fixed entry times, order and compression (byte-identical output)."""
    return repack_package(data, ZIP_TIME, {"docProps/core.xml": CORE_XML})


def main() -> None:
    for kind, layout in KINDS.items():
        path = OUT / f"{kind}.docx"
        path.write_bytes(build(layout))
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
