"""Stage 4b, second PDF engine (``--pdf-engine typst``): the typeset document view as Typst markup, compiled
by the ``typst`` wheel.

The markup is written here from the same :class:`~plandocs.view.types.DocumentView` the HTML template
prints, so both engines print the same texts, merges and numbering; the layout rules follow
``plandocs.css`` (page set-up, stamps, title, contents, prose, the measures table, summary, signatures).

What Typst does differently from WeasyPrint: a merged cell is one real ``rowspan`` that continues on the
next page (WeasyPrint cannot split one, so the paged HTML cuts merges at page breaks), and header rows
repeat natively.

Untrusted text: every text of the view enters the markup as a Typst *string literal* (:func:`lit`), never as
markup, so ``#read(...)``, ``#import``, ``]``, ``$``, ``<label>`` or ``//`` from a YAML file are printed as
written. Labels, lengths and colours are made here from numbers. The compiler sees only the fonts the HTML
uses (:func:`_font_folders`) and a root folder that holds only the markup (nothing else to read); the markup
imports no package, and no text of the YAML can become an import.
"""

from __future__ import annotations

import atexit
import functools
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import Any

from plandocs.errors import TemplateFailure
from plandocs.i18n import _
from plandocs.render.pdf import source_epoch
from plandocs.view.types import (
    REPEAT_LIMIT,
    Block,
    Cell,
    DocumentView,
    Inline,
    Row,
    SectionView,
    SignatureView,
    Span,
    StampView,
    TableView,
)

FONT_FAMILIES = ("Times New Roman", "Liberation Serif", "Tinos")
"""The families of ``plandocs.css``, in its order; only their files are given to the compiler."""
STYLES = ("", ":bold", ":italic", ":bold:italic")
MAX_PASSES = 4
"""Compilations before the last one is taken as it is (each is a complete, valid document)."""

_WORD_HYPHEN_RE = re.compile(r"(?<=[^\W_])-(?=[^\W\d_])|(?<=[^\W\d_])-(?=\d)")
"""A compound word's own hyphen (``Skype-зв'язок``): printed as U+2010, as :func:`plandocs.render.pdf.
searchable_hyphens` does, so that a reader does not join the two words when it ends a line."""


# --------------------------------------------------------------------------- escaping


_LIT_SPECIAL_RE = re.compile('[\\\\"\x00-\x1f\x7f-\x9f\u2028\u2029]')
"""What a Typst string literal cannot hold as it is: its quote and backslash, and control characters."""


def _lit_escape(m: re.Match[str]) -> str:
    ch = m.group()
    return "\\" + ch if ch in '\\"' else f"\\u{{{ord(ch):x}}}"


def lit(text: str) -> str:
    """``text`` as a Typst string literal: only ``\\`` and ``"`` are special inside one, and control
    characters are written as ``\\u{…}`` escapes, so nothing in ``text`` can leave the literal.  (One regular
    expression, not a loop over characters: a plan's markup has thousands of literals.)"""
    return '"' + _LIT_SPECIAL_RE.sub(_lit_escape, text) + '"'


def txt(text: str) -> str:
    """A printed text as Typst content (code mode): the literal, its lines joined by line breaks."""
    lines = _WORD_HYPHEN_RE.sub("\u2010", text).split("\n")
    if len(lines) == 1:
        return lit(lines[0])
    return "[" + "#linebreak()".join(f"#{lit(line)}" for line in lines) + "]"


def _mm(value: float) -> str:
    return f"{value:.3f}mm"


def _seq(items: Iterable[str]) -> str:
    """Content expressions joined into one content block."""
    parts = [p for p in items if p]
    # a code block joins its values; in markup, a literal followed by «[» would be a call with a body
    return "{" + "; ".join(parts) + "}" if parts else "[]"


# --------------------------------------------------------------------------- the document


def typst_source(view: DocumentView, attachments: Sequence[Path] = (), breaks: frozenset[int] = frozenset()) -> str:
    """The Typst markup of ``view`` (already typeset); ``attachments`` are embedded (PDF/A-3 source YAML);
    ``breaks`` are the body rows that open a page (see :func:`repeated_short_cells`)."""
    return _Writer(view, breaks).document(attachments)


def repeated_short_cells(table: TableView, breaks: frozenset[int]) -> tuple[Row, ...]:
    """The body with each *short* merged cell (a number, a short task title: at most :data:`REPEAT_LIMIT`
    characters) cut at the body rows in ``breaks``, so that its text is printed again on the next page, as
    the WeasyPrint PDF does; a long merged cell stays one row span whose text runs on across the page."""
    out: list[list[tuple[int, Cell]]] = [[] for _ in table.body]
    for r, placed in enumerate(table.grid(table.body)):
        for col, cell in placed:
            cuts = [b for b in sorted(breaks) if r < b < r + cell.rowspan]
            if not cuts or len(cell.text) > REPEAT_LIMIT:
                out[r].append((col, cell))
                continue
            edges = [r, *cuts, r + cell.rowspan]
            for a, b in pairwise(edges):
                out[a].append((col, replace(cell, rowspan=b - a)))
    return tuple(Row(tuple(c for _, c in sorted(cells, key=lambda p: p[0])), row.kind)
                 for cells, row in zip(out, table.body, strict=True))


def _has_short_spans(table: TableView) -> bool:
    return any(c.rowspan > 1 and len(c.text) <= REPEAT_LIMIT for row in table.body for c in row.cells)


class _Writer:
    def __init__(self, view: DocumentView, breaks: frozenset[int] = frozenset()) -> None:
        self.doc = view
        self.breaks = breaks
        self.out: list[str] = []

    def emit(self, line: str) -> None:
        self.out.append(line)

    def document(self, attachments: Sequence[Path]) -> str:
        doc = self.doc
        page = doc.page
        top, right, bottom, left = page.margins
        # the date is the compile's timestamp (the document's date, or SOURCE_DATE_EPOCH): see render_typst
        self.emit(f"#set document(title: {lit(doc.meta_title)}, author: ({lit(doc.author)},), "
                  f"description: {lit(doc.subject)}, keywords: ({lit(doc.kind)},))")
        # the page number at the top centre from page 2 on, as @page :first in plandocs.css
        self.emit(f"#set page(paper: \"a4\", flipped: {_flipped(page.prose_orientation)}, "
                  f"margin: (top: {top}mm, right: {right}mm, bottom: {bottom}mm, left: {left}mm), "
                  "header: context { let n = counter(page).get().first(); if n > 1 { align(center, "
                  "text(size: 12pt, hyphenate: false, str(n))) } })")
        fonts = ", ".join(lit(f) for f in FONT_FAMILIES)
        self.emit(f"#set text(font: ({fonts}), size: {page.font_size}pt, lang: \"uk\", hyphenate: false, "
                  "fallback: false)")
        # line-height 1.15 of plandocs.css: lines 1.15 em apart, with the line box of Liberation Serif / Times
        # (ascent 0.891, descent 0.216 em) as Pango measures it; Typst's own "ascender" is the smaller typo one
        self.emit("#set text(top-edge: 0.891em, bottom-edge: -0.216em)")
        self.emit("#set par(leading: 0.043em, spacing: 0em)")
        self.emit("#set block(spacing: 0em)")
        for p in attachments:
            self.emit(f"#pdf.attach({lit(p.name)}, bytes({lit(p.read_text(encoding='utf-8'))}), "
                      "relationship: \"source\", mime-type: \"application/yaml\", "
                      "description: \"Source plan (YAML)\")")
        if doc.order is not None:
            self.order()
        self.stamps()
        self.title()
        if doc.kind in ("comparative", "comparative-landscape"):
            self.requisites()
            self.table(comparative=True)
        else:
            if doc.contents:
                self.contents()
            if doc.sections:
                for i, s in enumerate(doc.sections):
                    self.section(i, s)
                if doc.table_section < 0:
                    self.table()
            else:
                self.table()
            if doc.summary is not None:
                self.summary()
        self.closing()
        return "\n".join(self.out) + "\n"

    # -- order, stamps, title

    def order(self) -> None:
        o = self.doc.order
        assert o is not None
        parts = [f"align(center, strong({txt(line)}))" for line in o.header]
        parts.append(f"block(above: 1em, width: 100%, align(center, strong({txt(o.kind)})))")
        meta = "від " + o.date + " №\u00a0" + o.number
        parts.append(f"block(above: 0.5em, {txt(meta)})")
        if o.place:
            parts.append(f"block(above: 0.5em, {txt(o.place)})")
        title = _seq(f"block({txt(line)})" for line in o.title)
        parts.append(f"block(above: 1em, below: 1em, width: 60%, strong({title}))")
        if o.preamble:
            parts.append(f"block(below: 0.5em, par(justify: true, first-line-indent: (amount: 1.25cm, "
                         f"all: true), {txt(o.preamble)}))")
        for n, item in enumerate(o.items, start=1):
            parts.append(f"block(below: 0.3em, par(justify: true, first-line-indent: (amount: 1.25cm, "
                         f"all: true), {txt(f'{n}. {item}')}))")
        if o.signature is not None:
            parts.append(self.signature(o.signature))
        flipped = _flipped(self.doc.page.prose_orientation)
        self.emit(f"#page(flipped: {flipped}, {_seq(parts)})")

    def stamp(self, s: StampView) -> str:
        parts = [f"block(strong({txt(s.label)}))"]
        parts += [f"block({txt(line)})" for line in s.lines]
        if s.signature or s.name:
            # an empty signature place is a line before the name; a written one («(підпис)») is printed as is
            place = "box(width: 1fr, height: 0.9em, stroke: (bottom: 0.5pt))" if not s.signature \
                else f"box(width: 25mm, {txt(s.signature)})"
            parts.append(f"block(above: 0.3em, {_seq([place, 'h(3mm)', f'box({txt(s.name)})'])})")
        if s.date:
            parts.append(f"block({txt(s.date)})")
        return f"align(right, block(width: 73mm, below: 1em, breakable: false, align(left, {_seq(parts)})))"

    def stamps(self) -> None:
        for s in self.doc.approval:
            self.emit("#" + self.stamp(s))

    def title(self) -> None:
        lines = _seq(f"block({txt(line)})" for line in self.doc.title)
        # the stamp's 1em and the title's own 1em: the CSS margins do not collapse across the stamps' flex box
        above = "2em" if self.doc.approval else "1em"
        self.emit(f"#block(above: {above}, below: 1em, width: 100%, align(center, strong({lines})))")

    def requisites(self) -> None:
        lines = _seq(f"block({txt(line)})" for line in self.doc.requisites)
        self.emit(f"#block(below: 1em, width: 100%, align(center, {lines}))")

    # -- contents and prose

    def contents(self) -> None:
        self.emit("#pagebreak(weak: true)")
        self.emit("#block(above: 1em, below: 0.5em, width: 100%, align(center, strong(\"ЗМІСТ\")))")
        for i, s in enumerate(self.doc.sections):
            # the page of the section from its label: a label made here, never from the YAML
            entry = _seq([txt(f"{s.number}. {s.title}"), "box(width: 1fr, repeat[.])",
                          f"context str(counter(page).at(<plandocs-s{i}>).first())"])
            self.emit(f"#block(link(<plandocs-s{i}>, {entry}))")
        self.emit("#pagebreak()")

    def section(self, index: int, s: SectionView) -> None:
        doc = self.doc
        after_table = index > doc.table_section >= 0
        mixed = doc.page.prose_orientation != doc.page.orientation
        if after_table and mixed:
            self.emit(f"#set page(flipped: {_flipped(doc.page.prose_orientation)})")
        # the section's page is queried for the DOCX contents (see render_typst)
        self.emit(f"#block(above: 1em, below: 0.5em, width: 100%, align(center, strong("
                  f"{txt(f'{s.number}. {s.title}')}))) <plandocs-s{index}>")
        self.emit(f"#context [#metadata(({index}, here().page())) <plandocs-page>]")
        self.paragraphs(s.paragraphs)
        self.blocks(s.blocks)
        if s.insert == "goals":
            for g in doc.goals:
                goal = _seq([f"strong({txt(g.label)})", lit(" "), txt(g.title)])
                self.emit(f"#block(below: 0.3em, par(justify: true, {goal}))")
                for c in g.children:
                    self.emit(f"#block(below: 0.3em, inset: (left: 1.25cm), par(justify: true, "
                              f"{txt(c.label + ' ' + c.title)}))")
        elif s.insert == "table":
            self.table()
        if s.insert == "table" and mixed and (s.paragraphs_after or s.blocks_after):
            self.emit(f"#set page(flipped: {_flipped(doc.page.prose_orientation)})")
        self.paragraphs(s.paragraphs_after)
        self.blocks(s.blocks_after)

    def paragraphs(self, items: Sequence[str]) -> None:
        for p in items:
            if p.startswith("- "):
                self.emit(f"#block(below: 0.3em, inset: (left: 1.25cm), par(justify: true, {txt(p)}))")
            else:
                self.emit(f"#block(below: 0.3em, par(justify: true, first-line-indent: (amount: 1.25cm, "
                          f"all: true), {txt(p)}))")

    def blocks(self, items: Sequence[Block]) -> None:
        for b in items:
            body = self.inlines(b.inlines)
            if b.kind == "bullet":
                self.emit(f"#block(below: 0.2em, inset: (left: 1.25cm), list(marker: [•], "
                          f"par(justify: true, {body})))")
            elif b.kind in ("h2", "h3"):
                self.emit(f"#block(above: 0.6em, below: 0.3em, strong({body}))")
            elif b.kind == "footnote":
                self.emit(f"#block(below: 0.3em, text(size: 0.85em, {_seq([_mark(b.label), lit(' '), body])}))")
            else:
                self.emit(f"#block(below: 0.3em, par(justify: true, first-line-indent: (amount: 1.25cm, "
                          f"all: true), {body}))")

    def inlines(self, items: Sequence[Inline]) -> str:
        parts = []
        for i in items:
            if i.br:
                parts.append("linebreak()")
            elif i.note:
                parts.append(_mark(i.text))
            else:
                piece = txt(i.text)
                if i.italic:
                    piece = f"emph({piece})"
                if i.bold:
                    piece = f"strong({piece})"
                if i.href:
                    piece = f"link({lit(i.href)}, {piece})"
                parts.append(piece)
        return _seq(parts)

    # -- the measures table

    def table(self, comparative: bool = False) -> None:
        t = self.doc.table
        if not t.body:
            return
        doc = self.doc
        mixed = doc.page.prose_orientation != doc.page.orientation
        if mixed:
            self.emit(f"#set page(flipped: {_flipped(doc.page.orientation)})")
        cols = ", ".join(_mm(w) for w in t.widths)
        head = ", ".join(self.cell(c, row, head=True) for row in t.head for c in row.cells)
        rows = repeated_short_cells(t, self.breaks) if self.breaks else t.body
        # each row's first cell carries the row's page, from which the next pass knows the rows that open a page
        body = ",\n".join(self.cell(c, row, comparative=comparative, marker=r if i == 0 and not comparative else -1)
                          for r, row in enumerate(rows) for i, c in enumerate(row.cells))
        self.emit(f"#block(above: 0.5em, below: 1em, text(size: 0.92em, table(columns: ({cols},), "
                  "stroke: 0.5pt, inset: (x: 2mm, y: 1mm), align: top + left,\n"
                  f"table.header(repeat: true, {head}),\n{body})))")

    def cell(self, c: Cell, row: Row, head: bool = False, comparative: bool = False, marker: int = -1) -> str:
        body = rich(c, comparative) if c.lines else txt(c.text)
        if marker >= 0:
            body = _seq([f"context [#metadata(({marker}, here().page())) <plandocs-row>]", body])
        style = []
        if head:
            style.append("hyphenate: false")
            if row.kind == "colnums":
                style.append("size: 0.9em")
            else:
                style += ["weight: \"bold\"", "size: 0.95em"]
        else:
            style.append("hyphenate: true")
            # as plandocs.css: priority and total rows, a task heading, a fact that missed its plan
            if c.bold or row.kind in ("priority", "total") or (row.kind == "task" and c.colspan > 1) or \
                    "outcome-missed" in c.role.split():
                style.append("weight: \"bold\"")
            if row.kind == "task" and c.colspan > 1:
                style.append("style: \"italic\"")
        align = {"center": "center", "right": "right"}.get(c.align, "left")
        if head:
            align += " + horizon"
        elif row.kind in ("priority", "task") and (c.header or c.colspan > 1):
            align = "left"
        args = [f"align: {align}" + ("" if head else " + top")]
        if c.rowspan > 1:
            args.append(f"rowspan: {c.rowspan}")
        if c.colspan > 1:
            args.append(f"colspan: {c.colspan}")
        if row.kind == "priority" and not head:
            args.append("fill: rgb(\"#f2f2f2\")")
        if not head and c.rowspan == 1 and not comparative:
            args.append("breakable: false")  # as tr { break-inside: avoid }: a row is never split
        return f"table.cell({', '.join(args)}, text({', '.join(style)}, {body}))"

    # -- report summary and closing

    def summary(self) -> None:
        s = self.doc.summary
        assert s is not None
        parts = [f"block(above: 0.5em, below: 0.5em, strong({txt(note)}))" for note in s.notes]
        parts.append(f"block(above: 1em, below: 0.5em, width: 100%, align(center, strong({txt(s.heading)})))")
        first = "Організація" if self.doc.kind == "region" else "Пріоритет"
        heads = [first, "Заплановано на період", "Виконано", "Перевиконано", "Не виконано",
                 "Не заплановано на період", "Рівень виконання"]
        cells = [f"table.cell(align: center + horizon, text(hyphenate: false, weight: \"bold\", {txt(h)}))"
                 for h in heads]
        for line in (*s.lines, s.total):
            bold = "weight: \"bold\", " if line is s.total else ""
            cells.append(f"table.cell(align: left + horizon, text({bold}{txt(line.label)}))")
            cells += [f"text({bold}{txt(str(v))})" for v in (line.due, line.done, line.exceeded, line.missed,
                                                                line.not_due)]
            cells.append(f"text({bold}{txt(line.completion)})")
        parts.append("align(center, text(size: 0.92em, table(columns: (auto, auto, auto, auto, auto, auto, auto), "
                     "stroke: 0.5pt, inset: (x: 2mm, y: 1mm), align: center + horizon, table.header("
                     + ", ".join(cells[:7])
                     + "), " + ", ".join(cells[7:]) + ")))")
        if s.chart_svg:
            chart = f"image(bytes({lit(str(s.chart_svg))}), format: \"svg\")"
            parts.append(f"block(above: 1em, below: 1em, width: 100%, align(center, {chart}))")
        self.emit(f"#block(above: 1em, breakable: false, {_seq(parts)})")

    def signature(self, s: SignatureView) -> str:
        position = _seq(f"block({txt(line)})" for line in s.position)
        return (f"block(above: 1em, breakable: false, grid(columns: (55%, 20%, 25%), align: (left + bottom, "
                f"center + bottom, right + bottom), {position}, {txt(s.signature)}, "
                f"text(hyphenate: false, box({txt(s.name)}))))")

    def acknowledgement(self, s: StampView) -> str:
        lines = [f"block({txt(line)})" for line in s.lines]
        if s.date:
            lines.append(f"block({txt(s.date)})")
        grid = (f"block(above: 1em, breakable: false, grid(columns: (55%, 20%, 25%), align: (left + bottom, "
                f"center + bottom, right + bottom), {_seq(lines)}, {txt(s.signature)}, box({txt(s.name)})))")
        return f"block(above: 1.5em, breakable: false, {_seq([f'block({txt(s.label)})', grid])})"

    def closing(self) -> None:
        doc = self.doc
        parts = [self.signature(s) for s in doc.signatures]
        parts += [self.acknowledgement(s) for s in (*doc.acknowledgements, *doc.agreements)]
        if parts:
            self.emit(f"#block(above: 1.5em, breakable: false, text(hyphenate: false, {_seq(parts)}))")


def _flipped(orientation: str) -> str:
    return "true" if orientation == "landscape" else "false"


def _mark(label: str) -> str:
    """Typst markup of a footnote mark (``[1]`` raised), not a message."""
    return f"super(size: 0.75em, {lit('[' + label + ']')})"


def rich(c: Cell, comparative: bool) -> str:
    """A cell's rich lines: in the comparative table each line a paragraph (``td p { margin: 0 0 .2em }``),
    elsewhere (a column's emphasis) lines of one paragraph, as the HTML's ``<br>``."""
    lines = [_seq(_span(s) for s in line) for line in c.lines]
    if comparative:
        return _seq(f"block(below: 0.2em, {line})" for line in lines)
    return _seq(lines[:1] + [p for line in lines[1:] for p in ("linebreak()", line)])


def _span(s: Span) -> str:
    """One span with its mark, as the HTML prints it: ``italic``/``note`` as ``<em>``, ``bold`` and ``new``
    as ``<strong>``/``<ins>`` (bold), ``old`` as ``<del>`` (struck through).  Italic is set, not toggled:
    Typst's ``emph`` inside an italic cell (a task heading) would print the span upright."""
    body = txt(s.text)
    if s.mark in ("new", "bold"):
        return f"strong({body})"
    if s.mark == "old":
        return f"strike({body})"
    if s.mark in ("note", "italic"):
        return f"text(style: \"italic\", {body})"
    return body


# --------------------------------------------------------------------------- compiling


@functools.cache
def _font_folders() -> tuple[str, ...]:
    """The folders of the font files fontconfig gives for the HTML's families (regular, bold, italic,
    bold italic): the same faces as WeasyPrint's, and no other font of the system."""
    folders: set[str] = set()
    for family in FONT_FAMILIES:
        for style in STYLES:
            try:
                found = subprocess.run(["fc-match", "-f", "%{family}\t%{file}", f"{family}{style}"],
                                       capture_output=True, text=True, check=True, timeout=10).stdout
            except (OSError, subprocess.SubprocessError):
                continue
            names, _, file = found.partition("\t")
            if file and any(f in names.split(",") for f in FONT_FAMILIES):
                folders.add(os.path.dirname(file))
    return tuple(sorted(folders))


@functools.cache
def _compiler() -> tuple[Any, Path]:
    """One compiler per process, and the file it reads each document's markup from: a new compiler per
    document loads its fonts again and keeps its own caches (four times the time, twice the memory).  Its root
    is a private folder that holds only that file (no path of the markup can name another file), its package
    folders an empty one (the markup imports no package)."""
    import typst

    fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=list(_font_folders()))
    root = tempfile.mkdtemp(prefix="plandocs-typst-")
    empty = tempfile.mkdtemp(prefix="plandocs-typst-packages-")
    for folder in (root, empty):
        atexit.register(shutil.rmtree, folder, True)
    main = Path(root) / "main.typ"
    main.write_text("", encoding="utf-8")
    return typst.Compiler(input=os.fspath(main), root=root, font_paths=fonts, ignore_system_fonts=True,
                          package_path=empty, package_cache_path=empty), main


_LOCK = threading.Lock()
"""One document at a time per process: the compiler and its input file are shared."""


_WARM_MARKUP = ("#set text(font: ({fonts}), lang: \"uk\", hyphenate: true)\n"
                "#table(columns: (20mm,), [Прогрів *шрифтів* _курсив_ правопросвітницьких])\n")


def warm_compiler() -> None:
    """Make this process's compiler and print a one-cell table with it: the fonts the documents use
    (regular, bold, italic) and Ukrainian hyphenation are loaded before the first document."""
    if not _font_folders():
        return  # the first document reports the missing fonts
    with _LOCK:
        compiler, main = _compiler()
        main.write_text(_WARM_MARKUP.format(fonts=", ".join(lit(f) for f in FONT_FAMILIES)), encoding="utf-8")
        compiler.compile(format="pdf")


_STREAM_RE = re.compile(rb"(\d+ 0 obj\s*<<)([^<>]*)(>>\s*stream\r?\n)")
"""The head of a stream object whose dictionary holds no nested dictionary."""


def searchable_hyphenation(pdf: bytes) -> bytes:
    """``pdf`` with the hyphens of automatic hyphenation as U+002D HYPHEN-MINUS in the text layer.

    Typst gives the hyphen it prints at a line end the text U+00AD SOFT HYPHEN, which poppler (pdftotext,
    Evince) and pdf.js do not join back into the word, so a search misses every hyphenated word (a seventh of
    the words of a plan). That text is written in one of two places: the font's ToUnicode map, when the glyph
    has a code of its own (``<00AD>``), or an ``/ActualText<FEFF00AD>`` span around the glyph in the page's
    content. Both are rewritten to 002D, which changes exactly those hyphens: the text layer is then the one
    WeasyPrint writes. The cross-reference table is written again for the new stream lengths; a PDF of
    another structure is returned as it is."""
    try:
        return _remap_soft_hyphens(pdf)
    except (ValueError, IndexError, zlib.error):  # not the structure Typst writes: leave the text layer
        return pdf


_SOFT_HYPHEN_TEXT = ((b"<00AD>", b"<002D>"), (b"/ActualText<FEFF00AD>", b"/ActualText<FEFF002D>"))


def _remap_soft_hyphens(pdf: bytes) -> bytes:
    xref_at = int(pdf[pdf.rindex(b"startxref") + len(b"startxref"):].split()[0])
    table = pdf[xref_at:]
    lines = table.split(b"\n")
    if lines[0].strip() != b"xref":
        raise ValueError("no classic cross-reference table")
    first, count = (int(v) for v in lines[1].split())
    entries = [lines[2 + i].rstrip(b"\r") for i in range(count)]
    trailer = table[table.index(b"trailer"):table.index(b"startxref")]
    offsets = {n: int(e[:10]) for n, e in enumerate(entries, first) if e[17:18] == b"n"}
    order = sorted(offsets, key=lambda n: offsets[n])
    out = bytearray(pdf[:offsets[order[0]]])
    moved: dict[int, int] = {}
    changed = False
    for i, n in enumerate(order):
        end = offsets[order[i + 1]] if i + 1 < len(order) else xref_at
        chunk = pdf[offsets[n]:end]
        fixed = _remap_stream(chunk)
        changed |= fixed is not chunk
        moved[n] = len(out)
        out += fixed
    if not changed:
        return pdf
    new_xref = len(out)
    out += b"xref\n%d %d\n" % (first, count)
    for n, e in enumerate(entries, first):
        out += (b"%010d" % moved[n] + e[10:] if n in moved else e) + b"\n"
    out += trailer + b"startxref\n%d\n%%%%EOF\n" % new_xref
    return bytes(out)


def _remap_stream(chunk: bytes) -> bytes:
    """An object with the soft hyphens of its stream (a ToUnicode map or a page's content) rewritten; the same
    object (``is``) when there is nothing to rewrite."""
    m = _STREAM_RE.match(chunk)
    # only ToUnicode maps and content streams (no /Subtype, /Length1: fonts and images are left alone)
    if m is None or b"/FlateDecode" not in m.group(2) or b"/Subtype" in m.group(2) or b"/Length1" in m.group(2):
        return chunk
    length = re.search(rb"/Length (\d+)", m.group(2))
    if length is None:
        return chunk
    start = m.end()
    data = chunk[start:start + int(length.group(1))]
    text = zlib.decompress(data)
    new = text
    for old, repl in _SOFT_HYPHEN_TEXT:
        new = new.replace(old, repl)
    if new == text:
        return chunk
    packed = zlib.compress(new, 9)
    head = m.group(2).replace(length.group(0), b"/Length %d" % len(packed))
    return m.group(1) + head + m.group(3) + packed + chunk[start + len(data):]


def render_typst(view: DocumentView, attachments: Sequence[Path] = (),
                 pdf_a: bool = False) -> tuple[bytes, dict[str, int]]:
    """PDF bytes of the typeset ``view``, and the page (from 1) of each section anchor (for the DOCX
    contents). ``pdf_a`` makes PDF/A-3b with ``attachments`` embedded."""
    import typst

    if not _font_folders():
        raise TemplateFailure(_("PDF (Typst): none of the fonts {fonts} is installed (see scripts/system-deps)")
                              .format(fonts=", ".join(FONT_FAMILIES)))
    attached = attachments if pdf_a else ()
    try:
        with _LOCK:
            return _compile(view, attached, pdf_a)
    except typst.TypstError as exc:  # a bug of this writer, never the YAML's text: report it plainly
        raise TemplateFailure(_("PDF (Typst): {error}").format(error=exc.message)) from None


def settled_breaks(view: DocumentView, attached: Sequence[Path], compiler: Any, main: Path) -> frozenset[int]:
    """The body rows at which the short merged cells are cut: rows that open a page in the layout of the
    markup cut there. A repeated text makes its row taller and can move the rows it was repeated for, so the
    page starts may never settle (they alternate between two sets in long plans); then nothing is cut and
    Typst breaks the merged cells across pages itself, rather than repeating a number in mid-page."""
    breaks: frozenset[int] = frozenset()
    if not _has_short_spans(view.table):
        return breaks
    for _pass in range(MAX_PASSES - 1):
        main.write_text(typst_source(view, attached, breaks), encoding="utf-8")
        # the query alone would do (it lays the markup out), but only a compile evicts Typst's memoised
        # layouts: with queries only, a worker grew by 40-60 MiB per document instead of levelling off
        compiler.compile(format="pdf")
        starts = page_starts(compiler)
        if starts == breaks:
            return breaks
        breaks = starts
    return frozenset()


def page_starts(compiler: Any) -> frozenset[int]:
    """The first body row of each page after the first, in the compiler's current layout."""
    first: dict[int, int] = {}
    for row, page in json.loads(compiler.query("<plandocs-row>", field="value")):
        first[int(page)] = min(int(row), first.get(int(page), int(row)))
    return frozenset(r for p, r in first.items() if p != min(first)) if first else frozenset()


def _compile(view: DocumentView, attached: Sequence[Path], pdf_a: bool) -> tuple[bytes, dict[str, int]]:
    """Compile, and again with the short merged cells cut where the pages start until those rows stay the
    same (two passes for a plan whose short merges cross a page; at most :data:`MAX_PASSES`)."""
    compiler, main = _compiler()
    main.write_text(typst_source(view, attached, settled_breaks(view, attached, compiler, main)),
                    encoding="utf-8")
    data = compiler.compile(format="pdf", timestamp=source_epoch(view.date),
                            pdf_standards=["a-3b"] if pdf_a else [])
    pages: dict[str, int] = {}
    if view.sections:
        for index, page in json.loads(compiler.query("<plandocs-page>", field="value")):
            pages.setdefault(view.sections[int(index)].anchor, int(page))
    assert isinstance(data, bytes)
    return searchable_hyphenation(data), pages
