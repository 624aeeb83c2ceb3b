"""Execution reports: facts measured against the approved plan.

A report file (``*.report.yaml``) names its plan and period and gives facts by measure id; planned values
always come from the plan, never from the report.  This module checks reports (:func:`check_report`) and
computes the outcome of every measure (:func:`outcomes`), which the report document, the summaries and the
roll-ups share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .errors import Diagnostics, Loc, Severity, did_you_mean
from .model import (
    TOTAL,
    Breakdown,
    EffectiveRow,
    Fact,
    FactRow,
    FactStatus,
    Measure,
    Plan,
    Priority,
    Report,
    Task,
    all_measures,
    effective_rows,
    plan_breakdown,
)
from .rules import check_mixed_script
from .values import Period, PeriodKind, Value, ValueKind, roman

EXCEEDS_FACTOR = Decimal(10)
"""A fact this many times the plan is suspicious (units mixed up?)."""


class Outcome(StrEnum):
    DONE = "done"
    """The fact reaches the plan (or the plan is qualitative and a fact is given)."""
    EXCEEDED = "exceeded"
    """The fact is above the plan."""
    MISSED = "missed"
    """The fact is below the plan, or missing."""
    NOT_DUE = "not-due"
    """Nothing was planned for the period (or the report says not-due or cancelled)."""


OUTCOME_LABELS = {
    Outcome.DONE: "виконано",
    Outcome.EXCEEDED: "перевиконано",
    Outcome.MISSED: "не виконано",
    Outcome.NOT_DUE: "не заплановано на період",
}


def row_key(er: EffectiveRow) -> str:
    """How a report names an executor row: its executor ids joined with '+'."""
    return "+".join(er.executor or ())


def planned_for(er: EffectiveRow, plan: Plan, period: Period) -> Value | None:
    """The planned value of a row for ``period`` (a quarter of the plan's year, or the plan's period)."""
    breakdown = plan_breakdown(plan)
    if er.value is not None:
        return er.value
    values = er.values or {}
    if breakdown is Breakdown.QUARTERS and period.kind is PeriodKind.QUARTER:
        return values.get(roman(period.quarter or 0))
    if breakdown is Breakdown.MONTHS and period.kind is PeriodKind.QUARTER:
        months = [values[f"{m:02d}"] for m in period.months if f"{m:02d}" in values]
        return _sum_values(months)
    if period.text == plan.period.text:
        if TOTAL in values:
            return values[TOTAL]
        return _sum_values(list(values.values()))
    return None


def _sum_values(values: Sequence[Value]) -> Value | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    if all(v.kind in (ValueKind.NUMBER, ValueKind.DASH) for v in values):
        total = sum((v.number for v in values if v.number is not None), Decimal(0))
        text = format(total.normalize(), "f").replace(".", ",")
        return Value(text, ValueKind.NUMBER, total)
    return None


def is_due(planned: Value | None) -> bool:
    return planned is not None and planned.kind not in (ValueKind.DASH, ValueKind.NOT_APPLICABLE)


def fact_number(v: Value | None) -> Decimal | None:
    """A fact as a number for comparison: '-' means nothing was done (0)."""
    if v is None:
        return None
    if v.kind is ValueKind.DASH:
        return Decimal(0)
    return v.number if v.is_numeric else None


@dataclass(frozen=True)
class RowOutcome:
    """One executor row of one measure in a report."""

    priority: Priority
    task: Task | None
    measure: Measure
    row: EffectiveRow
    planned: Value | None
    fact: Value | None
    note: str
    status: FactStatus | None
    outcome: Outcome


def _classify(planned: Value | None, fact: Value | None, status: FactStatus | None) -> Outcome:
    if status is not None or not is_due(planned):
        if fact is not None and fact.kind is not ValueKind.DASH and status is None:
            return Outcome.EXCEEDED if planned is None or planned.kind is ValueKind.DASH else Outcome.DONE
        return Outcome.NOT_DUE
    assert planned is not None
    if fact is None:
        return Outcome.MISSED
    p, f = planned.number if planned.is_numeric else None, fact_number(fact)
    if p is None or f is None:
        return Outcome.MISSED if fact.kind is ValueKind.DASH else Outcome.DONE
    if f > p:
        return Outcome.EXCEEDED
    return Outcome.DONE if f == p else Outcome.MISSED


def outcomes(report: Report, plan: Plan) -> list[RowOutcome]:
    """Every executor row of the plan with its planned value, fact and outcome for the report's period.

    A measure with several executor rows may be reported per row (``rows:``) or as a whole; reported as a
    whole, its fact stands against the sum of the rows' plans (one outcome, on its first row).
    """
    out: list[RowOutcome] = []
    for p, t, m in all_measures(plan):
        ers = effective_rows(m)
        raw = report.facts.get(m.id)
        per_row = isinstance(raw, Fact) and bool(raw.rows)
        if len(ers) > 1 and not per_row and raw is not None:
            planned = _sum_values([v for v in (planned_for(er, plan, report.period) for er in ers) if v])
            fact, note, status = _unpack(raw)
            out.append(RowOutcome(p, t, m, ers[0], planned, fact, note, status, _classify(planned, fact, status)))
            continue
        for er in ers:
            entry = raw.rows.get(row_key(er)) if isinstance(raw, Fact) and per_row else raw
            planned = planned_for(er, plan, report.period)
            fact, note, status = _unpack(entry)
            out.append(RowOutcome(p, t, m, er, planned, fact, note, status, _classify(planned, fact, status)))
    return out


def _unpack(entry: FactRow | Value | None) -> tuple[Value | None, str, FactStatus | None]:
    if entry is None:
        return None, "", None
    if isinstance(entry, Value):
        return entry, "", None
    return entry.fact, entry.note or "", entry.status


# --------------------------------------------------------------------------- checks


def _fact_loc(report: Report, measure_id: str, sub: str = "") -> tuple[Loc, str]:
    """Where a fact is (or should be): the row's entry, else the measure's, else the ``facts`` key."""
    for key in (f"facts.{measure_id}{sub}", f"facts.{measure_id}"):
        if key in report.locs:
            return report.locs[key], key
    return report.loc_of("facts"), "facts"


def check_report(report: Report, plan: Plan, lines: Sequence[str], diags: Diagnostics) -> None:
    """Report rules: facts for due measures, no unknown ids, notes where the plan was missed, plausibility."""
    period = report.period
    if not _period_fits(period, plan):
        diags.add("report-period", f"the report period {period} is not a quarter of the plan's period "
                  f"{plan.period} nor the period itself", report.loc_of("period"), "period")
        return
    measures = {m.id: m for _, _, m in all_measures(plan)}
    for mid, raw in report.facts.items():
        if mid not in measures:
            loc, path = _fact_loc(report, mid)
            hint = did_you_mean(mid, measures) or "; facts can only be given for measures of the plan"
            diags.add("unknown-measure", f"the plan has no measure '{mid}'{hint}", loc, path)
            continue
        if isinstance(raw, Fact) and raw.rows:
            keys = {row_key(er) for er in effective_rows(measures[mid])}
            for k in raw.rows:
                if k not in keys:
                    loc, path = _fact_loc(report, mid, f".rows.{k}")
                    diags.add("unknown-measure", f"measure '{mid}' has no executor row '{k}'; its rows are "
                              f"{', '.join(sorted(keys))}{did_you_mean(k, keys)}", loc, path)
    for o in outcomes(report, plan):
        _check_outcome(report, o, diags)
    check_mixed_script(report, lines, diags)


def _period_fits(period: Period, plan: Plan) -> bool:
    if period.text == plan.period.text:
        return True
    return period.kind is PeriodKind.QUARTER and plan.period.start <= period.start <= plan.period.end \
        and plan.period.kind is not PeriodKind.QUARTER


def _check_outcome(report: Report, o: RowOutcome, diags: Diagnostics) -> None:
    mid = o.measure.id
    raw = report.facts.get(mid)
    per_row = (isinstance(raw, Fact) and bool(raw.rows)) or \
        (raw is None and f"facts.{mid}.rows.{row_key(o.row)}" in report.locs)
    sub = f".rows.{row_key(o.row)}" if per_row else ""
    loc, path = _fact_loc(report, mid, sub)
    planned = o.planned.text if o.planned is not None else "nothing"
    if o.status is not None and not o.note:
        diags.add("note-required", f"measure '{mid}' is marked {o.status.value}; add a note saying why", loc, path)
    if o.fact is None and o.status is None:
        if is_due(o.planned):
            what = f"measure '{mid}'" + (f" (row {row_key(o.row)})" if sub or len(effective_rows(o.measure)) > 1
                                         else "")
            diags.add("fact-missing", f"{what} is due in {report.period} (plan: {planned}) but has no fact; add "
                      "its fact, or 'status: not-due' or 'status: cancelled' with a note", loc, path)
        return
    if o.fact is None:
        return
    p = o.planned.number if o.planned is not None and o.planned.is_numeric else None
    f = fact_number(o.fact)
    if p is not None and f is None and o.fact.kind is ValueKind.TEXT:
        diags.add("kind-mismatch", f"measure '{mid}' plans a number ({planned}) but the fact is text "
                  f"('{o.fact.text}')", loc, path, Severity.WARNING)
        return
    if p is not None and f is not None:
        if f < p and not o.note:
            diags.add("note-required", f"measure '{mid}': fact {o.fact.text} is below the plan {planned}; add a note "
                      "explaining why (Примітка у разі невиконання плану)", loc, path)
        if p > 0 and f >= p * EXCEEDS_FACTOR:
            diags.add("fact-exceeds", f"measure '{mid}': fact {o.fact.text} is {int(f / p)} times the plan "
                      f"{planned}; check the units", loc, path, Severity.WARNING)
