"""``plandocs report new``: the skeleton of a facts file for one period of an approved plan.

Every measure due in the period is listed in plan order with what was promised shown beside it as a
comment, so the person filling it in sees the plan while typing the facts.  Existing files are never
overwritten.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from plandocs.errors import UsageError
from plandocs.files.write import write_outputs
from plandocs.i18n import _
from plandocs.model.outcomes import is_due, planned_for, row_key
from plandocs.model.records import Plan, all_measures, effective_rows
from plandocs.model.values import Period, parse_period


def _comment(text: str, limit: int = 90) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def due_measures(plan: Plan, period: Period) -> int:
    """How many measures of ``plan`` have a planned value for ``period`` («-» and ``x`` plan nothing)."""
    return sum(any(is_due(planned_for(er, plan, period)) for er in effective_rows(m))
               for _priority, _task, m in all_measures(plan))


def _periods_with_due_measures(plan: Plan) -> list[str]:
    """The quarters of the plan's year (or the plan's own period) that have due measures."""
    candidates = [f"{plan.period.years[0]}-Q{q}" for q in range(1, 5)] if len(plan.period.years) == 1 else []
    return [text for text in [*candidates, plan.period.text] if due_measures(plan, parse_period(text))]


def skeleton(plan: Plan, plan_file: str, period: Period) -> str:
    """The YAML text of an empty report for ``period``."""
    out = [
        "# yaml-language-server: $schema=../../schemas/report.schema.json",
        *_("# Facts for {period}: write what was done after each id (a number, text, or \"4/4\"), and a note\n"
           "# wherever the plan was missed: {{fact: 2, note: Перенесено на III квартал}}. A measure that was not due\n"
           "# or was cancelled: {{status: not-due, note: …}}. Planned values come from the plan, never from here.")
        .format(period=period).split("\n"),
        f"plan: {plan_file}",
        f"period: {_q(period.text)}",
        "facts:",
    ]
    for _priority, _task, m in all_measures(plan):
        ers = effective_rows(m)
        due = [(er, planned_for(er, plan, period)) for er in ers]
        due = [(er, v) for er, v in due if is_due(v)]
        if not due:
            continue
        title = _comment(f"{m.id} {m.title or ''}")
        if len(ers) == 1:
            er, v = due[0]
            out.append(f"  # {title}")
            out.append(f"  {_q(m.id)}:  # план: {v.text if v else ''}; {_comment(er.indicator or '', 60)}")
            continue
        out.append(f"  # {title}")
        out.append(f"  {_q(m.id)}:")
        out.append("    rows:")
        for er, v in due:
            term = f"{er.term.text}; " if er.term else ""
            out.append(f"      {_q(row_key(er))}:  # {term}план: {v.text if v else ''}")
    return "\n".join(out) + "\n"


def new_report(plan_path: Path, plan: Plan, period: Period, output: Path | None) -> Path:
    """Write the skeleton next to the plan (``2021-q2.report.yaml``) or to ``output``; never overwrite."""
    if period.text != plan.period.text and not (plan.period.start <= period.start <= plan.period.end):
        raise UsageError(_("--period: {period} is not within the plan's period {plan}").format(
            period=period, plan=plan.period))
    if not due_measures(plan, period):
        # an empty «facts:» would be refused by validation, and a report of nothing prints only zeros
        due = _periods_with_due_measures(plan)
        raise UsageError(_("--period: no measure of the plan is due in {period} (none has a planned value for it), "
                           "so there is nothing to report; measures are due in: {due}").format(
            period=period, due=", ".join(due) or _("no period")))
    target = output or plan_path.parent / f"{period.text.lower()}.report.yaml"
    if target.exists():
        raise UsageError(_("{file} already exists; plandocs report new never overwrites a report").format(file=target))
    rel = Path(os.path.relpath(plan_path.resolve(), target.resolve().parent)).as_posix()
    text = skeleton(plan, rel, period)
    write_outputs({Path(target.name): text.encode("utf-8")}, target.parent)
    return target
