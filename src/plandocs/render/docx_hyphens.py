"""Hyphenation points of the DOCX, carried by the document itself as soft hyphens (``w:softHyphen``).

Word's and LibreOffice's automatic hyphenation (``w:autoHyphenation``) has no setting for the number of
letters on each side of a break, so LibreOffice prints «допомо-ги» (issue 10). The measures table's body
text therefore gets the points the PDF uses (WeasyPrint's ``hyphenate-limit-chars: 7 3 3`` over the same
pyphen dictionary): words of :data:`MIN_WORD` letters or more, :data:`MIN_SIDE` letters at least on each
side, and automatic hyphenation stays off. Word and LibreOffice break at a soft hyphen only at a line end
and print nothing otherwise; python-docx's ``text``, Word's search and the importer skip it.
"""

from __future__ import annotations

import re
from functools import cache
from xml.sax.saxutils import escape

import pyphen

__all__ = ["MIN_SIDE", "MIN_WORD", "hyphenation_points", "pieces", "run_content"]

MIN_WORD = 7
"""Letters of the shortest word that is hyphenated (the PDF's ``hyphenate-limit-chars`` first value)."""
MIN_SIDE = 3
"""Letters at least before and after a hyphenation point."""

_APOSTROPHES = "'\u2019\u02bc"
_WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
"""A word as hyphenation sees it: letters with inner apostrophes; a compound's hyphen ends a word (its own
break), and digits are no part of one."""


@cache
def _dictionary() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="uk_UA", left=MIN_SIDE, right=MIN_SIDE)


def _letters(s: str) -> int:
    return sum(ch.isalpha() and ch not in _APOSTROPHES for ch in s)


@cache
def _word_points(word: str) -> tuple[int, ...]:
    """Offsets in ``word`` where it may break: pyphen's, with three letters each side not counting
    apostrophes, and never beside an apostrophe (a line must not start or end with one)."""
    if _letters(word) < MIN_WORD:
        return ()
    return tuple(i for i in _dictionary().positions(word)
                 if _letters(word[:i]) >= MIN_SIDE and _letters(word[i:]) >= MIN_SIDE
                 and word[i - 1] not in _APOSTROPHES and word[i] not in _APOSTROPHES)


def hyphenation_points(text: str) -> list[int]:
    """Offsets in ``text`` where a soft hyphen goes, in order."""
    return [m.start() + i for m in _WORD_RE.finditer(text) for i in _word_points(m.group())]


_ENTITIES = {"\r": "&#13;"}
"""A carriage return written as itself would be read back as a line feed."""


def _t(text: str) -> str:
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f"<w:t{space}>{escape(text, _ENTITIES)}</w:t>"


def pieces(text: str, hyphenate: bool) -> list[str]:
    """``text`` cut at its hyphenation points (whole when not ``hyphenate``): a soft hyphen goes between
    two pieces."""
    cuts = hyphenation_points(text) if hyphenate else []
    return [text[start:end] for start, end in zip([0, *cuts], [*cuts, len(text)], strict=True)]


def run_content(text: str, hyphenate: bool) -> str:
    """``text`` as the content of a ``w:r`` (XML in the ``w`` namespace): ``w:t`` pieces with a
    ``w:softHyphen`` at each hyphenation point when ``hyphenate``."""
    return "<w:softHyphen/>".join(_t(piece) for piece in pieces(text, hyphenate)) if text else ""
