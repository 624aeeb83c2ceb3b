"""Stage 3, the plan's document view: :class:`ViewBuilder` turns a checked plan and its organisation into
the :class:`~plandocs.view.types.DocumentView` every renderer reads; :func:`build_view` is the public function.

Reports and roll-ups extend the builder through its named hooks (:meth:`ViewBuilder.value_labels`,
:meth:`~ViewBuilder.value_weights`, :meth:`~ViewBuilder.value_cells`) rather than by editing the view after.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from plandocs.model.records import (
    TOTAL,
    Breakdown,
    Column,
    DateFormat,
    EffectiveRow,
    Emphasis,
    Funding,
    HeadingRows,
    Measure,
    NameStyle,
    Numbering,
    Organisation,
    PersonName,
    Plan,
    PlanKind,
    Priority,
    ProseFormat,
    Signatory,
    TableColumn,
    Task,
    column_entries,
    effective_rows,
    funding_amount,
    has_column_numbers,
    plan_breakdown,
    plan_columns,
    plan_funding_cells,
    resolve_executor,
    sum_as_written,
    value_keys,
)
from plandocs.model.values import Term, roman
from plandocs.view import uaformat as ua
from plandocs.view.prose import parse_block
from plandocs.view.types import (
    Cell,
    DocumentView,
    GoalView,
    OrderView,
    PageView,
    Row,
    SectionView,
    SignatureView,
    Span,
    StampView,
    TableView,
)
from plandocs.view.widths import fit_widths

COMPUTED_TOTAL = "Усього (обчислено)"
"""Label of the funding total row: the figure is plandocs' sum, not one the approved document writes."""

KIND_TITLES = {
    PlanKind.QUARTERLY_PLAN: "Квартальний план заходів",
    PlanKind.ANNUAL_PLAN: "Річний план діяльності",
    PlanKind.ACTION_PLAN: "План дій",
    PlanKind.CITY_PROGRAMME: "Міська програма",
    PlanKind.PROGRAMME: "Регіональна програма",
}

DEFAULT_HEADERS: dict[Column, str] = {
    Column.NUMBER: "№ з/п",
    Column.TASK: "Найменування завдання",
    Column.RESULT: "Мета та основний результат виконання завдання",
    Column.MEASURE: "Найменування заходу",
    Column.TERM: "Термін виконання",
    Column.EXECUTOR: "Відповідальний виконавець",
    Column.INDICATOR: "Найменування показника результативності",
    Column.VALUES: "Значення показника результативності",
    Column.FUNDING: "Фінансування",
    Column.PRIORITY: "Пріоритет",
    Column.START: "Початок",
    Column.END: "Закінчення",
    Column.TOTAL: "Разом",
    Column.SOURCE: "Джерела фінансування",
    Column.EXPECTED: "Очікуваний результат",
    Column.NOTE: "Примітка",
}

# Relative widths of the columns; value and funding widths are per sub-column.
_WEIGHTS: dict[Column, float] = {
    Column.NUMBER: 3.5, Column.TASK: 15, Column.RESULT: 13, Column.MEASURE: 22.5, Column.TERM: 10,
    Column.EXECUTOR: 15, Column.INDICATOR: 13, Column.VALUES: 5.5, Column.FUNDING: 7.5,
    Column.PRIORITY: 15, Column.START: 9, Column.END: 9, Column.TOTAL: 5.5, Column.SOURCE: 11,
    Column.EXPECTED: 15, Column.NOTE: 10,
}

_PRIORITY_MARK = "\x00priority"
_NUMBER_MARK = "\x00number"
"""Placeholders for a priority's merged cells in its first row, replaced once its rows are counted."""


@dataclass(frozen=True)
class ColumnSpec:
    """A declared column with its defaults filled in."""

    kind: Column
    header: str
    width: float | None = None
    merge: bool = True
    date_format: DateFormat = DateFormat.DMY_DOT
    labels: dict[str, str] = field(default_factory=dict)
    total: bool | None = None
    emphasis: Emphasis | None = None


@dataclass(frozen=True)
class GroupSpec:
    """A header cell over the columns under it."""

    header: str
    children: tuple[ColumnSpec | GroupSpec, ...]


def _leaves(entries: Sequence[ColumnSpec | GroupSpec]) -> list[ColumnSpec]:
    out: list[ColumnSpec] = []
    for e in entries:
        out.extend(_leaves(e.children) if isinstance(e, GroupSpec) else [e])
    return out


def _format_date(d: _dt.date, fmt: DateFormat) -> str:
    if fmt is DateFormat.DMY_DASH:
        return f"{d.day:02d}-{d.month:02d}-{d.year}"
    if fmt is DateFormat.ISO:
        return d.isoformat()
    return ua.date_digits(d)
_SINGLE_VALUE_WEIGHT = 13.0

# --------------------------------------------------------------------------- helpers


def _label(fmt: str, ident: str, n: int) -> str:
    if not fmt:
        return ""
    return fmt.replace("{id}", ident).replace("{n}", str(n)).replace("{roman}", roman(n))


def _join(label: str, title: str | None) -> str:
    title = ua.quotes(title or "")
    if label and title:
        return f"{label} {title}"
    return label or title


def emphasised(cell: Cell, emphasis: Emphasis | None, label: str = "") -> Cell:
    """``cell`` with its text emphasised as the form declares (rich lines with the mark ``italic`` or ``bold``);
    the ``label`` its first line starts with («Завдання 1.2») stays upright, as the originals print it."""
    if emphasis is None or not cell.text:
        return cell
    lines: list[tuple[Span, ...]] = []
    for i, line in enumerate(cell.text.split("\n")):
        if i == 0 and label and line.startswith(label):
            rest = line[len(label):].lstrip()
            lead = line[:len(line) - len(rest)]  # the label and the space after it
            lines.append((Span(lead), Span(rest, emphasis.value)) if rest else (Span(line),))
        else:
            lines.append((Span(line, emphasis.value),))
    return replace(cell, lines=tuple(lines))


class ViewBuilder:
    """Builds the view of one plan; subclasses override the value-column hooks (reports: План/Факт/Примітка)."""

    def __init__(self, plan: Plan, org: Organisation) -> None:
        self.plan, self.org = plan, org
        self.tree = self.resolve(column_entries(plan))
        self.columns = plan_columns(plan)
        self._open_priority = False
        self._pending_marks = 0
        self.breakdown = plan_breakdown(plan)
        self.value_keys = value_keys(plan) if self.breakdown not in (Breakdown.SINGLE, Breakdown.NONE) else ()
        self.executors = {e.id: e for e in org.executors}
        self.people = {p.id: p for p in org.people}
        fund = plan.funding
        self.fund_years = [str(y) for y in (fund.years or plan.period.years)] if fund else []
        self.fund_sources = [s.id for s in fund.sources] if fund else []

    # ---- people and stamps

    def person(self, s: Signatory, style: NameStyle | None = None) -> tuple[str, str | None]:
        """(formatted name, default position); ``style`` overrides the organisation's name style."""
        p = s.person
        style = style or self.org.name_style
        if p is None:
            return "", None
        if isinstance(p, str):
            person = self.people[p]
            return ua.person_name(person, style), person.position
        assert isinstance(p, PersonName)
        return ua.person_name(p, style), None

    def stamp(self, s: Signatory, default_label: str, date_style: str = "words",
              style: NameStyle | None = None) -> StampView:
        name, default_position = self.person(s, style)
        position = s.position or default_position or ""
        lines = [ln for ln in position.split("\n") if ln] if position else []
        if s.act is not None:
            act = f"{s.act.name} від {ua.date_digits(s.act.date)} № {s.act.number}"
            lines = [act, *lines]
        date = ""
        if s.date is not None:
            date = ua.date_words(s.date) if date_style == "words" else ua.date_digits(s.date)
        return StampView(s.label or default_label, tuple(lines), s.signature or "", name, date)

    def signature(self, s: Signatory) -> SignatureView:
        name, default_position = self.person(s)
        position = s.position or default_position or ""
        return SignatureView(tuple(ln for ln in position.split("\n") if ln), s.signature or "", name,
                             ua.date_words(s.date) if s.date else "")

    # ---- table

    def executor_text(self, ids: Sequence[str] | None, co: Sequence[str] | None = None) -> str:
        """Lead executors, then co-executors; an external body gets «(за згодою)» or its own consent text."""
        names = []
        for i in (*(ids or ()), *(co or ())):
            e = self.executors.get(i) or resolve_executor(self.org, i)
            assert e is not None, f"unknown executor {i!r} passed validation"
            consent = f" {e.consent or '(за згодою)'}" if e.external or e.consent else ""
            names.append(ua.quotes(e.name) + consent)
        return self.org.executor_separator.join(names)

    # ---- the declared columns

    def entries(self) -> tuple[ColumnSpec | GroupSpec, ...]:
        """The declared column tree; columns a subclass appended to ``columns`` come last, ungrouped."""
        declared = [c.kind for c in _leaves(self.tree)]
        extra = self.columns[len(declared):] if tuple(declared) == self.columns[:len(declared)] else None
        if extra is None:
            return tuple(self.spec(c) for c in self.columns)
        return (*self.tree, *(self.spec(c) for c in extra))

    def specs(self) -> list[ColumnSpec]:
        return list(_leaves(self.entries()))

    def spec(self, entry: Column | TableColumn) -> ColumnSpec:
        if isinstance(entry, Column):
            return ColumnSpec(entry, self.plan.headers.get(entry, DEFAULT_HEADERS[entry]))
        assert entry.kind is not None
        return ColumnSpec(entry.kind, entry.header if entry.header is not None else DEFAULT_HEADERS[entry.kind],
                          entry.width, entry.merge, entry.date_format or DateFormat.DMY_DOT,
                          dict(entry.labels), entry.total, entry.emphasis)

    def resolve(self, entries: Sequence[Column | TableColumn]) -> tuple[ColumnSpec | GroupSpec, ...]:
        out: list[ColumnSpec | GroupSpec] = []
        for e in entries:
            if isinstance(e, TableColumn) and e.kind is None:
                out.append(GroupSpec(e.group or "", self.resolve(e.columns)))
            else:
                out.append(self.spec(e))
        return tuple(out)

    def has(self, kind: Column) -> bool:
        return kind in self.columns

    @property
    def source_rows(self) -> bool:
        """Funding printed as one sub-row per source (a ``source`` column is declared)."""
        return Column.SOURCE in self.columns and bool(self.fund_sources)

    def value_labels(self) -> list[str]:
        """Sub-headers of the value columns (empty for one value column or none)."""
        spec = next((c for c in self.specs() if c.kind is Column.VALUES), None)
        labels = spec.labels if spec else {}
        return [labels.get(k, _key_label(k)) for k in self.value_keys_shown()]

    def value_keys_shown(self) -> tuple[str, ...]:
        spec = next((c for c in self.specs() if c.kind is Column.VALUES), None)
        if spec is not None and spec.total is False:
            return tuple(k for k in self.value_keys if k != TOTAL)
        return self.value_keys

    def value_weights(self) -> list[float]:
        return [_WEIGHTS[Column.VALUES]] * len(self.value_labels())

    def n_value_cols(self) -> int:
        if Column.VALUES not in self.columns:
            return 0
        labels = self.value_labels()
        if labels:
            return len(labels)
        return 0 if self.breakdown is Breakdown.NONE else 1

    def col_count(self, c: Column) -> int:
        if c is Column.VALUES:
            return self.n_value_cols()
        if c is Column.FUNDING:
            return len(self.fund_years) * (1 if self.source_rows else len(self.fund_sources))
        return 1

    # ---- header

    def depth(self, e: ColumnSpec | GroupSpec) -> int:
        if isinstance(e, GroupSpec):
            return 1 + max((self.depth(c) for c in e.children), default=0)
        if e.kind is Column.VALUES and self.n_value_cols() > 1:
            return 2
        if e.kind is Column.FUNDING and self.fund_sources:
            return 2 if self.source_rows else 3
        return 1

    def head(self) -> list[Row]:
        entries = self.entries()
        depth = max((self.depth(e) for e in entries), default=1)
        rows: list[list[Cell]] = [[] for _ in range(depth)]
        for e in entries:
            self.place_head(e, rows, 0, depth)
        out = [Row(tuple(r), "head") for r in rows]
        if has_column_numbers(self.plan):
            total = sum(self.col_count(c) for c in self.columns)
            out.append(Row(tuple(Cell(str(i), role="colnum", header=True, scope="col", align="center")
                                 for i in range(1, total + 1)), "colnums"))
        return out

    def width_of(self, e: ColumnSpec | GroupSpec) -> int:
        if isinstance(e, GroupSpec):
            return sum(self.width_of(c) for c in e.children)
        return self.col_count(e.kind)

    def place_head(self, e: ColumnSpec | GroupSpec, rows: list[list[Cell]], top: int, avail: int) -> None:
        """Header cells of one entry in rows ``top .. top+avail-1`` (cells of a row are appended left to right)."""

        def th(text: str, rowspan: int = 1, colspan: int = 1, scope: str = "col") -> Cell:
            return Cell(text, rowspan=rowspan, colspan=colspan, role="head", header=True, scope=scope, bold=True,
                        align="center")

        if isinstance(e, GroupSpec):
            n = self.width_of(e)
            if n == 0:
                return
            rows[top].append(th(ua.quotes(e.header), colspan=n, scope="colgroup"))
            for child in e.children:
                self.place_head(child, rows, top + 1, avail - 1)
            return
        c, n = e.kind, self.col_count(e.kind)
        text = ua.quotes(e.header)
        if n == 0:
            return
        if c is Column.VALUES and self.value_labels():
            rows[top].append(th(text, rowspan=avail - 1, colspan=n, scope="colgroup"))
            for label in self.value_labels():
                rows[top + avail - 1].append(th(ua.quotes(label)))
        elif c is Column.FUNDING and self.fund_sources:
            unit = self.plan.funding.unit if self.plan.funding else ""
            label = text if unit in text else f"{text}, {unit}"
            names = {s.id: s.name for s in self.plan.funding.sources} if self.plan.funding else {}
            if self.source_rows:
                rows[top].append(th(label, rowspan=avail - 1, colspan=n, scope="colgroup"))
                for y in self.fund_years:
                    rows[top + avail - 1].append(th(y))
            else:
                rows[top].append(th(label, rowspan=avail - 2, colspan=n, scope="colgroup"))
                for y in self.fund_years:
                    rows[top + avail - 2].append(th(y, colspan=len(self.fund_sources), scope="colgroup"))
                    for src in self.fund_sources:
                        rows[top + avail - 1].append(th(ua.quotes(names[src])))
        else:
            rows[top].append(th(text, rowspan=avail))

    def widths(self) -> list[float]:
        weights: list[float] = []
        for spec in self.specs():
            c = spec.kind
            n = self.col_count(c)
            if spec.width is not None:
                weights.extend([spec.width / max(n, 1)] * n)
            elif c is Column.VALUES and self.value_labels():
                weights.extend(self.value_weights())
            else:
                weights.extend([_SINGLE_VALUE_WEIGHT if c is Column.VALUES else _WEIGHTS[c]] * n)
        return weights

    # ---- cells

    def value_cells(self, er: EffectiveRow) -> list[Cell]:
        n = self.n_value_cols()
        if n == 0:
            return []
        if not self.value_labels():
            v = er.value
            if v is None and er.values:
                v = er.values.get(TOTAL)
            return [Cell(ua.value(v), role="value", align="center")]
        if er.value is not None:
            return [Cell(ua.value(er.value), colspan=n, role="value", align="center")]
        vals = er.values or {}
        return [Cell(ua.value(vals.get(k)), role="value", align="center") for k in self.value_keys_shown()]

    def funding_cells(self, funding: Funding | None, source: str | None = None) -> list[Cell]:
        if Column.FUNDING not in self.columns:
            return []
        out = []
        for y in self.fund_years:
            for s in ([source] if self.source_rows else self.fund_sources):
                v = (funding or {}).get(y, {}).get(s) if s else None
                out.append(Cell(ua.value(v), role="value", align="center"))
        return out

    def date_text(self, d: _dt.date | None, spec: ColumnSpec) -> str:
        return _format_date(d, spec.date_format) if d is not None else ""

    def term_text(self, term: Term | None, spec: ColumnSpec) -> str:
        if term is None:
            return ""
        if term.start is not None and term.end is not None and term.from_mapping:
            return f"{_format_date(term.start, spec.date_format)} – {_format_date(term.end, spec.date_format)}"
        return ua.quotes(term.text)

    def start_text(self, term: Term | None, spec: ColumnSpec) -> str:
        if term is None:
            return ""
        if term.start is not None:
            return self.date_text(term.start, spec)
        return ua.quotes(term.text)

    def end_text(self, term: Term | None, spec: ColumnSpec) -> str:
        return self.date_text(term.end, spec) if term is not None and term.start is not None else ""

    # ---- body

    def body(self) -> list[Row]:
        rows: list[Row] = []
        task_counter = 0
        cols = self.columns
        width = sum(self.col_count(c) for c in cols)
        task_in_table = Column.TASK in cols
        prio_col = Column.PRIORITY in cols
        table = self.plan.table
        prio_rows = table.priority_rows if table is not None and table.priority_rows is not None else \
            (HeadingRows.NONE if prio_col else HeadingRows.HEADING)
        task_rows = table.task_rows if table is not None and table.task_rows is not None else \
            (HeadingRows.NONE if task_in_table else HeadingRows.HEADING)
        for pi, p in enumerate(self.plan.priorities, start=1):
            plabel = _label(self.plan.labels.priority, p.id, pi)
            start = len(rows)
            if prio_col:
                self.open_priority()
            if prio_rows is HeadingRows.HEADING:
                if _has_row_data(p) or (self.plan.labels.number is Numbering.PRIORITIES and not prio_col):
                    rows.append(self.data_row(number=plabel, text=_join("", p.title), node=p, kind="priority"))
                else:
                    rows.append(Row((Cell(_join(plabel, p.title), colspan=width, role="priority", scope="row",
                                          bold=True),), "priority"))
            if self.plan.labels.number is Numbering.TASKS_IN_PRIORITY:
                task_counter = 0
            groups: list[tuple[Task | None, list[Measure]]] = []
            if p.measures:
                groups.append((None, p.measures))
            groups.extend((t, t.measures) for t in p.tasks)
            for ti, (task, measures) in enumerate(groups, start=1):
                number = ""
                if task is not None:
                    task_counter += 1
                    number = self.task_number(task, task_counter)
                    if task_rows is HeadingRows.HEADING:
                        tlabel = self.task_label(task, ti)
                        if _has_row_data(task):
                            rows.append(self.data_row(number="", text=_join(tlabel, task.title), node=task,
                                                      kind="task"))
                        else:
                            rows.append(Row((Cell(_join(tlabel, task.title), colspan=width, role="task",
                                                  scope="row", bold=True),), "task"))
                if task is not None and not measures and task_in_table:
                    rows.append(self.bare_task_row(task, number, ti))
                else:
                    rows.extend(self.measure_rows(task, measures, number, ti))
            if prio_col:
                if self._open_priority:  # a priority without tasks or measures still gets its row
                    rows.append(self.bare_row())
                first = next(i for i in range(start, len(rows))
                             if any(c.text in (_PRIORITY_MARK, _NUMBER_MARK) for c in rows[i].cells))
                rows[first] = self.with_priority_cells(rows[first], p, plabel, len(rows) - first)
        if Column.FUNDING in cols and self.fund_sources:
            if self.source_rows:
                rows.extend(self.source_total_rows())
            elif self.plan.funding is not None and (self.plan.funding.totals or self.plan.funding.total):
                # a total is printed only where the YAML asks for it: the approved document may have none
                rows.append(self.funding_total_row())
        return rows

    def bare_row(self, cells_by_kind: dict[Column, str] | None = None, kind: str = "body",
                 labels: dict[Column, str] | None = None) -> Row:
        """A row with empty cells except the given ones (placeholders stay for the priority's cells), emphasised
        as their columns declare (``labels``: what the given texts start with, printed upright)."""
        given = cells_by_kind or {}
        emphasis = {spec.kind: spec.emphasis for spec in self.specs()}
        cells: list[Cell] = []
        for c in self.columns:
            if c is Column.PRIORITY or (c is Column.NUMBER and self._priority_numbers()):
                mark = self.priority_mark(c)
                if mark is not None:
                    cells.append(mark)
            elif c in given:
                cells.append(emphasised(Cell(given[c], role="task" if c is Column.TASK else "text",
                                             align="center" if c is Column.NUMBER else "left"),
                                        emphasis.get(c), (labels or {}).get(c, "")))
            else:
                cells.extend(Cell("") for _ in range(self.col_count(c)))
        return Row(tuple(cells), kind)

    def bare_task_row(self, task: Task, number: str, index: int) -> Row:
        """The row of a task without measures: its number, title and indicators."""
        label = self.task_label(task, index)
        return self.bare_row({
            Column.NUMBER: number,
            Column.TASK: _join(label, task.title),
            Column.INDICATOR: "\n".join(ua.quotes(i) for i in task.indicators),
            Column.RESULT: ua.quotes(task.result or ""),
        }, labels={Column.TASK: label})

    def _priority_numbers(self) -> bool:
        """The № column shows priorities next to a priority column (merged like it)."""
        return Column.PRIORITY in self.columns and self.plan.labels.number is Numbering.PRIORITIES

    def priority_mark(self, c: Column) -> Cell | None:
        """A placeholder for a priority's merged cell in the priority's first row, else nothing (covered)."""
        if not self._open_priority:
            return None
        self._pending_marks -= 1
        if self._pending_marks == 0:
            self._open_priority = False
        return Cell(_PRIORITY_MARK if c is Column.PRIORITY else _NUMBER_MARK)

    def open_priority(self) -> None:
        self._open_priority = True
        self._pending_marks = 2 if self._priority_numbers() else 1

    def with_priority_cells(self, row: Row, p: Priority, plabel: str, span: int) -> Row:
        """The first row of a priority with its merged priority (and №) cells in place of the placeholders."""
        spec = next(s for s in self.specs() if s.kind is Column.PRIORITY)
        rs = span if spec.merge else 1
        title = _join("" if self._priority_numbers() else plabel, p.title)
        cells = []
        for cell in row.cells:
            if cell.text == _PRIORITY_MARK:
                cells.append(Cell(title, rowspan=rs, role="priority"))
            elif cell.text == _NUMBER_MARK:
                cells.append(Cell(plabel, rowspan=rs, role="number", align="center"))
            else:
                cells.append(cell)
        return Row(tuple(cells), row.kind)

    def funding_total_row(self) -> Row:
        """«Усього»: the totals the plan writes, or, asked for by ``funding.total``, «Усього (обчислено)»: each
        funding column summed over the plan as :func:`plan_funding_cells` and :func:`funding_amount` define
        it (rule funding-sum checks the parts)."""
        written = self.plan.funding.totals if self.plan.funding else None
        before = 0
        for c in self.columns:
            if c is Column.FUNDING:
                break
            before += self.col_count(c)
        label = written.label if written is not None else COMPUTED_TOTAL
        cells = [Cell(label, colspan=before, role="total", bold=True, align="right")] if before else []
        for y in self.fund_years:
            for s in self.fund_sources:
                if written is not None:
                    text = ua.value(written.amounts.get(y, {}).get(s)) or "-"
                else:
                    total = funding_amount(plan_funding_cells(self.plan, y, s))
                    # a text amount cannot be added: the cell stays empty (rule funding-sum says why)
                    text = "-" if total is None else "" if isinstance(total, str) else ua.number(total.normalize())
                cells.append(Cell(text, role="value total", bold=True, align="center"))
        after = sum(self.col_count(c) for c in self.columns[self.columns.index(Column.FUNDING) + 1:])
        if after:
            cells.append(Cell("", colspan=after, role="total"))
        return Row(tuple(cells), "total")

    def source_total_rows(self) -> list[Row]:
        """The Kharkiv form's foot: «Усього:» over one row per source with its amounts as written, then
        «Разом:» with the sum over the sources (only where the plan writes ``funding.totals``)."""
        written = self.plan.funding.totals if self.plan.funding else None
        if written is None:
            return []
        before = 0
        for c in self.columns:
            if c is Column.SOURCE:
                break
            before += self.col_count(c)
        after = sum(self.col_count(c) for c in self.columns[self.columns.index(Column.SOURCE) + 1:]
                    if c is not Column.FUNDING)
        names = {s.id: s.name for s in self.plan.funding.sources} if self.plan.funding else {}
        sources = [s for s in self.fund_sources if any(s in a for a in written.amounts.values())]
        out: list[Row] = []
        for i, s in enumerate(sources):
            cells: list[Cell] = []
            if i == 0 and before:
                cells.append(Cell(written.label, rowspan=len(sources), colspan=before, role="total", bold=True))
            cells.extend(self.source_row_cells(s, names[s], written.amounts, after))
            out.append(Row(tuple(cells), "total"))
        if written.grand_label:
            cells = [Cell(written.grand_label, colspan=before + 1, role="total", bold=True)]
            for y in self.fund_years:
                amounts = [written.amounts.get(y, {}).get(s) for s in sources]
                total = sum_as_written([a for a in amounts if a is not None])
                cells.append(Cell(ua.number(total) if total is not None else "-", role="value total", bold=True,
                                  align="center"))
            if after:
                cells.append(Cell("", colspan=after, role="total"))
            out.append(Row(tuple(cells), "total"))
        return out

    def source_row_cells(self, source: str, name: str, amounts: Funding, after: int) -> list[Cell]:
        """Source name and amounts of one total row, in the order of the columns after ``source``."""
        cells = [Cell(ua.quotes(name), role="source")]
        for c in self.columns[self.columns.index(Column.SOURCE) + 1:]:
            if c is Column.FUNDING:
                cells.extend(Cell(ua.value(amounts.get(y, {}).get(source)), role="value total", bold=True,
                                  align="center") for y in self.fund_years)
            else:
                cells.extend(Cell("", role="total") for _ in range(self.col_count(c)))
        return cells

    def task_label(self, task: Task, index: int) -> str:
        """The label before a task's title: the task's own ``label`` where it writes one («Завдання {id}:»),
        else the plan's ``labels.task``."""
        return _label(task.label if task.label is not None else self.plan.labels.task, task.id, index)

    def task_number(self, task: Task, counter: int) -> str:
        scheme = self.plan.labels.number
        if scheme is Numbering.TASK_ID:
            return task.id.rsplit(".", 1)[-1]
        if scheme in (Numbering.TASKS_IN_PLAN, Numbering.TASKS_IN_PRIORITY):
            return str(counter)
        return ""

    def data_row(self, number: str, text: str, node: Priority | Task, kind: str) -> Row:
        cells: list[Cell] = []
        for spec in self.specs():
            c = spec.kind
            if c is Column.NUMBER:
                cells.append(Cell(number, role="number", align="center", bold=kind == "priority"))
            elif c is Column.MEASURE:
                cells.append(Cell(text, role=kind, bold=kind == "priority"))
            elif c is Column.TERM:
                cells.append(Cell(self.term_text(node.term, spec)))
            elif c is Column.START:
                cells.append(Cell(self.start_text(node.term, spec)))
            elif c is Column.END:
                cells.append(Cell(self.end_text(node.term, spec)))
            elif c is Column.EXECUTOR:
                cells.append(Cell(self.executor_text(node.executor)))
            elif c is Column.INDICATOR:
                cells.append(Cell("\n".join(ua.quotes(i) for i in node.indicators)))
            elif c is Column.FUNDING:
                cells.extend(self.funding_cells(node.funding))
            else:
                cells.extend(Cell("") for _ in range(self.col_count(c)))
        return Row(tuple(cells), kind)

    def measure_rows(self, task: Task | None, measures: Sequence[Measure], task_number: str,
                     task_index: int) -> list[Row]:
        plan = self.plan
        expanded = [(m, self.sub_rows(m)) for m in measures]
        total_rows = sum(len(ers) for _, ers in expanded)
        if total_rows == 0:
            return []
        # result groups: consecutive measures with the same result text
        results = [ua.quotes((m.result or (task.result if task else None)) or "") for m, _ in expanded]
        result_span: dict[int, int] = {}
        i = 0
        while i < len(expanded):
            j = i
            span = 0
            while j < len(expanded) and results[j] == results[i]:
                span += len(expanded[j][1])
                j += 1
            result_span[i] = span
            i = j
        specs = self.specs()
        per_source = self.source_rows
        out: list[Row] = []
        first = True
        for mi, (m, subs) in enumerate(expanded, start=1):
            n = len(subs)
            for ri, (er, source) in enumerate(subs):
                cells: list[Cell] = []
                # with source sub-rows, the row cells belong to the measure: one merged cell each
                row_span = n if per_source else 1
                own = ri == 0 or not per_source
                for spec in specs:
                    c = spec.kind
                    start, label = len(cells), ""  # the cells of this column, and the label they start with
                    if c is Column.PRIORITY:
                        mark = self.priority_mark(c)
                        if mark is not None:
                            cells.append(mark)
                    elif c is Column.NUMBER:
                        if self._priority_numbers():
                            mark = self.priority_mark(c)
                            if mark is not None:
                                cells.append(mark)
                        elif plan.labels.number is Numbering.MEASURES_IN_TASK:
                            if ri == 0:
                                cells.append(Cell(str(mi), rowspan=n, role="number", align="center"))
                        elif first:
                            cells.append(Cell(task_number, rowspan=total_rows, role="number", align="center"))
                    elif c is Column.TASK:
                        if first:
                            label = self.task_label(task, task_index) if task else ""
                            text = _join(label, task.title) if task else ""
                            cells.append(Cell(text, rowspan=total_rows if spec.merge else 1, role="task"))
                        elif not spec.merge and ri == 0:
                            cells.append(Cell("", rowspan=n, role="task"))
                    elif c is Column.RESULT:
                        if ri == 0 and (mi - 1) in result_span:
                            cells.append(Cell(results[mi - 1], rowspan=result_span[mi - 1]))
                    elif c is Column.MEASURE:
                        if ri == 0:
                            label = _label(plan.labels.measure, m.id, mi)
                            cells.append(Cell(_join(label, m.title), rowspan=n))
                    elif c is Column.EXECUTOR:
                        if own:
                            cells.append(Cell(self.executor_text(er.executor, er.co_executors), rowspan=row_span))
                    elif c is Column.TERM:
                        if own:
                            cells.append(Cell(self.term_text(er.term, spec), rowspan=row_span))
                    elif c is Column.START:
                        if own:
                            cells.append(Cell(self.start_text(er.term, spec), rowspan=row_span, align="center"))
                    elif c is Column.END:
                        if own:
                            cells.append(Cell(self.end_text(er.term, spec), rowspan=row_span, align="center"))
                    elif c is Column.INDICATOR:
                        if own:
                            cells.append(Cell(ua.quotes(er.indicator or ""), rowspan=row_span))
                    elif c is Column.VALUES:
                        if own:
                            cells.extend(replace(x, rowspan=row_span) for x in self.value_cells(er))
                    elif c is Column.TOTAL:
                        if own:
                            v = (er.values or {}).get(TOTAL) or er.value
                            cells.append(Cell(ua.value(v), rowspan=row_span, role="value", align="center"))
                    elif c is Column.SOURCE:
                        names = {s.id: s.name for s in plan.funding.sources} if plan.funding else {}
                        cells.append(Cell(ua.quotes(names.get(source or "", "")), role="source"))
                    elif c is Column.FUNDING:
                        if per_source:
                            cells.extend(self.funding_cells(m.funding, source))
                        elif ri == 0:
                            cells.extend(Cell(x.text, rowspan=n, role=x.role, align=x.align)
                                         for x in self.funding_cells(m.funding))
                    elif c in (Column.EXPECTED, Column.NOTE) and ri == 0:
                        said = m.expected if c is Column.EXPECTED else m.note
                        cells.append(Cell(ua.quotes(said or ""), rowspan=n))
                    if spec.emphasis is not None:
                        cells[start:] = [emphasised(x, spec.emphasis, label) for x in cells[start:]]
                first = False
                out.append(Row(tuple(cells), "body"))
        return out

    def sub_rows(self, m: Measure) -> list[tuple[EffectiveRow, str | None]]:
        """The printed rows of a measure: its executor rows, or one per funding source it names."""
        ers = effective_rows(m)
        if not self.source_rows:
            return [(er, None) for er in ers]
        named = [s for s in self.fund_sources if any(s in a for a in (m.funding or {}).values())]
        return [(ers[0], s) for s in named] or [(ers[0], None)]

    def goals(self) -> list[GoalView]:
        out = []
        for p in self.plan.priorities:
            children = tuple(GoalView(f"Операційна ціль {t.id}.", ua.quotes(t.title or ""))
                             for t in p.tasks)
            out.append(GoalView(f"Стратегічна ціль {p.id}.", ua.quotes(p.title or ""), children))
        return out

    def build(self) -> DocumentView:
        """The document view of this builder's plan."""
        return _build(self)


def _key_label(k: str) -> str:
    return "Разом" if k == TOTAL else k


def _has_row_data(node: Priority | Task) -> bool:
    return node.term is not None or node.executor is not None or node.funding is not None


def build_view(plan: Plan, org: Organisation) -> DocumentView:
    """Turn a validated plan and its organisation into what the templates print."""
    return ViewBuilder(plan, org).build()


def _build(b: ViewBuilder) -> DocumentView:
    plan, org = b.plan, b.org
    head = b.head()
    body = b.body()
    widths = b.widths()
    page = PageView(
        orientation="landscape",  # every form's table is landscape; action plans keep their prose portrait
        prose_orientation="portrait" if plan.kind is PlanKind.ACTION_PLAN else "landscape",
        margins=(org.margins.top, org.margins.right, org.margins.bottom, org.margins.left),
        font_size=org.font_size,
    )
    table = TableView(len(widths), fit_widths(widths, head, body, page.text_width, page.font_size),
                      tuple(head), tuple(body))
    markdown = plan.prose is ProseFormat.MARKDOWN
    sections = tuple(
        SectionView(i, s.title, f"section-{i}", () if markdown else tuple(s.paragraphs),
                    s.insert.value if s.insert else "", () if markdown else tuple(s.paragraphs_after),
                    tuple(parse_block(ua.quotes(p)) for p in s.paragraphs) if markdown else (),
                    tuple(parse_block(ua.quotes(p)) for p in s.paragraphs_after) if markdown else ())
        for i, s in enumerate(plan.sections, start=1)
    )
    table_section = next((i for i, s in enumerate(sections) if s.insert == "table"), -1)
    order = None
    if plan.order is not None:
        o = plan.order
        order = OrderView(tuple(o.header), o.kind, ua.date_digits(o.date), o.number, o.place or "",
                          tuple(o.title), o.preamble or "", tuple(o.items),
                          b.signature(o.signature) if o.signature else None)
    dates = [s.date for s in plan.approval if s.date] + [s.act.date for s in plan.approval if s.act]
    title_text = " ".join(plan.title)
    return DocumentView(
        kind=plan.kind.value,
        title=tuple(ua.quotes(t) for t in plan.title),
        meta_title=ua.quotes(title_text),
        author=org.name.nominative,
        subject=f"{KIND_TITLES[plan.kind]}{f' {plan.number}' if plan.number else ''}, {plan.period}",
        date=min(dates) if dates else plan.period.start,
        page=page,
        approval=tuple(b.stamp(s, "ЗАТВЕРДЖЕНО", style=org.stamp_name_style) for s in plan.approval),
        order=order,
        contents=plan.contents,
        sections=sections,
        goals=tuple(b.goals()),
        table=table,
        signatures=tuple(b.signature(s) for s in plan.signatures),
        agreements=tuple(b.stamp(s, "ПОГОДЖЕНО") for s in plan.agreements),
        acknowledgements=tuple(b.stamp(s, "Ознайомлений") for s in plan.acknowledgements),
        table_section=table_section,
    )
