"""Stage 2b, rules: checks of a well-typed plan against its organisation and its own arithmetic.

Every check has a stable rule id (documented in docs/rules.md) and reports through
:meth:`Checker.report`, with the position of the offending value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import fields
from decimal import Decimal
from typing import Any

from plandocs.errors import Diagnostics, Loc, Severity, closest, did_you_mean
from plandocs.i18n import N_, _
from plandocs.model.records import (
    TOTAL,
    Bodies,
    Breakdown,
    Column,
    Funding,
    Measure,
    NameStyle,
    Organisation,
    PersonName,
    Plan,
    Priority,
    Record,
    RowData,
    Signatory,
    TableColumn,
    Task,
    column_entries,
    effective_rows,
    fold_name,
    funding_amount,
    funding_cell,
    funding_parts,
    kind_of_column,
    leaf_columns,
    plan_breakdown,
    plan_funding_cells,
    plan_funding_totals,
    resolve_executor,
    value_keys,
)
from plandocs.model.values import PeriodKind, Term, Value, ValueKind

W = Severity.WARNING

# --------------------------------------------------------------------------- mixed scripts

_WORD_RE = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_CYR_RE = re.compile(r"[\u0400-\u04ff]")
_LAT_RE = re.compile(r"[A-Za-z]")

# Latin letters that look like Cyrillic ones, then the usual wrong-keyboard transliterations.
_LAT_TO_CYR = str.maketrans(
    "ABCEHIKMOPTXaceiopxyVvnNdDgGlLsSuUzZfFrRbkt",
    "АВСЕНІКМОРТХасеіорхуВвнНдДгГлЛсСуУзЗфФрРбкт",
)


# Cyrillic letters that look like the Latin letters of Roman numerals (І, Х, С, М, and the Cyrillic Д/Л never).
_CYR_TO_ROMAN = str.maketrans("ІХСМ", "IXCM")
_ROMAN_RE = re.compile(r"^M{0,4}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


def roman_numeral(word: str) -> str | None:
    """The all-Latin form of a Roman numeral written with Cyrillic look-alikes (``VІІІ`` → ``VIII``)."""
    latin = word.translate(_CYR_TO_ROMAN)
    return latin if latin and _ROMAN_RE.match(latin) else None


def mixed_script_words(text: str) -> Iterator[tuple[int, str, str]]:
    """``(offset, word, suggestion)`` for each word that mixes Latin and Cyrillic letters; a Roman numeral
    (``ХVI``) is suggested in Latin letters, any other word in Cyrillic ones."""
    for m in _WORD_RE.finditer(text):
        word = m.group(0)
        if _CYR_RE.search(word) and _LAT_RE.search(word):
            yield m.start(), word, roman_numeral(word) or word.translate(_LAT_TO_CYR)


def _word_loc(lines: Sequence[str], loc: Loc, word: str) -> Loc:
    """Refine a value's position to the word inside it (scalars may span several lines)."""
    if not loc.line:
        return loc
    for i in range(loc.line - 1, min(loc.line + 40, len(lines))):
        start = loc.col - 1 if i == loc.line - 1 else 0
        idx = lines[i].find(word, start)
        if idx >= 0:
            return Loc(loc.file, i + 1, idx + 1)
    return loc


def _texts(rec: Record) -> Iterator[tuple[str, str, Loc]]:
    """Every text of a record tree with its key path and position."""
    for f in fields(rec):
        if f.name in ("loc", "path", "locs"):
            continue
        yield from _texts_of(getattr(rec, f.name), rec, f.name)


def _texts_of(value: Any, rec: Record, key: str) -> Iterator[tuple[str, str, Loc]]:
    if isinstance(value, Record):
        yield from _texts(value)
    elif isinstance(value, str):
        yield value, rec.path_of(key), rec.locs.get(key, rec.loc)
    elif isinstance(value, (Value, Term)):
        yield value.text, rec.path_of(key), rec.locs.get(key, rec.loc)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _texts_of(item, rec, f"{key}[{i}]")
    elif isinstance(value, dict):
        for k, item in value.items():
            yield from _texts_of(item, rec, f"{key}.{getattr(k, 'value', k)}")


def _has_mixed_word(line: str) -> bool:
    return bool(_LAT_RE.search(line) and _CYR_RE.search(line) and next(mixed_script_words(line), None))


def check_mixed_script(root: Record, lines: Sequence[str], diags: Diagnostics) -> None:
    if not any(_has_mixed_word(line) for line in lines if not line.lstrip().startswith("#")):
        return  # the usual case: one regex pass over the source instead of a walk over every text
    for text, path, loc in _texts(root):
        if _LAT_RE.search(text) and _CYR_RE.search(text):
            for _start, word, fixed in mixed_script_words(text):
                if roman_numeral(word):
                    fix = _("a Roman numeral is written in Latin letters: did you mean '{word}'?").format(word=fixed)
                elif _LAT_RE.search(fixed):
                    latin = "".join(sorted(set(_LAT_RE.findall(fixed))))
                    fix = _("retype the Latin letters ({latin}) in Cyrillic").format(latin=latin)
                else:
                    fix = _("did you mean '{word}'?").format(word=fixed)
                diags.add("mixed-script",
                          _("'{word}' mixes Latin and Cyrillic letters; {fix}").format(word=word, fix=fix),
                          _word_loc(lines, loc, word), path)


# --------------------------------------------------------------------------- organisation


def check_organisation(org: Organisation, lines: Sequence[str], diags: Diagnostics) -> None:
    for what, items in (("executor", org.executors), ("person", org.people)):
        seen: dict[str, Loc] = {}  # executors and people are referred to from different keys
        for item in items:
            _unique(item.id, item.loc_of("id"), item.path_of("id"), seen, diags, what)
    people = {p.id for p in org.people}
    if org.head is not None and org.head not in people:
        diags.add("unknown-person", _("head '{id}' is not among people{hint}").format(
            id=org.head, hint=did_you_mean(org.head, people)),
                  org.loc_of("head"), "head")
    if org.name_style is NameStyle.GIVEN_NAME_SURNAME:
        for p in org.people:
            if not p.given_name:
                diags.add("name-style", _("name_style is given-name-surname (ДСТУ 4163:2020), so person "
                                          "'{id}' needs 'given_name'").format(id=p.id), p.loc, p.path)
    check_mixed_script(org, lines, diags)


def check_bodies(reg: Bodies, lines: Sequence[str], diags: Diagnostics) -> None:
    """Unique ids, and no name or variant that two bodies share (it could not be resolved to one id)."""
    seen: dict[str, Loc] = {}
    names: dict[str, str] = {}
    for b in reg.bodies:
        _unique(b.id, b.loc_of("id"), b.path_of("id"), seen, diags, "body")
        for key, name in (("name", b.name), *((f"variants[{i}]", v) for i, v in enumerate(b.variants))):
            folded = fold_name(name)
            if folded in names and names[folded] != b.id:
                diags.add("duplicate-id", _("'{name}' also names body '{other}'; a name or variant must name one "
                                            "body").format(name=name, other=names[folded]),
                          b.loc_of(key), b.path_of(key))
            names.setdefault(folded, b.id)
    check_mixed_script(reg, lines, diags)


_DUPLICATE = {
    "executor": N_("executor id '{id}' is already used at line {line}; ids must be unique"),
    "person": N_("person id '{id}' is already used at line {line}; ids must be unique"),
    "priority": N_("priority id '{id}' is already used at line {line}; ids must be unique"),
    "task": N_("task id '{id}' is already used at line {line}; ids must be unique"),
    "measure": N_("measure id '{id}' is already used at line {line}; ids must be unique"),
    "body": N_("body id '{id}' is already used at line {line}; ids must be unique"),
}
_LOOK_ALIKE = {
    "executor": N_("executor id {id} holds {hidden}; ids must be visible text, or two ids that print the same "
                   "would differ"),
    "person": N_("person id {id} holds {hidden}; ids must be visible text, or two ids that print the same "
                 "would differ"),
    "priority": N_("priority id {id} holds {hidden}; ids must be visible text, or two ids that print the same "
                   "would differ"),
    "task": N_("task id {id} holds {hidden}; ids must be visible text, or two ids that print the same "
               "would differ"),
    "measure": N_("measure id {id} holds {hidden}; ids must be visible text, or two ids that print the same "
                  "would differ"),
    "body": N_("body id {id} holds {hidden}; ids must be visible text, or two ids that print the same "
               "would differ"),
}
_FUNDING_SUM = {
    "priority": N_("priority '{id}' has {amount} for {year} «{source}» but its items add up to {total} "
                   "({items}); a computed total counts the section's {amount} and not its items: make them "
                   "agree if the section is their sum"),
    "task": N_("task '{id}' has {amount} for {year} «{source}» but its items add up to {total} "
               "({items}); a computed total counts the section's {amount} and not its items: make them "
               "agree if the section is their sum"),
}
_NO_TITLE = {"priority": N_("priority '{id}' has no title"), "task": N_("task '{id}' has no title")}
_NUMBERING = {
    ("task", "priority"): N_("task '{id}' is under priority '{parent}'; its id should start with '{parent}.'"),
    ("measure", "priority"): N_("measure '{id}' is under priority '{parent}'; its id should start with '{parent}.'"),
    ("measure", "task"): N_("measure '{id}' is under task '{parent}'; its id should start with '{parent}.'"),
}


def _invisible(ident: str) -> str | None:
    """What makes ``ident`` look like another id while differing from it, or ``None``."""
    import unicodedata

    if ident != ident.strip():
        return _("a space at its start or end")
    for ch in ident:
        if unicodedata.category(ch) in ("Cf", "Cc", "Zl", "Zp", "Mn") or (ch.isspace() and ch != " "):
            return _("the invisible character U+{code} ({name})").format(
                code=f"{ord(ch):04X}", name=unicodedata.name(ch, "unnamed"))  # Unicode's own name, as tools show it
    return None


def _unique(ident: str, loc: Loc, path: str, seen: dict[str, Loc], diags: Diagnostics, what: str) -> None:
    hidden = _invisible(ident) if isinstance(ident, str) else None
    if hidden is not None:
        diags.add("look-alike-id", _(_LOOK_ALIKE[what]).format(id=repr(ident), hidden=hidden), loc, path)
    if ident in seen:
        first = seen[ident]
        diags.add("duplicate-id", _(_DUPLICATE[what]).format(id=ident, line=first.line), loc, path)
    else:
        seen[ident] = loc


# --------------------------------------------------------------------------- plan


class _PlanChecker:
    def __init__(self, plan: Plan, org: Organisation | None, lines: Sequence[str], diags: Diagnostics):
        self.plan, self.org, self.lines, self.diags = plan, org, lines, diags
        self.executors = {e.id for e in org.executors} if org else set()
        self.people = {p.id for p in org.people} if org else set()
        self.keys = value_keys(plan)
        self.breakdown = plan_breakdown(plan)

    def report(self, rule: str, message: str, rec: Record, key: str | None = None,
               severity: Severity = Severity.ERROR) -> None:
        loc = rec.loc_of(key) if key else rec.loc
        path = rec.path_of(key) if key else rec.path
        self.diags.add(rule, message, loc, path, severity)

    def run(self) -> None:
        plan = self.plan
        seen: dict[str, Loc] = {}
        for p in plan.priorities:
            _unique(p.id, p.loc_of("id"), p.path_of("id"), seen, self.diags, "priority")
            self.node_common(p, "priority")
            for m in p.measures:
                _unique(m.id, m.loc_of("id"), m.path_of("id"), seen, self.diags, "measure")
                self.numbering(m, "measure", p.id, "priority")
                self.measure(m)
            for t in p.tasks:
                _unique(t.id, t.loc_of("id"), t.path_of("id"), seen, self.diags, "task")
                self.numbering(t, "task", p.id, "priority")
                self.node_common(t, "task")
                for m in t.measures:
                    _unique(m.id, m.loc_of("id"), m.path_of("id"), seen, self.diags, "measure")
                    self.numbering(m, "measure", t.id, "task")
                    self.measure(m)
        for group in (plan.approval, plan.signatures, plan.agreements, plan.acknowledgements):
            for s in group:
                self.signatory(s)
        if plan.order is not None and plan.order.signature is not None:
            self.signatory(plan.order.signature)
        for s in plan.approval:
            if s.date is not None and s.date > plan.period.start:
                self.report("approval-after-start",
                            _("approved on {date}, after the period {period} began on {start}; check the date")
                            .format(date=f"{s.date:%d.%m.%Y}", period=plan.period,
                                    start=f"{plan.period.start:%d.%m.%Y}"), s, "date", W)
        self.table()
        self.funding_totals()
        self.funding_total_text()
        check_mixed_script(plan, self.lines, self.diags)

    def table(self) -> None:
        """The table declaration: one form of it, each kind once, a source column only with funding."""
        plan, table = self.plan, self.plan.table
        if table is None:
            return
        old = [k for k in ("columns", "headers", "column_numbers") if k in plan.locs]
        for k in old:
            self.report("table-keys", _("'{key}' and 'table' both declare the table; move '{key}' into 'table' "
                                        "(docs/forms.md)").format(key=k), plan, k)
        seen: dict[Column, str] = {}
        for i, entry in enumerate(leaf_columns(column_entries(plan))):
            kind = kind_of_column(entry)
            if kind in seen:
                self.report("unknown-column", _("column '{kind}' is declared twice (columns {first} and {second}); "
                                                "each kind prints once").format(
                    kind=kind.value, first=seen[kind], second=i + 1), table, "columns")
            seen.setdefault(kind, str(i + 1))
        if Column.SOURCE in seen and (plan.funding is None or Column.FUNDING not in seen):
            self.report("unknown-column", _("a 'source' column prints one sub-row per funding source; it needs a "
                                            "'funding' column and a top-level 'funding' with the sources"),
                        table, "columns")
        for entry in _groups(table.columns or []):
            if entry.kind is not None and entry.group is not None:
                self.report("unknown-column", _("a column entry has either 'kind' or 'group', not both ('{kind}', "
                                                "'{group}')").format(kind=entry.kind.value, group=entry.group),
                            entry)
            elif entry.kind is None and (entry.group is None or not entry.columns):
                self.report("unknown-column", _("a column entry needs 'kind' (a column) or 'group' with 'columns' "
                                                "under it"), entry)

    def funding_totals(self) -> None:
        """Written totals equal the sum of the measures' amounts (when the plan has any)."""
        spec = self.plan.funding
        if spec is None or spec.totals is None:
            return
        self.funding(spec.totals, spec.totals.amounts, "amounts")
        sums = plan_funding_totals(self.plan)
        if not sums:
            return
        for year, amounts in spec.totals.amounts.items():
            for src, written in amounts.items():
                if written.kind is not ValueKind.NUMBER or written.number is None:
                    continue
                total = sums.get((year, src), Decimal(0))
                if total != written.number:
                    self.report("funding-total-mismatch", _("the total for {source} in {year} is {total} but the "
                                                            "measures' amounts add up to {sum}").format(
                        source=src, year=year, total=written.text, sum=_num(total)), spec.totals,
                        f"amounts.{year}.{src}")

    def node_common(self, node: Priority | Task, what: str) -> None:
        if not node.title:
            self.report("missing-title", _(_NO_TITLE[what]).format(id=node.id), node, "id", W)
        if node.executor is not None:
            self.executor_ids(node, node.executor)
        if node.term is not None:
            self.term(node, node.term)
        if node.funding is not None:
            self.funding(node, node.funding)
            self.funding_sum(node, what)

    def funding_sum(self, node: Priority | Task, what: str) -> None:
        """A section's amount against the sum of its items' amounts (docs/rules.md, «Sums and counts»)."""
        spec = self.plan.funding
        if spec is None or node.funding is None:
            return
        names = {s.id: s.name for s in spec.sources}
        parts = funding_parts(node)
        for year, amounts in node.funding.items():
            for src, v in amounts.items():
                if v.kind is not ValueKind.NUMBER or v.number is None:
                    continue
                items = [c for c in (funding_cell(f, year, src) for f in parts) if c is not None]
                total = funding_amount(items)
                if isinstance(total, Decimal) and total != v.number:
                    shown = " + ".join(c.text for c in items if c.kind is ValueKind.NUMBER)
                    self.report("funding-sum",
                                _(_FUNDING_SUM[what]).format(id=node.id, amount=v.text, year=year,
                                                             source=names.get(src, src), total=_num(total),
                                                             items=shown),
                                node, f"funding.{year}.{src}", W)

    def funding_total_text(self) -> None:
        """A computed total that would have to add a text amount (it prints that cell empty)."""
        spec = self.plan.funding
        if spec is None or not spec.total:
            return
        for year in [str(y) for y in (spec.years or self.plan.period.years)]:
            for src in spec.sources:
                total = funding_amount(plan_funding_cells(self.plan, year, src.id))
                if isinstance(total, str):
                    self.report("funding-sum", _("the computed total «Усього (обчислено)» of {year} «{source}» "
                                                 "cannot add the text amount '{amount}'; its cell stays empty: write "
                                                 "a number, «-» or x, or drop 'funding.total'").format(
                                    year=year, source=src.name, amount=total), spec, "total", W)

    def numbering(self, node: Task | Measure, what: str, parent_id: str, parent_what: str) -> None:
        if not node.id.startswith(parent_id + "."):
            self.report("numbering", _(_NUMBERING[what, parent_what]).format(id=node.id, parent=parent_id),
                        node, "id", W)

    def measure(self, m: Measure) -> None:
        if not m.title:
            self.report("missing-title", _("measure '{id}' has no title").format(id=m.id), m, "id", W)
        if m.funding is not None:
            self.funding(m, m.funding)
        for rec in (m, *m.rows):
            self.row_values(rec)
        if m.term is not None:
            self.term(m, m.term)
        for er in effective_rows(m):
            rec = er.record
            if er.executor is not None:
                self.executor_ids(rec if rec.executor is not None else m, er.executor)
            if er.co_executors is not None:
                self.executor_ids(rec if rec.co_executors is not None else m, er.co_executors, "co_executors")
            if rec is not m and rec.term is not None:
                self.term(rec, rec.term)
            if er.indicator is None:
                numeric = [v for v in ([er.value] if er.value else []) + list((er.values or {}).values())
                           if v.is_numeric]
                if numeric:
                    key = "value" if er.value is not None else "values"
                    src = rec if (rec.value is not None or rec.values is not None) else m
                    self.report("value-without-indicator",
                                _("measure '{id}' plans {value} but names no indicator; add 'indicator' to say "
                                  "what is counted").format(id=m.id, value=numeric[0].text), src, key)

    def row_values(self, rec: RowData) -> None:
        if rec.value is not None and rec.values is not None:
            self.report("value-conflict", _("write either 'value' (one cell for the whole period) or 'values' "
                                            "(one per column), not both"), rec, "values")
            return
        if rec.values is None:
            return
        if self.breakdown in (Breakdown.SINGLE, Breakdown.NONE):
            self.report("unknown-column", _("this plan has breakdown '{breakdown}', so it has no per-period value "
                                            "columns; write 'value' instead of 'values'")
                        .format(breakdown=self.breakdown.value), rec, "values")
            return
        unknown = [key for key in rec.values if key not in self.keys]
        for key in unknown:
            hint = _column_hint(key, self.keys)
            self.report("unknown-column", _("unknown value column '{key}'; expected one of {keys}{hint}")
                        .format(key=key, keys=", ".join(self.keys), hint=hint), rec, f"values.{key}")
        if not unknown:  # a misspelt column would make the sum wrong, not the total
            self.totals(rec, rec.values)

    def totals(self, rec: RowData, values: dict[str, Value]) -> None:
        parts = {k: v for k, v in values.items() if k != TOTAL and k in self.keys}
        if any(v.kind not in (ValueKind.NUMBER, ValueKind.DASH) for v in parts.values()):
            return
        total = sum((v.number for v in parts.values() if v.number is not None), Decimal(0))
        written = values.get(TOTAL)
        shown = ", ".join(f"{k}={v.text}" for k, v in parts.items())
        if written is None:
            numeric = [v for v in parts.values() if v.kind is ValueKind.NUMBER]
            if len(numeric) >= 2:
                self.report("total-missing", _("values {values} add up to {sum} but no total is written; add "
                                               "'total: {sum}'").format(values=shown, sum=_num(total)),
                            rec, "values", W)
            return
        if written.kind is ValueKind.NUMBER and written.number != total:
            self.report("total-mismatch", _("total is {total} but {values} add up to {sum}").format(
                total=written.text, values=shown, sum=_num(total)), rec, f"values.{TOTAL}")

    def executor_ids(self, rec: Record, ids: Sequence[str], field_name: str = "executor") -> None:
        for i, ident in enumerate(ids):
            if ident not in self.executors and self.org is not None \
                    and resolve_executor(self.org, ident) is None:
                key = field_name if len(ids) == 1 or f"{field_name}[{i}]" not in rec.locs else f"{field_name}[{i}]"
                names = {fold_name(n): e for e in self.org.executors for n in (e.name, *e.variants)}
                near = closest(fold_name(ident), names)
                if near:
                    body = names[near]
                    hint = _("; did you mean '{name}' ({id})?").format(name=body.name, id=body.id)
                else:
                    hint = did_you_mean(ident, self.executors) or (
                        _("; add it to the organisation's executors or to its bodies register") if self.org.bodies
                        else _("; add it to the organisation's executors"))
                self.report("unknown-executor", _("executor '{id}' is not in the organisation file{hint}")
                            .format(id=ident, hint=hint), rec, key)

    def term(self, rec: Record, term: Term) -> None:
        period = self.plan.period
        horizon = self.plan.horizon or period
        bad_years = [y for y in term.years if y not in horizon.years]
        if bad_years:
            where = (_("the plan's horizon {period}") if self.plan.horizon else _("the plan's period {period}")) \
                .format(period=horizon if self.plan.horizon else period)
            hint = "" if self.plan.horizon else \
                _("; if the plan belongs to a longer strategy, set 'horizon' to the strategy's years")
            self.report("term-outside-period", _("term '{term}' names {year}, outside {where}{hint}").format(
                term=term.text, year=bad_years[0], where=where, hint=hint), rec, "term")
            return
        if term.years and not set(term.years) & set(period.years):
            self.report("term-outside-period", _("term '{term}' does not overlap the plan's period {period}")
                        .format(term=term.text, period=period), rec, "term")
            return
        if period.kind is PeriodKind.QUARTER:
            bad = [m for m in term.months if m not in period.months]
            if bad:
                from plandocs.model.values import MONTHS_NOMINATIVE
                allowed = ", ".join(MONTHS_NOMINATIVE[m - 1].capitalize() for m in period.months)
                self.report("term-outside-period", _("term '{term}' names {month}, outside the plan's period "
                                                     "{period} ({allowed})").format(
                    term=term.text, month=MONTHS_NOMINATIVE[bad[0] - 1].capitalize(), period=period,
                    allowed=allowed), rec, "term")
                return
        if term.start is not None and term.end is not None and (term.start < period.start
                                                                 or term.end > period.end):
            self.report("term-outside-period", _("term '{term}' is not inside the plan's period {period} "
                                                 "({start} – {end})").format(
                term=term.text, period=period, start=f"{period.start:%d.%m.%Y}", end=f"{period.end:%d.%m.%Y}"),
                rec, "term")

    def funding(self, rec: Record, funding: Funding, key: str = "funding") -> None:
        spec = self.plan.funding
        if spec is None:
            self.report("unknown-column", _("this plan declares no funding columns; add a top-level 'funding' "
                                            "with its sources"), rec, "funding")
            return
        years = [str(y) for y in (spec.years or self.plan.period.years)]
        sources = [s.id for s in spec.sources]
        for year, amounts in funding.items():
            if year not in years:
                self.report("unknown-column", _("funding year '{year}' is not one of {years}").format(
                    year=year, years=", ".join(years)), rec, f"{key}.{year}")
                continue
            for src in amounts:
                if src not in sources:
                    hint = did_you_mean(src, sources)
                    self.report("unknown-column", _("unknown funding source '{source}'; expected one of "
                                                    "{sources}{hint}").format(
                        source=src, sources=", ".join(sources), hint=hint), rec, f"{key}.{year}.{src}")

    def signatory(self, s: Signatory) -> None:
        if isinstance(s.person, str) and self.org is not None and s.person not in self.people:
            hint = did_you_mean(s.person, self.people) or \
                _("; add the person to the organisation's people or write {{surname: …, initials: …}}").format()
            self.report("unknown-person", _("person '{id}' is not in the organisation file{hint}").format(
                id=s.person, hint=hint), s, "person")
        if isinstance(s.person, PersonName) and self.org is not None \
                and self.org.name_style is NameStyle.GIVEN_NAME_SURNAME and not s.person.given_name:
            self.report("name-style", _("the organisation prints names as given-name-surname "
                                        "(ДСТУ 4163:2020), so this person needs 'given_name'"), s, "person")


_QUARTER_ALIASES = {"Q1": "I", "Q2": "II", "Q3": "III", "Q4": "IV", "1": "I", "2": "II", "3": "III", "4": "IV",
                    "Разом": TOTAL, "разом": TOTAL, "Total": TOTAL, "sum": TOTAL}


def _column_hint(key: str, keys: Sequence[str]) -> str:
    alias = _QUARTER_ALIASES.get(key) or _QUARTER_ALIASES.get(key.upper())
    if alias in keys:
        return _("; did you mean '{word}'?").format(word=alias)
    return did_you_mean(key, keys)


def _num(d: Decimal) -> str:
    return format(d.normalize(), "f").replace(".", ",")


def _groups(entries: Sequence[Column | TableColumn]) -> Iterator[TableColumn]:
    """Every mapping entry of a column declaration, groups and their children included."""
    for e in entries:
        if isinstance(e, TableColumn):
            yield e
            yield from _groups(e.columns)


def check_plan(plan: Plan, org: Organisation | None, lines: Sequence[str], diags: Diagnostics) -> None:
    """Run every plan rule; ``org`` is ``None`` when the organisation file could not be loaded."""
    _PlanChecker(plan, org, lines, diags).run()
