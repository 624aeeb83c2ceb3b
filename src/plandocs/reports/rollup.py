"""Roll-ups: the annual report from a year's quarterly reports, and the regional summary of several
organisations for one period.

Both are computed from validated files only, and both list what is missing (quarters without a report,
organisations without a report) instead of silently skipping it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from plandocs.check.schema import to_record
from plandocs.check.validate import LoadedPlan, LoadedReport, ValidationResult, validate
from plandocs.errors import Diagnostics, Loc
from plandocs.files.discovery import display_path
from plandocs.files.paths import Refusal, confine, project_root
from plandocs.i18n import _
from plandocs.load.source import load_source
from plandocs.model.outcomes import Outcome, RowOutcome, fact_number, outcomes, row_key
from plandocs.model.records import Fact, FactRow, Lines, Organisation, Region, Report, all_measures, effective_rows
from plandocs.model.values import Period, PeriodKind, Value, ValueKind, roman

QUARTER_NAMES = {1: "I квартал", 2: "II квартал", 3: "III квартал", 4: "IV квартал"}


@dataclass
class AnnualRollup:
    plan: LoadedPlan
    quarters: dict[int, LoadedReport]
    """Quarterly reports found, by quarter number."""
    missing: list[int]
    """Quarters of the plan's year without a (valid) report."""
    report: Report
    """The synthesised annual report: cumulative facts against the annual targets."""


def _number_text(d: Decimal) -> str:
    return format(d.normalize(), "f").replace(".", ",")


def _accumulate(entries: list[tuple[int, Value | FactRow | None]]) -> FactRow | None:
    """Cumulative fact of one measure (or row) over quarters: numbers add up, notes are kept per quarter."""
    total = Decimal(0)
    numeric = False
    texts: list[str] = []
    notes: list[str] = []
    for q, entry in entries:
        if entry is None:
            continue
        fact = entry if isinstance(entry, Value) else entry.fact
        note = None if isinstance(entry, Value) else entry.note
        if note:
            notes.append(f"{roman(q)} кв.: {note}")
        n = fact_number(fact)
        if n is not None:
            total += n
            numeric = numeric or (fact is not None and fact.kind is not ValueKind.DASH)
        elif fact is not None:
            texts.append(fact.text)
    if not numeric and not texts and not notes:
        if any(e is not None for _, e in entries):
            return FactRow(fact=Value("-", ValueKind.DASH))
        return None
    fact_value = Value(_number_text(total), ValueKind.NUMBER, total) if numeric else \
        (Value(texts[-1], ValueKind.TEXT) if texts else None)
    return FactRow(fact=fact_value, note="; ".join(notes) or None)


def _quarter_entry(report: Report, measure_id: str, key: str | None) -> Value | FactRow | None:
    raw = report.facts.get(measure_id)
    if key is not None and isinstance(raw, Fact) and raw.rows:
        return raw.rows.get(key)
    if isinstance(raw, Fact) and raw.status is not None:
        return None
    return raw


def annual_rollup(plan_path: Path, diags: Diagnostics) -> AnnualRollup | None:
    """Cumulative facts of the plan's quarterly reports against its annual targets."""
    result = validate([plan_path.parent])
    diags.extend(result.diagnostics.items)
    plan = next((lp for lp in result.plans if lp.path.resolve() == plan_path.resolve()), None)
    if plan is None:
        diags.add("plan-missing", _("the plan has errors or is not a plan file; fix it first"), Loc(str(plan_path)))
        return None
    if plan.plan.period.kind is not PeriodKind.YEAR:
        diags.add("report-period", _("an annual roll-up needs a one-year plan; this plan covers {period}").format(
            period=plan.plan.period),
                  plan.plan.loc_of("period"), "period")
        return None
    quarters: dict[int, LoadedReport] = {}
    for lr in result.reports:
        if lr.plan.path.resolve() == plan_path.resolve() and lr.report.period.kind is PeriodKind.QUARTER:
            quarters[lr.report.period.quarter or 0] = lr
    missing = [q for q in (1, 2, 3, 4) if q not in quarters]
    facts: dict[str, Value | Fact | None] = {}
    for _priority, _task, m in all_measures(plan.plan):
        ers = effective_rows(m)
        per_row = any(isinstance(f := lr.report.facts.get(m.id), Fact) and bool(f.rows) for lr in quarters.values())
        if per_row:
            rows: dict[str, Value | FactRow | None] = {}
            for er in ers:
                acc = _accumulate([(q, _quarter_entry(lr.report, m.id, row_key(er)))
                                   for q, lr in sorted(quarters.items())])
                if acc is not None:
                    rows[row_key(er)] = acc
            if rows:
                facts[m.id] = Fact(rows=rows)
            continue
        acc = _accumulate([(q, _quarter_entry(lr.report, m.id, None)) for q, lr in sorted(quarters.items())])
        if acc is not None:
            facts[m.id] = Fact(fact=acc.fact, note=acc.note)
    last = quarters[max(quarters)].report if quarters else None
    year = plan.plan.period.text
    title = (f"Звіт про виконання плану діяльності {plan.organisation.name.genitive} за {year} рік",)
    report = Report(plan=plan.path.name, period=plan.plan.period, title=Lines(title), facts=facts,
                    signatures=list(last.signatures) if last else [],
                    acknowledgements=list(last.acknowledgements) if last else [])
    return AnnualRollup(plan, quarters, missing, report)


# --------------------------------------------------------------------------- regions


@dataclass
class MemberResult:
    folder: str
    organisation: Organisation | None
    plan: LoadedPlan | None
    report: Report | None
    rows: list[RowOutcome] = field(default_factory=list)

    @property
    def name(self) -> str:
        if self.organisation is None:
            return self.folder
        return self.organisation.short_name or self.organisation.name.nominative


@dataclass
class RegionLine:
    """One measure across the region."""

    measure_id: str
    title: str
    planned: dict[str, Decimal | None]
    """Planned number per member folder (None: not numeric or not in that plan)."""
    facts: dict[str, Decimal | None]
    """Fact per member folder (None: no report or no fact)."""

    @property
    def total_planned(self) -> Decimal:
        return sum((v for v in self.planned.values() if v is not None), Decimal(0))

    @property
    def total_fact(self) -> Decimal:
        return sum((v for v in self.facts.values() if v is not None), Decimal(0))


@dataclass
class RegionRollup:
    region: Region
    path: Path
    period: Period
    members: list[MemberResult]
    lines: list[RegionLine]

    @property
    def missing(self) -> list[MemberResult]:
        """Organisations without a valid report for the period, in print order."""
        return [m for m in self.members if m.report is None]


def load_region(path: Path, diags: Diagnostics) -> Region | None:
    src = load_source(path, diags)
    return to_record(src.root, Region, diags) if src.root is not None else None


def _member(folder: Path, period: Period, diags: Diagnostics) -> MemberResult:
    name = folder.name
    if not folder.is_dir():
        diags.add("organisation-missing", _("organisation folder '{folder}' not found").format(
            folder=display_path(folder)), Loc(str(folder)))
        return MemberResult(name, None, None, None)
    result: ValidationResult = validate([folder])
    diags.extend(result.diagnostics.items)
    if period.kind is PeriodKind.YEAR:
        plan = next((lp for lp in result.plans if lp.plan.period.text == period.text), None)
        if plan is None:
            return MemberResult(name, None, None, None)
        rollup = annual_rollup(plan.path, Diagnostics())
        report = rollup.report if rollup and not rollup.missing else None
        return MemberResult(name, plan.organisation, plan, report,
                            outcomes(report, plan.plan) if report else [])
    lr = next((r for r in result.reports if r.report.period.text == period.text), None)
    if lr is None:
        org = result.plans[0].organisation if result.plans else None
        return MemberResult(name, org, result.plans[0] if result.plans else None, None)
    return MemberResult(name, lr.plan.organisation, lr.plan, lr.report, outcomes(lr.report, lr.plan.plan))


def region_rollup(path: Path, period: Period, diags: Diagnostics) -> RegionRollup | None:
    """The region's plan and facts for ``period``, as a whole and by organisation."""
    region = load_region(path, diags)
    if region is None:
        return None
    members: list[MemberResult] = []
    root = project_root(path)
    for i, folder in enumerate(region.organisations):
        member_dir = confine(path.parent, folder, root)
        if isinstance(member_dir, Refusal):
            diags.add(member_dir.rule, member_dir.message, region.loc_of("organisations"), f"organisations[{i}]")
            members.append(MemberResult(Path(folder).name or folder, None, None, None))
        else:
            members.append(_member(member_dir, period, diags))
    order: list[str] = []
    titles: dict[str, str] = {}
    planned: dict[str, dict[str, Decimal | None]] = defaultdict(dict)
    facts: dict[str, dict[str, Decimal | None]] = defaultdict(dict)
    for member in members:
        per_measure: dict[str, list[RowOutcome]] = defaultdict(list)
        for o in member.rows:
            per_measure[o.measure.id].append(o)
        if member.plan is not None and not member.rows:
            for _priority, _task, m in all_measures(member.plan.plan):
                if m.id not in titles:
                    order.append(m.id)
                    titles[m.id] = m.title or ""
        for mid, rows in per_measure.items():
            if mid not in titles:
                order.append(mid)
                titles[mid] = rows[0].measure.title or ""
            p = [r.planned.number for r in rows if r.planned is not None and r.planned.is_numeric]
            f = [fact_number(r.fact) for r in rows if r.outcome is not Outcome.NOT_DUE or r.fact is not None]
            planned[mid][member.folder] = sum((x for x in p if x is not None), Decimal(0)) if p else None
            fs = [x for x in f if x is not None]
            facts[mid][member.folder] = sum(fs, Decimal(0)) if fs else None
    lines = [RegionLine(mid, titles[mid], dict(planned[mid]), dict(facts[mid])) for mid in order]
    return RegionRollup(region, path, period, members, lines)


def quarter_name(q: int) -> str:
    return QUARTER_NAMES[q]
