"""Column widths from the content: the form's relative weights, corrected so that no header word has to
be broken (header rows are never hyphenated) and a column of short values («1», «Разом») does not take the
room a text column needs.

Text is measured with the advance widths of Liberation Serif (regular for body cells, bold for header
cells), read with fontTools from the Debian font files: it is metric-compatible with the Times New Roman
the CSS and the DOCX ask for, so the widths are those of either. Where the files are absent the widths are
estimated from character counts (about half an em per lower-case letter, erring on the wide side). Either
way the same table on the same machine gives the same widths.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path

from plandocs.view.types import Row, TableView

PT_MM = 25.4 / 72
TABLE_SCALE = 0.92
"""table.measures font-size relative to the body (plandocs.css)."""
HEAD_SCALE = 0.95
"""Header cells' font-size relative to the table's."""
PADDING_MM = 5.0
"""Left and right cell padding (2 mm each), the borders and a margin for the estimate."""
BREAKABLE = 7
"""Words longer than this may be hyphenated in body cells (hyphenate-limit-chars: 7 3 3)."""

_NO_BREAK = "\u00a0\u2007\u202f"
_WORD_RE = re.compile(f"(?:[^\\s]|[{_NO_BREAK}])+")
"""What a line never breaks inside: words, and words tied by no-break spaces («№ з/п», «24,4 тис. грн»)."""
_NO_BREAK_RE = re.compile(f"[{_NO_BREAK}]")
_SLASHED_RE = re.compile(r" (?=\S*/)")
"""The space before a word with a slash: a line may break after the slash, and a header too narrow for
«№ з/п» printed «№ з/» and «п», so such a word is measured with the word before it."""

_FONT_DIRS = (Path("/usr/share/fonts/truetype/liberation2"), Path("/usr/share/fonts/truetype/liberation"))
"""Where Debian's fonts-liberation2 (system-deps) and the older fonts-liberation put Liberation Serif."""
_FONT_FILES = {False: "LiberationSerif-Regular.ttf", True: "LiberationSerif-Bold.ttf"}


@cache
def _advances(bold: bool) -> Mapping[int, float]:
    """Advance width in ems of every character of Liberation Serif (bold or regular); empty without the font."""
    path = next((d / _FONT_FILES[bold] for d in _FONT_DIRS if (d / _FONT_FILES[bold]).is_file()), None)
    if path is None:
        return {}
    from fontTools.ttLib import TTFont  # only here: building a view without the font needs no fontTools

    with TTFont(path, lazy=True) as font:
        upm = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        return {code: metrics[glyph][0] / upm for code, glyph in font.getBestCmap().items()}


def _estimate(ch: str) -> float:
    """Width of a character in ems without the font, generously: capitals and digits wider than lower case."""
    return 0.7 if ch.isupper() else 0.5 if ch.isalnum() else 0.3


def _em(text: str, bold: bool = False) -> float:
    """Width of ``text`` in ems."""
    advances = _advances(bold)
    return sum(advances.get(ord(ch)) or _estimate(ch) for ch in text)


def _unit_em(unit: str, limit: int | None, bold: bool) -> float:
    """Width of a run that breaks at no space; a word longer than ``limit`` letters may be hyphenated, so
    then each word counts alone, with its first ``limit`` letters."""
    words = _NO_BREAK_RE.split(unit)
    if limit is None or all(len(w) <= limit for w in words):
        return _em(unit, bold)
    return max(_em(w[:limit], bold) for w in words)


def _longest_word(text: str, limit: int | None = None, bold: bool = False) -> float:
    return max((_unit_em(u, limit, bold) for u in _WORD_RE.findall(text)), default=0.0)


def fit_widths(weights: Sequence[float], head: Sequence[Row], body: Sequence[Row], text_width: float,
               font_size: float) -> tuple[float, ...]:
    """Column widths in mm that add up to ``text_width``; see the module docstring."""
    n = len(weights)
    em_mm = font_size * TABLE_SCALE * PT_MM
    total = sum(weights) or 1.0
    widths = [w * text_width / total for w in weights]
    need = [0.0] * n  # the longest unbreakable word
    full = [0.0] * n  # the longest cell text on one line
    grid = TableView(n, tuple(widths), tuple(head), tuple(body)).grid
    for rows, limit, scale in ((head, None, HEAD_SCALE), (body, BREAKABLE, 1.0)):
        for placed in grid(rows):
            for col, cell in placed:
                if cell.colspan != 1 or col >= n:
                    continue
                bold = rows is head or cell.bold  # header cells are printed bold
                text = _SLASHED_RE.sub("\u00a0", cell.text) if rows is head else cell.text
                need[col] = max(need[col], _longest_word(text, limit, bold) * scale * em_mm + PADDING_MM)
                if rows is body:
                    line = max((_em(part, bold) for part in cell.text.split("\n")), default=0.0)
                    full[col] = max(full[col], line * em_mm + PADDING_MM)
    # a column whose every body text fits on one line in less than its share keeps only what it needs
    shrunk = [max(need[i], full[i]) if 0 < full[i] < widths[i] else widths[i] for i in range(n)]
    freed = sum(widths) - sum(shrunk)
    grow = [i for i in range(n) if shrunk[i] == widths[i]]
    grow_w = sum(widths[i] for i in grow) or 1.0
    widths = [shrunk[i] + (freed * widths[i] / grow_w if i in grow else 0.0) for i in range(n)]
    # then every column at least as wide as its longest unbreakable word, taken from the columns with room
    short = sum(max(0.0, need[i] - widths[i]) for i in range(n))
    slack = [max(0.0, widths[i] - need[i]) for i in range(n)]
    if short > 0 and sum(slack) > 0:
        take = min(1.0, short / sum(slack))
        widths = [max(widths[i], need[i]) if need[i] > widths[i] else widths[i] - slack[i] * take
                  for i in range(n)]
    scale = text_width / (sum(widths) or 1.0)
    return tuple(round(w * scale, 2) for w in widths)
