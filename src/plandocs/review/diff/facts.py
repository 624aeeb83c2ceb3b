"""Execution reports compared as facts by measure: what was reported for which measure, not key paths.

``facts: {"1.2.1": 138}`` → ``{"1.2.1": 140}`` is ``1.2.1 fact: 138 → 140``; a fact given per executor row is
``1.1.4 [bureau] fact: 0 → 1``; a measure whose fact appears or disappears is one added or removed line.
The report's other fields (period, title, signatures) are compared as requisites of the document.
"""

from __future__ import annotations

from typing import Any

from plandocs.check.schema import record_fields
from plandocs.model.records import Fact, FactRow, Report
from plandocs.model.values import Value
from plandocs.review.diff.changes import Change
from plandocs.review.diff.compare import record_changes, text_of
from plandocs.review.diff.words import word_diff

_CELLS = ("fact", "status", "note")


def _cells(entry: Value | FactRow | None) -> dict[str, str]:
    """One fact as the cells a report prints: fact, status, note (empty ones left out)."""
    if entry is None:
        return {}
    if isinstance(entry, Value):
        return {"fact": entry.text}
    out = {name: text_of(getattr(entry, name)) for name in _CELLS}
    return {k: v for k, v in out.items() if v is not None}


def _rows(entry: Value | Fact | None) -> dict[str, dict[str, str]]:
    """The measure's own cells under ``""`` and each executor row's under its key."""
    out = {"": _cells(entry)}
    if isinstance(entry, Fact):
        for key, row in entry.rows.items():
            out[key] = _cells(row)
    return out


def _summary(cells: dict[str, str]) -> str:
    return "; ".join(f"{k}: {v}" if k != "fact" else v for k, v in cells.items()) or "(empty)"


def _measure(ident: str, old: Value | Fact | None, new: Value | Fact | None) -> list[Change]:
    out: list[Change] = []
    ro, rn = _rows(old), _rows(new)
    for key in [*rn, *(k for k in ro if k not in rn)]:
        where: dict[str, Any] = {"id": ident, "row": key or None}
        co, cn = ro.get(key, {}), rn.get(key, {})
        if key and not co:
            out.append(Change("added", "row", new=_summary(cn), **where))
            continue
        if key and not cn:
            out.append(Change("removed", "row", old=_summary(co), **where))
            continue
        for name in _CELLS:
            o, n = co.get(name), cn.get(name)
            if o == n:
                continue
            words = word_diff(o, n) if name == "note" and o is not None and n is not None else ()
            out.append(Change("changed", "measure", field=name, old=o, new=n, words=words, **where))
    return out


def compare_reports(old: Report, new: Report) -> list[Change]:
    """Every change from ``old`` to ``new``: requisites first, then facts in the new report's order."""
    out: list[Change] = []
    for name in record_fields(Report):
        if name != "facts":
            out.extend(record_changes(getattr(old, name), getattr(new, name), name, "document"))
    for ident, entry in new.facts.items():
        if ident not in old.facts:
            out.append(Change("added", "measure", id=ident, field="fact", new=_whole(entry)))
        elif _rows(old.facts[ident]) != _rows(entry):  # records compare by identity: compare what prints
            out.extend(_measure(ident, old.facts[ident], entry))
    for ident, entry in old.facts.items():
        if ident not in new.facts:
            out.append(Change("removed", "measure", id=ident, field="fact", old=_whole(entry)))
    return out


def _whole(entry: Value | Fact | None) -> str:
    """A measure's whole fact on one line, its executor rows in brackets."""
    rows = _rows(entry)
    parts = [_summary(rows.pop(""))] if rows[""] or len(rows) == 1 else []
    parts.extend(f"[{k}] {_summary(v)}" for k, v in rows.items())
    return "; ".join(parts)


__all__ = ["compare_reports"]
