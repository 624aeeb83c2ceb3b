"""Recognise a plan table's header: which rows are header, what each grid column holds.

The result is a typed :class:`Layout` — one :class:`ColumnSpec` per grid column with its kind, the
header text as printed, and its place under a spanning group (a quarter, a year × source, plan/fact) —
so it maps onto a declarative column list as well as onto today's fixed ``Column`` set.  Header texts are
matched after normalising what Word layouts do to them: line breaks, hyphenation (``вико-\\nнання``,
``кон- курсу``), soft hyphens, case, apostrophe variants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from plandocs.importer.docxread import Table, TableRow


class Kind(StrEnum):
    """What a grid column holds."""

    NUMBER = "number"
    PRIORITY = "priority"
    """A subgoal/priority column merged vertically (KMU «Підціль»)."""
    TASK = "task"
    RESULT = "result"
    MEASURE = "measure"
    EXECUTOR = "executor"
    TERM = "term"
    START = "start"
    END = "end"
    INDICATOR = "indicator"
    VALUE = "value"
    """One planned-value column: a quarter, month, year or the single value; ``key`` says which."""
    FUNDING = "funding"
    """One funding amount: ``key`` is the year, ``source`` the source's header."""
    SOURCE = "source"
    """The funding source as a column: one sub-row per source (the Kharkiv form)."""
    EXPECTED = "expected"
    NOTE = "note"
    PLAN = "plan"
    FACT = "fact"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ColumnSpec:
    """One grid column of the table as recognised."""

    col: int
    kind: Kind
    header: str
    """The top header text, as printed (line breaks kept)."""
    key: str | None = None
    """Value columns: ``I``…``IV``, ``01``…``12``, a year or ``total``; funding: the year."""
    source: str | None = None
    """Funding columns: the source's header, e.g. «Міськ. бюджет»."""
    sub: str | None = None
    """The lowest header text over this column when it differs from ``header``."""
    group_text: str | None = None
    """The header of a group over ordinary columns («Термін виконання» over «Початок», «Закінчення»);
    ``kind`` then comes from ``sub``."""


@dataclass(frozen=True)
class Layout:
    columns: tuple[ColumnSpec, ...]
    header_rows: int
    """How many leading rows are header."""
    column_numbers: bool
    """A row «1 2 3 …» follows the header."""

    def of(self, kind: Kind) -> list[ColumnSpec]:
        return [c for c in self.columns if c.kind is kind]

    def first(self, kind: Kind) -> ColumnSpec | None:
        found = self.of(kind)
        return found[0] if found else None

    @property
    def body_start(self) -> int:
        return self.header_rows + (1 if self.column_numbers else 0)


_HYPHEN_BREAK = re.compile(r"(\w)[-\u00ad\u2010\u2011]\s+(\w)")
_SOFT = re.compile("[\u00ad\u200b]")
_APOS = re.compile("[\u2019\u02bc\u2018`ʼ]")


def normalise(text: str) -> str:
    """Header text for matching: one line, no hyphenation, lower case, one apostrophe."""
    t = _SOFT.sub("", text)
    t = _HYPHEN_BREAK.sub(lambda m: m.group(1) + m.group(2) if m.group(2).islower() else m.group(0), t)
    t = _APOS.sub("'", t)
    return re.sub(r"\s+", " ", t).strip().lower()


# Ordered: the first pattern that matches decides (so «заходу для виконання завдання» is a measure and
# «мета та основний результат виконання завдання» a result, not a task).
_RULES: tuple[tuple[re.Pattern[str], Kind], ...] = tuple((re.compile(p), k) for p, k in (
    (r"^№|^n\s*п/п|з/п|п/п|^номер", Kind.NUMBER),
    (r"примітк", Kind.NOTE),
    (r"^факт|фактичн|виконано", Kind.FACT),
    (r"^джерел", Kind.SOURCE),
    (r"фінансуван|обсяг.*(фінанс|кошт)|тис\.? ?грн|джерел", Kind.FUNDING),
    (r"значення показник|значення індикатор|планов\w* значен|цільов\w* значен", Kind.VALUE),
    (r"очікуван\w* результат", Kind.EXPECTED),
    (r"показник|індикатор", Kind.INDICATOR),
    (r"^мета|результат", Kind.RESULT),
    (r"^початок|дата початку|початок виконання", Kind.START),
    (r"закінчен", Kind.END),
    (r"термін|строк|період реалізац|дата виконан", Kind.TERM),
    (r"виконав|відповідальн|орган\w* влади|співвиконав", Kind.EXECUTOR),
    (r"напрям\w* діяльн|пріоритетн\w* завданн", Kind.PRIORITY),
    (r"захід|заходу|заходів|заходи", Kind.MEASURE),
    (r"завданн|операційн\w* ціл|задач", Kind.TASK),
    (r"підціл|пріоритет|стратегічн\w* ціл|напрям", Kind.PRIORITY),
    (r"^план", Kind.PLAN),
))

ROMAN_QUARTERS = ("I", "II", "III", "IV")
MONTHS = ("січ", "лют", "берез", "квіт", "трав", "черв", "лип", "серп", "верес", "жовт", "листоп", "груд")
_LATIN_ROMAN = str.maketrans("ІХ", "IX")  # Cyrillic look-alikes typed in headers


def classify(text: str) -> Kind:
    """The kind of a column from its (top) header text."""
    t = normalise(text)
    for pattern, kind in _RULES:
        if pattern.search(t):
            return kind
    return Kind.UNKNOWN


def period_key(text: str) -> str | None:
    """``I``…``IV``, ``01``…``12``, a year or ``total`` for a value sub-header; ``None`` otherwise."""
    t = normalise(text).rstrip(".")
    up = t.upper().translate(_LATIN_ROMAN)
    for q in ("I", "II", "III", "IV"):
        if up in (q, f"{q} КВ", f"{q} КВАРТАЛ", f"{q} КВ."):
            return q
    if re.fullmatch(r"(разом|усього|всього|рік|за рік)", t):
        return "total"
    if re.fullmatch(r"(19|20)\d\d( рік| р)?", t):
        return t[:4]
    if re.fullmatch(r"(0?[1-9]|1[0-2])", t):
        return f"{int(t):02d}"
    for i, m in enumerate(MONTHS, start=1):
        if t.startswith(m):
            return f"{i:02d}"
    return None


def _is_colnum_row(row: TableRow) -> bool:
    texts = [c.text.strip() for c in row.cells]
    if len(texts) < 2 or not all(re.fullmatch(r"\d{1,2}\.?", t) for t in texts):
        return False
    return [int(t.rstrip(".")) for t in texts] == list(range(1, len(texts) + 1))


def is_repeated_header(row: TableRow, table: Table, layout: Layout) -> bool:
    """A header or column-number row repeated inside the body (a page break in a file without
    ``tblHeader``, or a table pasted together from pages)."""
    if layout.column_numbers and _is_colnum_row(row):
        return True
    texts = [normalise(c.text) for c in row.cells]
    return any(texts == [normalise(c.text) for c in table.rows[i].cells] for i in range(layout.header_rows)) \
        and any(texts)


def _header_rows(table: Table) -> int:
    flagged = 0
    while flagged < len(table.rows) and table.rows[flagged].header:
        flagged += 1
    if flagged:
        # the column-number row is often flagged as header too: it is not a header row here
        if _is_colnum_row(table.rows[flagged - 1]):
            flagged -= 1
        return flagged
    n = 1
    while n < len(table.rows):
        row, above = table.rows[n], table.rows[n - 1]
        if _is_colnum_row(row):
            break
        spanned = False
        ok = True
        for c in row.cells:
            a = above.at(c.col)
            under_group = a is not None and a.colspan > c.colspan
            if under_group and c.text.strip():
                spanned = True
            elif not under_group and c.text.strip() and not c.continued and a is not None \
                    and period_key(c.text) is None and classify(c.text) not in (Kind.PLAN, Kind.FACT, Kind.NOTE):
                ok = False  # text under a header cell that does not span: a data row
        if not ok:
            break
        if not spanned and not all(period_key(c.text) or classify(c.text) in (Kind.PLAN, Kind.FACT, Kind.NOTE)
                                   for c in row.cells if c.text.strip() and not c.continued):
            break
        if not spanned and not any(c.text.strip() for c in row.cells if not c.continued):
            break
        n += 1
    return n


def recognise(table: Table) -> Layout:
    """The layout of ``table``: header rows, the column-number row, one spec per grid column."""
    nh = _header_rows(table)
    colnums = nh < len(table.rows) and _is_colnum_row(table.rows[nh])
    specs: list[ColumnSpec] = []
    for col in range(table.ncols):
        path: list[str] = []
        for r in table.rows[:nh]:
            c = r.at(col)
            if c is None or c.continued or not c.text.strip():
                continue
            if path and c.text == path[-1]:
                continue
            path.append(c.text)
        top = path[0] if path else ""
        kind = classify(top) if top else Kind.UNKNOWN
        sub = path[-1] if len(path) > 1 else None
        key = source = None
        if kind in (Kind.VALUE, Kind.PLAN, Kind.FACT) and sub is not None:
            sk = classify(sub)
            if sk in (Kind.PLAN, Kind.FACT, Kind.NOTE):
                kind = sk
            else:
                key = period_key(sub)
        elif kind is Kind.FUNDING and len(path) > 1:
            for p in path[1:]:
                if re.fullmatch(r"\s*(19|20)\d\d\s*(р\.?|рік)?\s*", p):
                    key = p.strip()[:4]
                else:
                    source = re.sub(r"\s+", " ", _HYPHEN_BREAK.sub(r"\1\2", p)).strip()
        elif kind is Kind.UNKNOWN and sub is not None and period_key(sub):
            kind, key = Kind.VALUE, period_key(sub)
        group_text = None
        if sub is not None and kind not in (Kind.VALUE, Kind.FUNDING, Kind.PLAN, Kind.FACT, Kind.NOTE) \
                and classify(sub) not in (Kind.UNKNOWN, Kind.VALUE, Kind.FUNDING, Kind.PLAN, Kind.FACT):
            kind, group_text = classify(sub), top  # ordinary columns under a group header
        specs.append(ColumnSpec(col, kind, top, key, source, sub, group_text))
    return Layout(tuple(specs), nh, colnums)
