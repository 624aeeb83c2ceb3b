"""Stage 3 for reports: the document view of an execution report (the Odesa form).

The plan's table with its value columns replaced by План / Факт / Примітка у разі невиконання плану, a
summary of outcomes (overall and per priority) and, for HTML/PDF, a plan-vs-fact bar chart per priority.
:func:`build_report_view` is the public function.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from markupsafe import Markup, escape

from plandocs.model.outcomes import Outcome, RowOutcome, outcomes
from plandocs.model.records import Column, EffectiveRow, Organisation, Plan, Report
from plandocs.model.values import PeriodKind, roman
from plandocs.view import uaformat as ua
from plandocs.view.plan import ViewBuilder
from plandocs.view.types import Cell, DocumentView, SummaryLine, SummaryView

REPORT_LABELS = ("План", "Факт", "Примітка у разі невиконання плану")


def summarise(rows: list[RowOutcome], label: str) -> SummaryLine:
    c = Counter(o.outcome for o in rows)
    due = c[Outcome.DONE] + c[Outcome.EXCEEDED] + c[Outcome.MISSED]
    # only rows with a plan value are due (docs/rules.md, «Sums and counts»); work reported where «-», x or
    # nothing was planned is counted as not due, never as planned or «перевиконано»
    return SummaryLine(label, due, c[Outcome.DONE], c[Outcome.EXCEEDED], c[Outcome.MISSED],
                       c[Outcome.NOT_DUE] + c[Outcome.UNPLANNED])


class ReportViewBuilder(ViewBuilder):
    """The plan's builder with the value columns replaced by План / Факт / Примітка."""

    def __init__(self, plan: Plan, org: Organisation, report: Report, rows: list[RowOutcome]) -> None:
        super().__init__(plan, org)
        self.report = report
        self.by_row = {(o.measure.id, id(o.row.row) if o.row.row is not None else 0): o for o in rows}
        if Column.VALUES not in self.columns:
            self.columns = (*self.columns, Column.VALUES)

    def value_labels(self) -> list[str]:
        return list(REPORT_LABELS)

    def value_weights(self) -> list[float]:
        return [5.5, 5.5, 13.0]

    def value_cells(self, er: EffectiveRow) -> list[Cell]:
        o = self.by_row.get((er.measure.id, id(er.row) if er.row is not None else 0))
        if o is None:
            return [Cell("", role="value", align="center") for _ in REPORT_LABELS]
        return [
            Cell(ua.value(o.planned), role="value", align="center"),
            Cell(ua.value(o.fact), role=f"value outcome-{o.outcome.value}", align="center"),
            Cell(ua.quotes(o.note)),
        ]


def default_title(plan: Plan, org: Organisation, report: Report) -> tuple[str, ...]:
    period = report.period
    if period.kind is PeriodKind.QUARTER:
        when = f"на {period.start.year} рік у {roman(period.quarter or 0)} кварталі"
    else:
        when = f"за {period.text} рік" if period.kind is PeriodKind.YEAR else f"за {period.text} роки"
    return (f"Звіт про виконання плану діяльності {org.name.genitive} {when}",)


def _wrap2(text: str, width: int) -> tuple[str, str]:
    """A label on at most two lines of about ``width`` characters (the rest ends with «…»)."""
    words = text.split()
    first: list[str] = []
    while words and len(" ".join([*first, words[0]])) <= width:
        first.append(words.pop(0))
    second = " ".join(words)
    if len(second) > width:
        second = second[: width - 1].rstrip() + "…"
    return " ".join(first), second


def chart_svg(lines: list[SummaryLine]) -> Markup:
    """Grouped bars per priority: measures due (План) against measures done (Факт)."""
    width, bar_h, gap, label_w = 900, 14, 14, 300
    scale_max = max((ln.due for ln in lines), default=0) or 1
    height = len(lines) * (2 * bar_h + gap) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
             f'width="{width}" height="{height}" role="img" aria-label="План і факт за пріоритетами">',
             '<g font-family="Liberation Serif, Times New Roman, serif" font-size="11">']
    y = 10
    for ln in lines:
        plan_w = (width - label_w - 160) * ln.due / scale_max
        fact_w = (width - label_w - 160) * (ln.done + ln.exceeded) / scale_max
        first, second = _wrap2(ln.label, 46)
        parts.append(f'<text x="0" y="{y + bar_h - 2}">{escape(first)}'
                     f'<tspan x="0" dy="13">{escape(second)}</tspan></text>')
        parts.append(f'<rect x="{label_w}" y="{y}" width="{plan_w:.1f}" height="{bar_h}" fill="#9bb7d4"/>')
        parts.append(f'<text x="{label_w + plan_w + 4:.1f}" y="{y + bar_h - 3}">План: {ln.due}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + bar_h}" width="{fact_w:.1f}" height="{bar_h}" fill="#2f5d8a"/>')
        parts.append(f'<text x="{label_w + fact_w + 4:.1f}" y="{y + 2 * bar_h - 3}">Факт: '
                     f'{ln.done + ln.exceeded} ({escape(ln.completion)})</text>')
        y += 2 * bar_h + gap
    parts.append(f'<text x="0" y="{height - 8}">Кількість заходів, запланованих на період, і виконаних</text>')
    parts.append("</g></svg>")
    return Markup("".join(parts))


def build_report_view(report: Report, plan: Plan, org: Organisation) -> DocumentView:
    """The report document: plan columns + План/Факт/Примітка, summary and chart."""
    rows = outcomes(report, plan)
    b = ReportViewBuilder(plan, org, report, rows)
    view = b.build()
    per_priority = []
    for i, p in enumerate(plan.priorities, start=1):
        label = p.title or p.id
        prefix = plan.labels.priority.replace("{id}", p.id).replace("{n}", str(i)).replace("{roman}", roman(i))
        per_priority.append(summarise([o for o in rows if o.priority is p], f"{prefix} {label}".strip()))
    total = summarise(rows, "Усього")
    title = tuple(report.title) if report.title else default_title(plan, org, report)
    return replace(
        view,
        kind="report",
        title=tuple(ua.quotes(t) for t in title),
        meta_title=ua.quotes(" ".join(title)),
        subject=f"Звіт про виконання плану, {report.period}",
        approval=(),
        order=None,
        contents=False,
        sections=(),
        table_section=-1,
        signatures=tuple(b.signature(s) for s in report.signatures),
        agreements=(),
        acknowledgements=tuple(b.stamp(s, "Ознайомлений") for s in report.acknowledgements),
        summary=SummaryView(tuple(per_priority), total, chart_svg(per_priority)),
    )
