"""Stage diff: what changed between two versions of plans, in plan terms.

This module compares two records;
:func:`plan_diff` (:mod:`.sources`) is the entry point of ``plandocs diff``: it finds the pairs of files to compare (two
files, two folders, or two git revisions / a revision and the working tree) and compares each pair with
:func:`compare_texts`, which the git diff driver calls directly.  Nothing here prints; the renderers are in
:mod:`plandocs.review.diff.output`.

Priorities, tasks and measures are matched by their ids.  A measure (task, priority) whose id is gone while
a new id holds a title at least :data:`SIMILAR` alike is *renumbered*, not removed and added; one that keeps
its id under another task or priority is *moved*.  Executor rows of a measure are matched by their
executors.  Cells are compared as the table prints them (a row inherits the measure's cells).
"""

from __future__ import annotations

import datetime as _dt
import difflib
import re
from dataclasses import dataclass, fields
from enum import Enum
from pathlib import Path
from typing import Any

from plandocs.check.schema import record_fields, to_record
from plandocs.errors import Diagnostics
from plandocs.i18n import N_, _, ngettext
from plandocs.load.source import parse_text
from plandocs.model.records import (
    EffectiveRow,
    Executor,
    Measure,
    Organisation,
    Person,
    PersonName,
    Plan,
    Priority,
    Record,
    Report,
    Task,
    all_measures,
    effective_rows,
)
from plandocs.model.values import Period, Term, Value
from plandocs.review.diff.changes import PERIOD_LABELS, TEXT_FIELDS, Change, FileDiff, PeriodChange, Side
from plandocs.review.diff.match import Match, match_by_id
from plandocs.review.diff.words import word_diff


def text_of(value: Any) -> str | None:
    """A field's value as one line of text."""
    if value is None:
        return None
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, (Value, Term, Period)):
        return value.text
    if isinstance(value, tuple):  # Lines, IdList
        return ", ".join(value)
    if isinstance(value, PersonName):
        return " ".join(p for p in (value.given_name, value.initials, value.surname) if p)
    if isinstance(value, Record):
        parts = []
        for name in _field_names(value):
            v = getattr(value, name)
            if v not in (None, [], {}, ()):
                parts.append(f"{name}: {text_of(v)}")
        return "; ".join(parts)
    if isinstance(value, list):
        return ", ".join(t for t in (text_of(v) for v in value) if t is not None)
    if isinstance(value, dict):
        return "; ".join(f"{k.value if isinstance(k, Enum) else k}: {text_of(v)}" for k, v in value.items())
    return str(value)


def _field_names(rec: Record) -> list[str]:
    cls: type = type(rec)
    return list(record_fields(cls))


def _period_order(key: str) -> tuple[int, int, str]:
    if key == "value":
        return (0, 0, key)
    quarters = ("I", "II", "III", "IV")
    if key in quarters:
        return (1, quarters.index(key), key)
    if key.isdigit():
        return (2, int(key), key)
    if key == "total":
        return (4, 0, key)
    return (3, 0, key)


def _cells_values(value: Value | None, values: dict[str, Value] | None) -> dict[str, str]:
    out = {}
    if value is not None:
        out["value"] = value.text
    for k, v in (values or {}).items():
        out[k] = v.text
    return out


def period_changes(old: dict[str, str], new: dict[str, str]) -> tuple[PeriodChange, ...]:
    keys = sorted(set(old) | set(new), key=_period_order)
    return tuple(PeriodChange(PERIOD_LABELS.get(k, k), old.get(k), new.get(k))
                 for k in keys if old.get(k) != new.get(k))


def _funding_cells(funding: dict[str, dict[str, Value]] | None) -> dict[str, str]:
    return {f"{year} {src}": v.text for year, amounts in (funding or {}).items() for src, v in amounts.items()}


# --------------------------------------------------------------------------- generic record diff


def _field_change(target: str, path: str, old: Any, new: Any, **where: Any) -> Change:
    o, n = text_of(old), text_of(new)
    leaf = re.sub(r"\[\d+\]$", "", path.rsplit(".", 1)[-1])
    words = word_diff(o, n) if o is not None and n is not None and leaf in TEXT_FIELDS else ()
    return Change("changed", target, field=path, old=o, new=n, words=words, **where)


def record_changes(old: Any, new: Any, path: str, target: str, **where: Any) -> list[Change]:
    """Changes between two values of the same field, described by key paths (``approval[0].date``)."""
    if old == new:
        return []
    if isinstance(old, Record) and isinstance(new, Record) and type(old) is type(new):
        out: list[Change] = []
        for name in _field_names(old):
            sub = f"{path}.{name}" if path else name
            out.extend(record_changes(getattr(old, name), getattr(new, name), sub, target, **where))
        return out
    if isinstance(old, (list, tuple)) and isinstance(new, (list, tuple)):
        if all(isinstance(v, str) for v in (*old, *new)):
            return _lines_changes(list(old), list(new), path, target, **where)
        out = []
        for i in range(max(len(old), len(new))):
            sub = f"{path}[{i}]"
            if i >= len(new):
                out.append(Change("removed", target, field=sub, old=text_of(old[i]), **where))
            elif i >= len(old):
                out.append(Change("added", target, field=sub, new=text_of(new[i]), **where))
            else:
                out.extend(record_changes(old[i], new[i], sub, target, **where))
        return out
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        keys = list(old) + [k for k in new if k not in old]
        for k in keys:
            name = k.value if isinstance(k, Enum) else str(k)
            sub = f"{path}.{name}"
            if k not in new:
                out.append(Change("removed", target, field=sub, old=text_of(old[k]), **where))
            elif k not in old:
                out.append(Change("added", target, field=sub, new=text_of(new[k]), **where))
            else:
                out.extend(record_changes(old[k], new[k], sub, target, **where))
        return out
    if old is None and isinstance(new, (Record, list, dict)):
        return [Change("added", target, field=path, new=text_of(new), **where)]
    if new is None and isinstance(old, (Record, list, dict)):
        return [Change("removed", target, field=path, old=text_of(old), **where)]
    return [_field_change(target, path, old, new, **where)]


def _lines_changes(old: list[str], new: list[str], path: str, target: str, **where: Any) -> list[Change]:
    out: list[Change] = []
    sm = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:
            for k in range(i2 - i1):
                out.append(_field_change(target, f"{path}[{j1 + k}]", old[i1 + k], new[j1 + k], **where))
            continue
        for k in range(i1, i2):
            out.append(Change("removed", target, field=f"{path}[{k}]", old=old[k], **where))
        for k in range(j1, j2):
            out.append(Change("added", target, field=f"{path}[{k}]", new=new[k], **where))
    return out


# --------------------------------------------------------------------------- plans


def _row_key(er: EffectiveRow) -> str:
    return ", ".join(er.executor) if er.executor else "(no executor)"


def _keyed_rows(rows: list[EffectiveRow]) -> dict[str, EffectiveRow]:
    out: dict[str, EffectiveRow] = {}
    for er in rows:
        key = _row_key(er)
        n = 2
        unique = key
        while unique in out:
            unique = f"{key} #{n}"
            n += 1
        out[unique] = er
    return out


def _row_cells(er: EffectiveRow) -> dict[str, Any]:
    return {"executor": er.executor, "term": er.term, "indicator": er.indicator,
            "values": _cells_values(er.value, er.values)}


def _cell_changes(old: dict[str, Any], new: dict[str, Any]) -> list[tuple[str, Change]]:
    """(cell name, change) for each cell that differs; ``id``/``row`` are filled in by the caller."""
    out: list[tuple[str, Change]] = []
    for name in ("executor", "term", "indicator", "values"):
        o, n = old[name], new[name]
        if o == n:
            continue
        if name == "values":
            out.append((name, Change("changed", "measure", field="values", periods=period_changes(o, n))))
        else:
            out.append((name, _field_change("measure", name, o, n)))
    return out


def _measure_changes(old: Measure, new: Measure, where: dict[str, Any]) -> list[Change]:
    ident = new.id
    base = {"id": ident, "title": new.title, **where}  # a reviewer sees which measure a value belongs to
    out: list[Change] = []
    for name in ("title", "result"):
        if getattr(old, name) != getattr(new, name):
            c = _field_change("measure", name, getattr(old, name), getattr(new, name))
            out.append(_with(c, **base))
    if old.funding != new.funding:
        periods = period_changes(_funding_cells(old.funding), _funding_cells(new.funding))
        out.append(Change("changed", "measure", field="funding", periods=periods, **base))
    old_rows, new_rows = effective_rows(old), effective_rows(new)
    if len(old_rows) == 1 and len(new_rows) == 1:
        for _key, c in _cell_changes(_row_cells(old_rows[0]), _row_cells(new_rows[0])):
            out.append(_with(c, **base))
        return out
    ko, kn = _keyed_rows(old_rows), _keyed_rows(new_rows)
    common = [k for k in kn if k in ko]
    per_row = {k: _cell_changes(_row_cells(ko[k]), _row_cells(kn[k])) for k in common}
    everywhere: list[tuple[str, Change]] = []
    if len(common) > 1:
        first = per_row[common[0]]
        for name, c in first:
            if all(any(n2 == name and c2 == c for n2, c2 in per_row[k]) for k in common):
                everywhere.append((name, c))
    for _key, c in everywhere:
        out.append(_with(c, **base))
    for k in kn:
        if k not in ko:
            cells = _row_cells(kn[k])
            summary = _row_summary(cells)
            out.append(Change("added", "row", row=k, new=summary, **base))
            continue
        for name, c in per_row[k]:
            if (name, c) in everywhere:
                continue
            out.append(_with(c, row=k, **base))
    for k in ko:
        if k not in kn:
            out.append(Change("removed", "row", row=k, old=_row_summary(_row_cells(ko[k])), **base))
    if [k for k in ko if k in kn] != common:
        out.append(Change("reordered", "row", **base))
    return out


def _row_summary(cells: dict[str, Any]) -> str:
    parts = []
    for name in ("term", "indicator"):
        if cells[name] is not None:
            parts.append(f"{name}: {text_of(cells[name])}")
    for k, v in sorted(cells["values"].items(), key=lambda kv: _period_order(kv[0])):
        parts.append(f"{PERIOD_LABELS.get(k, k)}: {v}")
    return "; ".join(parts)


def _with(c: Change, **kw: Any) -> Change:
    values = {f.name: getattr(c, f.name) for f in fields(c)}
    values.update(kw)
    return Change(**values)


def _node_changes(old: Priority | Task, new: Priority | Task, target: str, where: dict[str, Any]) -> list[Change]:
    out: list[Change] = []
    names = ["title", "result", "executor", "term"] if isinstance(new, Task) else ["title", "executor", "term"]
    for name in names:
        o, n = getattr(old, name), getattr(new, name)
        if o != n:
            out.append(_with(_field_change(target, name, o, n), id=new.id, **where))
    if old.funding != new.funding:
        out.append(Change("changed", target, id=new.id, field="funding", title=new.title if target == "task" else None,
                          periods=period_changes(_funding_cells(old.funding), _funding_cells(new.funding)),
                          **where))
    return out


@dataclass
class _Entry:
    """A priority, task or measure with its place in the document."""

    target: str
    item: Priority | Task | Measure
    priority: Priority
    parent: tuple[str, str] | None
    """(``task`` or ``priority``, id) of what the item is under; ``None`` for priorities."""
    index: int
    """Place in document order."""

    @property
    def parent_id(self) -> str | None:
        return self.parent[1] if self.parent else None


def _entries(plan: Plan) -> dict[str, dict[str, _Entry]]:
    out: dict[str, dict[str, _Entry]] = {"priority": {}, "task": {}, "measure": {}}
    n = 0
    for p in plan.priorities:
        out["priority"].setdefault(p.id, _Entry("priority", p, p, None, n))
        n += 1
        for m in p.measures:
            out["measure"].setdefault(m.id, _Entry("measure", m, p, ("priority", p.id), n))
            n += 1
        for t in p.tasks:
            out["task"].setdefault(t.id, _Entry("task", t, p, ("priority", p.id), n))
            n += 1
            for m in t.measures:
                out["measure"].setdefault(m.id, _Entry("measure", m, p, ("task", t.id), n))
                n += 1
    return out


def _title(e: _Entry) -> str | None:
    return e.item.title


def compare_plans(old: Plan, new: Plan) -> tuple[list[Change], dict[str, str]]:
    """Every change from ``old`` to ``new``, document first, then in the new plan's order."""
    doc: list[Change] = []
    for name in record_fields(Plan):
        if name == "priorities":
            continue
        doc.extend(record_changes(getattr(old, name), getattr(new, name), name, "document"))

    eo, en = _entries(old), _entries(new)
    matches = {level: match_by_id(eo[level], en[level], _title) for level in ("priority", "task", "measure")}
    parent_map: dict[tuple[str, str], tuple[str, str]] = {}
    for level in ("priority", "task"):
        for o, n in matches[level].pairs:
            parent_map[(level, o)] = (level, n)
    keyed: list[tuple[float, int, Change]] = []
    seq = 0

    def put(position: float, change: Change) -> None:
        nonlocal seq
        keyed.append((position, seq, change))
        seq += 1

    titles: dict[str, str] = {}
    for p in (*old.priorities, *new.priorities):
        if p.title:
            titles[p.id] = p.title
    for p in new.priorities:
        if p.title:
            titles[p.id] = p.title

    for level in ("priority", "task", "measure"):
        m = matches[level]
        for o_id, n_id in m.pairs:
            e_old, e_new = eo[level][o_id], en[level][n_id]
            where: dict[str, Any] = {"priority": e_new.priority.id, "parent": e_new.parent_id}
            pos = float(e_new.index)
            if o_id != n_id:
                put(pos, Change("renumbered", level, id=n_id, old_id=o_id, title=e_new.item.title,
                                old_parent=e_old.parent_id if _moved(e_old, e_new, parent_map) else None,
                                **where))
            elif _moved(e_old, e_new, parent_map):
                put(pos, Change("moved", level, id=n_id, old_parent=e_old.parent_id, title=e_new.item.title,
                                **where))
            if isinstance(e_new.item, Measure):
                assert isinstance(e_old.item, Measure)
                changes = _measure_changes(e_old.item, e_new.item, where)
            else:
                assert not isinstance(e_old.item, Measure)
                changes = _node_changes(e_old.item, e_new.item, level, where)
            for c in changes:
                put(pos + 0.001, c)
        for n_id in m.added:
            e = en[level][n_id]
            put(float(e.index), Change("added", level, id=n_id, title=e.item.title, priority=e.priority.id,
                                       parent=e.parent_id))
        for o_id in m.removed:
            e = eo[level][o_id]
            put(_old_position(e, eo, en, matches), Change("removed", level, id=o_id, title=e.item.title,
                                                         priority=_removed_priority(e, parent_map),
                                                         parent=e.parent_id))
    body = [c for _, _, c in sorted(keyed, key=lambda t: (t[0], t[1]))]
    body.extend(_reordered(old, new, matches))
    changes = doc + body
    if not changes and old != new:  # a safety net: every difference is reported somehow
        changes.append(Change("changed", "document", field="(other)"))
    return changes, titles


def _moved(e_old: _Entry, e_new: _Entry, parent_map: dict[tuple[str, str], tuple[str, str]]) -> bool:
    if e_old.parent is None or e_new.parent is None:
        return False
    return parent_map.get(e_old.parent) != e_new.parent


def _removed_priority(e: _Entry, parent_map: dict[tuple[str, str], tuple[str, str]]) -> str:
    mapped = parent_map.get(("priority", e.priority.id))
    return mapped[1] if mapped is not None else e.priority.id


def _old_position(e: _Entry, eo: dict[str, dict[str, _Entry]], en: dict[str, dict[str, _Entry]],
                  matches: dict[str, Match]) -> float:
    """Where a removed item is reported: just after the last preceding old item that is still there."""
    best = -1.0
    flat = sorted((x for level in eo.values() for x in level.values()), key=lambda x: x.index)
    for x in flat:
        if x.index >= e.index:
            break
        new_id = matches[x.target].new_of(x.item.id)
        if new_id is not None:
            best = float(en[x.target][new_id].index)
    return best + 0.5


def _reordered(old: Plan, new: Plan, matches: dict[str, Match]) -> list[Change]:
    """Items that kept their parent but not their order: priorities, tasks in a priority, measures in a task."""
    out: list[Change] = []
    old_tasks = [t.id for p in old.priorities for t in p.tasks]
    old_measures = [m.id for _, _, m in all_measures(old)]

    def check(target: str, old_ids: list[str], new_ids: list[str], **where: Any) -> None:
        wanted = set(new_ids)
        mapped = (matches[target].new_of(i) for i in old_ids)
        kept = [i for i in mapped if i is not None and i in wanted]
        kept_set = set(kept)
        if kept != [i for i in new_ids if i in kept_set]:
            out.append(Change("reordered", target, **where))

    check("priority", [p.id for p in old.priorities], [p.id for p in new.priorities])
    for p in new.priorities:
        check("task", old_tasks, [t.id for t in p.tasks], id=p.id, priority=p.id, parent=p.id)
        containers: list[tuple[Priority | Task, str]] = [(p, "priority"), *((t, "task") for t in p.tasks)]
        for container, kind in containers:
            check("measure", old_measures, [m.id for m in container.measures], id=container.id, priority=p.id,
                  parent=f"{kind} {container.id}")
    return out


def _summary(plan: Plan) -> str:
    measures = all_measures(plan)
    tasks = sum(len(p.tasks) for p in plan.priorities)
    n = len(plan.priorities)
    return _("period {period}: {priorities}, {tasks}, {measures}").format(
        period=plan.period, priorities=ngettext("{n} priorities", "{n} priorities", n).format(n=n),
        tasks=ngettext("{n} tasks", "{n} tasks", tasks).format(n=tasks),
        measures=ngettext("{n} measures", "{n} measures", len(measures)).format(n=len(measures)))


_RECORD_WORDS = {"report": N_("report"), "region": N_("region"), "organisation": N_("organisation"),
                 "plan": N_("plan")}
"""The kinds of file a diff names when one is added or removed."""


def _file_summary(rec: Record) -> str:
    if isinstance(rec, Organisation):
        return _("organisation {name}").format(name=rec.name.nominative)
    period = getattr(rec, "period", None)
    kind = type(rec).__name__.lower()
    kind = _(_RECORD_WORDS[kind]) if kind in _RECORD_WORDS else kind
    return _("{kind} for {period}").format(kind=kind, period=period) if period is not None else kind


# --------------------------------------------------------------------------- organisations


def _who(x: Executor | Person) -> str:
    """An executor or a person as the documents print them."""
    if isinstance(x, Executor):
        return x.name + (" (за згодою)" if x.external else "")
    return ", ".join(t for t in (text_of(PersonName(surname=x.surname, initials=x.initials,
                                                       given_name=x.given_name)), x.position) if t)


def compare_organisations(old: Organisation, new: Organisation) -> list[Change]:
    out: list[Change] = []
    for name in record_fields(Organisation):
        if name in ("people", "executors"):
            continue
        out.extend(record_changes(getattr(old, name), getattr(new, name), name, "document"))
    for name, target in (("people", "person"), ("executors", "executor")):
        o = {x.id: x for x in getattr(old, name)}
        n = {x.id: x for x in getattr(new, name)}
        for ident, x in n.items():
            if ident not in o:
                out.append(Change("added", target, id=ident, new=_who(x)))
            else:
                for c in record_changes(o[ident], x, "", target):
                    out.append(_with(c, id=ident))
        for ident, x in o.items():
            if ident not in n:
                out.append(Change("removed", target, id=ident, old=_who(x)))
    if not out and old != new:
        out.append(Change("changed", "document", field="(other)"))
    return out


# --------------------------------------------------------------------------- files


def _load(side: Side, cls: type[Record], diags: Diagnostics) -> Record | None:
    assert side.text is not None
    root = parse_text(side.name, side.text, diags)
    rec: Record | None = to_record(root, cls, diags) if root is not None else None
    return rec


def compare_texts(path: str, old: Side, new: Side, diags: Diagnostics) -> FileDiff | None:
    """Compare two versions of one file; ``None`` (with diagnostics) when either does not load."""
    from plandocs.review.fmt import record_class

    cls = record_class(Path(path))
    kind = cls.__name__.lower()
    status = "added" if old.text is None else "removed" if new.text is None else "modified"
    result = FileDiff(path, old.name if old.text is not None else None, new.name if new.text is not None else None,
                      status, kind)
    before = len(diags.errors)
    rec_old = _load(old, cls, diags) if old.text is not None else None
    rec_new = _load(new, cls, diags) if new.text is not None else None
    if len(diags.errors) > before:
        return None
    if rec_old is None and rec_new is None:  # pragma: no cover - the texts differ, so one side exists
        return None
    if rec_old is None:
        assert rec_new is not None
        summary = _summary(rec_new) if isinstance(rec_new, Plan) else _file_summary(rec_new)
        result.changes.append(Change("added", "file", new=summary))
        return result
    if rec_new is None:
        assert rec_old is not None
        summary = _summary(rec_old) if isinstance(rec_old, Plan) else _file_summary(rec_old)
        result.changes.append(Change("removed", "file", old=summary))
        return result
    if isinstance(rec_old, Plan) and isinstance(rec_new, Plan):
        result.changes, result.priority_titles = compare_plans(rec_old, rec_new)
    elif isinstance(rec_old, Organisation) and isinstance(rec_new, Organisation):
        result.changes = compare_organisations(rec_old, rec_new)
    elif isinstance(rec_old, Report) and isinstance(rec_new, Report):  # facts by measure, not key paths
        from plandocs.review.diff.facts import compare_reports

        result.changes = compare_reports(rec_old, rec_new)
    else:  # regions: field by field
        result.changes = record_changes(rec_old, rec_new, "", "document")
    if not result.changes:
        result.status = "unchanged"
    return result
