"""The comparative table («порівняльна таблиця») of an amended plan: changes → rows → document view.

:func:`comparison_rows` turns the plan diff (:func:`plandocs.diff.compare_plans`) into one row per changed
requisite, priority, task or measure: what the provision said before and what it says now, the deleted
words marked ``old`` (struck through) and the inserted ones ``new`` (bold), unchanged fields left out
with «…».  :func:`comparative_view` lays the rows out as a :class:`~plandocs.view.DocumentView` of kind
``comparative`` (``comparative-landscape`` when the rows are wide), which the ordinary HTML, PDF and DOCX
renderers print.  Nothing here re-diffs texts: the word runs are the diff's own.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from plandocs.model.records import (
    Column,
    Measure,
    Organisation,
    Plan,
    PlanKind,
    Priority,
    Task,
    effective_rows,
)
from plandocs.review.diff.changes import Change, PeriodChange, Word
from plandocs.review.diff.output import _elide as elide
from plandocs.view import uaformat as ua
from plandocs.view.plan import DEFAULT_HEADERS
from plandocs.view.types import (
    Cell,
    DocumentView,
    PageView,
    Row,
    SignatureView,
    Span,
    TableView,
)

Line = tuple[Span, ...]


class Headings(StrEnum):
    """The two column headings, as the two customary wordings."""

    BEFORE_AFTER = "before-after"
    CURRENT_PROPOSED = "current-proposed"


HEADINGS = {
    Headings.BEFORE_AFTER: ("Редакція до змін", "Редакція зі змінами"),
    Headings.CURRENT_PROPOSED: ("Чинна редакція", "Запропонована редакція"),
}

KIND_LOCATIVE = {
    PlanKind.QUARTERLY_PLAN: "квартальному плані заходів",
    PlanKind.ANNUAL_PLAN: "річному плані діяльності",
    PlanKind.ACTION_PLAN: "плані дій",
    PlanKind.CITY_PROGRAMME: "міській програмі",
}
"""«Порівняльна таблиця до змін у …»: the document's kind in the locative."""

TARGETS = {"priority": "Пріоритет", "task": "Завдання", "measure": "Захід"}

FIELDS = {
    "title": "Найменування",
    "result": DEFAULT_HEADERS[Column.RESULT],
    "executor": DEFAULT_HEADERS[Column.EXECUTOR],
    "term": DEFAULT_HEADERS[Column.TERM],
    "indicator": DEFAULT_HEADERS[Column.INDICATOR],
    "values": DEFAULT_HEADERS[Column.VALUES],
    "funding": DEFAULT_HEADERS[Column.FUNDING],
}
"""Labels of a measure's fields; the defaults of the table headers, not a plan's long custom ones."""

REQUISITES = {
    "title": "Назва документа",
    "approval": "Гриф затвердження",
    "agreements": "Гриф погодження",
    "signatures": "Підписи",
    "acknowledgements": "Ознайомлення",
    "order": "Розпорядчий документ",
    "period": "Період",
    "horizon": "Період стратегії",
    "sections": "Текстові розділи",
    "headers": "Заголовки граф",
    "columns": "Графи таблиці",
    "funding": "Джерела фінансування",
    "labels": "Нумерація",
}
REQUISITE_LEAVES = {"date": "дата", "number": "номер", "name": "назва акта", "position": "посада",
                    "person": "особа", "label": "напис", "act": "акт", "kind": "вид"}

MISSING = "Відсутній."
EXCLUDED = "Виключено."
ELIDED = "…"
WIDE_ROW = 1600
"""Characters of text in one row from which the table is laid out landscape (rows stay under a page)."""

_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class ComparisonRow:
    """One changed provision: the same thing before and after, as lines of marked text."""

    kind: str
    """``requisite``, ``changed``, ``added``, ``removed``, ``renumbered``, ``moved`` or ``reordered``."""
    target: str
    """``document``, ``priority``, ``task`` or ``measure``."""
    id: str
    """The item's id (the new one when renumbered; the key path for requisites)."""
    before: tuple[Line, ...]
    after: tuple[Line, ...]
    changes: int
    """How many changes of the diff this row shows."""

    @property
    def size(self) -> int:
        return sum(len(s.text) for line in (*self.before, *self.after) for s in line)


# --------------------------------------------------------------------------- lines


def _plain(text: str) -> Span:
    return Span(text)


def _words_sides(words: Sequence[Word], shorten: bool = True) -> tuple[Line, Line]:
    """The diff's word runs as the old side (deletions struck) and the new side (insertions bold); long
    unchanged runs shortened to «…» as the review output does, spaces at the ends of a change left plain."""
    runs = elide(tuple(words)) if shorten else tuple(words)
    before: list[Span] = []
    after: list[Span] = []
    for w in runs:
        if w.op == "equal":
            before.append(Span(w.text))
            after.append(Span(w.text))
        else:
            (before if w.op == "delete" else after).extend(_marked(w.text, "old" if w.op == "delete" else "new"))
    return tuple(before), tuple(after)


def _marked(text: str, mark: str) -> list[Span]:
    core = text.strip()
    if not core:
        return [Span(text)]
    lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
    return [s for s in (Span(lead), Span(core, mark), Span(trail)) if s.text]


def _labelled(label: str, line: Line) -> Line:
    return (Span(f"{label}: "), *line)


def _date(text: str | None) -> str | None:
    m = _DATE_RE.match(text or "")
    return f"{m.group(3)}.{m.group(2)}.{m.group(1)}" if m else text


class _Names:
    """Printed names of executors and funding sources (the new organisation first, then the old one)."""

    def __init__(self, orgs: Sequence[Organisation], plans: Sequence[Plan]) -> None:
        self.executors: dict[str, str] = {}
        for org in reversed(orgs):
            for e in org.executors:
                self.executors[e.id] = ua.quotes(e.name) + (" (за згодою)" if e.external else "")
        self.sources: dict[str, str] = {}
        for plan in reversed(plans):
            for s in plan.funding.sources if plan.funding else ():
                self.sources[s.id] = ua.quotes(s.name)

    def executor(self, ident: str) -> str:
        return self.executors.get(ident, ident)

    def period(self, key: str) -> str:
        quarters = {"Q1": "I квартал", "Q2": "II квартал", "Q3": "III квартал", "Q4": "IV квартал"}
        if key in quarters:
            return quarters[key]
        if key == "total":
            return "Разом"
        if key == "value":
            return ""
        year, _, source = key.partition(" ")
        if source:
            return f"{year}, {self.sources.get(source, source)}"
        return key


def _executor_sides(old: str | None, new: str | None, names: _Names) -> tuple[Line, Line]:
    """Executors name by name: the ones no longer named struck, the ones newly named bold."""
    o = [i for i in (old or "").split(", ") if i]
    n = [i for i in (new or "").split(", ") if i]

    def side(ids: list[str], other: list[str], mark: str) -> Line:
        out: list[Span] = []
        for k, ident in enumerate(ids):
            if k:
                out.append(Span("; "))
            out.append(Span(names.executor(ident), "" if ident in other else mark))
        return tuple(out) or (Span("(не визначено)", "note"),)

    return side(o, n, "old"), side(n, o, "new")


def _value_sides(c: Change, names: _Names) -> tuple[list[Line], list[Line]]:
    before: list[Line] = []
    after: list[Line] = []
    for p in c.periods:
        before.append(_period_line(p, p.old, "old", names))
        after.append(_period_line(p, p.new, "new", names))
    return before, after


def _period_line(p: PeriodChange, value: str | None, mark: str, names: _Names) -> Line:
    label = names.period(p.period)
    head = (Span(f"{label}: "),) if label else ()
    if value is None:
        return (*head, Span("не встановлено", "note"))
    return (*head, Span(ua.quotes(value), mark))


def _field_sides(c: Change, names: _Names) -> tuple[list[Line], list[Line]]:
    """A field of a measure, task or priority: its label, then the old and the new content."""
    name = c.field or ""
    label = FIELDS.get(name, name)
    if c.row is not None:
        label = f"{label} (виконавець: {'; '.join(names.executor(i) for i in c.row.split(', '))})"
    if name in ("values", "funding") and len(c.periods) == 1 and c.periods[0].period == "value":
        p = c.periods[0]
        return [_labelled(label, _period_line(p, p.old, "old", names))], \
            [_labelled(label, _period_line(p, p.new, "new", names))]
    if name in ("values", "funding") and c.periods:
        before, after = _value_sides(c, names)
        return [(Span(f"{label}:"),), *before], [(Span(f"{label}:"),), *after]
    if name == "executor":
        b, a = _executor_sides(c.old, c.new, names)
        return [_labelled(label, b)], [_labelled(label, a)]
    if c.words and c.old is not None and c.new is not None:
        b, a = _words_sides(c.words)
        return [_labelled(label, b)], [_labelled(label, a)]
    return [_labelled(label, _whole(c.old, "old"))], [_labelled(label, _whole(c.new, "new"))]


def _whole(text: str | None, mark: str) -> Line:
    if text is None:
        return (Span("не встановлено", "note"),)
    return (Span(ua.quotes(_date(text) or ""), mark),)


def _heading(target: str, ident: str, title: str | None, mark: str = "") -> Line:
    text = f"{TARGETS[target]} {ident}." + (f" {ua.quotes(title)}" if title else "")
    return (Span(text, mark),)


# --------------------------------------------------------------------------- whole items


def _item_lines(item: Priority | Task | Measure, target: str, names: _Names, mark: str) -> list[Line]:
    """Everything an added (``new``) or removed (``old``) item prints, all marked."""
    out = [_heading(target, item.id, item.title, mark)]
    if isinstance(item, Measure):
        if item.result:
            out.append(_labelled(FIELDS["result"], (Span(ua.quotes(item.result), mark),)))
        for er in effective_rows(item):
            if er.executor:
                out.append(_labelled(FIELDS["executor"], tuple(
                    Span(("; " if k else "") + names.executor(i), mark) for k, i in enumerate(er.executor))))
            if er.term is not None:
                out.append(_labelled(FIELDS["term"], (Span(ua.quotes(er.term.text), mark),)))
            if er.indicator:
                out.append(_labelled(FIELDS["indicator"], (Span(ua.quotes(er.indicator), mark),)))
            if er.value is not None:
                out.append(_labelled(FIELDS["values"], (Span(ua.value(er.value), mark),)))
            for key, v in (er.values or {}).items():
                label = names.period({"I": "Q1", "II": "Q2", "III": "Q3", "IV": "Q4"}.get(key, key))
                out.append(_labelled(f"{FIELDS['values']}, {label}", (Span(ua.value(v), mark),)))
        for year, amounts in (item.funding or {}).items():
            for src, v in amounts.items():
                out.append(_labelled(f"{FIELDS['funding']}, {year}, {names.sources.get(src, src)}",
                                     (Span(ua.value(v), mark),)))
    else:
        if isinstance(item, Task) and item.result:
            out.append(_labelled(FIELDS["result"], (Span(ua.quotes(item.result), mark),)))
        if item.executor:
            out.append(_labelled(FIELDS["executor"], (Span("; ".join(names.executor(i) for i in item.executor),
                                                           mark),)))
        if item.term is not None:
            out.append(_labelled(FIELDS["term"], (Span(ua.quotes(item.term.text), mark),)))
    return out


def _items(plan: Plan) -> dict[tuple[str, str], Priority | Task | Measure]:
    out: dict[tuple[str, str], Priority | Task | Measure] = {}
    for p in plan.priorities:
        out.setdefault(("priority", p.id), p)
        for m in p.measures:
            out.setdefault(("measure", m.id), m)
        for t in p.tasks:
            out.setdefault(("task", t.id), t)
            for m in t.measures:
                out.setdefault(("measure", m.id), m)
    return out


# --------------------------------------------------------------------------- rows


def _requisite_label(path: str) -> str:
    parts = re.split(r"[.\[]", path.replace("]", ""))
    head = REQUISITES.get(parts[0], parts[0])
    leaf = next((REQUISITE_LEAVES[p] for p in reversed(parts[1:]) if p in REQUISITE_LEAVES), "")
    return f"{head}, {leaf}" if leaf else head


def _requisite_row(c: Change) -> ComparisonRow:
    label = _requisite_label(c.field or "")
    if c.kind == "added":
        before: list[Line] = [(Span(f"{label}: "), Span(MISSING, "note"))]
        after: list[Line] = [_labelled(label, _whole(c.new, "new"))]
    elif c.kind == "removed":
        before, after = [_labelled(label, _whole(c.old, "old"))], [(Span(f"{label}: "), Span(EXCLUDED, "note"))]
    elif c.words and c.old is not None and c.new is not None:
        b, a = _words_sides(c.words)
        before, after = [_labelled(label, b)], [_labelled(label, a)]
    else:
        before, after = [_labelled(label, _whole(c.old, "old"))], [_labelled(label, _whole(c.new, "new"))]
    return ComparisonRow("requisite", "document", c.field or "", tuple(before), tuple(after), 1)


def _renumbered_under(c: Change, parents: dict[str, str]) -> bool:
    """A renumbering that only follows its priority's or task's new number (4.1.2 → 5.1.2 under 4 → 5)."""
    if c.old_id is None or c.id is None:
        return False
    for old_p, new_p in parents.items():
        if c.old_id.startswith(old_p + ".") and c.id == new_p + c.old_id[len(old_p):]:
            return True
    return False


def comparison_rows(changes: Sequence[Change], old: Plan, new: Plan,
                    orgs: Sequence[Organisation]) -> list[ComparisonRow]:
    """One row per changed requisite and per changed priority, task or measure, in the new plan's order."""
    names = _Names(orgs, (new, old))
    old_items, new_items = _items(old), _items(new)
    renumbered = {c.old_id: c.id for c in changes if c.kind == "renumbered" and c.old_id and c.id}
    parents: dict[str, str] = {}
    folded: dict[str, list[Change]] = {}
    for c in changes:
        if c.kind == "renumbered" and c.old_id and c.id:
            if _renumbered_under(c, parents):
                owner = next(p for p in parents if c.old_id.startswith(p + "."))
                folded.setdefault(owner, []).append(c)
            else:
                parents[c.old_id] = c.id
    folded_ids = {c.id for cs in folded.values() for c in cs}
    rows: list[ComparisonRow] = []
    groups: dict[tuple[str, str], list[Change]] = {}
    order: list[tuple[str, str]] = []
    for c in changes:
        if c.target == "document":
            rows.append(_requisite_row(c))
            continue
        if c.kind == "reordered":
            key = ("reordered", f"{c.target} {c.id or ''}")
        else:
            target = "measure" if c.target == "row" else c.target
            key = (target, c.id or "")
        if c.kind == "renumbered" and c.id in folded_ids:
            continue
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(c)
    for key in order:
        rows.append(_item_row(key, groups[key], old_items, new_items, renumbered, folded, names))
    return rows


def _item_row(key: tuple[str, str], cs: list[Change], old_items: dict[tuple[str, str], Priority | Task | Measure],
              new_items: dict[tuple[str, str], Priority | Task | Measure], renumbered: dict[str, str],
              folded: dict[str, list[Change]], names: _Names) -> ComparisonRow:
    target, ident = key
    first = cs[0]
    if target == "reordered":
        what = {"priority": "Порядок пріоритетів", "task": f"Порядок завдань пріоритету {first.id}",
                "measure": f"Порядок заходів ({first.parent})", "row": f"Порядок рядків заходу {first.id}"}
        text = what.get(first.target, "Порядок")
        return ComparisonRow("reordered", first.target, first.id or "", ((Span(f"{text}: попередній."),),),
                             ((Span(f"{text}: "), Span("змінено", "new")),), len(cs))
    if first.kind == "added" and first.field is None and first.target != "row":
        item = new_items[(target, ident)]
        return ComparisonRow("added", target, ident, ((Span(MISSING, "note"),),),
                             tuple(_item_lines(item, target, names, "new")), 1)
    if first.kind == "removed" and first.field is None and first.target != "row":
        item = old_items[(target, ident)]
        return ComparisonRow("removed", target, ident, tuple(_item_lines(item, target, names, "old")),
                             ((Span(EXCLUDED, "note"),),), 1)
    new_item = new_items.get((target, ident))
    old_id = next((c.old_id for c in cs if c.kind == "renumbered" and c.old_id), None)
    old_item = old_items.get((target, old_id or ident))
    title_change = next((c for c in cs if c.field == "title" and c.row is None), None)
    kind = "changed"
    if title_change is not None and title_change.words:
        tb, ta = _words_sides(title_change.words, shorten=False)
    else:
        tb = (Span(ua.quotes(old_item.title or "")),) if old_item is not None and old_item.title else ()
        ta = (Span(ua.quotes(new_item.title or "")),) if new_item is not None and new_item.title else ()
    if old_id is not None and old_id != ident:
        kind = "renumbered"
        hb: Line = (Span(f"{TARGETS[target]} "), Span(old_id, "old"), Span("."))
        ha: Line = (Span(f"{TARGETS[target]} "), Span(ident, "new"), Span("."))
    else:
        hb = ha = (Span(f"{TARGETS[target]} {ident}."),)
    before: list[Line] = [(*hb, Span(" "), *tb) if tb else hb]
    after: list[Line] = [(*ha, Span(" "), *ta) if ta else ha]
    count = 0
    shown_fields = 0
    body_b: list[Line] = []
    body_a: list[Line] = []
    for c in cs:
        count += 1
        if c.kind == "renumbered" or c is title_change:
            continue
        if c.kind == "moved":
            kind = "moved" if kind == "changed" else kind
            parent = "пріоритету" if target == "task" else "завдання"
            body_b.append((Span(f"У складі {parent} "), Span(c.old_parent or "", "old"), Span(".")))
            body_a.append((Span(f"У складі {parent} "), Span(c.parent or "", "new"), Span(".")))
            continue
        if c.target == "row" and c.kind in ("added", "removed"):
            side = new_item if c.kind == "added" else old_item
            line = _row_line(side, c.row or "", names, "new" if c.kind == "added" else "old")
            if c.kind == "added":
                body_b.append((Span(f"{FIELDS['executor']}: "), Span(MISSING, "note")))
                body_a.append(line)
            else:
                body_b.append(line)
                body_a.append((Span(f"{FIELDS['executor']}: "), Span(EXCLUDED, "note")))
            continue
        b, a = _field_sides(c, names)
        body_b.extend(b)
        body_a.extend(a)
        shown_fields += 1
    if old_id is not None and old_id in folded:
        kids = folded[old_id]
        body_b.append((Span("Нумерація вкладених завдань і заходів: "),
                       *_id_list([k.old_id or "" for k in kids], "old")))
        body_a.append((Span("Нумерація вкладених завдань і заходів: "), *_id_list([k.id or "" for k in kids], "new")))
        count += len(kids)
    if body_b or body_a:
        before.append((Span(ELIDED),))
        after.append((Span(ELIDED),))
    before.extend(body_b)
    after.extend(body_a)
    return ComparisonRow(kind, target, ident, tuple(before), tuple(after), count)


def _row_line(item: Priority | Task | Measure | None, key: str, names: _Names, mark: str) -> Line:
    """An executor row of a measure on one line, every cell marked: the row added or removed whole."""
    who = "; ".join(names.executor(i) for i in key.split(", "))
    out: list[Span] = [Span(f"{FIELDS['executor']}: "), Span(who, mark)]
    rows = effective_rows(item) if isinstance(item, Measure) else []
    er = next((r for r in rows if ", ".join(r.executor or ()) == key), None)
    if er is not None:
        if er.term is not None:
            out += [Span(f"; {FIELDS['term']}: "), Span(ua.quotes(er.term.text), mark)]
        if er.indicator:
            out += [Span(f"; {FIELDS['indicator']}: "), Span(ua.quotes(er.indicator), mark)]
        if er.value is not None:
            out += [Span(f"; {FIELDS['values']}: "), Span(ua.value(er.value), mark)]
        for k, v in (er.values or {}).items():
            label = names.period({"I": "Q1", "II": "Q2", "III": "Q3", "IV": "Q4"}.get(k, k))
            out += [Span(f"; {label}: "), Span(ua.value(v), mark)]
    return tuple(out)


def _id_list(ids: Iterable[str], mark: str) -> Line:
    out: list[Span] = []
    for k, i in enumerate(ids):
        if k:
            out.append(Span(", "))
        out.append(Span(i, mark))
    return tuple(out)


# --------------------------------------------------------------------------- the document


def _doc_date(plan: Plan) -> _dt.date:
    dates = [s.date for s in plan.approval if s.date] + [s.act.date for s in plan.approval if s.act]
    return min(dates) if dates else plan.period.start


def _requisites(plan: Plan) -> tuple[str, ...]:
    """How the amended plan is identified: its title and what approved it."""
    lines = [f"«{ua.quotes(' '.join(plan.title))}»"]
    for s in plan.approval:
        if s.act is not None:
            lines.append(f"затверджено {s.act.name} від {ua.date_digits(s.act.date)} № {s.act.number}")
        elif s.date is not None:
            lines.append(f"затверджено {ua.date_digits(s.date)}")
    return tuple(lines)


def _signature(org: Organisation, plan: Plan) -> tuple[SignatureView, ...]:
    """The head of the organisation signs the table; without one, whoever signs the plan."""
    head = next((p for p in org.people if p.id == org.head), None)
    if head is not None:
        position = tuple(ln for ln in (head.position or "").split("\n") if ln)
        return (SignatureView(position, "", ua.person_name(head, org.name_style), ""),)
    out = []
    people = {p.id: p for p in org.people}
    for s in plan.signatures:
        person = people.get(s.person) if isinstance(s.person, str) else None
        name = ua.person_name(person, org.name_style) if person else ""
        where = s.position or (person.position if person else "") or ""
        out.append(SignatureView(tuple(ln for ln in where.split("\n") if ln), s.signature or "", name, ""))
    return tuple(out)


def _cell(line_set: Sequence[Line]) -> Cell:
    text = "\n".join("".join(s.text for s in line) for line in line_set)
    return Cell(text, lines=tuple(line_set))


def comparative_view(rows: Sequence[ComparisonRow], old: Plan, new: Plan, org: Organisation, *,
                     headings: Headings = Headings.BEFORE_AFTER, orientation: str = "auto") -> DocumentView:
    """The comparative table as a document: title, the plan's requisites, the table, the head's signature."""
    if orientation == "auto":
        orientation = "landscape" if any(r.size > WIDE_ROW for r in rows) else "portrait"
    page = PageView(orientation, orientation, (org.margins.top, org.margins.right, org.margins.bottom,
                                               org.margins.left), org.font_size)
    number_w = 12.0
    side = (page.text_width - number_w) / 2
    left, right = HEADINGS[headings]
    head = Row((Cell("№ з/п", role="head", header=True, scope="col", bold=True, align="center"),
                Cell(left, role="head", header=True, scope="col", bold=True, align="center"),
                Cell(right, role="head", header=True, scope="col", bold=True, align="center")), "head")
    body = tuple(Row((Cell(str(i), role="number", align="center"), _cell(r.before), _cell(r.after)), "body")
                 for i, r in enumerate(rows, start=1))
    if not body:
        body = (Row((Cell("", role="number"), Cell("Змін немає.", colspan=2)), "body"),)
    table = TableView(3, (number_w, round(side, 2), round(side, 2)), (head,), body)
    title = ("ПОРІВНЯЛЬНА ТАБЛИЦЯ", f"до змін у {KIND_LOCATIVE[new.kind]} {org.name.genitive}")
    return DocumentView(
        kind="comparative" if orientation == "portrait" else "comparative-landscape",
        title=title,
        meta_title=f"Порівняльна таблиця до змін у {KIND_LOCATIVE[new.kind]} {org.name.genitive}",
        author=org.name.nominative,
        subject=f"Порівняльна таблиця, {new.period}",
        date=_doc_date(new),
        page=page,
        approval=(),
        order=None,
        contents=False,
        sections=(),
        goals=(),
        table=table,
        signatures=_signature(org, new),
        agreements=(),
        acknowledgements=(),
        requisites=_requisites(old),
    )
