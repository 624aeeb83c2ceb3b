"""Report rules: facts for every due measure, no unknown ids, notes where the plan was missed, plausibility."""

from __future__ import annotations

from collections.abc import Sequence

from plandocs.check.rules import check_mixed_script
from plandocs.errors import Diagnostics, Loc, Severity, did_you_mean
from plandocs.i18n import _
from plandocs.model.outcomes import EXCEEDS_FACTOR, RowOutcome, fact_number, is_due, outcomes, row_key
from plandocs.model.records import Fact, Organisation, Plan, Report, all_measures, effective_rows
from plandocs.model.values import Period, PeriodKind, ValueKind


def _fact_loc(report: Report, measure_id: str, sub: str = "") -> tuple[Loc, str]:
    """Where a fact is (or should be): the row's entry, else the measure's, else the ``facts`` key."""
    for key in (f"facts.{measure_id}{sub}", f"facts.{measure_id}"):
        if key in report.locs:
            return report.locs[key], key
    return report.loc_of("facts"), "facts"


def check_report(report: Report, plan: Plan, lines: Sequence[str], diags: Diagnostics,
                 organisation: Organisation | None = None) -> None:
    """Report rules: facts for due measures, no unknown ids, notes where the plan was missed, plausibility;
    the signatories are people of ``organisation``."""
    if organisation is not None:
        people = [p.id for p in organisation.people]
        for i, s in enumerate(report.signatures):
            if isinstance(s.person, str) and s.person not in people:
                hint = did_you_mean(s.person, people) or \
                    _("; add the person to the organisation's people or write {surname: …, initials: …}")
                diags.add("unknown-person", _("person '{id}' is not in the organisation file{hint}").format(
                    id=s.person, hint=hint),
                          s.loc_of("person"), f"signatures[{i}].person")
    period = report.period
    if not _period_fits(period, plan):
        diags.add("report-period", _("the report period {period} is not a quarter of the plan's period {plan} nor "
                                     "the period itself").format(period=period, plan=plan.period),
                  report.loc_of("period"), "period")
        return
    measures = {m.id: m for _, _, m in all_measures(plan)}
    for mid, raw in report.facts.items():
        if mid not in measures:
            loc, path = _fact_loc(report, mid)
            hint = did_you_mean(mid, measures) or _("; facts can only be given for measures of the plan")
            diags.add("unknown-measure", _("the plan has no measure '{id}'{hint}").format(id=mid, hint=hint), loc, path)
            continue
        if isinstance(raw, Fact) and raw.rows:
            keys = {row_key(er) for er in effective_rows(measures[mid])}
            for k in raw.rows:
                if k not in keys:
                    loc, path = _fact_loc(report, mid, f".rows.{k}")
                    diags.add("unknown-measure", _("measure '{id}' has no executor row '{row}'; its rows are "
                                                   "{rows}{hint}").format(
                        id=mid, row=k, rows=", ".join(sorted(keys)), hint=did_you_mean(k, keys)), loc, path)
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
    planned = o.planned.text if o.planned is not None else _("nothing")
    if o.status is not None and not o.note:
        diags.add("note-required", _("measure '{id}' is marked {status}; add a note saying why").format(
            id=mid, status=o.status.value), loc, path)
    if o.fact is None and o.status is None:
        if is_due(o.planned):
            many = sub or len(effective_rows(o.measure)) > 1
            row = " (" + _("row {row}").format(row=row_key(o.row)) + ")" if many else ""
            diags.add("fact-missing", _("measure '{id}'{row} is due in {period} (plan: {planned}) but has no fact; "
                                        "add its fact, or 'status: not-due' or 'status: cancelled' with a note")
                      .format(id=mid, row=row, period=report.period, planned=planned), loc, path)
        return
    if o.fact is None:
        return
    p = o.planned.number if o.planned is not None and o.planned.is_numeric else None
    f = fact_number(o.fact)
    if p is not None and f is None and o.fact.kind is ValueKind.TEXT:
        diags.add("kind-mismatch", _("measure '{id}' plans a number ({planned}) but the fact is text ('{fact}')")
                  .format(id=mid, planned=planned, fact=o.fact.text), loc, path, Severity.WARNING)
        return
    if p is not None and f is not None:
        if f < p and not o.note:
            diags.add("note-required", _("measure '{id}': fact {fact} is below the plan {planned}; add a note "
                                         "explaining why (Примітка у разі невиконання плану)").format(
                id=mid, fact=o.fact.text, planned=planned), loc, path)
        if p > 0 and f >= p * EXCEEDS_FACTOR:
            diags.add("fact-exceeds", _("measure '{id}': fact {fact} is {times} times the plan {planned}; check "
                                        "the units").format(id=mid, fact=o.fact.text, times=int(f / p),
                                                            planned=planned), loc, path, Severity.WARNING)
