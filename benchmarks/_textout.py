"""Plain-text tables shared by the benchmark scripts (stdlib only)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], right: Sequence[bool] | None = None) -> str:
    """Columns padded to their widest cell; the first column left-aligned, the others right-aligned."""
    body = [list(r) for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in body)) if body else len(h) for i, h in enumerate(headers)]
    align = right or [False] + [True] * (len(headers) - 1)

    def fmt(cells: Sequence[str]) -> str:
        padded = (c.rjust(w) if a else c.ljust(w) for c, w, a in zip(cells, widths, align, strict=True))
        return "  ".join(padded).rstrip()

    return "\n".join([fmt(headers), fmt(["-" * w for w in widths]), *(fmt(r) for r in body)])
