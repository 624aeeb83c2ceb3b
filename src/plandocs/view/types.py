"""The document view: everything a template prints, already formatted and merged.

The view is the single input of every renderer (DOCX, HTML, PDF), so merged ranges, numbering, labels,
dates and names are computed once, by the builders of :mod:`.plan`, :mod:`.report` and :mod:`.rollup`, and
the templates stay simple. These records are immutable: a builder makes them, renderers only read them.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from itertools import pairwise

from markupsafe import Markup

from plandocs.view import uaformat as ua

A4 = (210, 297)

CONTINUED = "(продовження)"
"""What opens the next page in a long merged cell cut at a page break."""
REPEAT_LIMIT = 60
"""Merged cells with at most this many characters (numbers, short task titles) are repeated instead."""
BREAKABLE_LINES = 6
"""A body row whose tallest cell holds at least this many lines may break across a page, as Word breaks it;
a shorter row moves to the next page whole. With two lines of each cell kept on either side of a break
(CSS orphans and widows), six lines is the smallest row that a break leaves readable on both pages."""
_EM_PER_CHAR = 0.5
"""The mean advance of a character of body text in Times New Roman, in ems (Cyrillic and Latin text)."""
_CELL_PADDING_MM = 4.0


@dataclass(frozen=True)
class Span:
    """A piece of a line of rich cell text (the comparative table's word-level emphasis, a column's emphasis)."""

    text: str
    mark: str = ""
    """``""`` (plain), ``old`` (deleted: struck through), ``new`` (inserted: bold), ``note`` (italic), or the
    emphasis a form declares for a column: ``italic`` or ``bold``."""


@dataclass(frozen=True)
class Cell:
    """One table cell; cells covered by another cell's span are not listed (HTML convention)."""

    text: str
    rowspan: int = 1
    colspan: int = 1
    role: str = "text"
    """CSS class and DOCX style hint: text, number, value, priority, task, head, colnum."""
    header: bool = False
    scope: str = ""
    """``col`` or ``colgroup`` for header cells, ``row`` for a priority heading."""
    bold: bool = False
    align: str = "left"
    lines: tuple[tuple[Span, ...], ...] = ()
    """Rich text, one tuple of spans per line; when given, ``text`` is its plain form (for sizing)."""
    open_bottom: bool = False
    """Paged output: the piece of a merged cell that goes on into a row broken across a page below it, drawn
    without a bottom border (see :meth:`TableView.paged_body`)."""


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    kind: str = "body"
    """head, colnums, priority, task, body."""
    breakable: bool = False
    """Paged output: a tall row that may break across a page (see :meth:`TableView.paged_body`)."""
    unhyphenated: bool = False
    """Paged output: a broken row set without hyphenation, so that no word is split between two pages."""
    page_start: bool = False
    """Paged output: a row that begins a page by a forced break (see plandocs.render.pdf.Cuts.starts)."""
    broken: bool = False
    """Paged output: a row broken across a page (its first part has no bottom border: see ``templates/base.html``,
    whose table footer then draws the line at every page foot)."""


@dataclass(frozen=True)
class TableView:
    columns: int
    """Number of grid columns."""
    widths: tuple[float, ...]
    """Width of each grid column in millimetres (they add up to the text width)."""
    head: tuple[Row, ...]
    """Header rows, repeated on every page (with the column-number row where the form has one)."""
    body: tuple[Row, ...]

    def grid(self, rows: Sequence[Row]) -> list[list[tuple[int, Cell]]]:
        """Each row's cells with their starting grid column (accounting for rowspans from above)."""
        taken: dict[tuple[int, int], bool] = {}
        out: list[list[tuple[int, Cell]]] = []
        for r, row in enumerate(rows):
            col = 0
            placed = []
            for cell in row.cells:
                while taken.get((r, col)):
                    col += 1
                placed.append((col, cell))
                for dr in range(cell.rowspan):
                    for dc in range(cell.colspan):
                        taken[(r + dr, col + dc)] = True
                col += cell.colspan
            out.append(placed)
        return out


    def paged_body(self, breaks: frozenset[int] = frozenset(), split: frozenset[int] = frozenset(),
                   font_size: float = 0.0, whole: frozenset[int] = frozenset(),
                   unhyphenated: frozenset[int] = frozenset(),
                   starts: frozenset[int] = frozenset()) -> tuple[Row, ...]:
        """The body for print, with every vertical merge cut at the body rows in ``breaks`` (the first row of
        each page, found by a layout pass: see plandocs.render.pdf).

        WeasyPrint cannot split a row-spanning cell across pages (Kozea/WeasyPrint #663, #1911), so each
        page gets its own merged cell, closed at the page foot as Word does; the piece that opens the next
        page repeats a short text and says «(продовження)» for a long one.

        With a ``font_size`` (pt), rows of :data:`BREAKABLE_LINES` lines or more (and not in ``whole``) are
        marked ``breakable``, and rows in ``unhyphenated``, ``starts`` and ``split`` (``broken``) are marked so. A
        row in ``split`` breaks across a page (it is also in ``breaks``: the page after continues it). Only a
        row of single-row cells breaks cleanly, so merges are cut after it too: the merged column's piece in
        it is empty and continues the piece above (``open_bottom``), closed at the page foot, and the piece
        after it, on the next page, repeats the text or says «(продовження)».
        """
        cuts_at = sorted(breaks | {r + 1 for r in split})
        out: list[list[tuple[int, Cell]]] = [[] for _ in self.body]
        grid = self.grid(self.body)
        for r, placed in enumerate(grid):
            for col, cell in placed:
                edges = [r, *(b for b in cuts_at if r < b < r + cell.rowspan), r + cell.rowspan]
                for a, b in pairwise(edges):
                    out[a].append((col, _piece(cell, a, b, (r, r + cell.rowspan), split)))
        return tuple(replace(row, cells=tuple(c for _, c in sorted(cells, key=lambda p: p[0])),
                             breakable=r not in whole and (row.breakable or self._tall(row, placed, font_size)),
                             unhyphenated=row.unhyphenated or r in unhyphenated,
                             page_start=row.page_start or r in starts, broken=row.broken or r in split)
                     for r, (cells, row, placed) in enumerate(zip(out, self.body, grid, strict=True)))

    def _tall(self, row: Row, placed: list[tuple[int, Cell]], font_size: float) -> bool:
        """Whether a body row's own cells hold :data:`BREAKABLE_LINES` lines or more, from their text length
        and column width (an estimate: the layout is not known yet). A row that opens a merged cell taller
        than its own cells stays whole: broken, it would have to hold all the merged text itself."""
        if not font_size or row.kind != "body":
            return False
        char_mm = _EM_PER_CHAR * font_size * 25.4 / 72

        def lines(col: int, cell: Cell) -> int:
            width = sum(self.widths[col:col + cell.colspan]) - _CELL_PADDING_MM
            per_line = max(1, int(width / char_mm))
            return sum(-(-max(1, len(part)) // per_line) for part in cell.text.split("\n"))

        own = max((lines(col, c) for col, c in placed if c.rowspan == 1), default=0)
        merged = max((lines(col, c) for col, c in placed if c.rowspan > 1), default=0)
        return own >= BREAKABLE_LINES and merged <= own


def _piece(cell: Cell, start: int, end: int, span: tuple[int, int], split: frozenset[int]) -> Cell:
    """The piece of a merged ``cell`` (over body rows ``span``) from row ``start`` to ``end``, see
    :meth:`TableView.paged_body`."""
    open_bottom = end < span[1] and end in split  # the cell goes on into a row broken across a page
    if start == span[0]:
        return replace(cell, rowspan=end - start, open_bottom=open_bottom)
    if start in split:  # continues the piece above; its text opens the next page, after this row
        return replace(cell, rowspan=end - start, text="", lines=(), open_bottom=open_bottom)
    text = cell.text if len(cell.text) <= REPEAT_LIMIT else CONTINUED
    lines = cell.lines if text == cell.text else ()  # «(продовження)» is plain
    return replace(cell, rowspan=end - start, text=text, lines=lines, open_bottom=open_bottom)


@dataclass(frozen=True)
class StampView:
    """An approval or agreement stamp (top right) or an acknowledgement."""

    label: str
    lines: tuple[str, ...]
    """Position and act lines."""
    signature: str
    """What stands in the signature place ("" when nothing is printed)."""
    name: str
    date: str


@dataclass(frozen=True)
class SignatureView:
    position: tuple[str, ...]
    signature: str
    name: str
    date: str


@dataclass(frozen=True)
class GoalView:
    label: str
    title: str
    children: tuple[GoalView, ...] = ()


# --------------------------------------------------------------------------- prose (plandocs.view.prose)


class BlockKind(StrEnum):
    BODY = "body"
    """An ordinary paragraph."""
    HEADING2 = "h2"
    """``## 1.1. Проблема``: a sub-heading of the chapter (DOCX Heading 2)."""
    HEADING3 = "h3"
    """``### …``: a third level (DOCX Heading 3)."""
    BULLET = "bullet"
    """``- item``: a bullet list item (DOCX List Bullet)."""
    FOOTNOTE = "footnote"
    """``[^1]: text``: a note, printed where it is written, smaller, after its label."""


@dataclass(frozen=True)
class Inline:
    """A run of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""
    """Target of a link (``https://``, ``http://`` or ``mailto:`` only)."""
    note: bool = False
    """A footnote mark (``text`` is its label, printed raised in brackets: ``[1]``, as the KMU drafts do)."""
    br: bool = False
    """A line break (``text`` is empty)."""


@dataclass(frozen=True)
class Block:
    kind: BlockKind
    inlines: tuple[Inline, ...]
    label: str = ""
    """The label of a footnote block."""

    @property
    def text(self) -> str:
        """The plain text (for word checks and metadata)."""
        return "".join("\n" if i.br else i.text for i in self.inlines)


@dataclass(frozen=True)
class SectionView:
    number: int
    title: str
    anchor: str
    paragraphs: tuple[str, ...]
    insert: str
    """``goals``, ``table`` or ``""``."""
    paragraphs_after: tuple[str, ...]
    blocks: tuple[Block, ...] = ()
    """The paragraphs parsed as the Markdown subset (``prose: markdown``; ``paragraphs`` is then empty)."""
    blocks_after: tuple[Block, ...] = ()
    """The same for ``paragraphs_after``."""
    page: str = ""
    """The section's page in the PDF layout, for the DOCX contents (filled by the render pipeline)."""


@dataclass(frozen=True)
class OrderView:
    header: tuple[str, ...]
    kind: str
    date: str
    number: str
    place: str
    title: tuple[str, ...]
    preamble: str
    items: tuple[str, ...]
    signature: SignatureView | None


@dataclass(frozen=True)
class PageView:
    orientation: str
    """``landscape`` or ``portrait`` for the table pages."""
    prose_orientation: str
    """Orientation of order and prose pages (portrait where the form has them)."""
    margins: tuple[int, int, int, int]
    """top, right, bottom, left in mm."""
    font_size: int

    @property
    def text_width(self) -> float:
        width = A4[1] if self.orientation == "landscape" else A4[0]
        return float(width - self.margins[1] - self.margins[3])


@dataclass(frozen=True)
class DocumentView:
    """Everything a template prints."""

    kind: str
    title: tuple[str, ...]
    meta_title: str
    author: str
    subject: str
    date: _dt.date
    """Document date for metadata (the approval date, else the period start)."""
    page: PageView
    approval: tuple[StampView, ...]
    order: OrderView | None
    contents: bool
    sections: tuple[SectionView, ...]
    goals: tuple[GoalView, ...]
    table: TableView
    signatures: tuple[SignatureView, ...]
    agreements: tuple[StampView, ...]
    acknowledgements: tuple[StampView, ...]
    table_section: int = -1
    """Index of the section that holds the table; -1 when the table follows the title."""
    summary: SummaryView | None = None
    """The outcome summary of a report or roll-up; ``None`` for plans."""
    requisites: tuple[str, ...] = ()
    """Lines under the title naming the document a comparative table amends (its title, its approval)."""


@dataclass(frozen=True)
class SummaryLine:
    """Outcome counts of one priority or organisation (or of the whole report), as the summary prints them."""

    label: str
    """Row heading: the priority with its label, the organisation, or «Усього»."""
    due: int
    """Measures planned for the period («Заплановано на період»)."""
    done: int
    """Done as planned («Виконано»)."""
    exceeded: int
    """Done beyond the plan («Перевиконано»)."""
    missed: int
    """Not done («Не виконано»)."""
    not_due: int
    """Not planned for the period («Не заплановано на період»)."""

    @property
    def completion(self) -> str:
        """Share of due measures that were done or exceeded, as printed («85,7 %»)."""
        if not self.due:
            return "—"
        pct = (Decimal(self.done + self.exceeded) * 100 / self.due).quantize(Decimal("0.1"))
        return f"{ua.number(pct.normalize())} %"


@dataclass(frozen=True)
class SummaryView:
    """The summary after a report's table: notes, a line per priority or organisation, the total, a chart."""

    lines: tuple[SummaryLine, ...]
    """One line per priority (reports) or organisation (regional summaries)."""
    total: SummaryLine
    """The line of the whole document."""
    chart_svg: Markup
    """Plan-vs-fact bars per line, for HTML and PDF (DOCX does not reproduce it)."""
    heading: str = "Підсумки виконання плану"
    """Heading above the summary table."""
    notes: tuple[str, ...] = ()
    """Lines printed before the heading (missing quarterly reports, organisations that did not report)."""
