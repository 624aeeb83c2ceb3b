"""A plan as lines of text that make a readable line diff: git's ``textconv`` for plan files.

:func:`plan_lines` is the one public entry point.  Every line names where it belongs and holds one cell::

    period: 2020-Q2
    approval[0].date: 2020-03-19
    priority 1 | title | Суб'єкти відповідного права мають рівний доступ до БПД
    task 1.1 | title | Проведення інформаційно - роз'яснювальних …
    1.1.1 | title | Інформаційно-роз'яснювальні правопросвітницькі заходи …
    1.1.1 [bureau-dolyna] | term | Травень
    1.1.3.2 | Q3 | 4

so a line diff of two versions (``git log -p``, ``git diff --no-ext-diff``) says which cell of which
measure changed, however the YAML was indented or ordered; ``--word-diff`` then shows text word by word.
A file that does not load is returned as it is.
"""

from __future__ import annotations

from typing import Any

from plandocs.check.schema import record_fields, to_record
from plandocs.errors import Diagnostics
from plandocs.load.source import parse_text
from plandocs.model.records import Measure, Organisation, Plan, Priority, Record, Task
from plandocs.review.diff.changes import PERIOD_LABELS
from plandocs.review.diff.compare import text_of


def _flat(value: Any, path: str) -> list[str]:
    """``path: text`` lines of a value, one per leaf."""
    if value is None or value == [] or value == {} or value == ():
        return []
    if isinstance(value, Record):
        out: list[str] = []
        cls: type = type(value)
        for name in record_fields(cls):
            out.extend(_flat(getattr(value, name), f"{path}.{name}" if path else name))
        return out
    if isinstance(value, list):
        return [line for i, v in enumerate(value) for line in _flat(v, f"{path}[{i}]")]
    if isinstance(value, tuple) and len(value) > 1:
        return [f"{path}[{i}]: {v}" for i, v in enumerate(value)]
    if isinstance(value, dict):
        return [line for k, v in value.items()
                for line in _flat(v, f"{path}.{getattr(k, 'value', k)}")]
    return [f"{path}: {text_of(value)}"]


def _cells(subject: str, rec: Record, skip: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    cls: type = type(rec)
    for name in record_fields(cls):
        if name in skip:
            continue
        value = getattr(rec, name)
        if name == "values" and isinstance(value, dict):
            out.extend(f"{subject} | {PERIOD_LABELS.get(k, k)} | {v.text}" for k, v in value.items())
        elif name == "funding" and isinstance(value, dict):
            out.extend(f"{subject} | funding {year} {src} | {v.text}"
                       for year, amounts in value.items() for src, v in amounts.items())
        elif isinstance(value, tuple):  # an executor list is one cell
            out.append(f"{subject} | {name} | {', '.join(value)}")
        elif value is not None and value != [] and value != {}:
            out.extend(f"{subject} | {line.replace(': ', ' | ', 1)}" for line in _flat(value, name))
    return out


def _measure(m: Measure) -> list[str]:
    out = _cells(m.id, m, ("id", "rows"))
    for i, row in enumerate(m.rows):
        key = ", ".join(row.executor) if row.executor else f"row {i + 1}"
        out.extend(_cells(f"{m.id} [{key}]", row, ("executor",)) or [f"{m.id} [{key}] | (inherits all)"])
    return out


def _node(kind: str, node: Priority | Task) -> list[str]:
    return _cells(f"{kind} {node.id}", node, ("id", "tasks", "measures"))


def _plan(plan: Plan) -> list[str]:
    out = []
    for name in record_fields(Plan):
        if name != "priorities":
            out.extend(_flat(getattr(plan, name), name))
    for p in plan.priorities:
        out.extend(_node("priority", p) or [f"priority {p.id}"])
        for m in p.measures:
            out.extend(_measure(m))
        for t in p.tasks:
            out.extend(_node("task", t) or [f"task {t.id}"])
            for m in t.measures:
                out.extend(_measure(m))
    return out


def _organisation(org: Organisation) -> list[str]:
    out = []
    for name in record_fields(Organisation):
        if name not in ("people", "executors"):
            out.extend(_flat(getattr(org, name), name))
    for e in org.executors:
        out.extend(_cells(f"executor {e.id}", e, ("id",)))
    for p in org.people:
        out.extend(_cells(f"person {p.id}", p, ("id",)))
    return out


def plan_lines(name: str, text: str, organisation: bool) -> str:
    """The text view of a plan (or organisation) file; the text itself when it does not load."""
    diags = Diagnostics()
    root = parse_text(name, text, diags)
    cls: type[Record] = Organisation if organisation else Plan
    rec = to_record(root, cls, diags) if root is not None else None
    if rec is None:
        return text
    lines = _organisation(rec) if isinstance(rec, Organisation) else _plan(rec)
    return "\n".join(line.replace("\n", "\\n") for line in lines) + "\n"


__all__ = ["plan_lines"]
