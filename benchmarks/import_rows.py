"""Import benchmark: time of ``plandocs import`` per table row, against python-docx reading the same file.

Synthetic quarterly plans in the format of ``plans/kalush/2020-q2.yaml`` (``synthetic.quarterly_plan``: its
organisation, header and labels) with 125, 250, 500 and 1,000 measures, each measure one table row, are
rendered to DOCX by plandocs; then, interleaved at random, ``--runs`` samples of

* ``import``: :func:`plandocs.importer.import_document` — read, recognise, build, canonical YAML, word
  accounting (no validation, no writing);
* ``read``: its first stage alone, :func:`plandocs.importer.docxread.read_document`;
* ``raw``: ``docx.Document(path)`` and the text of every paragraph and every table cell through
  python-docx's own API (``table.rows`` → ``row.cells`` → ``cell.text``): what a hand-written importer
  would start from.

It prints the median time per size, per table row, the ratio import / raw, and the linearity ratio
time(1000) / time(500) (flagged above 2.4).  Run: ``.venv/bin/python benchmarks/import_rows.py``.
"""

from __future__ import annotations

import argparse
import functools
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from harness import table  # sibling modules: the scripts run as benchmarks/<name>.py
from synthetic import QUARTERLY_SEED, quarterly_plan, write_plan

REPO = Path(__file__).resolve().parent.parent
SIZES = (125, 250, 500, 1000)


def raw_read(path: Path) -> int:
    import docx

    d = docx.Document(str(path))
    count = sum(len(p.text) for p in d.paragraphs)
    for t in d.tables:
        for row in t.rows:
            for cell in row.cells:
                count += len(cell.text)
    return count


def median_ms(fn: Callable[[], object], runs: int) -> float:
    samples = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    from plandocs.importer import import_document
    from plandocs.importer.docxread import read_document
    from plandocs.render import render

    rng = random.Random(args.seed)
    rows: list[list[str]] = []
    per: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="plandocs-bench-import-") as tmp:
        docs: dict[int, Path] = {}
        for size in SIZES:
            # one executor row per measure: a table of `size` rows
            plan = write_plan(Path(tmp) / f"p{size}", QUARTERLY_SEED, quarterly_plan(size, rows_per_measure=1))
            result = render([plan], Path(tmp) / f"out{size}", formats=("docx",))
            if not result.validation.ok:
                print("synthetic plan invalid:", [d.headline() for d in result.validation.diagnostics])
                return 1
            docs[size] = next((Path(tmp) / f"out{size}").rglob(plan.stem + ".docx"))
        org = QUARTERLY_SEED.parent / "organisation.yaml"
        cases: list[tuple[int, str, Callable[[], object]]] = []
        for size, path in docs.items():
            cases += [(size, "import", functools.partial(import_document, path, org)),
                      (size, "read", functools.partial(read_document, path)),
                      (size, "raw", functools.partial(raw_read, path))]
        for _, _, fn in cases:  # warm-up: imports, caches
            fn()
        samples: dict[tuple[int, str], list[float]] = {}
        for _ in range(args.runs):
            rng.shuffle(cases)
            for size, name, fn in cases:
                samples.setdefault((size, name), []).append(median_ms(fn, 1))
        for size in SIZES:
            per[size] = {name: statistics.median(samples[(size, name)]) for name in ("import", "read", "raw")}
            imp, read, raw = per[size]["import"], per[size]["read"], per[size]["raw"]
            rows.append([str(size), f"{imp:.0f}", f"{imp / size:.2f}", f"{read:.0f}", f"{raw:.0f}",
                         f"{raw / size:.2f}", f"{imp / raw:.2f}"])
    print(table(["rows", "import ms", "ms/row", "read ms", "raw ms", "raw ms/row", "import/raw"], rows,
                right=[True] * 7))
    lin = per[1000]["import"] / per[500]["import"]
    print(f"linearity time(1000)/time(500): {lin:.2f}" + ("  ← above 2.4" if lin > 2.4 else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
