"""Ukrainian typesetting of every text a document prints, applied once to the whole view before any renderer
sees it, so DOCX, HTML and PDF get the same characters.

- no-break spaces where a line must not break: after «№», between initials and surname, before «%», between
  a number and its unit («24,4 тис. грн», «2021 року», «2008/10 рр.»);
- an en dash in ranges of years («2021–2026»);
- one apostrophe, ʼ (U+02BC MODIFIER LETTER APOSTROPHE): a letter, so a search or a word count keeps
  «правопросвітницькі» and «зʼязок» whole, and what Ukrainian typography prints.

Everything else is printed as the YAML writes it.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, TypeVar

from markupsafe import Markup

NBSP = "\u00a0"
APOSTROPHE = "\u02bc"

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?<=[^\W\d_])['’`‘](?=[^\W\d_])"), APOSTROPHE),
    (re.compile(r"№ (?=\S)"), "№" + NBSP),
    # initials and surname: «Л.Б. Желізняк», «Желізняк Л.Б.», «А. В. Мілютін»
    (re.compile(r"(?<=\b[А-ЯІЇЄҐA-Z]\.) (?=[А-ЯІЇЄҐA-Z]\.)"), NBSP),
    (re.compile(r"(?<=\b[А-ЯІЇЄҐA-Z]\.) (?=[А-ЯІЇЄҐ][а-яіїєґʼ'’]+)"), NBSP),
    (re.compile(r"\b([А-ЯІЇЄҐ][а-яіїєґʼ'’-]+) (?=[А-ЯІЇЄҐ]\.\s?[А-ЯІЇЄҐ]\.)"), "\\1" + NBSP),
    (re.compile(r"(?<=\d) (?=%)"), NBSP),
    (re.compile(r"(?<=\d) (?=(?:тис|млн|млрд)\.?\s|грн\b|року\b|рік\b|роки\b|років\b|рр\.)"), NBSP),
    (re.compile(r"(?<=\bтис\.) (?=грн)|(?<=\bмлн) (?=грн)"), NBSP),
    (re.compile(r"(?<!\d)(\d{4})-(\d{4})(?!\d)"), "\\1\u2013\\2"),
)

SKIP = frozenset({"kind", "anchor", "role", "align", "scope", "insert", "author"})
"""View fields that are identifiers or metadata, not printed text."""

T = TypeVar("T")


def text(s: str) -> str:
    """One printed text, typeset."""
    for pattern, repl in _RULES:
        s = pattern.sub(repl, s)
    return s


_PLAIN: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(APOSTROPHE), "'"),
    (re.compile(r"(?<!\d)(\d{4})\u2013(\d{4})(?!\d)"), "\\1-\\2"),
)


def plain(s: str) -> str:
    """The inverse of :func:`text` for what it adds (ʼ, the en dash in year ranges, and each no-break space
    it would put back), so that a printed document brought back into YAML (``plandocs import``) holds the
    text as a person types it; the next render typesets it again. A no-break space the typesetter would
    not add («213 103» in a phone number) is the author's and is kept."""
    for pattern, repl in _PLAIN:
        s = pattern.sub(repl, s)
    if NBSP not in s:
        return s
    printed = text(s)
    chars = list(s)
    for i, c in enumerate(s):
        if c == NBSP:
            chars[i] = " "
            if text("".join(chars)) != printed:
                chars[i] = NBSP
    return "".join(chars)


def typeset(view: T) -> T:
    """``view`` (a frozen view dataclass, with everything it holds) with every printed text typeset."""
    return _walk(view)  # type: ignore[no-any-return]


def _walk(value: Any) -> Any:
    if isinstance(value, Markup):  # ready markup (the chart's SVG): left as it is
        return value
    if isinstance(value, str):
        return text(value)
    if isinstance(value, tuple):
        return tuple(_walk(v) for v in value)
    if isinstance(value, dict):
        return {k: _walk(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _walk(getattr(value, f.name)) for f in dataclasses.fields(value)
                   if f.init and f.name not in SKIP}
        return dataclasses.replace(value, **changes)
    return value
