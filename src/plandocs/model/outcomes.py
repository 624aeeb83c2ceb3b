"""Execution reports: facts measured against the approved plan.

A report file (``*.report.yaml``) names its plan and period and gives facts by measure id; planned values
always come from the plan, never from the report.  This module computes the outcome of every measure
(:func:`outcomes`), which the report rules, the report document, the summaries and the roll-ups share.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from plandocs.model.records import (
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
from plandocs.model.values import Period, PeriodKind, Value, ValueKind, roman

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
    UNPLANNED = "unplanned"
    """Nothing was planned for the period («-», ``x`` or no value) but a fact is reported: work done anyway.
    It is neither planned nor «перевиконано»; the summary counts it with the measures not due."""


OUTCOME_LABELS = {
    Outcome.DONE: "виконано",
    Outcome.EXCEEDED: "перевиконано",
    Outcome.MISSED: "не виконано",
    Outcome.NOT_DUE: "не заплановано на період",
    Outcome.UNPLANNED: "виконано без плану на період",
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
            # a plan of «-», x or nothing is no target: the work was not due, however much was done
            return Outcome.UNPLANNED if not is_due(planned) else Outcome.DONE
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
