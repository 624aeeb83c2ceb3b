"""Stage 3, the plan's document view: :class:`ViewBuilder` turns a checked plan and its organisation into
the :class:`~plandocs.view.types.DocumentView` every renderer reads; :func:`build_view` is the public function.

Reports and roll-ups extend the builder through its named hooks (:meth:`ViewBuilder.value_labels`,
:meth:`~ViewBuilder.value_weights`, :meth:`~ViewBuilder.value_cells`) rather than by editing the view after.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from plandocs.model.records import (
    TOTAL,
    Breakdown,
    Column,
    EffectiveRow,
    Funding,
    Measure,
    Numbering,
    Organisation,
    PersonName,
    Plan,
    PlanKind,
    Priority,
    Signatory,
    Task,
    effective_rows,
    plan_breakdown,
    plan_columns,
    value_keys,
)
from plandocs.model.values import ValueKind, roman
from plandocs.view import uaformat as ua
from plandocs.view.types import (
    Cell,
    DocumentView,
    GoalView,
    OrderView,
    PageView,
    Row,
    SectionView,
    SignatureView,
    StampView,
    TableView,
)

KIND_TITLES = {
    PlanKind.QUARTERLY_PLAN: "Квартальний план заходів",
    PlanKind.ANNUAL_PLAN: "Річний план діяльності",
    PlanKind.ACTION_PLAN: "План дій",
    PlanKind.CITY_PROGRAMME: "Міська програма",
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
}

# Relative widths of the columns; value and funding widths are per sub-column.
_WEIGHTS: dict[Column, float] = {
    Column.NUMBER: 3.5, Column.TASK: 15, Column.RESULT: 13, Column.MEASURE: 22.5, Column.TERM: 10,
    Column.EXECUTOR: 15, Column.INDICATOR: 13, Column.VALUES: 5.5, Column.FUNDING: 7.5,
}
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


class ViewBuilder:
    """Builds the view of one plan; subclasses override the value-column hooks (reports: План/Факт/Примітка)."""

    def __init__(self, plan: Plan, org: Organisation) -> None:
        self.plan, self.org = plan, org
        self.columns = plan_columns(plan)
        self.breakdown = plan_breakdown(plan)
        self.value_keys = value_keys(plan) if self.breakdown not in (Breakdown.SINGLE, Breakdown.NONE) else ()
        self.executors = {e.id: e for e in org.executors}
        self.people = {p.id: p for p in org.people}
        fund = plan.funding
        self.fund_years = [str(y) for y in (fund.years or plan.period.years)] if fund else []
        self.fund_sources = [s.id for s in fund.sources] if fund else []

    # ---- people and stamps

    def person(self, s: Signatory) -> tuple[str, str | None]:
        """(formatted name, default position)."""
        p = s.person
        if p is None:
            return "", None
        if isinstance(p, str):
            person = self.people[p]
            return ua.person_name(person, self.org.name_style), person.position
        assert isinstance(p, PersonName)
        return ua.person_name(p, self.org.name_style), None

    def stamp(self, s: Signatory, default_label: str, date_style: str = "words") -> StampView:
        name, default_position = self.person(s)
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

    def executor_text(self, ids: Sequence[str] | None) -> str:
        if not ids:
            return ""
        names = []
        for i in ids:
            e = self.executors[i]
            names.append(ua.quotes(e.name) + (" (за згодою)" if e.external else ""))
        return self.org.executor_separator.join(names)

    def value_labels(self) -> list[str]:
        """Sub-headers of the value columns (empty for one value column or none)."""
        return [_key_label(k) for k in self.value_keys]

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
            return len(self.fund_years) * len(self.fund_sources)
        return 1

    def head(self) -> list[Row]:
        depth = 3 if Column.FUNDING in self.columns and self.fund_sources else \
            2 if self.n_value_cols() > 1 else 1
        headers = {**DEFAULT_HEADERS, **self.plan.headers}
        rows: list[list[Cell]] = [[] for _ in range(depth)]
        for c in self.columns:
            text = ua.quotes(headers[c])
            n = self.col_count(c)
            if n == 0:
                continue
            if c is Column.VALUES and self.value_labels():
                rows[0].append(Cell(text, rowspan=depth - 1, colspan=n, role="head", header=True,
                                    scope="colgroup", bold=True, align="center"))
                for label in self.value_labels():
                    rows[depth - 1].append(Cell(label, role="head", header=True, scope="col",
                                                bold=True, align="center"))
            elif c is Column.FUNDING:
                unit = self.plan.funding.unit if self.plan.funding else ""
                rows[0].append(Cell(text if unit in text else f"{text}, {unit}", colspan=n, role="head",
                                    header=True, scope="colgroup", bold=True, align="center"))
                names = {s.id: s.name for s in self.plan.funding.sources} if self.plan.funding else {}
                for y in self.fund_years:
                    rows[1].append(Cell(y, colspan=len(self.fund_sources), role="head", header=True,
                                        scope="colgroup", bold=True, align="center"))
                    for src in self.fund_sources:
                        rows[2].append(Cell(ua.quotes(names[src]), role="head", header=True, scope="col",
                                            bold=True, align="center"))
            else:
                rows[0].append(Cell(text, rowspan=depth, role="head", header=True, scope="col", bold=True,
                                    align="center"))
        out = [Row(tuple(r), "head") for r in rows]
        if self.plan.column_numbers:
            total = sum(self.col_count(c) for c in self.columns)
            out.append(Row(tuple(Cell(str(i), role="colnum", header=True, scope="col", align="center")
                                 for i in range(1, total + 1)), "colnums"))
        return out

    def widths(self) -> list[float]:
        weights: list[float] = []
        for c in self.columns:
            n = self.col_count(c)
            if c is Column.VALUES and self.value_labels():
                weights.extend(self.value_weights())
            else:
                weights.extend([_SINGLE_VALUE_WEIGHT if c is Column.VALUES else _WEIGHTS[c]] * n)
        return weights

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
        return [Cell(ua.value(vals.get(k)), role="value", align="center") for k in self.value_keys]

    def funding_cells(self, funding: Funding | None) -> list[Cell]:
        if Column.FUNDING not in self.columns:
            return []
        out = []
        for y in self.fund_years:
            for s in self.fund_sources:
                v = (funding or {}).get(y, {}).get(s)
                out.append(Cell(ua.value(v), role="value", align="center"))
        return out

    def body(self) -> list[Row]:
        rows: list[Row] = []
        task_counter = 0
        cols = self.columns
        width = sum(self.col_count(c) for c in cols)
        task_in_table = Column.TASK in cols
        for pi, p in enumerate(self.plan.priorities, start=1):
            plabel = _label(self.plan.labels.priority, p.id, pi)
            if _has_row_data(p) or self.plan.labels.number is Numbering.PRIORITIES:
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
                    if not task_in_table:
                        tlabel = _label(self.plan.labels.task, task.id, ti)
                        if _has_row_data(task):
                            rows.append(self.data_row(number="", text=_join(tlabel, task.title), node=task,
                                                      kind="task"))
                        else:
                            rows.append(Row((Cell(_join(tlabel, task.title), colspan=width, role="task",
                                                  scope="row", bold=True),), "task"))
                rows.extend(self.measure_rows(task, measures, number, ti))
        if Column.FUNDING in cols and self.fund_sources:
            rows.append(self.funding_total_row())
        return rows

    def funding_total_row(self) -> Row:
        """«Усього»: each funding column summed over the plan; an amount given for a priority or task
        covers its children, so their own amounts are not added again."""
        totals: dict[tuple[str, str], Decimal] = {}

        def add(funding: Funding | None) -> bool:
            if not funding:
                return False
            for year, amounts in funding.items():
                for src, v in amounts.items():
                    if v.kind is ValueKind.NUMBER and v.number is not None:
                        totals[(year, src)] = totals.get((year, src), Decimal(0)) + v.number
            return True

        for p in self.plan.priorities:
            if add(p.funding):
                continue
            for m in p.measures:
                add(m.funding)
            for t in p.tasks:
                if not add(t.funding):
                    for m in t.measures:
                        add(m.funding)
        before = 0
        for c in self.columns:
            if c is Column.FUNDING:
                break
            before += self.col_count(c)
        cells = [Cell("Усього", colspan=before, role="total", bold=True, align="right")] if before else []
        for y in self.fund_years:
            for s in self.fund_sources:
                total = totals.get((y, s))
                cells.append(Cell(ua.number(total.normalize()) if total is not None else "-", role="value total",
                                  bold=True, align="center"))
        after = sum(self.col_count(c) for c in self.columns[self.columns.index(Column.FUNDING) + 1:])
        if after:
            cells.append(Cell("", colspan=after, role="total"))
        return Row(tuple(cells), "total")

    def task_number(self, task: Task, counter: int) -> str:
        scheme = self.plan.labels.number
        if scheme is Numbering.TASK_ID:
            return task.id.rsplit(".", 1)[-1]
        if scheme in (Numbering.TASKS_IN_PLAN, Numbering.TASKS_IN_PRIORITY):
            return str(counter)
        return ""

    def data_row(self, number: str, text: str, node: Priority | Task, kind: str) -> Row:
        cells: list[Cell] = []
        for c in self.columns:
            if c is Column.NUMBER:
                cells.append(Cell(number, role="number", align="center", bold=kind == "priority"))
            elif c is Column.MEASURE:
                cells.append(Cell(text, role=kind, bold=kind == "priority"))
            elif c is Column.TERM:
                cells.append(Cell(ua.quotes(node.term.text) if node.term else ""))
            elif c is Column.EXECUTOR:
                cells.append(Cell(self.executor_text(node.executor)))
            elif c is Column.FUNDING:
                cells.extend(self.funding_cells(node.funding))
            else:
                cells.extend(Cell("") for _ in range(self.col_count(c)))
        return Row(tuple(cells), kind)

    def measure_rows(self, task: Task | None, measures: Sequence[Measure], task_number: str,
                     task_index: int) -> list[Row]:
        plan = self.plan
        expanded = [(m, effective_rows(m)) for m in measures]
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
        out: list[Row] = []
        first = True
        for mi, (m, ers) in enumerate(expanded, start=1):
            for ri, er in enumerate(ers):
                cells: list[Cell] = []
                for c in self.columns:
                    if c is Column.NUMBER:
                        if plan.labels.number is Numbering.MEASURES_IN_TASK:
                            if ri == 0:
                                cells.append(Cell(str(mi), rowspan=len(ers), role="number", align="center"))
                        elif first:
                            cells.append(Cell(task_number, rowspan=total_rows, role="number", align="center"))
                    elif c is Column.TASK:
                        if first:
                            text = _join(_label(plan.labels.task, task.id, task_index), task.title) if task \
                                else ""
                            cells.append(Cell(text, rowspan=total_rows, role="task"))
                    elif c is Column.RESULT:
                        if ri == 0 and (mi - 1) in result_span:
                            cells.append(Cell(results[mi - 1], rowspan=result_span[mi - 1]))
                    elif c is Column.MEASURE:
                        if ri == 0:
                            cells.append(Cell(_join(_label(plan.labels.measure, m.id, mi), m.title),
                                              rowspan=len(ers)))
                    elif c is Column.EXECUTOR:
                        cells.append(Cell(self.executor_text(er.executor)))
                    elif c is Column.TERM:
                        cells.append(Cell(ua.quotes(er.term.text) if er.term else ""))
                    elif c is Column.INDICATOR:
                        cells.append(Cell(ua.quotes(er.indicator or "")))
                    elif c is Column.VALUES:
                        cells.extend(self.value_cells(er))
                    elif c is Column.FUNDING and ri == 0:
                        cells.extend(Cell(x.text, rowspan=len(ers), role=x.role, align=x.align)
                                     for x in self.funding_cells(m.funding))
                first = False
                out.append(Row(tuple(cells), "body"))
        return out

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
    total_w = sum(widths) or 1.0
    table = TableView(len(widths), tuple(round(w * page.text_width / total_w, 2) for w in widths),
                      tuple(head), tuple(body))
    sections = tuple(
        SectionView(i, s.title, f"section-{i}", tuple(s.paragraphs), s.insert.value if s.insert else "",
                    tuple(s.paragraphs_after))
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
        subject=f"{KIND_TITLES[plan.kind]}, {plan.period}",
        date=min(dates) if dates else plan.period.start,
        page=page,
        approval=tuple(b.stamp(s, "ЗАТВЕРДЖЕНО") for s in plan.approval),
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
