"""Scale benchmark of the comparative table (issue 15): how its stages grow with the size of the amendment.

Synthetic annual plans (``synthetic.annual_plan``) of 125, 250, 500 and 1,000 measures are amended in every
measure (one word of the title and the value of one quarter), so the table has one row per measure.  For
each size the median of ``--runs`` runs of: the plan diff (``compare_plans``), the rows
(``comparison_rows``) and the DOCX and PDF of the table (``comparative_document``, loading included), and
the linearity ratio time(1000) / time(500) (flagged above 2.4).  Run in this process: the figures are
the stages of one command, not a start-up time.  Exit status 0 unless ``--check`` and a stage is not
linear.

    .venv/bin/python benchmarks/comparative.py [--runs 3] [--check]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from harness import table
from synthetic import ANNUAL_SEED, annual_plan, write_plan

SIZES = (125, 250, 500, 1000)
LINEAR = 2.4


def _amended(text: str) -> str:
    text = text.replace("Організація та проведення", "Організація і проведення")
    return text.replace("{I: 1, II:", "{I: 2, II:")


def _median(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    from plandocs.review.amend import Amendment, comparative_document, versions
    from plandocs.review.comparative import comparison_rows
    from plandocs.review.diff.compare import compare_plans

    figures: dict[str, dict[int, float]] = {"diff": {}, "rows": {}, "docx": {}, "pdf": {}}
    rows_of: dict[int, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in SIZES:
            text = annual_plan(n)
            old = write_plan(Path(tmp) / f"old-{n}", ANNUAL_SEED, text)
            new = write_plan(Path(tmp) / f"new-{n}", ANNUAL_SEED, _amended(text))
            pair = versions([str(old), str(new)], [], Path.cwd(), Amendment())
            assert pair is not None
            a, b = pair
            changes, _ = compare_plans(a.plan, b.plan)
            figures["diff"][n] = _median(partial(compare_plans, a.plan, b.plan), args.runs)
            figures["rows"][n] = _median(partial(comparison_rows, changes, a.plan, b.plan, [b.organisation]),
                                         args.runs)
            rows_of[n] = len(comparison_rows(changes, a.plan, b.plan, [b.organisation]))
            for fmt in ("docx", "pdf"):
                figures[fmt][n] = _median(partial(comparative_document, [str(old), str(new)], [], fmt),
                                          max(1, args.runs // 2) if fmt == "pdf" else args.runs)
    print(f"load average {os.getloadavg()[0]:.2f}; median of {args.runs} run(s); seconds")
    head = ["stage", *(f"{n} measures" for n in SIZES), "t(1000)/t(500)"]
    body = []
    bad = []
    for stage, by_size in figures.items():
        ratio = by_size[1000] / by_size[500]
        if ratio > LINEAR:
            bad.append(stage)
        flag = " !" if ratio > LINEAR else ""
        body.append([stage, *(f"{by_size[n]:.3f}" for n in SIZES), f"{ratio:.2f}{flag}"])
    body.append(["rows", *(str(rows_of[n]) for n in SIZES), ""])
    print(table(head, body))
    if bad:
        print(f"not linear (ratio above {LINEAR}): {', '.join(bad)}", file=sys.stderr)
    return 1 if args.check and bad else 0


if __name__ == "__main__":
    sys.exit(main())
