"""PDF engines side by side (issue 17, item 5): seconds per document of plandocs' PDF stage with WeasyPrint
and with Typst (``--pdf-engine typst``), on the seed plans and report and on a sample of the synthetic
national tree (``synthetic_tree.py``), in one process, the calls interleaved, median of ``--runs``.

Beside each document: the page count of each PDF and the ratio Typst / WeasyPrint; at the end the load
average before and after (the machine is shared, so every figure is printed with it).

    .venv/bin/python benchmarks/pdf_engines.py [--runs 3] [--orgs 3]
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import statistics
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
    """Page objects of an uncompressed-dictionary PDF (both engines write their page dictionaries plainly)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


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
        totals = dict.fromkeys(ENGINES, 0.0)
        for source, lp, report in subjects:
            view = document_view(lp, report)
            out: dict[str, bytes] = {}
            for engine in ENGINES:  # warm: fonts, templates
                out[engine] = render_documents(lp, view, ["pdf"], False, source, engine)["pdf"]
            samples: dict[str, list[float]] = {e: [] for e in ENGINES}
            for r in range(args.runs):
                for engine in (ENGINES if r % 2 == 0 else tuple(reversed(ENGINES))):
                    gc.collect()
                    t = time.perf_counter()
                    render_documents(lp, view, ["pdf"], False, source, engine)
                    samples[engine].append(time.perf_counter() - t)
            med = {e: statistics.median(v) for e, v in samples.items()}
            for e in ENGINES:
                totals[e] += med[e]
            name = source.resolve().relative_to(source.resolve().parents[1]).as_posix()
            rows.append([name, f"{med['weasyprint']:.3f}", str(pages(out["weasyprint"])), f"{med['typst']:.3f}",
                         str(pages(out["typst"])), f"{med['typst'] / med['weasyprint']:.3f}"])
        rows.append(["total", f"{totals['weasyprint']:.2f}", "", f"{totals['typst']:.2f}", "",
                     f"{totals['typst'] / totals['weasyprint']:.3f}"])
    print(f"# PDF engines, {len(subjects)} documents, median of {args.runs} interleaved calls, "
          f"{os.cpu_count()} cores")
    print(table(["document", "WeasyPrint s", "pages", "Typst s", "pages", "Typst / WeasyPrint"], rows))
    after = os.getloadavg()
    print(f"\nload average (1, 5, 15 min): before {before[0]:.2f} {before[1]:.2f} {before[2]:.2f}, "
          f"after {after[0]:.2f} {after[1]:.2f} {after[2]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
