"""Scalar types of the plan format: planned values, terms, periods and dates.

Each type is parsed from the exact text the user wrote and keeps that text, so documents show what the
plan says while rules work on the parsed meaning.  Parsers raise :class:`ValueError` with a message that
says what was expected; the schema stage turns it into a positioned diagnostic.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from plandocs.i18n import _

MONTHS_NOMINATIVE = (
    "січень", "лютий", "березень", "квітень", "травень", "червень",
    "липень", "серпень", "вересень", "жовтень", "листопад", "грудень",
)
"""Month names as a term or column header writes them (nominative)."""

MONTHS_GENITIVE = (
    "січня", "лютого", "березня", "квітня", "травня", "червня",
    "липня", "серпня", "вересня", "жовтня", "листопада", "грудня",
)
"""Month names in dates: «19» березня 2020 року."""

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def roman(n: int) -> str:
    """Roman numeral for 1..39 (priorities, quarters)."""
    if 1 <= n <= len(ROMAN):
        return ROMAN[n - 1]
    tens, rest = divmod(n, 10)
    return "X" * tens + (ROMAN[rest - 1] if rest else "")


class ValueKind(StrEnum):
    NUMBER = "number"
    """A whole or decimal number: ``1``, ``500``, ``24,4``."""
    PERCENT = "percent"
    """A percentage, possibly with a qualifier: ``не менше 85 %``."""
    RATIO = "ratio"
    """Two or more counts in one cell: ``4/4``."""
    DASH = "dash"
    """``-``: nothing planned for this period."""
    NOT_APPLICABLE = "n/a"
    """``x``: the cell does not apply (funding source not used that year)."""
    TEXT = "text"
    """Qualitative value: ``За потребою``, ``Постійно (за потреби)``."""


_NUMBER_RE = re.compile(r"^[+-]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?$|^[+-]?\d+(?:[.,]\d+)?$")
_RATIO_RE = re.compile(r"^\d+(?:\s*/\s*\d+)+$")


def _percent_number(t: str) -> str | None:
    """The number before a final ``%`` (``не менше 24,5 %`` → ``24,5``), or ``None``.

    The longest ``digits[.,digits]`` that ends the text before the sign, found in one backward scan: a
    regular expression with a lazy prefix took quadratic time on a long run of digits (issue 16)."""
    if not t.endswith("%"):
        return None
    body = t[:-1].rstrip()
    end = len(body)
    digits_from = end
    while digits_from > 0 and body[digits_from - 1].isdecimal():
        digits_from -= 1
    if digits_from == end:
        return None
    start = digits_from
    if start > 1 and body[start - 1] in ".," and body[start - 2].isdecimal():
        start -= 1
        while start > 0 and body[start - 1].isdecimal():
            start -= 1
    return body[start:end]


def parse_decimal(text: str) -> Decimal | None:
    """``24,4`` or ``24.4`` or ``1 200`` as a Decimal; ``None`` when the text is not a plain number."""
    t = text.strip()
    if not _NUMBER_RE.match(t):
        return None
    t = re.sub(r"[ \u00a0\u202f]", "", t).replace(",", ".")
    try:
        return Decimal(t)
    except InvalidOperation:  # pragma: no cover - the regex admits only valid numbers
        return None


@dataclass(frozen=True)
class Value:
    """A planned or actual value in one cell."""

    text: str
    """The value exactly as written."""
    kind: ValueKind
    """What the text means."""
    number: Decimal | None = None
    """The number for NUMBER and PERCENT values; the first count of a RATIO."""
    parts: tuple[Decimal, ...] = ()
    """The counts of a RATIO value (``4/4`` → (4, 4))."""

    @property
    def is_numeric(self) -> bool:
        return self.kind in (ValueKind.NUMBER, ValueKind.PERCENT, ValueKind.RATIO)

    def __str__(self) -> str:
        return self.text


def parse_value(text: str) -> Value:
    t = " ".join(text.split())
    if not t:
        raise ValueError(_("expected a value (a number, '-', 'x' or text), got an empty string"))
    if t in {"-", "–", "—"}:
        return Value(t, ValueKind.DASH)
    if t.lower() in {"x", "х"}:  # Latin and Cyrillic x
        return Value(t, ValueKind.NOT_APPLICABLE)
    num = parse_decimal(t)
    if num is not None:
        return Value(t, ValueKind.NUMBER, num)
    pct_text = _percent_number(t)
    if pct_text is not None:
        return Value(t, ValueKind.PERCENT, parse_decimal(pct_text))
    if _RATIO_RE.match(t):
        parts = tuple(Decimal(p.strip()) for p in t.split("/"))
        return Value(t, ValueKind.RATIO, parts[0], parts)
    return Value(t, ValueKind.TEXT)


class PeriodKind(StrEnum):
    QUARTER = "quarter"
    YEAR = "year"
    YEARS = "years"


_PERIOD_RE = re.compile(r"^(?P<y1>\d{4})(?:-Q(?P<q>[1-4])|-(?P<y2>\d{4}))?$")


@dataclass(frozen=True)
class Period:
    """What a plan covers: a quarter (``2020-Q2``), a year (``2023``) or a range of years (``2008-2010``)."""

    text: str
    kind: PeriodKind
    start: _dt.date
    end: _dt.date

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    @property
    def quarter(self) -> int | None:
        if self.kind is PeriodKind.QUARTER:
            return (self.start.month - 1) // 3 + 1
        return None

    @property
    def months(self) -> list[int]:
        """Months of a quarter or a year; all twelve for a multi-year period."""
        if self.kind is PeriodKind.QUARTER:
            return list(range(self.start.month, self.start.month + 3))
        return list(range(1, 13))

    def __str__(self) -> str:
        return self.text


def parse_period(text: str) -> Period:
    t = text.strip()
    m = _PERIOD_RE.match(t)
    if not m:
        raise ValueError(_("expected a period such as '2020-Q2' (a quarter), '2023' (a year) or '2021-2026' "
                           "(years), got '{text}'").format(text=t))
    y1 = int(m.group("y1"))
    if m.group("q"):
        q = int(m.group("q"))
        start = _dt.date(y1, 3 * q - 2, 1)
        end_month = 3 * q
        end = (_dt.date(y1 + 1, 1, 1) if end_month == 12 else _dt.date(y1, end_month + 1, 1)) - _dt.timedelta(1)
        return Period(t, PeriodKind.QUARTER, start, end)
    if m.group("y2"):
        y2 = int(m.group("y2"))
        if y2 < y1:
            raise ValueError(_("the period '{text}' ends before it starts; write the earlier year first")
                             .format(text=t))
        return Period(t, PeriodKind.YEARS, _dt.date(y1, 1, 1), _dt.date(y2, 12, 31))
    return Period(t, PeriodKind.YEAR, _dt.date(y1, 1, 1), _dt.date(y1, 12, 31))


_ISO_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UA_DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def parse_date(text: str) -> _dt.date:
    t = text.strip()
    if _ISO_DATE_RE.match(t):
        try:
            return _dt.date.fromisoformat(t)
        except ValueError:
            raise ValueError(_("'{text}' is not a real calendar date").format(text=t)) from None
    m = _UA_DATE_RE.match(t)
    if m:
        d, mo, y = (int(g) for g in m.groups())
        raise ValueError(_("expected a date as YYYY-MM-DD; did you mean '{date}'?").format(
            date=f"{y:04d}-{mo:02d}-{d:02d}"))
    raise ValueError(_("expected a date as YYYY-MM-DD (e.g. 2020-03-19), got '{text}'").format(text=t))


_YEAR_RANGE_RE = re.compile(r"(?<!\d)(\d{4})\s*(?:-|–|—|/)\s*(\d{4}|\d{2})(?!\d)")
_YEAR_RE = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")


@dataclass(frozen=True)
class Term:
    """When a measure is carried out.

    Written as text: a month or months (``Квітень``, ``Квітень Червень``), a year or a range of years
    (``2021``, ``2021-2022``, ``2008/10``), a phrase (``Протягом кварталу``, ``За потребою``) or a mix
    (``Листопад 2008 року``); or as a mapping ``{from: 2021-03-01, to: 2021-06-30}``.
    """

    text: str
    """The term as it is printed."""
    months: tuple[int, ...] = ()
    """Months named in the term (1–12)."""
    years: tuple[int, ...] = ()
    """Years named in the term (a range is expanded)."""
    start: _dt.date | None = None
    """Start date, for terms written as a date range."""
    end: _dt.date | None = None
    """End date, for terms written as a date range."""
    from_mapping: bool = False
    """Written as ``{from: …, to: …}`` (printed in the column's date format) rather than as text."""


class TermOrderError(ValueError):
    """A term or year range that ends before it starts (rule ``term-order``, whatever the language)."""


def parse_term_text(text: str) -> Term:
    t = " ".join(text.split())
    if not t:
        raise ValueError(_("expected a term (a month, a year range or a phrase), got an empty string"))
    months: list[int] = []
    for word in _WORD_RE.findall(t.lower()):
        if word in MONTHS_NOMINATIVE:
            months.append(MONTHS_NOMINATIVE.index(word) + 1)
        elif word in MONTHS_GENITIVE:
            months.append(MONTHS_GENITIVE.index(word) + 1)
    years: list[int] = []
    rest = t
    # Dates first (01-01-2019, 01.01.2019): «01-01-2019 – 31-12-2022» is two dates, not the range «2019 – 31».
    dates = [_text_date(m) for m in _TEXT_DATE_RE.finditer(t)]
    rest = _TEXT_DATE_RE.sub(" ", rest)
    for d in dates:
        years.append(d.year)
    start = end = None
    if len(dates) == 2 and _DATE_RANGE_RE.match(t):
        start, end = dates
        if end < start:
            raise TermOrderError(_("the term '{text}' ends ({end}) before it starts ({start}); write the earlier "
                                   "date first")
.format(text=t, end=f"{end:%d.%m.%Y}", start=f"{start:%d.%m.%Y}"))
        years.extend(range(start.year, end.year + 1))
    for m in _YEAR_RANGE_RE.finditer(rest):
        y1 = int(m.group(1))
        y2s = m.group(2)
        y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
        if y2 < y1:
            raise TermOrderError(_("the year range '{text}' ends before it starts").format(text=m.group(0)))
        years.extend(range(y1, y2 + 1))
    rest = _YEAR_RANGE_RE.sub(" ", rest)
    years.extend(int(y) for y in _YEAR_RE.findall(rest))
    return Term(t, tuple(months), tuple(sorted(set(years))), start, end)


_TEXT_DATE_RE = re.compile(r"(?<![\d.-])(\d{1,2})([.-])(\d{1,2})\2(\d{4})(?![\d])")
_DATE_RANGE_RE = re.compile(r"^\s*\d{1,2}([.-])\d{1,2}\1\d{4}\s*(?:-|–|—)\s*\d{1,2}([.-])\d{1,2}\2\d{4}\s*$")


def _text_date(m: re.Match[str]) -> _dt.date:
    day, month, year = int(m.group(1)), int(m.group(3)), int(m.group(4))
    try:
        return _dt.date(year, month, day)
    except ValueError:
        raise ValueError(_("'{text}' is not a real calendar date").format(text=m.group(0))) from None


def term_from_dates(start: _dt.date, end: _dt.date) -> Term:
    if end < start:
        raise ValueError(_("the term ends ({end}) before it starts ({start}); swap 'from' and 'to'").format(
            end=end.isoformat(), start=start.isoformat()))
    text = f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"
    years = tuple(range(start.year, end.year + 1))
    return Term(text, (), years, start, end, from_mapping=True)
