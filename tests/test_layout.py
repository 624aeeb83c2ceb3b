"""Issue 10: pages a secretary would not touch before signing — merged cells cut at page breaks, no-break
spaces and dashes, stamps on one line, no hyphenation in headers, column widths from the content."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from plandocs.check.validate import validate
from plandocs.render.html import render_html
from plandocs.render.pdf import LAYOUTS, Cuts, paginate, render_pdf, searchable_hyphens
from plandocs.render.pipeline import document_view, paged_html, render_view
from plandocs.render.templating import template_dirs
from plandocs.view.plan import build_view
from plandocs.view.types import CONTINUED, Cell, DocumentView, Row, TableView
from plandocs.view.typography import NBSP, text, typeset
from plandocs.view.widths import fit_widths

REPO = Path(__file__).parent.parent
PLANS = REPO / "plans"


def _view(org: str) -> DocumentView:
    res = validate([PLANS / org])
    assert res.ok, res.diagnostics.items
    lp = next(lp for lp in res.plans)
    return typeset(build_view(lp.plan, lp.organisation))


# --------------------------------------------------------------------------- typography


@pytest.mark.parametrize(("raw", "typeset_"), [
    ("від 25.05.2021 № 236рг", f"від 25.05.2021 №{NBSP}236рг"),
    ("Л.Б. Желізняк", f"Л.Б.{NBSP}Желізняк"),
    ("Мілчан А.В.", f"Мілчан{NBSP}А.В."),
    ("А. В. Мілютін", f"А.{NBSP}В.{NBSP}Мілютін"),
    ("не менше 85 %", f"не менше 85{NBSP}%"),
    ("24,4 тис. грн", f"24,4{NBSP}тис.{NBSP}грн"),
    ("«2» грудня 2023 року", f"«2» грудня 2023{NBSP}року"),
    ("на 2021-2026 роки", f"на 2021\u20132026{NBSP}роки"),
    ("Skype-зв'язок", "Skype-звʼязок"),
    ("В.о. міського голови", "В.о. міського голови"),
    ("4/4", "4/4"),
    ("-", "-"),
])
def test_typography_rules(raw: str, typeset_: str) -> None:
    assert text(raw) == typeset_


def test_typeset_view_leaves_identifiers_and_markup() -> None:
    view = _view("pokrovsk")
    assert view.kind == "action-plan"
    assert all(s.anchor.startswith("section-") for s in view.sections)
    assert view.order is not None and view.order.number == "236рг"  # the number itself holds no space


@pytest.mark.parametrize("org", ["kalush", "zhytomyr", "pokrovsk", "kherson", "odesa"])
def test_no_breaking_space_after_numero_or_in_names(org: str) -> None:
    """Every «№» is followed by a no-break space, and every stamp and signature name holds no plain space."""
    view = _view(org)
    html = render_view(view, template_dirs(None), ["html"])["html"].decode("utf-8")
    assert "№ " not in html
    names = [s.name for s in (*view.approval, *view.acknowledgements, *view.agreements)]
    names += [s.name for s in view.signatures]
    assert names and all(" " not in n for n in names), names
    assert all(NBSP in n for n in names if "." in n), names


def test_counts_of_no_break_spaces_in_pokrovsk() -> None:
    view = _view("pokrovsk")
    html = render_view(view, template_dirs(None), ["html"])["html"].decode("utf-8").replace("&nbsp;", NBSP)
    assert html.count(f"№{NBSP}") == html.count("№") >= 4  # the order's own number, the stamp's act, …
    assert "2021\u20132026" in html and "2021-2026" not in re.sub(r"<[^>]+>", "", html)


def test_stamp_name_order_as_the_organisation_writes_it() -> None:
    z = _view("zhytomyr")
    assert z.approval[0].name == f"Мілчан{NBSP}А.В."  # stamp: surname first, as printed
    assert z.acknowledgements[0].name == f"А.{NBSP}В.{NBSP}Мілютін"  # elsewhere: initials first
    assert z.acknowledgements[0].label == "Ознайомлений:"
    assert z.approval[0].date == f"«2» грудня 2023{NBSP}року"  # the day as written, not «02»


# --------------------------------------------------------------------------- merged cells per page


def test_paged_body_cuts_merges_at_breaks() -> None:
    long = "Довгий текст завдання " * 4
    table = TableView(3, (10.0, 50.0, 20.0), (), (
        Row((Cell("1", rowspan=3), Cell(long, rowspan=3), Cell("a"))),
        Row((Cell("b"),)),
        Row((Cell("c"),)),
    ))
    assert table.paged_body() == table.body
    cut = table.paged_body(frozenset({2}))
    assert [[(c.text, c.rowspan) for c in r.cells] for r in cut] == [
        [("1", 2), (long, 2), ("a", 1)],
        [("b", 1)],
        [("1", 1), (CONTINUED, 1), ("c", 1)],  # short text repeated, long text «(продовження)»
    ]


def test_paged_body_cuts_merges_around_a_row_broken_across_a_page() -> None:
    """Row 1 breaks across a page (it opens the next page, and is in ``split``): merges are cut before and
    after it, so that it holds single-row cells only; the merged column's piece in it is empty and goes on
    from the piece above (no border between them), and the piece after it repeats the text."""
    long = "Довгий текст завдання " * 4
    table = TableView(3, (10.0, 50.0, 20.0), (), (
        Row((Cell("1", rowspan=4), Cell(long, rowspan=4), Cell("a"))),
        Row((Cell("b"),)),
        Row((Cell("c"),)),
        Row((Cell("d"),)),
    ))
    cut = table.paged_body(frozenset({1}), frozenset({1}))
    assert [[(c.text, c.rowspan, c.open_bottom) for c in r.cells] for r in cut] == [
        [("1", 1, True), (long, 1, True), ("a", 1, False)],
        [("", 1, False), ("", 1, False), ("b", 1, False)],
        [("1", 2, False), (CONTINUED, 2, False), ("c", 1, False)],
        [("d", 1, False)],
    ]
    # a merge that ends in the broken row is not cut after it: nothing goes on below it
    ends = TableView(2, (10.0, 50.0), (), (Row((Cell("1", rowspan=2), Cell("a"))), Row((Cell("b"),))))
    cut = ends.paged_body(frozenset({1}), frozenset({1}))
    assert [[(c.text, c.rowspan, c.open_bottom) for c in r.cells] for r in cut] == \
        [[("1", 1, True), ("a", 1, False)], [("", 1, False), ("b", 1, False)]]


def test_only_tall_rows_may_break() -> None:
    """A row breaks across a page only if a cell of its own holds six lines or more (estimated from its
    text and column width), never a two-line row, nor a row opening a merged cell taller than itself (it
    would have to hold all the merged text), nor a row a layout pass asked to keep whole."""
    line = "слово " * 8  # 48 characters: one line of a 90 mm column at 12 pt
    table = TableView(2, (10.0, 90.0), (), (
        Row((Cell("1"), Cell(line * 2))),
        Row((Cell("2"), Cell(line * 6))),
        Row((Cell("3" * 400, rowspan=2), Cell(line * 6))),
        Row((Cell(line * 7),)),
        Row((Cell("Пріоритет " * 30, colspan=2),), kind="priority"),
    ))
    assert [r.breakable for r in table.paged_body(font_size=12)] == [False, True, False, True, False]
    assert [r.breakable for r in table.paged_body()] == [False] * 5  # without a font size: none (HTML view)
    assert [r.breakable for r in table.paged_body(font_size=12, whole=frozenset({1}))] == \
        [False, False, False, True, False]


def _walk(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _walk(child)


Layout = tuple[DocumentView, Any, Cuts]


def _layout(org: str) -> Layout:
    view = _view(org)
    document, cuts = paginate(paged_html(view, template_dirs(None)), REPO)
    return view, document, cuts


@pytest.fixture(scope="module")
def kalush_layout() -> Layout:
    before = LAYOUTS.passes
    layout = _layout("kalush")
    assert LAYOUTS.passes - before >= 2  # its task cells cross the first layout's page breaks: laid out again
    return layout


@pytest.fixture(scope="module")
def zhytomyr_layout() -> Layout:
    return _layout("zhytomyr")


@pytest.fixture(scope="module")
def odesa_report_layout() -> Layout:
    res = validate([PLANS / "odesa"])
    assert res.ok, res.diagnostics.items
    (lr,) = res.reports
    view = typeset(document_view(lr.plan, lr.report))
    document, cuts = paginate(paged_html(view, template_dirs(None)), REPO)
    return view, document, cuts


def _body(layout: Layout) -> tuple[Row, ...]:
    view, _document, cuts = layout
    return view.table.paged_body(cuts.breaks, cuts.split, view.page.font_size, cuts.whole, cuts.unhyphenated,
                                 cuts.starts)


def _rows(page: Any) -> list[Any]:
    return [b for b in _walk(page._page_box) if type(b).__name__ == "TableRowBox" and b.element.get("data-row")]


def _foot_line(page: Any) -> float:
    """Where the paged table's footer draws its line on ``page`` (its empty cell's top border)."""
    (cell,) = [c for b in _walk(page._page_box) if type(b).__name__ == "TableRowBox"
               and b.element.get("class") == "page-foot" for c in b.children]
    assert cell.border_top_width > 0 and cell.style["border_top_style"] == "solid"
    return float(cell.position_y)


def _text_bottom(rows: list[Any]) -> float:
    """The bottom of the lowest line of text in row boxes (a merged cell's may be lower than the last row's)."""
    return float(max(b.position_y + b.height for r in rows for b in _walk(r) if type(b).__name__ == "LineBox"))


@pytest.mark.parametrize("org", ["kalush", "odesa_report"])
def test_table_ends_under_the_last_row_of_every_page(org: str, request: pytest.FixtureRequest) -> None:
    """Where rows moved to the next page to stay with the rows or signatures they are kept with (Kalush p.11
    and 13, the Odesa report's p.8), WeasyPrint kept their room in the table: the last row's cells
    and the footer's line stood up to 4 cm below its text. The table's lowest line is under its lowest text,
    a cell's padding apart, on every page (a row broken across the page fills it to the foot: not counted)."""
    _view, document, cuts = request.getfixturevalue(f"{org}_layout")
    pages = [page for page in document.pages if _rows(page)]  # the report's summary page has none
    assert cuts.starts and cuts.starts <= cuts.breaks  # rows did move: the case is exercised
    for n, page in enumerate(pages):
        last = _rows(page)[-1]
        if n + 1 < len(pages) and int(last.element.get("data-row")) in cuts.split:
            continue
        cells = [c for r in _rows(page) for c in r.children]
        lowest = max(_foot_line(page), *(c.position_y + c.margin_height() for c in cells))
        # the cell's bottom padding (1 mm, 2.8 pt) and border, with a point for the line's leading
        assert 0 < lowest - _text_bottom(_rows(page)) < 5, f"page {n + 1}"


def test_forced_breaks_go_through_the_passes_so_that_the_band_costs_no_pass() -> None:
    """Kalush moves rows to the next page (p.11, p.13) and breaks rows: the forced breaks found in a pass go
    into the next pass's HTML, so the pass that confirms the cuts is the PDF (three passes: the breaks, the
    HTML cut there, the same cuts again), and the HTML it laid out starts those pages by a forced break."""
    view = _view("kalush")
    make = paged_html(view, template_dirs(None))
    laid_out: list[Cuts] = []

    def paged(cuts: Cuts) -> str:
        laid_out.append(cuts)
        return make(cuts)

    before = LAYOUTS.passes
    _document, cuts = paginate(paged, REPO)
    assert LAYOUTS.passes - before == len(laid_out) == 3
    assert laid_out[-1] == cuts and len(cuts.starts) >= 2 and cuts.starts <= cuts.breaks
    forced = re.findall(r'<tr class="[^"]*\bpage-start" data-row="(\d+)"', make(cuts))
    assert {int(r) for r in forced} == cuts.starts


def test_layout_is_not_repeated_when_no_merge_crosses_a_break() -> None:
    """Pokrovsk's merges all end before a page break: the HTML cut at the first layout's breaks is the HTML
    laid out, so that layout is the PDF, byte for byte what a second pass of the same HTML gives."""
    view = _view("pokrovsk")
    dirs = template_dirs(None)

    def paged(cuts: Cuts) -> str:  # the template's own cuts: no row is broken across a page
        return render_html(view, dirs, paged=True, page_breaks=cuts.breaks)

    before = LAYOUTS.passes
    _document, cuts = paginate(paged, REPO)
    assert LAYOUTS.passes - before == 1
    assert len(cuts.breaks) >= 10 and paged(cuts) == paged(Cuts())
    before = LAYOUTS.passes
    one_pass = render_pdf(paged, REPO, view.date)
    assert LAYOUTS.passes - before == 1
    assert render_pdf(paged(cuts), REPO, view.date) == one_pass  # the pass that is no longer made


def test_without_a_broken_row_the_table_has_no_footer_and_no_band() -> None:
    """KMU 16.2 breaks no row across a page: its table has no footer (the line the footer draws is needed only
    under a broken row's first part), so WeasyPrint keeps no room of the rows it moves to the next page, every
    page foot is closed by the last row's own bottom borders right under its text, and the document is not
    laid out again to close a band (two passes: the breaks, then the HTML cut there)."""
    res = validate([PLANS / "kmu" / "goal-16.2.yaml"])
    assert res.ok, res.diagnostics.items
    (lp,) = res.plans
    view = typeset(build_view(lp.plan, lp.organisation))
    make = paged_html(view, template_dirs(None))
    before = LAYOUTS.passes
    document, cuts = paginate(make, REPO)
    assert LAYOUTS.passes - before == 2
    assert not cuts.split and not cuts.starts
    assert "page-foot" not in make(cuts) and "page-foot" in make(cuts._replace(split=frozenset({1})))
    pages = [page for page in document.pages if _rows(page)]  # the signatures may close on a page of their own
    assert len(pages) >= 2
    for n, page in enumerate(pages):
        rows = _rows(page)
        cells = [c for r in rows for c in r.children]
        bottom = max(c.position_y + c.margin_height() for c in cells)
        at_foot = [c for c in cells if abs(c.position_y + c.margin_height() - bottom) < 0.5]
        assert sum(int(c.element.get("colspan") or 1) for c in at_foot) == view.table.columns, f"page {n + 1}"
        assert all(c.border_bottom_width > 0 and c.style["border_bottom_style"] == "solid" for c in at_foot)
        assert 0 < bottom - _text_bottom(rows) < 5, f"page {n + 1}"


@pytest.mark.parametrize("org", ["kalush", "zhytomyr"])
def test_every_page_closes_and_opens_its_merged_cells(org: str, request: pytest.FixtureRequest) -> None:
    """At each page foot the cells of the last row cover every column with a bottom border (no open cell)
    and the table's footer draws the line there (WeasyPrint draws none where a row breaks); the first row
    of the next page covers every column again, its merged cells opened with their text or «(продовження)»
    — in the row after it when it is a row broken across the page."""
    layout: Layout = request.getfixturevalue(f"{org}_layout")
    view, document, cuts = layout
    assert len(cuts.breaks) == len(document.pages) - 1 >= 9
    body = _body(layout)
    original = {c.text for r in view.table.body for c in r.cells if c.rowspan > 1}
    for n, page in enumerate(document.pages):
        rows = _rows(page)
        assert rows, f"page {n + 1} has no table rows"
        cells = [c for r in rows for c in r.children]
        bottom = max(c.position_y + c.margin_height() for c in cells)
        at_foot = [c for c in cells if abs(c.position_y + c.margin_height() - bottom) < 0.5]
        assert sum(int(c.element.get("colspan") or 1) for c in at_foot) == view.table.columns, f"page {n + 1}"
        broken = n + 1 < len(document.pages) and int(rows[-1].element.get("data-row")) in cuts.split
        if not broken:  # a broken row's first part has no bottom border of its own (WeasyPrint slices it)
            assert all(c.border_bottom_width > 0 and c.style["border_bottom_style"] == "solid" for c in at_foot)
        # at the last row's foot (rows moved to the next page leave no room: see test_table_ends_under_...)
        assert _foot_line(page) == pytest.approx(bottom, abs=1), f"page {n + 1}"
        first = int(rows[0].element.get("data-row"))
        if n:
            assert first in cuts.breaks
            opened = body[first].cells
            assert sum(c.colspan for c in opened) == view.table.columns or body[first].kind != "body"
            grid = view.table.grid(view.table.body)
            crossing = [c for r, placed in enumerate(grid) for _, c in placed if r < first < r + c.rowspan]
            if first in cuts.split:  # the text opens the page in the row after the broken one
                crossing = [c for r, placed in enumerate(grid) for _, c in placed if r <= first < r + c.rowspan - 1]
                opened = body[first + 1].cells
            repeated = [c.text for c in opened if c.text in original or c.text == CONTINUED]
            assert len(repeated) >= len([c for c in crossing if c.text]), f"page {n + 1}: {repeated}"


@pytest.mark.parametrize("org", ["kalush", "zhytomyr"])
def test_no_merged_cell_crosses_a_page(org: str, request: pytest.FixtureRequest) -> None:
    """No merged cell crosses a page break, nor lies in a row broken across a page."""
    layout: Layout = request.getfixturevalue(f"{org}_layout")
    _document, cuts = layout[1:]
    for r, row in enumerate(_body(layout)):
        for c in row.cells:
            assert not any(r < b < r + c.rowspan for b in cuts.breaks), (r, c.text[:40])
            assert not any(r <= s < r + c.rowspan for s in cuts.split) or c.rowspan == 1, (r, c.text[:40])


@pytest.mark.parametrize("org", ["kalush", "zhytomyr"])
def test_no_word_is_hyphenated_across_a_page(org: str, request: pytest.FixtureRequest) -> None:
    """A reader joins a line-end hyphen back into its word only within a page: where a row breaks, no cell's
    last line on the first page ends in a hyphenated word (such a row is set without hyphenation)."""
    layout: Layout = request.getfixturevalue(f"{org}_layout")
    document, cuts = layout[1:]
    assert cuts.split
    for n, page in enumerate(document.pages[:-1]):
        head = _rows(page)[-1]
        if int(head.element.get("data-row")) in cuts.split:
            ends = [_last_text(c) for c in head.children]
            assert not [e for e in ends if re.search(r"[^\W\d_]-$", e)], (n + 1, ends)


def _last_text(box: Any) -> str:
    texts = [b.text for b in _walk(box) if type(b).__name__ == "TextBox" and b.text.strip()]
    return str(texts[-1]).rstrip() if texts else ""


def _fill(page: Any) -> float:
    """The share of a page's text height that its table rows use, from the top of the page."""
    box = page._page_box
    rows = _rows(page)
    return float((max(r.position_y + r.margin_height() for r in rows) - box.content_box_y()) / box.height)


def test_tall_rows_break_so_that_zhytomyr_pages_are_filled(zhytomyr_layout: Layout) -> None:
    """Zhytomyr's measure rows are up to ten lines tall; moved to the next page whole they left pages 9 and
    10 a third and a half empty. Broken across the page as Word breaks them, every page but the last (the
    closing rows kept with the signatures) is filled to 90 % of its text height or more."""
    document, cuts = zhytomyr_layout[1:]
    fills = [_fill(page) for page in document.pages]
    assert cuts.split and min(fills[:-1]) >= 0.9, [f"{f:.2f}" for f in fills]
    assert fills[0] >= 0.9


def test_broken_row_closes_its_merged_cell_at_the_foot_and_opens_the_next_page(zhytomyr_layout: Layout) -> None:
    """Where a row inside a task's merged cell breaks across a page, the merged column's piece in it reaches
    the page foot with a bottom border, and the task's text («(продовження)» or the repeated number) is on
    the next page."""
    view, document, cuts = zhytomyr_layout
    body = _body(zhytomyr_layout)
    grid = view.table.grid(view.table.body)
    inside = [s for s in cuts.split if any(r < s < r + c.rowspan - 1 for r, placed in enumerate(grid)
                                             for _, c in placed)]
    assert inside
    for s in inside:
        n = next(i for i, page in enumerate(document.pages) if int(_rows(page)[0].element.get("data-row")) == s)
        head = _rows(document.pages[n - 1])[-1]
        assert int(head.element.get("data-row")) == s
        emptied = [c for c in head.children if not c.children]  # the merged columns' empty pieces
        assert emptied and all(c.position_y + c.margin_height() == pytest.approx(_foot_line(document.pages[n - 1]),
                                                                              abs=1) for c in emptied)
        after = [r for r in _rows(document.pages[n]) if int(r.element.get("data-row")) == s + 1]
        texts = [c.text for c in body[s + 1].cells]
        assert after and CONTINUED in texts, texts


# --------------------------------------------------------------------------- the PDF's text


def test_compound_hyphen_is_kept_apart_from_hyphenation() -> None:
    html = '<style>td { font-family: x-y }</style><p class="a-b">Skype-зв\'язок 97-вр 2021-2022 -</p>'
    assert searchable_hyphens(html) == \
        '<style>td { font-family: x-y }</style><p class="a-b">Skype\u2010зв\'язок 97\u2010вр 2021-2022 -</p>'


def _bbox_lines(pdf: Path) -> list[list[tuple[float, str]]]:
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = re.findall(r"<page .*?</page>", out, re.S)
    words = re.findall(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">(.*?)</word>', pages[0])
    return [[(float(y), w) for y, w in words]]


def test_stamp_name_and_headers_are_not_broken(tmp_path: Path) -> None:
    view = _view("kalush")
    pdf = tmp_path / "kalush.pdf"
    pdf.write_bytes(render_view(view, template_dirs(None), ["pdf"])["pdf"])
    (words,) = _bbox_lines(pdf)
    y = {w: yy for yy, w in words}
    assert y["Желізняк"] == y["Л.Б."]  # the stamp's name on one line
    text_ = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for header in ("результативності", "Відповідальний", "Найменування"):
        assert header in text_
    # no stamp, title or header word hyphenated: every word of page 1 above the first priority row is whole
    body_top = y["Пріоритет"]
    head_words = [w for yy, w in words if yy < body_top]
    assert "ЗАТВЕРДЖЕНО" in head_words and "результативності" in head_words
    assert [w for w in head_words if w.endswith("-")] == []


# --------------------------------------------------------------------------- widths


def test_widths_from_content_fit_header_words_and_shrink_short_columns() -> None:
    head = (Row((Cell("№", header=True), Cell("Найменування заходу", header=True),
                 Cell("Значення результативності", header=True)), "head"),)
    body = (Row((Cell("1"), Cell("Довгий опис заходу " * 5), Cell("1"))),)
    widths = fit_widths([3.5, 22.5, 40.0], head, body, 200.0, 12)
    assert sum(widths) == pytest.approx(200.0, abs=0.05)
    assert widths[2] < 40.0 * 200 / 66  # a column of «1» gives up its share…
    assert widths[2] > 30.0  # …but keeps «результативності» on one line
    assert widths[1] > 22.5 * 200 / 66  # and the text column gets the room


FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")


@pytest.mark.skipif(not FONT.is_file(), reason="Liberation Serif (fonts-liberation2, scripts/system-deps) absent")
def test_widths_are_measured_with_the_fonts_advances() -> None:
    """Ten wide letters need a wider header column than ten narrow ones (the character-count estimate gave
    both the same); bold is measured wider than regular, as header cells are printed."""
    from plandocs.view import widths as w

    assert w._em("1") == 0.5 and w._em("ш") > 0.7 > w._em("і")  # Times' metrics: a digit is half an em
    assert w._em("результативності", bold=True) > w._em("результативності") > 7.0
    body = (Row((Cell("1"), Cell("Довгий опис заходу " * 5), Cell("1"))),)

    def value_column(word: str) -> float:
        head = (Row((Cell("№", header=True), Cell("Захід", header=True), Cell(word, header=True)), "head"),)
        return fit_widths([3.5, 22.5, 40.0], head, body, 200.0, 12)[2]

    assert value_column("шшшшшшшшшш") > value_column("іііііііііі") + 10


def test_a_header_word_with_a_slash_is_measured_with_the_word_before_it() -> None:
    """Kherson's «№ з/п»: a line may break after the slash, so the column must hold «№ з/п» whole, not only
    «з/п» (the PDF printed «№ з/» and «п» when it did not)."""
    from plandocs.view import widths as w

    head = (Row((Cell("№ з/п", header=True), Cell("Зміст заходів", header=True)), "head"),)
    body = (Row((Cell("1"), Cell("Довгий опис заходу " * 5))),)
    first = fit_widths([1.0, 20.0], head, body, 200.0, 12)[0]
    whole = w._em("№ з/п", bold=True) * 12 * w.TABLE_SCALE * w.HEAD_SCALE * w.PT_MM + w.PADDING_MM
    assert first >= whole - 0.01 > 14  # «з/п» alone needs less than 10 mm


def test_widths_are_estimated_without_the_font(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from plandocs.view import widths as w

    monkeypatch.setattr(w, "_FONT_DIRS", (tmp_path,))
    w._advances.cache_clear()
    try:
        assert w._em("шіЖ1,") == pytest.approx(0.5 + 0.5 + 0.7 + 0.5 + 0.3)
        test_widths_from_content_fit_header_words_and_shrink_short_columns()
    finally:
        w._advances.cache_clear()


# --------------------------------------------------------------------------- DOCX contents, title page


def test_docx_contents_show_the_pdf_pages_and_the_plan_starts_alone(tmp_path: Path) -> None:
    """Pokrovsk: the order on p.1, the plan's title page alone on p.2, ЗМІСТ on p.3, ВСТУП on p.4 as in the
    original; the DOCX contents carry those numbers (LibreOffice does not update fields; Word does on open)."""
    import io
    import zipfile

    out = render_view(_view("pokrovsk"), template_dirs(None), ["pdf", "docx"])
    xml = zipfile.ZipFile(io.BytesIO(out["docx"])).read("word/document.xml").decode("utf-8")
    numbers = re.findall(r'PAGEREF _Toc\d+ \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/>'
                         r'</w:r><w:r><w:t[^>]*>(\d+)</w:t>', xml)
    pdf = tmp_path / "pokrovsk.pdf"
    pdf.write_bytes(out["pdf"])
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    assert numbers[0] == "4" and len(numbers) == 4
    for section, n in zip(_view("pokrovsk").sections, numbers, strict=True):
        assert f"{section.number}. {section.title.split()[0]}" in pages[int(n) - 1]
    assert "ЗМІСТ" not in pages[1] and "ЗМІСТ" in pages[2]  # the title page stands alone


def test_docx_alone_has_the_same_contents_pages() -> None:
    """``render -f docx`` (no PDF asked for) still fills the contents' page numbers from the PDF layout: the
    DOCX is byte-identical to the one rendered beside the PDF."""
    alone = render_view(_view("pokrovsk"), template_dirs(None), ["docx"])
    both = render_view(_view("pokrovsk"), template_dirs(None), ["pdf", "docx"])
    assert set(alone) == {"docx"}
    assert alone["docx"] == both["docx"]
    import io
    import zipfile

    xml = zipfile.ZipFile(io.BytesIO(alone["docx"])).read("word/document.xml").decode("utf-8")
    numbers = re.findall(r'PAGEREF _Toc\d+ \\h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/>'
                         r'</w:r><w:r><w:t[^>]*>(\d*)</w:t>', xml)
    assert len(numbers) == 4 and all(n.isdigit() for n in numbers)  # none left blank


def test_docx_alone_without_contents_lays_out_no_pdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """A document without contents needs no page numbers: its DOCX alone is made without a PDF layout."""
    import plandocs.render.pdf

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the PDF was laid out")

    monkeypatch.setattr(plandocs.render.pdf, "render_pdf_pages", refuse)
    assert render_view(_view("kalush"), template_dirs(None), ["docx"])["docx"].startswith(b"PK")
    with pytest.raises(AssertionError, match="the PDF was laid out"):
        render_view(_view("pokrovsk"), template_dirs(None), ["docx"])


def test_a_report_summary_does_not_pull_the_tables_last_rows_away(odesa_report_layout: Layout) -> None:
    """The summary is kept whole with the signature, not with the table: kept with the table too, WeasyPrint
    moved the last three rows to a page of their own before the summary's page and left the page before them
    with one row (the Odesa report's p.14 of 16). Now no page holds a lone row, and the summary and the
    signature share the page after the table's last."""
    _view, document, _cuts = odesa_report_layout
    table_pages = [page for page in document.pages if _rows(page)]
    assert [n + 1 for n, page in enumerate(table_pages) if len(_rows(page)) < 2] == []
    after = document.pages[document.pages.index(table_pages[-1]) + 1:]
    kinds = [{b.element.get("class") for b in _walk(p._page_box) if b.element is not None
              and b.element.get("class") in ("report-summary", "closing")} for p in after]
    assert kinds == [{"report-summary", "closing"}]
