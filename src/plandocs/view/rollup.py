"""Document views of the roll-ups: the annual report and the regional summary."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from plandocs.model.records import Margins
from plandocs.model.values import PeriodKind, roman
from plandocs.reports.rollup import AnnualRollup, RegionRollup, quarter_name
from plandocs.view import uaformat as ua
from plandocs.view.report import build_report_view, chart_svg, summarise
from plandocs.view.types import Cell, DocumentView, PageView, Row, SummaryLine, SummaryView, TableView

MISSING_QUARTERS = "Відсутні звіти за: "
MISSING_ORGANISATIONS = "Не подали звіт за період: "


def build_annual_view(rollup: AnnualRollup) -> DocumentView:
    """The annual report: cumulative quarterly facts against the plan's annual targets."""
    view = build_report_view(rollup.report, rollup.plan.plan, rollup.plan.organisation)
    notes = []
    if rollup.missing:
        notes.append(MISSING_QUARTERS + ", ".join(quarter_name(q) for q in rollup.missing))
    return replace(view, kind="report", subject=f"Річний звіт про виконання плану, {rollup.plan.plan.period}",
                   summary=replace(view.summary, notes=tuple(notes)) if view.summary else None)


def _pct(fact: Decimal, planned: Decimal) -> str:
    if not planned:
        return "—"
    return f"{ua.number((fact * 100 / planned).quantize(Decimal('0.1')).normalize())} %"


def _num(d: Decimal | None) -> str:
    return "" if d is None else ua.number(d.normalize())


def region_title(rollup: RegionRollup) -> tuple[str, ...]:
    if rollup.region.title:
        return tuple(rollup.region.title)
    p = rollup.period
    when = f"у {roman(p.quarter or 0)} кварталі {p.start.year} року" if p.kind is PeriodKind.QUARTER \
        else f"за {p.text} рік"
    return ("Зведений звіт про виконання планів діяльності",
            f"по регіону ({rollup.region.name}) в цілому та в розрізі виконавців окремо {when}")


def build_region_view(rollup: RegionRollup) -> DocumentView:
    """Plan and fact per measure for the region as a whole and for each organisation separately."""
    reporting = [m for m in rollup.members if m.report is not None]
    head1 = [Cell("№ з/п", rowspan=2, role="head", header=True, scope="col", bold=True, align="center"),
             Cell("Найменування заходу", rowspan=2, role="head", header=True, scope="col", bold=True,
                  align="center")]
    head2: list[Cell] = []
    for m in reporting:
        head1.append(Cell(ua.quotes(m.name), colspan=2, role="head", header=True, scope="colgroup", bold=True,
                          align="center"))
        head2 += [Cell(t, role="head", header=True, scope="col", bold=True, align="center") for t in ("План", "Факт")]
    head1.append(Cell("Регіон у цілому", colspan=3, role="head", header=True, scope="colgroup", bold=True,
                      align="center"))
    head2 += [Cell(t, role="head", header=True, scope="col", bold=True, align="center")
              for t in ("План", "Факт", "Рівень виконання")]
    body = []
    for i, line in enumerate(rollup.lines, start=1):
        cells = [Cell(str(i), role="number", align="center"), Cell(ua.quotes(f"{line.measure_id} {line.title}"))]
        for m in reporting:
            cells.append(Cell(_num(line.planned.get(m.folder)), role="value", align="center"))
            cells.append(Cell(_num(line.facts.get(m.folder)), role="value", align="center"))
        cells += [Cell(_num(line.total_planned), role="value", align="center"),
                  Cell(_num(line.total_fact), role="value", align="center"),
                  Cell(_pct(line.total_fact, line.total_planned), role="value", align="center")]
        body.append(Row(tuple(cells), "body"))
    margins = Margins()
    page = PageView("landscape", "landscape", (margins.top, margins.right, margins.bottom, margins.left), 12)
    weights = [3.5, 40.0] + [6.0, 6.0] * len(reporting) + [6.0, 6.0, 8.0]
    scale = page.text_width / sum(weights)
    table = TableView(len(weights), tuple(round(w * scale, 2) for w in weights),
                      (Row(tuple(head1), "head"), Row(tuple(head2), "head")), tuple(body))
    summary: list[SummaryLine] = [summarise(m.rows, m.name) for m in reporting]
    all_rows = [o for m in reporting for o in m.rows]
    notes = []
    if rollup.missing:
        notes.append(MISSING_ORGANISATIONS + ", ".join(m.name for m in rollup.missing))
    title = region_title(rollup)
    return DocumentView(
        kind="region",
        title=title,
        meta_title=" ".join(title),
        author=rollup.region.name,
        subject=f"Зведений звіт по регіону, {rollup.period}",
        date=rollup.period.end,
        page=page,
        approval=(),
        order=None,
        contents=False,
        sections=(),
        goals=(),
        table=table,
        signatures=(),
        agreements=(),
        acknowledgements=(),
        summary=SummaryView(tuple(summary), summarise(all_rows, "Регіон у цілому"), chart_svg(summary),
                            heading="Виконання планів за організаціями", notes=tuple(notes)),
    )
