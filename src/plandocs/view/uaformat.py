"""Ukrainian formatting, in one place: dates, numbers, quarters, quotes and people's names."""

from __future__ import annotations

import datetime as _dt
import re
from decimal import Decimal

from plandocs.model.records import NameStyle, PersonName
from plandocs.model.values import MONTHS_GENITIVE, Value, ValueKind, roman

NBSP = "\u00a0"


def date_words(d: _dt.date) -> str:
    """«19» березня 2020 року · «2» грудня 2023 року: the day as written, without a leading zero."""
    return f"«{d.day}» {MONTHS_GENITIVE[d.month - 1]} {d.year}{NBSP}року"


def date_digits(d: _dt.date) -> str:
    """19.03.2020"""
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def number(n: Decimal) -> str:
    """24,4 · 1 200 (no-break space between thousands) · 0,1; no exponent, no trailing zeros lost."""
    sign = "-" if n < 0 else ""
    text = format(abs(n), "f")
    whole, _, frac = text.partition(".")
    groups: list[str] = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = NBSP.join(groups) if len(groups) > 1 and len("".join(groups)) > 4 else "".join(groups)
    return sign + out + ("," + frac if frac else "")


def value(v: Value | None) -> str:
    """A planned value as printed: numbers in Ukrainian style, everything else as written."""
    if v is None:
        return ""
    if v.kind is ValueKind.NUMBER and v.number is not None:
        return number(v.number)
    return quotes(v.text)


def quarter(n: int) -> str:
    """I, II, III, IV"""
    return roman(n)


_QUOTE_PAIR = re.compile(r'"([^"\n]*)"')


def quotes(text: str) -> str:
    """Straight double quotes in pairs become «» (Ukrainian typographic quotes)."""
    if '"' not in text:
        return text
    return _QUOTE_PAIR.sub(lambda m: f"«{m.group(1)}»", text)


def person_name(p: PersonName, style: NameStyle) -> str:
    """Л.Б. Желізняк · Желізняк Л.Б. · Лариса ЖЕЛІЗНЯК (ДСТУ 4163:2020)."""
    if style is NameStyle.GIVEN_NAME_SURNAME and p.given_name:
        return f"{p.given_name} {p.surname.upper()}"
    if not p.initials:
        return p.surname
    if style is NameStyle.SURNAME_INITIALS:
        return f"{p.surname} {p.initials}"
    return f"{p.initials} {p.surname}"
