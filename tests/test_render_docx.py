"""The DOCX renderer on the five real plans: page setup, the merged and repeated table, stamps,
escaping, strict templates and byte-identical output.  Everything is read back with python-docx."""

from __future__ import annotations

import dataclasses
import importlib.util
import io
import zipfile
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any
from xml.etree import ElementTree

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.section import Section
from docx.table import Table

from conftest import PLANS, REPO
from plandocs.check.validate import validate
from plandocs.errors import PlandocsError
from plandocs.render.docx import render_docx
from plandocs.view.plan import build_view
from plandocs.view.report import build_report_view
from plandocs.view.types import Cell, DocumentView, Row, SectionView, StampView, SummaryLine

TEMPLATES = REPO / "src" / "plandocs" / "templates"
NAMES = ("kalush", "kherson", "odesa", "pokrovsk", "zhytomyr")


# --------------------------------------------------------------------------- helpers


@cache
def views() -> dict[str, DocumentView]:
    result = validate([PLANS])
    assert result.ok, [d.headline() for d in result.diagnostics.errors]
    return {lp.path.parent.name: build_view(lp.plan, lp.organisation) for lp in result.plans}


def template(view: DocumentView) -> Path:
    return TEMPLATES / f"{view.kind}.docx"


@cache
def rendered(name: str) -> bytes:
    view = views()[name]
    return render_docx(view, template(view))


def open_docx(data: bytes) -> DocxDocument:
    return Document(io.BytesIO(data))


def measures_table(doc: DocxDocument) -> Table:
    """The table whose first row repeats as a header (the stamp and signature tables do not)."""
    tables = [t for t in doc.tables if t._tbl.tr_lst[0].find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None]
    assert len(tables) == 1
    return tables[0]


def body_sections(doc: DocxDocument) -> Iterator[tuple[int, Any]]:
    """(section index, block element) for every block of the body, in order."""
    index = 0
    for child in doc.element.body.iterchildren():
        yield index, child
        if child.tag == qn("w:p") and child.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None:
            index += 1


def table_section(doc: DocxDocument) -> Section:
    tbl = measures_table(doc)._tbl
    index = next(i for i, el in body_sections(doc) if el is tbl)
    return doc.sections[index]


def mm(length: int | None) -> float:
    assert length is not None
    return round(length / 36000, 1)


def grid_span(tc: Any) -> int:
    return int(tc.grid_span)


def v_merge(tc: Any) -> str | None:
    return tc.vMerge  # type: ignore[no-any-return]


def tcs(table: Table, row: int) -> list[Any]:
    return list(table._tbl.tr_lst[row].tc_lst)


def all_text(doc: DocxDocument) -> str:
    return "\n".join(t.text or "" for t in doc.element.body.iter(qn("w:t")))


# --------------------------------------------------------------------------- page setup


@pytest.mark.parametrize("name", NAMES)
def test_table_section_is_landscape_a4(name: str) -> None:
    section = table_section(open_docx(rendered(name)))
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (mm(section.page_width), mm(section.page_height)) == (297.0, 210.0)


@pytest.mark.parametrize("name", NAMES)
def test_margins_on_every_section(name: str) -> None:
    doc = open_docx(rendered(name))
    for s in doc.sections:
        assert (mm(s.top_margin), mm(s.right_margin), mm(s.bottom_margin), mm(s.left_margin)) == (20, 10, 20, 30)


def test_action_plan_prose_portrait_table_landscape() -> None:
    doc = open_docx(rendered("pokrovsk"))
    # order | stamp, title, contents, sections 1-3 | the table | section 4 and the signatures
    assert [s.orientation for s in doc.sections] == [WD_ORIENT.PORTRAIT, WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE,
                                                    WD_ORIENT.PORTRAIT]
    blocks = list(body_sections(doc))
    tbl = measures_table(doc)._tbl
    assert [i for i, el in blocks if el is tbl] == [2]
    last_text = "".join(t.text or "" for i, el in blocks if i == 3 for t in el.iter(qn("w:t")))
    assert "4. МОНІТОРИНГ ТА ОЦІНКА" in last_text and "І. Бонзюх" in last_text and "ПОГОДЖЕНА:" in last_text


@pytest.mark.parametrize("name", NAMES)
def test_page_numbers_from_the_second_page(name: str) -> None:
    doc = open_docx(rendered(name))
    assert [s.different_first_page_header_footer for s in doc.sections] == [True] + [False] * (len(doc.sections) - 1)
    header = doc.sections[0].header
    instr = [t.text for t in header._element.iter(qn("w:instrText"))]
    assert [i.strip() for i in instr] == ["PAGE"]
    assert header.paragraphs[0].alignment is not None and header.paragraphs[0].alignment.name == "CENTER"
    assert all(t.text in (None, "") for t in doc.sections[0].first_page_header._element.iter(qn("w:t")))


@pytest.mark.parametrize("name", NAMES)
def test_well_formed_for_word(name: str) -> None:
    """What Word insists on and LibreOffice forgives: every cell ends with a paragraph, the body ends with
    one, bookmark ids are unique; and no template tag is left in the text."""
    body = open_docx(rendered(name)).element.body
    assert all(len(tc) and tc[-1].tag == qn("w:p") for tc in body.iter(qn("w:tc")))
    assert body[-1].tag == qn("w:sectPr") and body[-2].tag == qn("w:p")
    ids = [b.get(qn("w:id")) for b in body.iter(qn("w:bookmarkStart"))]
    assert len(ids) == len(set(ids))
    text = "".join(t.text or "" for t in body.iter(qn("w:t")))
    assert not any(tag in text for tag in ("{{", "}}", "{%", "%}"))


# --------------------------------------------------------------------------- the measures table


@pytest.mark.parametrize("name", NAMES)
def test_header_rows_repeat_and_rows_do_not_split(name: str) -> None:
    view = views()[name]
    table = measures_table(open_docx(rendered(name)))
    rows = table._tbl.tr_lst
    assert len(rows) == len(view.table.head) + len(view.table.body)
    for r, tr in enumerate(rows):
        tr_pr = tr.trPr
        assert tr_pr is not None
        assert (tr_pr.find(qn("w:tblHeader")) is not None) == (r < len(view.table.head)), r
        assert tr_pr.find(qn("w:cantSplit")) is not None, r


@pytest.mark.parametrize("name", NAMES)
def test_fixed_layout_and_column_widths(name: str) -> None:
    view = views()[name]
    tbl = measures_table(open_docx(rendered(name)))._tbl
    assert tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    widths = [round(int(col.get(qn("w:w"))) * 25.4 / 1440, 1) for col in tbl.tblGrid.gridCol_lst]
    assert widths == pytest.approx(list(view.table.widths), abs=0.1)
    borders = tbl.tblPr.find(qn("w:tblBorders"))
    assert {b.get(qn("w:val")) for b in borders} == {"single"} and len(borders) == 6


@pytest.mark.parametrize("name", NAMES)
def test_every_cell_of_the_view_is_in_the_docx_table(name: str) -> None:
    view = views()[name]
    table = measures_table(open_docx(rendered(name)))
    n = view.table.columns
    cells = table._cells  # the grid, computed once (table.cell() recomputes it on every call)
    rows = (*view.table.head, *view.table.body)
    for r, placed in enumerate(view.table.grid(rows)):
        for col, cell in placed:
            docx_cell = cells[r * n + col]
            assert docx_cell.text == cell.text, (r, col)
            assert len(docx_cell.paragraphs) == len(cell.text.split("\n"))
            # the whole span is one merged cell
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    assert cells[(r + dr) * n + col + dc]._tc is docx_cell._tc, (r, col, dr, dc)


def test_kalush_task_spans_its_eight_rows_and_priority_spans_the_width() -> None:
    table = measures_table(open_docx(rendered("kalush")))
    assert len(tcs(table, 1)) == 1 and grid_span(tcs(table, 1)[0]) == 7  # Пріоритет I.
    assert table.cell(1, 0).text.startswith("Пріоритет I.")
    shading = tcs(table, 1)[0].tcPr.find(qn("w:shd"))
    assert shading is not None and shading.get(qn("w:fill")) == "F2F2F2"
    assert all(r.bold for p in table.cell(1, 0).paragraphs for r in p.runs)
    task = table.cell(2, 1)
    assert task.text.startswith("1.1 Проведення")
    assert v_merge(task._tc) == "restart"
    # measures 1.1.1 (7 bureau rows) and 1.1.2 (one row): rows 2..9
    assert [table.cell(r, 1)._tc is task._tc for r in range(2, 11)] == [True] * 8 + [False]
    assert [table.cell(r, 0).text for r in (2, 9, 10)] == ["1", "1", "2"]
    assert table.cell(2, 2)._tc is table.cell(8, 2)._tc and table.cell(9, 2).text.startswith("1.1.2")


def test_zhytomyr_quarters_under_the_values_header() -> None:
    table = measures_table(open_docx(rendered("zhytomyr")))
    head0, head1 = tcs(table, 0), tcs(table, 1)
    assert table.cell(0, 6).text.startswith("Значення показників")
    assert grid_span(head0[-1]) == 5
    assert [c.text for c in table.rows[1].cells[6:]] == ["I", "II", "III", "IV", "Разом"]
    assert [v_merge(tc) for tc in head0[:6]] == ["restart"] * 6
    assert [v_merge(tc) for tc in head1[:6]] == ["continue"] * 6
    assert all(tc.tcPr.find(qn("w:vAlign")).get(qn("w:val")) == "center" for tc in head0)
    assert all(r.bold for c in table.rows[0].cells for p in c.paragraphs for r in p.runs)


def test_kherson_years_by_sources() -> None:
    table = measures_table(open_docx(rendered("kherson")))
    head0, head1, head2 = tcs(table, 0), tcs(table, 1), tcs(table, 2)
    assert [c.text for c in (table.cell(0, 4),)] == ["Фінансування, тис. грн"]
    assert grid_span(head0[-1]) == 6
    years = [(tc, table.cell(1, 4 + 2 * i).text) for i, tc in enumerate(head1[4:])]
    assert [(grid_span(tc), text) for tc, text in years] == [(2, "2008"), (2, "2009"), (2, "2010")]
    assert [table.cell(2, c).text for c in range(4, 10)] == ["Міськ. бюджет", "Фонд конкурсу"] * 3
    assert [v_merge(tc) for tc in head1[:4]] == [v_merge(tc) for tc in head2[:4]] == ["continue"] * 4
    assert table.cell(3, 0).text == "I." and table.cell(3, 4).text == "24,4"


def test_column_number_row_repeats_with_the_header() -> None:
    result = validate([PLANS / "kherson"])
    lp = result.plans[0]
    assert lp.plan.table is not None
    view = build_view(dataclasses.replace(lp.plan, table=dataclasses.replace(lp.plan.table, column_numbers=True)),
                      lp.organisation)
    assert [row.kind for row in view.table.head] == ["head", "head", "head", "colnums"]
    table = measures_table(open_docx(render_docx(view, template(view))))
    rows = table._tbl.tr_lst
    assert [tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None for tr in rows[:5]] == [True] * 4 + [False]
    assert [c.text for c in table.rows[3].cells] == [str(i) for i in range(1, 11)]
    assert not any(r.bold for c in table.rows[3].cells for p in c.paragraphs for r in p.runs)


def test_table_fonts() -> None:
    view = views()["kalush"]
    doc = open_docx(rendered("kalush"))
    table = measures_table(doc)
    runs = [r for row in table.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert runs
    for r in runs[:50]:
        fonts = r._r.rPr.rFonts
        assert {fonts.get(qn(f"w:{a}")) for a in ("ascii", "hAnsi", "cs", "eastAsia")} == {"Times New Roman"}
        assert r.font.size is not None and 10 <= r.font.size.pt <= view.page.font_size
    normal_size = doc.styles["Normal"].font.size
    assert normal_size is not None and normal_size.pt == view.page.font_size


@cache
def report_view() -> DocumentView:
    result = validate([PLANS / "odesa"])
    (lr,) = result.reports
    return build_report_view(lr.report, lr.plan.plan, lr.plan.organisation)


@cache
def rendered_report() -> bytes:
    return render_docx(report_view(), TEMPLATES / "report.docx")


def test_execution_report_has_the_outcome_summary() -> None:
    view = report_view()
    doc = open_docx(rendered_report())
    assert "Підсумки виконання плану" in [p.text for p in doc.paragraphs]
    summary = next(t for t in doc.tables if t.cell(0, 0).text == "Пріоритет")
    assert view.summary is not None
    total, lines = view.summary.total, view.summary.lines
    assert isinstance(total, SummaryLine) and isinstance(lines, tuple)
    assert len(summary.rows) == 1 + len(lines) + 1
    assert [c.text for c in summary.rows[-1].cells] == [
        total.label, str(total.due), str(total.done), str(total.exceeded), str(total.missed), str(total.not_due),
        total.completion]
    assert [summary.cell(1 + i, 0).text for i in range(len(lines))] == [line.label for line in lines]


# --------------------------------------------------------------------------- frame


def test_kalush_approval_stamp() -> None:
    doc = open_docx(rendered("kalush"))
    stamp = doc.tables[0]
    assert stamp._tbl.tblPr.find(qn("w:jc")).get(qn("w:val")) == "right"
    # ДСТУ 4163:2020: multi-line requisites are at most about 73 mm wide
    assert round(int(stamp._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w"))) * 25.4 / 1440) == 73
    lines = [p.text for p in stamp.cell(0, 0).paragraphs]
    assert lines[0] == "ЗАТВЕРДЖЕНО"
    assert "Директор Калуського місцевого центру" in lines[1]
    assert "\t\u00a0Желізняк Л.Б." in lines and "«19» березня 2020\u00a0року" in lines
    titles = [p for p in doc.paragraphs if p.style is not None and p.style.name == "Plan Title"]
    assert [p.text for p in titles] == list(views()["kalush"].title)
    style = titles[0].style
    assert style is not None and style.paragraph_format.alignment is not None
    assert all(p.alignment is None for p in titles) and style.paragraph_format.alignment.name == "CENTER"


def _stamp_sign_paragraph(name: str) -> Any:
    stamp = open_docx(rendered(name)).tables[0].cell(0, 0)
    (sign,) = [p for p in stamp.paragraphs if "\t" in p.text]
    return sign


def test_stamp_has_a_signature_line_before_the_name_on_one_line() -> None:
    """ДСТУ 4163:2020: where the YAML writes no signature place (Kalush), a line stands before the name: the
    paragraph's right tab at the stamp's edge has an underscore leader, and the name follows it whole, in one
    run without a line break, the no-break space keeping it off the line."""
    sign = _stamp_sign_paragraph("kalush")
    assert sign.style.name == "Plan Stamp Sign"
    (tab,) = sign.style.element.findall(f"{qn('w:pPr')}/{qn('w:tabs')}/{qn('w:tab')}")
    assert (tab.get(qn("w:val")), tab.get(qn("w:leader"))) == ("right", "underscore")
    assert round(int(tab.get(qn("w:pos"))) * 25.4 / 1440) == 73  # the stamp's right edge
    assert sign.text == "\t\u00a0Желізняк Л.Б."
    assert sign._p.find(f".//{qn('w:br')}") is None
    assert sign.style.element.find(f"{qn('w:pPr')}/{qn('w:suppressAutoHyphens')}") is not None


def test_stamp_prints_a_written_signature_place_without_a_line() -> None:
    """Zhytomyr writes «(підпис)»: printed as written, then the name at the right edge, with no leader."""
    sign = _stamp_sign_paragraph("zhytomyr")
    assert sign.style.name == "Plan Stamp"
    assert sign.text == "(підпис)\tМілчан А.В."
    (tab,) = sign.style.element.findall(f"{qn('w:pPr')}/{qn('w:tabs')}/{qn('w:tab')}")
    assert tab.get(qn("w:leader")) is None


def _keeps_with_next(tr: Any) -> bool:
    paragraphs = list(tr.iter(qn("w:p")))
    return bool(paragraphs) and all(p.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None for p in paragraphs)


def test_last_rows_keep_with_the_signatures() -> None:
    """Orphan control (issue 10): the last two rows of the measures table keep with the next (each other, then
    the paragraph before the signature table, which keeps with the signature); the rows before them do not,
    except priority and task headings."""
    doc = open_docx(rendered("zhytomyr"))
    trs = measures_table(doc)._tbl.tr_lst
    view = views()["zhytomyr"]
    kept = [i for i, (tr, row) in enumerate(zip(trs[len(view.table.head):], view.table.body, strict=True))
            if _keeps_with_next(tr) and row.kind == "body"]
    assert kept == [len(view.table.body) - 2, len(view.table.body) - 1]
    after = measures_table(doc)._tbl.getnext()
    assert after.tag == qn("w:p") and after.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
    signature = after.getnext()
    assert signature.tag == qn("w:tbl") and "Шаль" in "".join(t.text or "" for t in signature.iter(qn("w:t")))
    assert all(_keeps_with_next(tr) for tr in signature.iter(qn("w:tr")))
    assert all(tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for tr in signature.iter(qn("w:tr")))


def test_report_summary_and_its_total_keep_with_the_signature() -> None:
    """Odesa's report: the summary table (heading, lines, «Усього») is kept on one page with the signature, so
    «Усього» is never alone beside it (it was, on DOCX p.14)."""
    doc = open_docx(rendered_report())
    summary = next(t for t in doc.tables if t.cell(0, 0).text == "Пріоритет")
    assert summary.rows[-1].cells[0].text == "Усього"
    assert all(_keeps_with_next(tr) and tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None
               for tr in summary._tbl.tr_lst)
    after = summary._tbl.getnext()
    assert after.find(f"{qn('w:pPr')}/{qn('w:keepNext')}") is not None
    assert "Перетятко" in "".join(t.text or "" for t in doc.tables[-1]._tbl.iter(qn("w:t")))


def test_header_cells_are_not_hyphenated() -> None:
    """Header words are never broken («резу-льтативності» in LibreOffice before); body cells may be."""
    trs = measures_table(open_docx(rendered("kalush")))._tbl.tr_lst
    head = [p for p in trs[0].iter(qn("w:p"))]
    assert head and all(p.find(f"{qn('w:pPr')}/{qn('w:suppressAutoHyphens')}") is not None for p in head)
    assert all(p.find(f"{qn('w:pPr')}/{qn('w:suppressAutoHyphens')}") is None for p in trs[-1].iter(qn("w:p")))


def test_kherson_stamp_names_the_approving_act() -> None:
    lines = [p.text for p in open_docx(rendered("kherson")).tables[0].cell(0, 0).paragraphs]
    assert lines[:2] == ["ЗАТВЕРДЖЕНО", "рішенням міської ради від 12.05.2008 № 821"]


def test_pokrovsk_order_contents_and_headings() -> None:
    data = rendered("pokrovsk")
    doc = open_docx(data)
    text = all_text(doc)
    for s in ("РОЗПОРЯДЖЕННЯ МІСЬКОГО ГОЛОВИ", "від 25.05.2021 № 236рг", "1. Затвердити План дій", "ЗМІСТ"):
        assert s in text
    instr = [t.text.strip() for t in doc.element.body.iter(qn("w:instrText"))]
    assert instr[0] == 'TOC \\o "1-3" \\h \\z \\u'
    view = views()["pokrovsk"]
    toc = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "toc 1"]
    assert len(toc) == len(view.sections)
    headings = [p.text for p in doc.paragraphs if p.style is not None and p.style.name == "Heading 1"]
    assert headings == [f"{s.number}. {s.title}" for s in view.sections]
    for entry, section in zip(doc.element.body.iter(qn("w:hyperlink")), view.sections, strict=True):
        assert entry.get(qn("w:anchor")) == f"_Toc{section.number}"
    assert b'<w:updateFields w:val="true"/>' in zipfile.ZipFile(io.BytesIO(data)).read("word/settings.xml")
    heading1 = doc.styles["Heading 1"]
    assert heading1.font.bold and heading1.font.name == "Times New Roman"
    assert heading1.paragraph_format.alignment is not None and heading1.paragraph_format.alignment.name == "CENTER"


def test_no_update_fields_without_contents() -> None:
    assert b"updateFields" not in zipfile.ZipFile(io.BytesIO(rendered("kalush"))).read("word/settings.xml")


def test_zhytomyr_signature_and_acknowledgement() -> None:
    doc = open_docx(rendered("zhytomyr"))
    signature = doc.tables[-2]
    assert signature.cell(0, 0).text.startswith("Головний фахівець із зв'язків")
    assert signature.cell(0, 2).text == "Т.О. Шаль"
    alignment = signature.cell(0, 2).paragraphs[0].alignment
    assert alignment is not None and alignment.name == "RIGHT"
    ack = doc.tables[-1]
    assert ack.cell(0, 0).text == "Начальник відділу безоплатної правової допомоги\n«2» січня 2023\u00a0року"
    assert ack.cell(0, 2).text == "А. В. Мілютін"
    assert "Ознайомлений" in all_text(doc)


def test_core_properties() -> None:
    """Read from the XML itself: python-docx's reader is unreliable once docxcompose is imported."""
    view = views()["kalush"]
    root = ElementTree.fromstring(zipfile.ZipFile(io.BytesIO(rendered("kalush"))).read("docProps/core.xml"))
    ns = {"cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
          "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/"}
    values = {el.tag.split("}")[1]: el.text for el in root}
    assert len(values) == len(root)  # no element twice
    assert {el.tag.split("}")[0][1:] for el in root} <= set(ns.values())
    date = f"{view.date.isoformat()}T00:00:00Z"
    assert values == {"title": view.meta_title, "subject": view.subject, "creator": view.author,
                      "keywords": view.kind, "language": "uk-UA", "lastModifiedBy": "plandocs", "revision": "1",
                      "created": date, "modified": date}


# --------------------------------------------------------------------------- escaping, strictness, determinism


TRICKY = "Тест & <tag> \"quotes\" зв'язків"


def tricky_view() -> DocumentView:
    view = views()["kalush"]
    body = (Row((Cell(TRICKY, colspan=view.table.columns, role="priority", bold=True),), "priority"),
            *view.table.body[1:])
    stamp = StampView("ЗАТВЕРДЖЕНО", (TRICKY,), "", "А & Б", "«19» березня 2020 року")
    section = SectionView(1, TRICKY, "section-1", (TRICKY, f"- {TRICKY}"), "table", ())
    return dataclasses.replace(view, title=(TRICKY, "<b>not bold</b>"), meta_title=TRICKY, approval=(stamp,),
                               sections=(section,), table_section=0,
                               table=dataclasses.replace(view.table, body=body))


def test_escaping_round_trips() -> None:
    view = tricky_view()
    doc = open_docx(render_docx(view, template(view)))
    texts = [p.text for p in doc.paragraphs]
    assert TRICKY in texts and "<b>not bold</b>" in texts and f"- {TRICKY}" in texts
    assert f"1. {TRICKY}" in texts
    assert doc.tables[0].cell(0, 0).paragraphs[1].text == TRICKY
    assert doc.tables[0].cell(0, 0).paragraphs[2].text == "\t\u00a0А & Б"
    assert measures_table(doc).cell(1, 0).text == TRICKY
    assert doc.core_properties.title == TRICKY


def _template_with(tmp_path: Path, text: str) -> Path:
    doc = Document(str(TEMPLATES / "quarterly-plan.docx"))
    doc.add_paragraph(text)
    path = tmp_path / "custom.docx"
    doc.save(str(path))
    return path


def test_unknown_variable_raises_naming_it(tmp_path: Path) -> None:
    path = _template_with(tmp_path, "{{ doc.no_such_field }} {{ no_such_variable }}")
    with pytest.raises(PlandocsError, match="no_such_field"):
        render_docx(views()["kalush"], path)
    path = _template_with(tmp_path, "{{ no_such_variable }}")
    with pytest.raises(PlandocsError, match="'no_such_variable' is undefined") as info:
        render_docx(views()["kalush"], path)
    assert str(path) in str(info.value)


def test_missing_template(tmp_path: Path) -> None:
    with pytest.raises(PlandocsError, match="DOCX template not found"):
        render_docx(views()["kalush"], tmp_path / "nothing.docx")


def test_extra_context(tmp_path: Path) -> None:
    path = _template_with(tmp_path, "Реєстраційний № {{ reg_number }} & {{ doc.kind }}")
    doc = open_docx(render_docx(views()["kalush"], path, extra_context={"reg_number": "12/<3>"}))
    assert "Реєстраційний № 12/<3> & quarterly-plan" in [p.text for p in doc.paragraphs]
    with pytest.raises(PlandocsError, match="doc"):
        render_docx(views()["kalush"], path, extra_context={"doc": None, "reg_number": 1})


@pytest.mark.parametrize("name", NAMES)
def test_byte_identical_renders(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    view = views()[name]
    first = render_docx(view, template(view))
    assert render_docx(view, template(view)) == first
    infos = zipfile.ZipFile(io.BytesIO(first)).infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(view.date.year, view.date.month, view.date.day, 0, 0, 0)}


def test_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    view = views()["zhytomyr"]
    infos = zipfile.ZipFile(io.BytesIO(render_docx(view, template(view)))).infolist()
    assert {i.date_time for i in infos} == {(2023, 11, 14, 22, 13, 20)}


# --------------------------------------------------------------------------- the committed templates


def _template_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_docx_templates", REPO / "scripts" / "make_docx_templates.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_templates_are_what_the_script_builds() -> None:
    script = _template_script()
    for kind, layout in script.KINDS.items():
        assert (TEMPLATES / f"{kind}.docx").read_bytes() == script.build(layout), kind


def test_pokrovsk_contents_start_a_page_of_their_own() -> None:
    """The title page stands alone (issue 10: the contents were crammed beside it in the DOCX too): ЗМІСТ
    breaks the page before it; the style shared with the report summary's heading does not."""
    doc = open_docx(rendered("pokrovsk"))
    (heading,) = [p for p in doc.paragraphs if p.text == "ЗМІСТ"]
    assert heading.paragraph_format.page_break_before is True
    assert heading.style is not None and heading.style.paragraph_format.page_break_before is not True
