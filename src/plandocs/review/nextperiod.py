"""Stage new: start the next period's plan from an existing one.

:func:`new_plan` is the one public entry point.  It copies the plan's structure (priorities, tasks,
measures, executors, indicators, headers, labels, sections and comments) and moves it to the new period:

* ``period`` is set; the period named in the title lines is replaced («II квартал 2020» → «III квартал
  2020», «2023 рік» → «2024 рік», «2008/10» → «2011/13»), and every replacement is reported;
* terms move with the period: month names by the number of months between the periods in quarterly
  plans (Квітень → Липень), years by the number of years in annual and multi-year plans (2021-2022 →
  2022-2023; a term is kept inside the plan's ``horizon``), date ranges by the same amount;
* planned values and funding amounts are cleared, or carried over with ``carry_values`` (month and year
  columns renamed to the new period's);
* approval is emptied: its dates and approving acts are removed, as are the dates of signatures,
  agreements and acknowledgements; an approving ``order`` is removed (it approved the old plan);
* the new file is written in canonical form (:mod:`plandocs.review.emit`) next to the old one, named after
  the new period, and never over an existing file; it must validate (warnings allowed).
"""

from __future__ import annotations

import calendar
import copy
import datetime as _dt
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from plandocs.check.rules import check_plan
from plandocs.check.schema import to_record
from plandocs.check.validate import validate
from plandocs.errors import Diagnostics, Loc, UsageError
from plandocs.files.discovery import display_path
from plandocs.files.write import create_file
from plandocs.i18n import _, ngettext
from plandocs.load.source import Map, Node, Scalar, Seq, parse_text
from plandocs.model.records import Breakdown, Plan, plan_breakdown
from plandocs.model.values import MONTHS_GENITIVE, MONTHS_NOMINATIVE, Period, PeriodKind, roman
from plandocs.review.emit import emit


@dataclass
class NewPlanResult:
    """What :func:`new_plan` did."""

    source: str
    path: str | None = None
    """The file written; ``None`` when nothing was written (see ``diagnostics``)."""
    notes: list[str] = field(default_factory=list)
    """What was changed, one line each, for the person who checks the new plan."""
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    """Problems of the old plan, or warnings (and errors) of the new one."""
    lines: dict[str, list[str]] = field(default_factory=dict)
    """Source lines by file, for excerpts."""


# --------------------------------------------------------------------------- shifting texts


@dataclass(frozen=True)
class _Shift:
    old: Period
    new: Period
    months: int
    """Months between the starts of the periods (a multiple of 12 for annual plans)."""
    years: int
    horizon: Period | None

    def year(self, y: int) -> int:
        return y + self.years

    def month(self, m: int) -> int:
        return (m - 1 + self.months) % 12 + 1

    def date(self, d: _dt.date) -> _dt.date:
        total = d.year * 12 + d.month - 1 + self.months
        y, m = divmod(total, 12)
        return _dt.date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


_QUARTER_RE = re.compile(r"(?<![\w])(?P<q>IV|III|II|I|ІV|ІІІ|ІІ|І|[1-4])(?P<sp>\s*(?:-?\s*(?:й|го|му|ому))?\s+)"
                         r"(?P<w>[кК][вВ][аА][рР][тТ][аА][лЛ]\w*)(?:(?P<sp2>\s+)(?P<y>\d{4})(?!\d))?")
_RANGE_RE = re.compile(r"(?<![\d])(?P<y1>\d{4})(?P<sep>\s*[-–—/]\s*)(?P<y2>\d{4}|\d{2})(?![\d])")
_TERM_YEARS_RE = re.compile(_RANGE_RE.pattern + r"|(?<!\d)(?P<single>\d{4})(?!\d)")
_YEAR_RE = re.compile(r"(?<![\d\-–—/])(?P<y>\d{4})(?![\d\-–—/]|\s*[-–—/]\s*\d)")
_MONTH_WORDS = {name: (i + 1, forms) for forms in (MONTHS_NOMINATIVE, MONTHS_GENITIVE)
                for i, name in enumerate(forms)}
_WORD_RE = re.compile(r"[^\W\d_]+")


def _same_case(template: str, word: str) -> str:
    if template.isupper():
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _roman_as(template: str, q: int) -> str:
    if template.isdigit():
        return str(q)
    out = roman(q)
    return out.translate(str.maketrans("I", "І")) if "І" in template else out


def _in_context(m: re.Match[str], replacement: str) -> tuple[str, str]:
    """The matched text and its replacement with the word before and after, for the notes."""
    text = m.string
    before = re.search(r"(\S+\s+)?$", text[: m.start()])
    after = re.match(r"(\s+\S+)?", text[m.end():])
    head = before.group(0) if before else ""
    tail = after.group(0) if after else ""
    return head + m.group(0) + tail, head + replacement + tail


def _replace_period(text: str, shift: _Shift) -> tuple[str, list[tuple[str, str]]]:
    """Replace mentions of the old period in a title line; (new text, [(old fragment, new fragment)])."""
    done: list[tuple[str, str]] = []
    old, new = shift.old, shift.new

    def quarter(m: re.Match[str]) -> str:
        q = m.group("q").translate(str.maketrans("ІХ", "IX"))
        number = int(q) if q.isdigit() else {"I": 1, "II": 2, "III": 3, "IV": 4}.get(q, 0)
        if number != old.quarter or new.quarter is None:
            return m.group(0)
        year = m.group("y")
        out = _roman_as(m.group("q"), new.quarter) + m.group("sp") + m.group("w")
        if year is not None:
            out += m.group("sp2") + (str(new.start.year) if int(year) == old.start.year else year)
        done.append(_in_context(m, out))
        return out

    def year_range(m: re.Match[str]) -> str:
        y1, y2s = int(m.group("y1")), m.group("y2")
        y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
        if (y1, y2) != (old.start.year, old.end.year):
            return m.group(0)
        n1, n2 = new.start.year, new.end.year
        out = f"{n1}{m.group('sep')}{n2 if len(y2s) == 4 else f'{n2 % 100:02d}'}"
        done.append(_in_context(m, out))
        return out

    def year(m: re.Match[str]) -> str:
        if int(m.group("y")) != old.start.year or old.kind is PeriodKind.YEARS:
            return m.group(0)
        out = str(new.start.year)
        done.append(_in_context(m, out))
        return out

    if old.kind is PeriodKind.QUARTER:
        text = _QUARTER_RE.sub(quarter, text)
    if old.kind is PeriodKind.YEARS:
        text = _RANGE_RE.sub(year_range, text)
    if old.start.year != new.start.year and old.kind is not PeriodKind.YEARS:
        text = _YEAR_RE.sub(year, text)
    return text, done


def _shift_term_text(text: str, shift: _Shift, notes: Counter[str]) -> str:
    """Month names and years of a term moved by the shift (years kept inside the horizon)."""
    if shift.old.kind is PeriodKind.QUARTER and shift.months % 12:
        def month(m: re.Match[str]) -> str:
            word = m.group(0)
            hit = _MONTH_WORDS.get(word.lower())
            if hit is None:
                return word
            number, forms = hit
            new_word = forms[shift.month(number) - 1]
            notes[f"{_same_case(word, forms[number - 1])} → {_same_case(word, new_word)}"] += 1
            return _same_case(word, new_word)
        text = _WORD_RE.sub(month, text)
    if not shift.years:
        return text
    limit = shift.horizon.end.year if shift.horizon is not None else None

    def clamp(y: int) -> int:
        return min(y, limit) if limit is not None and shift.years > 0 else y

    def years(m: re.Match[str]) -> str:
        if m.group("single"):
            return str(clamp(shift.year(int(m.group("single")))))
        y1, y2s = int(m.group("y1")), m.group("y2")
        y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
        n1, n2 = clamp(shift.year(y1)), clamp(shift.year(y2))
        return f"{n1}{m.group('sep')}{n2 if len(y2s) == 4 else f'{n2 % 100:02d}'}"

    return _TERM_YEARS_RE.sub(years, text)


# --------------------------------------------------------------------------- the node tree


def _get(node: Node | None, key: str) -> Node | None:
    return node.get(key) if isinstance(node, Map) else None


def _remove(node: Map, key: str) -> Node | None:
    for i, (k, v) in enumerate(node.items):
        if k.value == key:
            del node.items[i]
            return v
    return None


def _items(node: Node | None) -> list[Node]:
    return node.items if isinstance(node, Seq) else []


def _set(node: Map, key: str, value: str, quoted: bool = True) -> None:
    for k, v in node.items:
        if k.value == key and isinstance(v, Scalar):
            v.value, v.quoted = value, quoted
            return
    node.items.append((Scalar(Loc(""), key), Scalar(Loc(""), value, quoted)))


def _records(root: Map) -> list[tuple[str, Map]]:
    """(kind, mapping) of every priority, task, measure and executor row."""
    out: list[tuple[str, Map]] = []
    for p in _items(root.get("priorities")):
        if not isinstance(p, Map):
            continue
        out.append(("priority", p))
        measures = list(_items(p.get("measures")))
        for t in _items(p.get("tasks")):
            if isinstance(t, Map):
                out.append(("task", t))
                measures.extend(_items(t.get("measures")))
        for m in measures:
            if isinstance(m, Map):
                out.append(("measure", m))
                out.extend(("row", r) for r in _items(m.get("rows")) if isinstance(r, Map))
    return out


def _shift_terms(root: Map, shift: _Shift, notes: list[str]) -> None:
    words: Counter[str] = Counter()
    changed = 0
    clamped: Counter[str] = Counter()
    for _path, rec in _records(root):
        term = rec.get("term")
        if isinstance(term, Scalar):
            new = _shift_term_text(term.value, shift, words)
            if new != term.value:
                changed += 1
                if shift.horizon is not None and new != _shift_term_text(term.value, _unbounded(shift), Counter()):
                    clamped[f"«{term.value}» → «{new}»"] += 1
                term.value = new
        elif isinstance(term, Map):
            for _key, v in term.items:
                if isinstance(v, Scalar):
                    v.value = shift.date(_dt.date.fromisoformat(v.value)).isoformat()
            changed += 1
    if changed:
        how = (ngettext("by {n} months", "by {n} months", shift.months).format(n=shift.months)
               if shift.old.kind is PeriodKind.QUARTER
               else ngettext("by {n} year(s)", "by {n} year(s)", shift.years).format(n=shift.years))
        notes.append(_("terms: {n} moved {how}").format(n=changed, how=how) + (
            f" ({', '.join(w for w in sorted(words, key=_month_order))})" if words else ""))
    for c, n in clamped.items():
        notes.append(_("terms {change}{times}: kept inside the horizon {horizon}").format(
            change=c, times=f" (×{n})" if n > 1 else "", horizon=shift.horizon))


def _month_order(note: str) -> int:
    first = note.split(" → ", 1)[0].lower()
    return _MONTH_WORDS.get(first, (13, ()))[0]


def _unbounded(shift: _Shift) -> _Shift:
    return _Shift(shift.old, shift.new, shift.months, shift.years, None)


def _clear_or_carry(root: Map, plan: Plan, shift: _Shift, carry: bool, notes: list[str]) -> None:
    cleared = 0
    funding_cleared = 0
    breakdown = plan_breakdown(plan)
    for kind, rec in _records(root):
        if kind in ("measure", "row"):
            if carry:
                values = rec.get("values")
                if isinstance(values, Map) and breakdown in (Breakdown.MONTHS, Breakdown.YEARS):
                    for k, _value in values.items:
                        if k.value.isdigit():
                            n = int(k.value)
                            k.value = f"{shift.month(n):02d}" if breakdown is Breakdown.MONTHS \
                                else str(shift.year(n))
            else:
                removed = [_remove(rec, "value"), _remove(rec, "values")]
                cleared += any(r is not None for r in removed)
        funding = rec.get("funding")
        if isinstance(funding, Map):
            if carry:
                for k, _amounts in funding.items:
                    if k.value.isdigit():
                        k.value = str(shift.year(int(k.value)))
            else:
                _remove(rec, "funding")
                funding_cleared += 1
    spec_years = _get(root.get("funding"), "years")
    for item in _items(spec_years):
        if isinstance(item, Scalar) and item.value.isdigit():
            item.value = str(shift.year(int(item.value)))
    if cleared:
        notes.append(ngettext("planned values cleared in {n} measures and rows (--carry-values keeps them)",
                              "planned values cleared in {n} measures and rows (--carry-values keeps them)",
                              cleared).format(n=cleared))
    elif carry:
        notes.append(_("planned values carried over"))
    if funding_cleared:
        notes.append(ngettext("funding cleared in {n} rows (--carry-values keeps it)",
                              "funding cleared in {n} rows (--carry-values keeps it)", funding_cleared)
                     .format(n=funding_cleared))


def _empty_approval(root: Map, notes: list[str]) -> None:
    for group in ("approval", "signatures", "agreements", "acknowledgements"):
        for i, s in enumerate(_items(root.get(group))):
            if not isinstance(s, Map):
                continue
            date = _remove(s, "date")
            if isinstance(date, Scalar):
                notes.append(_("{field} removed (was {value})").format(field=f"{group}[{i}].date", value=date.value))
            act = _remove(s, "act")
            if isinstance(act, Map):
                number = _get(act, "number")
                was = f"№ {number.value}" if isinstance(number, Scalar) else _("the old act")
                notes.append(_("{field} removed (was {value}); name the act that approves the new plan").format(
                    field=f"{group}[{i}].act", value=was))
    order = _remove(root, "order")
    if isinstance(order, Map):
        number = _get(order, "number")
        was = f" № {number.value}" if isinstance(number, Scalar) else ""
        notes.append(_("order{number} removed: it approved the old plan; write the new order").format(number=was))


def _retitle(root: Map, shift: _Shift, notes: list[str]) -> None:
    title = root.get("title")
    lines = [title] if isinstance(title, Scalar) else [n for n in _items(title) if isinstance(n, Scalar)]
    found = False
    for i, line in enumerate(lines):
        new, done = _replace_period(line.value, shift)
        line.value = new
        where = "title" if isinstance(title, Scalar) else f"title[{i}]"
        for old_text, new_text in done:
            found = True
            notes.append(f"{where}: «{old_text}» → «{new_text}»")
    if not found:
        notes.append(_("title: no mention of {period} found; check the title").format(period=shift.old))


# --------------------------------------------------------------------------- files


def _output_path(source: Path, old: Period, new: Period) -> Path:
    stem = source.name
    low = old.text.lower()
    if low in stem.lower():
        i = stem.lower().index(low)
        found = stem[i:i + len(low)]
        repl = new.text.lower() if found == low else new.text
        return source.with_name(stem[:i] + repl + stem[i + len(low):])
    return source.with_name(f"{new.text.lower()}.yaml")


def new_plan(source: Path, new_period: Period, carry_values: bool = False,
             output: Path | None = None) -> NewPlanResult:
    """Write the plan for ``period`` based on ``source``; see the module documentation."""
    result = NewPlanResult(display_path(source))
    if not source.is_file():
        raise UsageError(_("no such plan file: {file}").format(file=source))
    checked = validate([source])
    loaded = next((p for p in checked.plans if p.path.resolve() == source.resolve()), None)
    if loaded is None:
        result.diagnostics = checked.diagnostics
        result.lines = checked.lines
        return result
    plan = loaded.plan
    old_period = plan.period
    if new_period.kind is not old_period.kind or len(new_period.years) != len(old_period.years):
        n_years = len(old_period.years)
        what = {PeriodKind.QUARTER: _("a quarter"), PeriodKind.YEAR: _("a year")}.get(
            old_period.kind, ngettext("a range of {n} years", "a range of {n} years", n_years).format(n=n_years))
        raise UsageError(_("--period {new} is not the same kind of period as the plan's {old} ({what})").format(
            new=new_period, old=old_period, what=what))
    months = (new_period.start.year - old_period.start.year) * 12 + new_period.start.month - old_period.start.month
    if months == 0:
        raise UsageError(_("the plan is already for {period}; give the period of the new plan").format(
            period=old_period))
    horizon = plan.horizon
    if horizon is not None and not set(new_period.years) <= set(horizon.years):
        raise UsageError(_("--period {period} is outside the plan's horizon {horizon}; a new strategy needs a new "
                           "plan").format(period=new_period, horizon=horizon))
    shift = _Shift(old_period, new_period, months, new_period.start.year - old_period.start.year, horizon)

    target = output or _output_path(source, old_period, new_period)
    if target.exists():
        raise UsageError(_("{file} already exists; plandocs new never overwrites a file (choose another name "
                           "with -o)").format(file=display_path(target)))
    if not target.parent.is_dir():
        raise UsageError(_("folder {folder} does not exist").format(folder=display_path(target.parent)))

    text = source.read_bytes().decode("utf-8-sig")
    parsed = parse_text(result.source, text, Diagnostics())
    assert isinstance(parsed, Map)  # it validated
    root = copy.deepcopy(parsed)
    notes = result.notes
    _set(root, "period", new_period.text)
    notes.append(f"period: {old_period} → {new_period}")
    _retitle(root, shift, notes)
    _shift_terms(root, shift, notes)
    _clear_or_carry(root, plan, shift, carry_values, notes)
    _empty_approval(root, notes)
    org_rel = os.path.relpath(loaded.organisation_path.resolve(), target.parent.resolve())
    if Path(org_rel).as_posix() != plan.organisation:
        _set(root, "organisation", Path(org_rel).as_posix(), quoted=False)
        notes.append(f"organisation: {plan.organisation} → {Path(org_rel).as_posix()}")
    emitted = emit(root, Plan, text, parsed)
    if emitted.dropped:
        n = len(emitted.dropped)
        notes.append(ngettext("{n} comment line(s) removed with what they were about",
                              "{n} comment line(s) removed with what they were about", n).format(n=n))

    name = display_path(target)
    diags = result.diagnostics
    new_root = parse_text(name, emitted.text, diags)
    new_plan_rec = to_record(new_root, Plan, diags) if new_root is not None else None
    lines = emitted.text.splitlines()
    result.lines[name] = lines
    if new_plan_rec is not None:
        check_plan(new_plan_rec, loaded.organisation, lines, diags)
    if diags.errors:
        return result
    create_file(target, emitted.text.encode("utf-8"))
    result.path = name
    return result


__all__ = ["NewPlanResult", "new_plan"]
