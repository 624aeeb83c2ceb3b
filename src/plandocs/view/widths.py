"""Column widths from the content: the form's relative weights, corrected so that no header word has to
be broken (header rows are never hyphenated) and a column of short values («1», «Разом») does not take the
room a text column needs.

Widths are estimated from character counts (Times/Liberation Serif: about half an em per lower-case
letter), which is deterministic and needs no font file; the estimate errs on the wide side.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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

_WORD_RE = re.compile(r"\S+")


def _em(text: str) -> float:
    """Width of ``text`` in ems, generously: capitals and digits wider than lower case."""
    return sum(0.7 if ch.isupper() else 0.5 if ch.isalnum() else 0.3 for ch in text)


def _longest_word(text: str, limit: int | None = None) -> float:
    words = [w if limit is None or len(w) <= limit else w[:limit] for w in _WORD_RE.findall(text)]
    return max((_em(w) for w in words), default=0.0)


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
                need[col] = max(need[col], _longest_word(cell.text, limit) * scale * em_mm + PADDING_MM)
                if rows is body:
                    line = max((_em(part) for part in cell.text.split("\n")), default=0.0)
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
