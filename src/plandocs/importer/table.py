"""The measures table into priorities → tasks → measures → rows.

The hierarchy comes from what the document shows: full-width heading rows («Пріоритет I. …»,
«Операційна ціль 1.1 …»), vertically merged cells (a task cell over its measures, a measure cell over its
executor rows, a «Підціль» column), numbering inside the cells («1.1», «Завдання 1.1», «Захід 1.1.1»),
and rows that a page break split (the continuation repeats the measure's text or leaves it empty).
The output is plain YAML data (dicts and lists in the model's key names) plus what was learnt about the
form (labels, numbering scheme, columns), which :mod:`plandocs.importer.build` assembles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from plandocs.i18n import _
from plandocs.importer.cells import ExecutorMatcher, Numbered, split_numbering, value_text
from plandocs.importer.columns import Kind, Layout, is_repeated_header
from plandocs.importer.docxread import Cell, Table, TableRow

Data = dict[str, Any]


@dataclass
class Placed:
    """Which cells of the table landed in the plan (the rest goes to the unplaced report)."""

    cells: set[tuple[int, int]] = field(default_factory=set)
    """(row, col) of consumed cells."""


@dataclass
class Form:
    """What the table says about its form."""

    priority_label: str | None = None
    task_label: str | None = None
    measure_label: str | None = None
    numbers: list[tuple[str, str, str]] = field(default_factory=list)
    """(number printed, priority id, task id) per task, for the numbering scheme."""
    measure_numbers: list[tuple[str, int]] = field(default_factory=list)
    """(number printed, index of the measure in its task) where the № column counts measures."""
    priority_numbers: int = 0
    totals: dict[str, dict[str, str]] = field(default_factory=dict)
    """Amounts of printed «Усього:» rows: year → source name → amount (a source column's form)."""
    totals_label: str | None = None
    grand_label: str | None = None
    """The label of the printed sum over the sources («Разом:»)."""
    sources: list[str] = field(default_factory=list)
    """Source names of a source column, in order of first appearance."""
    date_format: str | None = None
    """How the start and end columns print dates: «DD-MM-YYYY» (KMU) or «DD.MM.YYYY»."""


@dataclass
class Cursor:
    priority: Data | None = None
    task: Data | None = None
    measure: Data | None = None
    measure_text: str = ""
    task_text: str = ""
    priority_text: str = ""


@dataclass
class TableResult:
    priorities: list[Data]
    form: Form
    facts: dict[str, Any]
    placed: Placed
    warnings: list[str]


def _full_width(row: TableRow, ncols: int) -> str | None:
    texts = [c.text for c in row.cells if c.text.strip()]
    if len(row.cells) == 1 and row.cells[0].colspan >= ncols - 1 and texts:
        return texts[0]
    if len(texts) >= 1 and len(set(texts)) == 1 and len(row.cells) > 1 and \
            all(c.text == texts[0] for c in row.cells) and ncols > 2:
        return texts[0]  # a merged heading that a converter wrote out in every slot
    return None


class _Builder:
    def __init__(self, table: Table, layout: Layout, executors: ExecutorMatcher, report: bool,
                 measure_notes: bool) -> None:
        self.table, self.layout, self.ex, self.report = table, layout, executors, report
        self.measure_notes = measure_notes
        self.priorities: list[Data] = []
        self.form = Form()
        self.cur = Cursor()
        self.placed = Placed()
        self.facts: dict[str, Any] = {}
        self.warnings: list[str] = []
        self.has_task_col = layout.first(Kind.TASK) is not None
        self.value_cols = layout.of(Kind.VALUE)
        self.plan_cols = layout.of(Kind.PLAN)
        self._pending_result: str | None = None
        self.in_totals: str | None = None
        """The label of the printed totals rows being read («Усього:»), until the next data row."""
        """A result cell that starts inside a task: it belongs to the next measure."""

    # ---- helpers

    def cell(self, row: TableRow, ri: int, kind: Kind) -> Cell | None:
        spec = self.layout.first(kind)
        if spec is None:
            return None
        c = row.at(spec.col)
        if c is not None:
            self.placed.cells.add((ri, c.col))
        return c

    def text(self, row: TableRow, ri: int, kind: Kind) -> str:
        c = self.cell(row, ri, kind)
        if c is None or c.continued:
            return ""
        return c.text.strip() if kind in (Kind.EXECUTOR, Kind.TERM) else one_line(c.text)

    def new_priority(self, text: str, ident: str | None = None) -> Data:
        n = split_numbering(text)
        pid = n.ident if n.ident and "." not in n.ident else str(len(self.priorities) + 1)
        if ident:
            pid = ident
        if n.ident and self.form.priority_label is None:
            self.form.priority_label = n.label
        p: Data = {"id": pid, "title": n.title if n.ident else text.strip()}
        if not p["title"]:
            del p["title"]
        self.priorities.append(p)
        self.cur = Cursor(priority=p, priority_text=text)
        return p

    def ensure_priority(self) -> Data:
        if self.cur.priority is None:
            return self.new_priority("", "1")
        return self.cur.priority

    def new_task(self, text: str) -> Data:
        p = self.ensure_priority()
        n = split_numbering(text)
        tasks = p.setdefault("tasks", [])
        if n.ident and "." in n.ident:
            tid = n.ident
            label = n.label
        elif n.ident:  # «1.\tЗабезпечення …»: numbered within the priority
            tid = f"{p['id']}.{n.ident}"
            label = n.label.replace("{id}", "{n}")
        else:
            tid, label = f"{p['id']}.{len(tasks) + 1}", ""
        if self.form.task_label is None:
            self.form.task_label = label
        t: Data = {"id": tid}
        if label and self.form.task_label and label != self.form.task_label:
            t["label"] = label  # «Завдання 4.3:» where the others print «Завдання 1.1»: kept as printed
        title = n.title if n.ident else text.strip()
        if title:
            t["title"] = title
        tasks.append(t)
        self.cur.task, self.cur.task_text, self.cur.measure, self.cur.measure_text = t, text, None, ""
        return t

    def new_measure(self, text: str) -> Data:
        owner = self.cur.task if self.cur.task is not None else self.ensure_priority()
        measures = owner.setdefault("measures", [])
        n = split_numbering(text)
        if n.ident and n.ident.count(".") >= 1 and (self.cur.task is None or n.ident != self.cur.task["id"]):
            mid, label = n.ident, n.label
            title = n.title
        else:
            mid, label, title = f"{owner['id']}.{len(measures) + 1}", "", text.strip()
        if self.form.measure_label is None:
            self.form.measure_label = label
        m: Data = {"id": mid}
        if title:
            m["title"] = title
        measures.append(m)
        self.cur.measure, self.cur.measure_text = m, text
        return m

    # ---- the row's own cells

    def row_cells(self, row: TableRow, ri: int) -> Data:
        out: Data = {}
        ex = self.text(row, ri, Kind.EXECUTOR)
        if ex:
            ids = self.ex.match(ex)
            out["executor"] = ids[0] if len(ids) == 1 else ids
        term = self.text(row, ri, Kind.TERM)
        start, end = self.text(row, ri, Kind.START), self.text(row, ri, Kind.END)
        if term:
            out["term"] = term
        elif start or end:
            out["term"] = _term_from(start, end)
            if self.form.date_format is None and re.fullmatch(r"\d{2}([-.])\d{2}\1\d{4}", start or end):
                self.form.date_format = "DD-MM-YYYY" if "-" in (start or end) else "DD.MM.YYYY"
        ind = self.text(row, ri, Kind.INDICATOR)
        if ind:
            out["indicator"] = ind
        cols = self.value_cols if self.value_cols else self.plan_cols[:1]
        if cols:
            first = row.at(cols[0].col)
            if first is not None and (first.colspan >= len(cols) > 1 or len(cols) == 1):
                for spec in cols:
                    self.placed.cells.add((ri, spec.col))
                v = value_text(first.text) if not first.continued else ""
                if v:
                    out["value"] = v
            else:
                vals: Data = {}
                for spec in cols:
                    c = row.at(spec.col)
                    if c is None:
                        continue
                    self.placed.cells.add((ri, c.col))
                    v = value_text(c.text)
                    if v and spec.key:
                        vals[spec.key] = v
                if vals:
                    out["values"] = vals
        return out

    def funding(self, row: TableRow, ri: int) -> Data | None:
        specs = self.layout.of(Kind.FUNDING)
        if not specs:
            return None
        fund: Data = {}
        for spec in specs:
            c = row.at(spec.col)
            if c is None or c.continued:
                continue
            self.placed.cells.add((ri, c.col))
            v = value_text(c.text)
            if v and spec.key:
                fund.setdefault(spec.key, {})[spec.source or self.row_source(row, ri) or "budget"] = v
        return fund or None

    def row_source(self, row: TableRow, ri: int) -> str | None:
        """The funding source a row's amounts belong to, where the form has a source column."""
        c = self.cell(row, ri, Kind.SOURCE)
        if c is None or not c.text.strip():
            return None
        name = one_line(c.text)
        if name not in self.form.sources:
            self.form.sources.append(name)
        return name

    def totals_row(self, row: TableRow, ri: int, label: str) -> None:
        """A printed totals row of a source-column form: «Усього:» per source, «Разом:» over them."""
        for c in row.cells:
            self.placed.cells.add((ri, c.col))
        if label:
            self.in_totals = label
        if label.startswith("Разом") or (not label and self.in_totals and self.in_totals.startswith("Разом")):
            self.form.grand_label = label or self.form.grand_label
            return
        self.form.totals_label = self.form.totals_label or self.in_totals
        source = self.row_source(row, ri)
        for spec in self.layout.of(Kind.FUNDING):
            amount = row.at(spec.col)
            if amount is not None and spec.key and source and (v := value_text(amount.text)):
                self.form.totals.setdefault(spec.key, {})[source] = v

    def record_fact(self, row: TableRow, ri: int, measure: Data, row_exec: Any) -> None:
        fact_c = self.cell(row, ri, Kind.FACT)
        note_c = self.cell(row, ri, Kind.NOTE)
        fact = value_text(fact_c.text) if fact_c is not None and not fact_c.continued else ""
        note = note_c.text.strip() if note_c is not None and not note_c.continued else ""
        entry: Any = fact if fact and not note else {k: v for k, v in (("fact", fact), ("note", note)) if v}
        if not fact and not note:
            entry = None
        mid = measure["id"]
        if mid in self.facts and row_exec is not None:
            prev = self.facts[mid]
            rows = prev.get("rows") if isinstance(prev, dict) and "rows" in prev else None
            if rows is None:
                first_exec = prev.pop("_exec", None) if isinstance(prev, dict) else None
                rows = {}
                if first_exec is not None:
                    rows[first_exec] = prev.get("_entry") if isinstance(prev, dict) else prev
                self.facts[mid] = {"rows": rows}
            rows[_exec_key(row_exec)] = entry
        else:
            self.facts[mid] = {"_exec": _exec_key(row_exec) if row_exec is not None else None, "_entry": entry}

    # ---- the walk

    def run(self) -> None:
        ncols = self.table.ncols
        for ri, row in enumerate(self.table.rows):
            if ri < self.layout.body_start:
                for c in row.cells:
                    self.placed.cells.add((ri, c.col))
                continue
            if is_repeated_header(row, self.table, self.layout):
                for c in row.cells:
                    self.placed.cells.add((ri, c.col))
                continue
            first = row.cells[0] if row.cells else None
            label = first.text.strip() if first is not None else ""
            is_total = first is not None and first.colspan > 1 and bool(
                re.fullmatch(r"(Усього|Разом|Всього)( по програмі)?:?", label))
            if self.layout.first(Kind.SOURCE) is not None and first is not None and first.colspan > 1 and \
                    (is_total or (self.in_totals and (first.continued or not label))):
                self.totals_row(row, ri, label if is_total else "")
                continue
            if is_total and first is not None:
                # the totals row: the renderer computes it from the amounts again
                for c in row.cells:
                    self.placed.cells.add((ri, c.col))
                self.warnings.append(_("row {row}: the «{label}» row is computed on render; its amounts were not "
                                       "imported").format(row=ri + 1, label=first.text.strip()))
                continue
            heading = _full_width(row, ncols)
            if heading is not None:
                for c in row.cells:
                    self.placed.cells.add((ri, c.col))
                self.heading(heading)
                continue
            if not any(c.text.strip() for c in row.cells if not c.continued):
                continue
            self.data_row(row, ri)

    def heading(self, text: str) -> None:
        n = split_numbering(text)
        if n.ident and n.ident.count(".") == 1 and self.cur.priority is not None:
            t = self.new_task(text)
            if self.form.task_label is None or self.form.task_label == "":
                self.form.task_label = n.label
            del t  # the task is the cursor's now
            return
        self.new_priority(text)

    def data_row(self, row: TableRow, ri: int) -> None:
        self.in_totals = None
        number = self.text(row, ri, Kind.NUMBER)
        pcell = self.cell(row, ri, Kind.PRIORITY)
        ptext = one_line(pcell.text) if pcell is not None and not pcell.continued else ""
        if ptext and ptext != self.cur.priority_text:
            self.new_priority(ptext)
        # a № cell with a Roman numeral: a priority printed as a data row (city programmes)
        mtext = self.text(row, ri, Kind.MEASURE)
        if number and re.fullmatch(r"[IVXІХ]+\.?", number) and not self.has_task_col:
            p = self.new_priority(f"{number} {mtext}" if mtext else number)
            self.form.priority_numbers += 1
            p.update(self.row_cells(row, ri))
            if (f := self.funding(row, ri)) is not None:
                p["funding"] = f
            return
        if self.has_task_col:
            tcell = self.cell(row, ri, Kind.TASK)
            ttext = one_line(tcell.text) if tcell is not None and not tcell.continued else ""
            if ttext and ttext != self.cur.task_text:
                self.new_task(ttext)
                if number:
                    assert self.cur.task is not None and self.cur.priority is not None
                    self.form.numbers.append((number, self.cur.priority["id"], self.cur.task["id"]))
            res = self.text(row, ri, Kind.RESULT)
            if res and self.cur.task is not None and "result" not in self.cur.task:
                self.cur.task["result"] = res
            elif res and self.cur.task is not None and res != self.cur.task.get("result"):
                self._pending_result = res
        elif mtext.endswith(":") and not self.layout.first(Kind.TASK):
            # a heading-like row inside a form without a task column: «Патронат оперативної допомоги:»
            t = self.new_task(mtext)
            cells = self.row_cells(row, ri)
            t.update(cells)
            if (f := self.funding(row, ri)) is not None:
                t["funding"] = f
            return
        cells = self.row_cells(row, ri)
        funding = self.funding(row, ri)
        if mtext and mtext != self.cur.measure_text:
            m = self.new_measure(mtext)
            if number and not self.has_task_col:
                self.form.measure_numbers.append((number, len(self._owner_measures())))
            if self._pending_result:
                m["result"] = self._pending_result
                self._pending_result = None
            if funding is not None:
                m["funding"] = funding
            if self.measure_notes and not self.report:  # the forms model's «Очікуваний результат», «Примітка»
                for kind, key in ((Kind.EXPECTED, "expected"), (Kind.NOTE, "note")):
                    if text := self.text(row, ri, kind):
                        m[key] = text
            m["_rows"] = [cells]
        elif self.cur.measure is not None:
            self.cur.measure["_rows"].append(cells)
            if funding is not None:  # a source's sub-row, or a row continued on the next page
                merged = self.cur.measure.setdefault("funding", {})
                for year, amounts in funding.items():
                    merged.setdefault(year, {}).update(amounts)
        else:
            m = self.new_measure("")
            m["_rows"] = [cells]
        assert self.cur.measure is not None
        if self.report:
            self.record_fact(row, ri, self.cur.measure, cells.get("executor"))

    def _owner_measures(self) -> list[Data]:
        owner = self.cur.task if self.cur.task is not None else self.cur.priority
        return owner.get("measures", []) if owner else []


def one_line(text: str) -> str:
    """A title cell without the layout of a narrow Word cell: double spaces, and line breaks inside a
    sentence (the next line goes on in lower case, with «…» or a dash). Breaks after «:», «;» or «.»
    start list items and are kept, as is a tab after a number (it separates the numbering)."""
    t = re.sub(r"(?<![:;.])[ \u00a0]*\n[ \u00a0]*(?=[a-zа-яіїєґ«–—-])", " ", text.strip())
    return re.sub(r"(?<=\S)  +", " ", t)


def _exec_key(ex: Any) -> str:
    return "+".join(ex) if isinstance(ex, list) else str(ex)


def _term_from(start: str, end: str) -> Any:
    iso = []
    for t in (start, end):
        m = re.fullmatch(r"(\d{2})[-.](\d{2})[-.](\d{4})", t)
        iso.append(f"{m.group(3)}-{m.group(2)}-{m.group(1)}" if m else None)
    if iso[0] and iso[1]:
        return {"from": iso[0], "to": iso[1]}
    return " – ".join(t for t in (start, end) if t)


def fold_rows(m: Data) -> None:
    """A measure's executor rows: cells equal in every row move up to the measure (as the seeds write
    them), one row becomes the measure itself."""
    rows: list[Data] = m.pop("_rows", [])
    if not rows:
        return
    if len(rows) == 1:
        m.update(rows[0])
        return
    keys = ("executor", "term", "indicator", "value", "values")
    for k in keys:
        vals = [r.get(k) for r in rows]
        if all(v is not None for v in vals) and all(v == vals[0] for v in vals):
            m[k] = vals[0]
            for r in rows:
                del r[k]
    # a value shared by the measure is inherited only by rows that set no value of their own
    m["rows"] = rows


def finish_facts(facts: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for mid, f in facts.items():
        if isinstance(f, dict) and "_entry" in f:
            out[mid] = f["_entry"]
        else:
            out[mid] = f
    return out


def build_table(table: Table, layout: Layout, executors: ExecutorMatcher, report: bool = False,
                measure_notes: bool = False) -> TableResult:
    """The table's priorities (or a report's facts); ``measure_notes`` puts the expected-result and note
    columns into the measures (a model that has those fields)."""
    b = _Builder(table, layout, executors, report, measure_notes)
    b.run()
    for p in b.priorities:
        for m in p.get("measures", []):
            fold_rows(m)
        for t in p.get("tasks", []):
            for m in t.get("measures", []):
                fold_rows(m)
    return TableResult(b.priorities, b.form, finish_facts(b.facts), b.placed, b.warnings)


__all__ = ["Numbered", "TableResult", "build_table"]
