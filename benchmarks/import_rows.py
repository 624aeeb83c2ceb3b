"""Import benchmark: time of ``plandocs import`` per table row, against python-docx reading the same file.

Synthetic quarterly plans in the format of ``plans/kalush/2020-q2.yaml`` (its organisation, header and
labels) with 125, 250, 500 and 1,000 measures, each measure one table row, are rendered to DOCX by
plandocs; then, interleaved at random, ``--runs`` samples of

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
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from _textout import table  # sibling module: the scripts run as benchmarks/<name>.py

REPO = Path(__file__).resolve().parent.parent
KALUSH = REPO / "plans" / "kalush"
SIZES = (125, 250, 500, 1000)


def synthetic_plan(measures: int) -> str:
    """A quarterly plan with ``measures`` one-row measures, 10 per task, 5 tasks per priority."""
    lines = ["organisation: organisation.yaml", "kind: quarterly-plan", 'period: "2020-Q2"', "title:",
             "  - КВАРТАЛЬНИЙ ПЛАН ЗАХОДІВ", "  - на II квартал 2020 року",
             "labels:", "  priority: Пріоритет {roman}.", "  task: \"{id}\"", "  measure: \"{id}\"", "priorities:"]
    executors = ["legal-education", "bureau-bolekhiv", "bureau-burshtyn", "bureau-dolyna"]
    n = 0
    p = 0
    while n < measures:
        p += 1
        lines += [f'  - id: "{p}"', f"    title: Пріоритет розвитку номер {p}", "    tasks:"]
        for t in range(1, 6):
            if n >= measures:
                break
            lines += [f'      - id: "{p}.{t}"', f"        title: Завдання {p}.{t} щодо правопросвітництва",
                      "        measures:"]
            for m in range(1, 11):
                if n >= measures:
                    break
                n += 1
                lines += [f'          - id: "{p}.{t}.{m}"',
                          f"            title: Інформаційно-роз'яснювальні заходи для населення, захід {n}",
                          f"            executor: {executors[n % len(executors)]}",
                          "            term: Квітень", "            indicator: Кількість заходів",
                          f"            value: {n % 7 + 1}"]
    return "\n".join(lines) + "\n"


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
            folder = Path(tmp) / f"p{size}"
            folder.mkdir()
            shutil.copy(KALUSH / "organisation.yaml", folder / "organisation.yaml")
            (folder / "plan.yaml").write_text(synthetic_plan(size), encoding="utf-8")
            result = render([folder / "plan.yaml"], Path(tmp) / f"out{size}", formats=("docx",))
            if not result.validation.ok:
                print("synthetic plan invalid:", [d.headline() for d in result.validation.diagnostics])
                return 1
            docs[size] = next((Path(tmp) / f"out{size}").rglob("plan.docx"))
        org = KALUSH / "organisation.yaml"
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
