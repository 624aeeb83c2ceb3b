"""Issue 10, the Zhytomyr style items: a column's emphasis declared by the form (italic task titles and
indicators, seed 002) and a task's own label («Завдання 4.3:» with its colon), in DOCX, HTML and PDF."""

from __future__ import annotations

import io
import re
import subprocess
from functools import cache
from pathlib import Path

import docx
from docx.oxml.ns import qn

from conftest import PLANS, Workspace
from plandocs.check.validate import validate
from plandocs.render.pipeline import render_view
from plandocs.render.templating import template_dirs
from plandocs.view.plan import build_view
from plandocs.view.types import Cell, DocumentView, Span
from plandocs.view.typography import typeset

TITLE_1_2 = "Підвищення готовності людей докладати зусиль для вирішення правових проблем"
TITLE_4_3 = "Розвиток механізмів забезпечення надання безоплатної правової допомоги"


def _view(path: Path) -> DocumentView:
    result = validate([path])
    assert result.ok, result.diagnostics.items
    (lp,) = [lp for lp in result.plans if lp.path.resolve() == path.resolve()]
    return typeset(build_view(lp.plan, lp.organisation))


@cache
def zhytomyr() -> dict[str, bytes]:
    return render_view(_view(PLANS / "zhytomyr" / "2023.yaml"), template_dirs(None), ["docx", "html", "pdf"])


def _cells(view: DocumentView, start: str) -> list[Cell]:
    return [c for row in view.table.body for c in row.cells if c.text.startswith(start)]


# --------------------------------------------------------------------------- the view


def test_zhytomyr_task_titles_and_indicators_are_italic_and_labels_upright() -> None:
    view = _view(PLANS / "zhytomyr" / "2023.yaml")
    (task,) = _cells(view, "Завдання 1.2 ")
    assert task.lines == ((Span("Завдання 1.2 "), Span(TITLE_1_2, "italic")),)
    (indicator, *_) = _cells(view, "кількість рекомендацій")
    assert indicator.lines == ((Span("кількість рекомендацій", "italic"),),)
    (measure,) = _cells(view, "Захід 1.1.1.1 ")
    assert measure.lines == ()  # the measure column declares no emphasis
    (untitled,) = _cells(view, "Завдання 2.1")  # a label without a title stays as it is
    assert untitled.lines == ((Span("Завдання 2.1"),),)


def test_a_task_label_keeps_the_seeds_punctuation() -> None:
    """Tasks 3.2, 3.3 and 4.3 write «Завдання 3.2:» with a colon, 2.2 and 2.3 a full stop, the others none."""
    view = _view(PLANS / "zhytomyr" / "2023.yaml")
    labels = [c.text.split(" ", 2)[:2] for row in view.table.body for c in row.cells if c.role == "task"]
    assert [" ".join(parts) for parts in labels] == [
        "Завдання 1.1", "Завдання 1.2", "Завдання 2.1", "Завдання 2.2.", "Завдання 2.3.", "Завдання 3.1",
        "Завдання 3.2:", "Завдання 3.3:", "Завдання 4.3:"]


def test_emphasis_bold_and_a_task_label_with_its_number(ws: Workspace) -> None:
    ws.edit_plan(
        ("title:\n", "table:\n  columns:\n    - number\n    - {kind: measure, emphasis: bold}\n"
                     "    - indicator\ntitle:\n"),
        ('      - id: "1.1"\n', '      - id: "1.1"\n        label: "Завдання № {n}:"\n'))
    view = _view(ws.plan)
    (first,) = _cells(view, "1.1.1 ")
    assert first.lines == ((Span("1.1.1 "), Span("Робочі зустрічі з населенням", "bold")),)
    assert _cells(view, "Кількість зустрічей")[0].lines == ()
    html = render_view(view, template_dirs(None), ["html"])["html"].decode()
    assert "1.1.1 <strong>Робочі зустрічі з населенням</strong></td>" in html


def test_a_task_label_prints_in_a_task_heading_row(ws: Workspace) -> None:
    ws.edit_plan(("title:\n", "table:\n  columns: [number, measure, indicator]\ntitle:\n"),
                 ('      - id: "1.1"\n', '      - id: "1.1"\n        label: "Завдання {id}:"\n'))
    view = _view(ws.plan)
    headings = [row.cells[0].text for row in view.table.body if row.kind == "task"]
    assert headings == ["Завдання 1.1: Правопросвітницькі заходи для населення"]


def test_an_unknown_emphasis_is_named(ws: Workspace) -> None:
    ws.edit_plan(("title:\n", "table:\n  columns:\n    - {kind: measure, emphasis: slanted}\ntitle:\n"))
    result = ws.validate()
    assert result.exit_code == 1
    assert ("plan.yaml:5:33: error[invalid-value]: table.columns[0].emphasis: expected one of italic, bold; got "
            "'slanted'") in result.stdout, result.stdout


# --------------------------------------------------------------------------- the three formats


def _runs(tc: object) -> list[tuple[str, bool]]:
    """(text, italic) of each run of a table cell."""
    out = []
    for r in tc.iter(qn("w:r")):  # type: ignore[attr-defined]
        text = "".join(t.text or "" for t in r.iter(qn("w:t")))
        if text:
            out.append((text, r.find(f"{qn('w:rPr')}/{qn('w:i')}") is not None))
    return out


def test_docx_prints_the_emphasis_as_italic_runs() -> None:
    doc = docx.Document(io.BytesIO(zhytomyr()["docx"]))
    (table,) = [t for t in doc.tables if len(t.columns) > 5]
    cells = {tc: "".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in table._tbl.iter(qn("w:tc"))}
    (task,) = [tc for tc, text in cells.items() if text.startswith("Завдання 1.2 ")]
    assert _runs(task) == [("Завдання 1.2 ", False), (TITLE_1_2, True)]
    indicator = next(tc for tc, text in cells.items() if text == "кількість рекомендацій")
    assert _runs(indicator) == [("кількість рекомендацій", True)]
    measure = next(tc for tc, text in cells.items() if text.startswith("Захід 1.1.1.1 "))
    assert [italic for _, italic in _runs(measure)] == [False]
    (task_4_3,) = [tc for tc, text in cells.items() if text.startswith("Завдання 4.3:")]
    assert _runs(task_4_3)[0] == ("Завдання 4.3: ", False)


def test_html_prints_the_emphasis_and_the_label() -> None:
    html = zhytomyr()["html"].decode()
    assert f'class="task a-left">Завдання 1.2 <em>{TITLE_1_2}</em></td>' in html
    assert '<td class="text a-left"><em>кількість рекомендацій</em></td>' in html
    assert re.search(r'class="task a-left">Завдання 4\.3: <em>' + TITLE_4_3, html)
    assert "<em>Захід" not in html and "Захід 1.1.1.1 <em>" not in html


def test_pdf_prints_the_label_and_uses_the_italic_face(tmp_path: Path) -> None:
    pdf = tmp_path / "zhytomyr.pdf"
    pdf.write_bytes(zhytomyr()["pdf"])
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Завдання 4.3:" in text and "Завдання 3.2:" in text and "Завдання 2.2." in text
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Serif-(Bold)?Italic", fonts), fonts


# --------------------------------------------------------------------------- import


def test_import_reads_a_task_label_with_its_colon() -> None:
    from plandocs.importer.cells import Numbered, split_numbering

    assert split_numbering("Завдання 4.3: Розвиток механізмів") == Numbered("Завдання {id}:", "4.3",
                                                                             "Розвиток механізмів")
    assert split_numbering("Завдання 1.2 Підвищення") == Numbered("Завдання {id}", "1.2", "Підвищення")
