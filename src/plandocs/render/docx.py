"""Stage 4 (DOCX): render a document view into a Word document with docxtpl.

:func:`render_docx` is the only public function.  The template (``templates/<kind>.docx``, built by
``scripts/make_docx_templates.py``, or an organisation's own) holds the document frame as Jinja tags;
the measures table is built here with python-docx into a docxtpl subdocument and inserted where the
template says ``{{p table }}``.  Margins, font sizes and the first-page header are render-time values
applied to the rendered document, and the package is written with fixed zip entry times and order, so
the same view always gives the same bytes.
"""

from __future__ import annotations

import datetime as _dt
import io
import math
import os
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from docx.document import Document as DocxDocument
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.table import CT_Row, CT_Tbl, CT_Tc
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Mm, Pt, Twips
from docx.table import Table
from docxtpl import DocxTemplate
from lxml import etree

from plandocs.errors import TemplateFailure
from plandocs.i18n import _
from plandocs.render.docx_forms import add_prose_styles, drop_empty_sections, has_blocks, rich_builder
from plandocs.render.docx_hyphens import run_content
from plandocs.render.templating import RUNTIME_TEMPLATE_ERRORS, docx_env, shown_template, template_error_message
from plandocs.view.types import A4, Cell, DocumentView, PageView, Row, Span

__all__ = ["render_docx"]

_FONT = "Times New Roman"
_W = nsdecls("w")
_TWIPS_PER_MM = 1440 / 25.4
_MIN_TABLE_PT = 10
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_ZIP_END = (2107, 12, 31, 23, 59, 58)  # the last time a zip entry can hold (an approval in 2999 cannot)
_CORE = "docProps/core.xml"


def render_docx(view: DocumentView, template: Path, *, extra_context: dict[str, Any] | None = None) -> bytes:
    """Render ``view`` with the DOCX ``template`` and return the .docx file's bytes.

    The Jinja context holds ``doc`` (the view), ``table`` (the measures table, for ``{{p table }}``) and,
    for templates that put the table in its own section, ``sections_before``, ``table_section`` (or
    ``None``) and ``sections_after``; ``extra_context`` adds names of the caller's own (it may not
    replace these).  Text is autoescaped and an unknown name in the template raises
    :class:`~plandocs.errors.PlandocsError` naming it.
    """
    shown = shown_template(str(template))
    if not template.is_file():
        raise TemplateFailure(_("{template}: DOCX template not found").format(template=shown))
    tpl = DocxTemplate(str(template))
    try:
        tpl.init_docx()
    except (zipfile.BadZipFile, PackageNotFoundError, KeyError, etree.XMLSyntaxError):
        raise TemplateFailure(_("{template}: not a Word document (.docx is a zip package); save the template "
                                "from Word or LibreOffice as .docx").format(template=shown)) from None
    context = _context(view, _measures_subdoc(tpl, view), {"rich": rich_builder(tpl), **(extra_context or {})})
    try:
        tpl.render(context, jinja_env=docx_env(), autoescape=True)
    except RUNTIME_TEMPLATE_ERRORS as exc:
        raise TemplateFailure(_template_error(shown, exc)) from None
    doc: DocxDocument = tpl.docx
    drop_empty_sections(doc)
    if has_blocks(view):
        add_prose_styles(doc, view.page.font_size)
    _apply_page(doc, view.page)
    _apply_styles(doc, view.page)
    _apply_settings(doc)
    _props = doc.core_properties  # creates the core properties part if the template has none; replaced below
    buf = io.BytesIO()
    doc.save(buf)
    return repack_package(buf.getvalue(), _zip_time(view.date), {_CORE: _core_xml(view)})


# --------------------------------------------------------------------------- context


def _context(view: DocumentView, table: object, extra: dict[str, Any]) -> dict[str, Any]:
    sections = view.sections
    split = view.table_section
    own: dict[str, Any] = {
        "doc": view,
        "table": table,
        "sections_before": sections[:split] if split >= 0 else sections,
        "table_section": sections[split] if split >= 0 else None,
        "sections_after": sections[split + 1:] if split >= 0 else (),
    }
    clash = sorted(set(own) & set(extra))
    if clash:
        raise TemplateFailure(_("extra_context may not replace {names}").format(names=", ".join(clash)))
    return {**extra, **own}


def _template_error(shown: str, exc: BaseException) -> str:
    where = " / ".join(line.strip() for line in getattr(exc, "docx_context", ()) if line.strip())
    near = _(" (near: {text})").format(text=where[:200]) if where else ""
    return _("{template}: template error: {error}{near}").format(template=shown, error=template_error_message(exc),
                                                                  near=near)


# --------------------------------------------------------------------------- the measures table


def _mm_to_twips(mm: float) -> int:
    return round(mm * _TWIPS_PER_MM)


@dataclass(frozen=True)
class _Fonts:
    """Font sizes of the table in points."""

    body: int
    colnums: int

    @staticmethod
    def of(page: PageView) -> _Fonts:
        return _Fonts(max(_MIN_TABLE_PT, page.font_size - 1), max(_MIN_TABLE_PT, page.font_size - 2))


def _measures_subdoc(tpl: DocxTemplate, view: DocumentView) -> object:
    """The measures table as a docxtpl subdocument: merged cells for spans, repeated header rows."""
    sub = tpl.new_subdoc()
    tv = view.table
    if not tv.body:  # a plan without measures prints no table, not an empty header
        return sub
    rows = (*tv.head, *tv.body)
    table: Table = sub.add_table(rows=len(rows), cols=tv.columns)
    tbl = table._tbl
    _table_properties(tbl, tv.widths)
    fonts = _Fonts.of(view.page)
    height_mm = (A4[0] if view.page.orientation == "landscape" else A4[1]) - view.page.margins[0] \
        - view.page.margins[2]
    spans: list[tuple[int, int, Cell]] = []
    grid = tv.grid(rows)
    head_min = _head_row_min_mm(grid[: len(tv.head)], tv.widths, fonts.body)
    trs = tbl.tr_lst  # python-docx rebuilds this list on every access: take it once (1,000 measures: 19 s → 0)
    for r, (row, placed) in enumerate(zip(rows, grid, strict=True)):
        tr = trs[r]
        _row_properties(tr, header=r < len(tv.head),
                        can_split=_row_height_mm(placed, tv.widths, fonts.body) > height_mm / 2,
                        min_height_mm=head_min if r < len(tv.head) else 0.0)
        for col, cell in placed:
            _fill_cell(tr.tc_at_grid_offset(col), cell, row, fonts)
            if cell.rowspan > 1 or cell.colspan > 1:
                spans.append((r, col, cell))
    twips = [_mm_to_twips(w) for w in tv.widths]
    for r, col, cell in spans:
        _merge(trs, r, col, cell.rowspan, cell.colspan, sum(twips[col:col + cell.colspan]))
    # orphan control: the last two rows stay together and with what follows the table (the signatures), so
    # that no row and no «Усього» stands alone on the last page
    for tr in trs[max(len(tv.head), len(rows) - KEEP_LAST_ROWS):]:
        keep_with_next(tr)
    return sub


KEEP_LAST_ROWS = 2
"""Body rows at the end of the table kept on one page with each other and with the block after the table."""


def keep_with_next(element: BaseOxmlElement) -> None:
    """``w:keepNext`` on every paragraph of ``element`` (a table row: Word and LibreOffice keep a row whose
    paragraphs keep with the next on the page of the row after it)."""
    for p in element.iter(qn("w:p")):
        p.get_or_add_pPr().keepNext_val = True


def _merge(trs: Sequence[CT_Row], top: int, left: int, height: int, width: int, width_twips: int) -> None:
    """Merge a block of cells row by row: the first cell of each row absorbs the next ``width - 1`` (which are
    empty, so nothing moves) and is marked as the start or a continuation of a vertical merge.

    python-docx's ``_Cell.merge`` does the same but finds rows with ``tr_lst.index`` each time, which made
    the table quadratic in its number of rows."""
    for dr in range(height):
        tr = trs[top + dr]
        tc = tr.tc_at_grid_offset(left)
        for _cell in range(width - 1):
            tr.remove(tc.getnext())
        if width > 1:
            tc.grid_span = width
            tc.width = Twips(width_twips)
        if height > 1:
            tc.vMerge = "restart" if dr == 0 else "continue"


def _table_properties(tbl: CT_Tbl, widths: Sequence[float]) -> None:
    """Fixed layout with the view's column widths, single borders on every cell, small cell margins."""
    twips = [_mm_to_twips(w) for w in widths]
    border = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
    tbl_pr = parse_xml(
        f'<w:tblPr {_W}><w:tblW w:w="{sum(twips)}" w:type="dxa"/><w:tblInd w:w="0" w:type="dxa"/>'
        f"<w:tblBorders><w:top {border}/><w:left {border}/><w:bottom {border}/><w:right {border}/>"
        f"<w:insideH {border}/><w:insideV {border}/></w:tblBorders>"
        '<w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="57" w:type="dxa"/>'
        '<w:bottom w:w="28" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
        'w:noHBand="1" w:noVBand="1"/></w:tblPr>')
    tbl.replace(tbl.tblPr, tbl_pr)
    for grid_col, w in zip(tbl.tblGrid.gridCol_lst, twips, strict=True):
        grid_col.w = Twips(w)
    for tr in tbl.tr_lst:
        for tc, w in zip(tr.tc_lst, twips, strict=True):
            tc.width = Twips(w)


def _row_properties(tr: CT_Row, header: bool, can_split: bool, min_height_mm: float = 0.0) -> None:
    """``w:cantSplit`` (a row stays on one page) unless the row is too tall for that; ``w:tblHeader``
    on header rows so Word and LibreOffice repeat them on every page; a minimum height where header
    cells span several rows (LibreOffice sizes repeated header rows by their own cells only)."""
    tr_pr = tr.get_or_add_trPr()
    if not can_split:
        tr_pr.append(OxmlElement("w:cantSplit"))
    if min_height_mm:
        tr_pr.append(parse_xml(f'<w:trHeight {_W} w:val="{_mm_to_twips(min_height_mm)}" w:hRule="atLeast"/>'))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _head_row_min_mm(head: Sequence[Sequence[tuple[int, Cell]]], widths: Sequence[float], size_pt: int) -> float:
    """Minimum height of each header row so that cells spanning all header rows fit (0 for one row)."""
    if len(head) < 2:
        return 0.0
    tallest = max((_row_height_mm([(col, replace(cell, rowspan=1))], widths, size_pt) + 2
                   for placed in head for col, cell in placed if cell.rowspan > 1), default=0.0)
    return tallest / len(head)


def _row_height_mm(placed: Sequence[tuple[int, Cell]], widths: Sequence[float], size_pt: int) -> float:
    """A rough height of a row's tallest single-row cell (to let very tall rows break across pages)."""
    line_mm = size_pt * 1.15 * 25.4 / 72
    char_mm = size_pt * 0.5 * 25.4 / 72
    tallest = 0.0
    for col, cell in placed:
        if cell.rowspan > 1:
            continue
        width = max(sum(widths[col:col + cell.colspan]) - 2, char_mm)
        per_line = max(int(width / char_mm), 1)
        lines = sum(max(math.ceil(len(part) / per_line), 1) for part in cell.text.split("\n"))
        tallest = max(tallest, lines * line_mm)
    return tallest


def _fill_cell(tc: CT_Tc, cell: Cell, row: Row, fonts: _Fonts) -> None:
    """Text (one paragraph per line), alignment, weight, shading and vertical alignment of one cell."""
    head = row.kind in ("head", "colnums")
    bold = cell.bold or row.kind in ("head", "priority") or (row.kind == "task" and cell.colspan > 1)
    italic = row.kind == "task" and cell.colspan > 1
    size = fonts.colnums if row.kind == "colnums" else fonts.body
    align = "center" if head else cell.align
    for child in list(tc):
        if child.tag != qn("w:tcPr"):
            tc.remove(child)
    keep_next = row.kind in ("priority", "task")  # a heading row never stays alone at a page bottom
    if cell.lines:
        for spans in cell.lines:
            tc.append(_rich_paragraph(spans, align, bold, size, hyphenate=not head))
    else:
        for line in cell.text.split("\n"):
            # header words are never hyphenated (issue 10: «резу-льтативності»), as in the PDF
            tc.append(_paragraph(line, align, bold, italic, size, keep_next, hyphenate=not head))
    tc_pr = tc.get_or_add_tcPr()
    if row.kind == "priority":
        tc_pr.append(parse_xml(f'<w:shd {_W} w:val="clear" w:color="auto" w:fill="F2F2F2"/>'))
    tc_pr.append(parse_xml(f'<w:vAlign {_W} w:val="{"center" if head else "top"}"/>'))


def _run_properties(bold: bool, italic: bool, size: int) -> str:
    weight = "<w:b/><w:bCs/>" if bold else ""
    slant = "<w:i/><w:iCs/>" if italic else ""
    return (f'<w:rFonts w:ascii="{_FONT}" w:hAnsi="{_FONT}" w:eastAsia="{_FONT}" w:cs="{_FONT}"/>{weight}{slant}'
            f'<w:sz w:val="{size * 2}"/><w:szCs w:val="{size * 2}"/>')


def _rich_paragraph(spans: Sequence[Span], align: str, bold: bool, size: int,
                    hyphenate: bool = True) -> BaseOxmlElement:
    """A paragraph of marked runs: ``new`` and ``bold`` bold, ``old`` struck through (``w:strike``), ``note`` and
    ``italic`` italic."""
    p = _paragraph("", align, bold, False, size, hyphenate=hyphenate)
    for span in spans:
        if not span.text:
            continue
        rpr = _run_properties(bold or span.mark in ("new", "bold"), span.mark in ("note", "italic"), size)
        if span.mark == "old":
            rpr = rpr.replace("<w:sz ", "<w:strike/><w:sz ", 1)  # CT_RPr order: b, i, …, strike, …, sz
        p.append(parse_xml(f"<w:r {_W}><w:rPr>{rpr}</w:rPr>{run_content(span.text, hyphenate)}</w:r>"))
    return p


def _paragraph(text: str, align: str, bold: bool, italic: bool, size: int,
               keep_next: bool = False, hyphenate: bool = True) -> BaseOxmlElement:
    rpr = _run_properties(bold, italic, size)
    keep = "<w:keepNext/>" if keep_next else ""
    keep += "" if hyphenate else "<w:suppressAutoHyphens/>"  # CT_PPr order: keepNext, …, suppressAutoHyphens
    p: BaseOxmlElement = parse_xml(
        f'<w:p {_W}><w:pPr>{keep}<w:spacing w:before="0" w:after="0" w:line="240" '
        f'w:lineRule="auto"/><w:ind w:left="0" w:right="0" w:firstLine="0"/><w:jc w:val="{align}"/>'
        f"<w:rPr>{rpr}</w:rPr></w:pPr></w:p>")
    if text:
        p.append(parse_xml(f"<w:r {_W}><w:rPr>{rpr}</w:rPr>{run_content(text, hyphenate)}</w:r>"))
    return p


# --------------------------------------------------------------------------- after rendering


def _apply_page(doc: DocxDocument, page: PageView) -> None:
    """Margins on every section; page numbers from the second page (only the first section has a
    different first page)."""
    top, right, bottom, left = page.margins
    for i, section in enumerate(doc.sections):
        section.top_margin, section.right_margin = Mm(top), Mm(right)
        section.bottom_margin, section.left_margin = Mm(bottom), Mm(left)
        section.header_distance = Mm(top / 2)
        section.different_first_page_header_footer = i == 0


def _styles_by_id(doc: DocxDocument) -> dict[str, Any]:
    return {s.style_id: s for s in doc.styles}


def _apply_styles(doc: DocxDocument, page: PageView) -> None:
    """Body font size from the view; the contents' right tab stop at the prose text width."""
    styles = _styles_by_id(doc)
    for style_id in ("Normal", "Heading1"):
        if style_id in styles:
            styles[style_id].font.size = Pt(page.font_size)
    toc = styles.get("TOC1")
    if toc is not None:
        width = A4[1] if page.prose_orientation == "landscape" else A4[0]
        tabs = toc.paragraph_format.tab_stops
        tabs.clear_all()
        tabs.add_tab_stop(Mm(width - page.margins[1] - page.margins[3]), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)


_SETTINGS_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids", "m:mathPr",
    "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping", "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions", "w:readModeInkLockDown", "w:smartTagType",
    "sl:schemaLibrary", "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)


def _apply_settings(doc: DocxDocument) -> None:
    """No automatic hyphenation; ``w:updateFields`` when the document has a contents field, so Word refreshes
    its page numbers."""
    settings = doc.settings.element
    # the table carries its own hyphenation points (soft hyphens, three letters each side); Word's and
    # LibreOffice's automatic hyphenation would add «допомо-ги» to them and to the prose, also in an
    # organisation's template that turns it on
    for auto in settings.findall(qn("w:autoHyphenation")):
        settings.remove(auto)
    body = doc.element.body
    if not any((t.text or "").strip().startswith("TOC ") for t in body.iter(qn("w:instrText"))):
        return
    if settings.find(qn("w:updateFields")) is not None:
        return
    update = parse_xml(f'<w:updateFields {_W} w:val="true"/>')
    later = [settings.find(qn(tag)) for tag in _SETTINGS_AFTER_UPDATE_FIELDS]
    anchor = next((el for el in later if el is not None), None)
    if anchor is None:
        settings.append(update)
    else:
        anchor.addprevious(update)


def _core_xml(view: DocumentView) -> bytes:
    """docProps/core.xml, written here rather than through python-docx: docxcompose (imported by docxtpl's
    Subdoc) rebinds python-docx's global ``cp`` prefix to the custom-properties namespace, after which
    python-docx writes keywords, lastModifiedBy and revision as foreign elements."""
    when = f"{view.date.isoformat()}T00:00:00Z"
    fields = (("dc:title", view.meta_title), ("dc:subject", view.subject), ("dc:creator", view.author),
              ("cp:keywords", view.kind), ("dc:language", "uk-UA"), ("cp:lastModifiedBy", "plandocs"),
              ("cp:revision", "1"))
    body = "".join(f"<{tag}>{escape(text)}</{tag}>" for tag, text in fields)
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f'{body}<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified></cp:coreProperties>'
    ).encode()


# --------------------------------------------------------------------------- the package


def _zip_time(date: _dt.date) -> tuple[int, int, int, int, int, int]:
    """Entry time of every zip member: SOURCE_DATE_EPOCH when set, else the document date at 00:00."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        t = _dt.datetime.fromtimestamp(int(epoch), tz=_dt.UTC)
        stamp = (t.year, t.month, t.day, t.hour, t.minute, t.second)
    else:
        stamp = (date.year, date.month, date.day, 0, 0, 0)
    return min(max(stamp, _ZIP_EPOCH), _ZIP_END)


def _entries(data: bytes) -> Iterator[tuple[str, bytes]]:
    """Members of a package: [Content_Types].xml and _rels/.rels first, then by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        names = src.namelist()
        first = [n for n in ("[Content_Types].xml", "_rels/.rels") if n in names]
        for name in first + sorted(n for n in names if n not in first):
            yield name, src.read(name)


def repack_package(data: bytes, when: tuple[int, int, int, int, int, int], replace: dict[str, bytes]) -> bytes:
    """The package rewritten with fixed entry times, order, attributes and compression; members named in
    ``replace`` get that content."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name, blob in _entries(data):
            blob = replace.get(name, blob)
            info = zipfile.ZipInfo(name, date_time=when)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, blob, compresslevel=6)
    return out.getvalue()
