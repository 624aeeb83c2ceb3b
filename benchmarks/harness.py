"""What every benchmark script shares (standard library only, so the parent process of a benchmark
never imports the libraries it measures): plain-text tables and figures, the environment of measuring
child processes, percentiles, and a record of what failed."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"

SKEWING_ENV = ("PYTHONPROFILEIMPORTTIME", "PYTHONDEVMODE", "PYTHONTRACEMALLOC", "PYTHONVERBOSE",
               "PYTHONDONTWRITEBYTECODE", "PYTHONINSPECT", "PYTHONBREAKPOINT", "PYTHONWARNINGS", "PYTHONMALLOC",
               "SOURCE_DATE_EPOCH")
"""Variables that would change what a child process does or how fast it starts and runs."""


def child_env(**extra: str) -> dict[str, str]:
    """This process's environment without :data:`SKEWING_ENV`, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if k not in SKEWING_ENV}
    env.update(extra)
    return env


@dataclass
class Failures:
    """Measurements that crashed or checks that failed; a benchmark's exit status with ``--check``."""

    items: list[str] = field(default_factory=list)

    def add(self, what: str) -> None:
        self.items.append(what)


def percentile(data: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile (``q`` in 0..100) of ``data``."""
    xs = sorted(data)
    if len(xs) == 1:
        return xs[0]
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], right: Sequence[bool] | None = None) -> str:
    """Columns padded to their widest cell; the first column left-aligned, the others right-aligned."""
    body = [list(r) for r in rows]
    widths = [max(len(h), *(len(r[i]) for r in body)) if body else len(h) for i, h in enumerate(headers)]
    align = right or [False] + [True] * (len(headers) - 1)

    def fmt(cells: Sequence[str]) -> str:
        padded = (c.rjust(w) if a else c.ljust(w) for c, w, a in zip(cells, widths, align, strict=True))
        return "  ".join(padded).rstrip()

    return "\n".join([fmt(headers), fmt(["-" * w for w in widths]), *(fmt(r) for r in body)])


def section(title: str, width: int = 96) -> None:
    print(f"\n== {title} " + "=" * max(0, width - len(title)), flush=True)


def ms(x: float) -> str:
    """Milliseconds as printed: one decimal below 100, none above."""
    return f"{x:,.1f}" if x < 100 else f"{x:,.0f}"


def mib(kib: float) -> str:
    return f"{kib / 1024:,.2f}"
