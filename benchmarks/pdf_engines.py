"""PDF engines side by side (issue 17, item 5): seconds per document of plandocs' PDF stage with WeasyPrint
and with Typst (``--pdf-engine typst``), on the seed plans and report and on a sample of the synthetic
national tree (``synthetic_tree.py``), in one process warmed with another document (fonts loaded).

Typst memoises its work across compilations in a process (comemo): compiling the same markup again costs
a fraction of the first compilation, which no batch ever sees, since each document is printed once. So
Typst's figure is its *first* compilation of each document (``typst s``), and the median of the repeated
calls is shown beside it (``typst again``); WeasyPrint keeps nothing between calls, its figure is the median
of ``--runs`` calls.  Beside each document: the page count of each PDF and the ratio Typst / WeasyPrint;
at the end the load average before and after (the machine is shared, so figures go with it).

    .venv/bin/python benchmarks/pdf_engines.py [--runs 3] [--orgs 2]
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from harness import table  # sibling modules: the scripts run as benchmarks/<name>.py
from synthetic_tree import write_tree

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ("odesa/2021.yaml", "kalush/2020-q2.yaml", "zhytomyr/2023.yaml", "pokrovsk/2021.yaml",
         "kherson/2008-2010.yaml", "odesa/2021-q2.report.yaml", "kharkiv-oblast/2024-2028.yaml",
         "kmu/goal-12.4.yaml")
ENGINES = ("weasyprint", "typst")


def pages(pdf: bytes) -> int:
    """The page count poppler's ``pdfinfo`` reads (WeasyPrint keeps its page objects in compressed streams)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as f:
        f.write(pdf)
        f.flush()
        info = subprocess.run(["pdfinfo", f.name], capture_output=True, text=True, check=False).stdout
    found = re.search(r"^Pages:\s+(\d+)", info, re.M)
    return int(found.group(1)) if found else 0


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=3, help="timed calls per document and engine (default 3)")
    p.add_argument("--orgs", type=int, default=3, help="synthetic centres (5 documents each; default 3)")
    args = p.parse_args(argv)

    from plandocs.check.validate import validate
    from plandocs.render.pipeline import document_view, render_documents

    before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="plandocs-engines-") as tmp:
        centres = write_tree(Path(tmp), args.orgs)
        paths = [ROOT / "plans" / s for s in SEEDS] + [d for c in centres for d in c.documents]
        result = validate(paths)
        subjects = [(lp.path, lp, None) for lp in result.plans] + [(r.path, r.plan, r.report) for r in result.reports]
        order = {p.resolve(): i for i, p in enumerate(paths)}
        subjects.sort(key=lambda s: order[s[0].resolve()])
        rows = []
        totals = {"weasyprint": 0.0, "typst": 0.0, "again": 0.0}
        warm = validate([ROOT / "tests" / "fixtures" / "valid" / "plan.yaml"]).plans[0]
        for engine in ENGINES:  # fonts, templates, the Typst font book: loaded once, as in a warmed worker
            render_documents(warm, document_view(warm), ["pdf"], False, warm.path, engine)
        for source, lp, report in subjects:
            view = document_view(lp, report)
            gc.collect()
            t = time.perf_counter()
            typst_pdf = render_documents(lp, view, ["pdf"], False, source, "typst")["pdf"]
            first = time.perf_counter() - t
            samples: dict[str, list[float]] = {e: [] for e in ENGINES}
            last: dict[str, bytes] = {}
            for _ in range(args.runs):
                for engine in ENGINES:
                    gc.collect()
                    t = time.perf_counter()
                    last[engine] = render_documents(lp, view, ["pdf"], False, source, engine)["pdf"]
                    samples[engine].append(time.perf_counter() - t)
            weasy_pdf = last["weasyprint"]
            weasy, again = statistics.median(samples["weasyprint"]), statistics.median(samples["typst"])
            totals["weasyprint"] += weasy
            totals["typst"] += first
            totals["again"] += again
            name = source.resolve().relative_to(source.resolve().parents[1]).as_posix()
            rows.append([name, f"{weasy:.3f}", str(pages(weasy_pdf)), f"{first:.3f}", f"{again:.3f}",
                         str(pages(typst_pdf)), f"{first / weasy:.3f}"])
        rows.append(["total", f"{totals['weasyprint']:.2f}", "", f"{totals['typst']:.2f}", f"{totals['again']:.2f}",
                     "", f"{totals['typst'] / totals['weasyprint']:.3f}"])
    print(f"# PDF engines, {len(subjects)} documents, WeasyPrint: median of {args.runs} calls, Typst: first "
          f"compilation (and median of {args.runs} more), {os.cpu_count()} cores")
    print(table(["document", "WeasyPrint s", "pages", "Typst s", "typst again", "pages", "Typst / WeasyPrint"],
                rows))
    after = os.getloadavg()
    print(f"\nload average (1, 5, 15 min): before {before[0]:.2f} {before[1]:.2f} {before[2]:.2f}, "
          f"after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
