"""plandocs' PDF stage against raw WeasyPrint on the very HTML it printed, pass for pass (issue 17, item 4).

plandocs lays a document out more than once: a first pass finds the rows that open each page, the HTML is
made again with the merged cells cut there, and this repeats until the pages start at the same rows (two
passes for most plans, at most ``plandocs.render.pdf.MAX_PASSES``).  A ratio of "the PDF stage" to "one raw
``write_pdf``" therefore counts two layouts against one.  This script measures, per document, on the HTML
of plandocs' *last* pass (typeset view, merges cut, compound hyphens as U+2010: the exact string its PDF is
made from):

* ``stage``: ``render_documents(..., ["pdf"])``, the whole PDF stage (every pass, ``write_pdf``);
* ``plandocs 1 pass``: ``render_pdf_pages(<that HTML>)``: plandocs' call of WeasyPrint (confined fetcher,
  ``SOURCE_DATE_EPOCH``, the collector paused, the wide frame, the shared font configuration), given a
  string, so one layout and ``write_pdf``; its bytes must equal the stage's;
* ``raw 1 pass``: ``weasyprint.HTML(string=<that HTML>, base_url=<templates>).write_pdf()``, called plainly;
* ``raw + settings`` (information): the raw call through plandocs' wide frame with one shared
  ``FontConfiguration``, i.e. with the two settings that make plandocs cheaper than the plain call.

CPU time of the process (``time.process_time``), the cases interleaved in a new random order every round,
``gc.collect()`` before each call; the median per document, and the load average beside the figures.  The
gated figure is **plandocs 1 pass / raw 1 pass** (goal ≤ 1.05); ``stage / raw 1 pass`` is printed with the
number of passes beside it.  ``benchmarks/national.py`` uses :func:`measure` for its raw-engine ratios.

    .venv/bin/python benchmarks/pdf_stage.py                 # seed plans + 2 synthetic documents, 5 rounds
    .venv/bin/python benchmarks/pdf_stage.py --runs 7 --plans plans/zhytomyr/2023.yaml
"""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ("odesa/2021.yaml", "kalush/2020-q2.yaml", "zhytomyr/2023.yaml", "pokrovsk/2021.yaml",
         "kherson/2008-2010.yaml")
CASES = ("stage", "plandocs 1 pass", "raw 1 pass", "raw + settings")


def _name(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


def subjects(paths: Sequence[Path]) -> list[tuple[str, Any, Any, Path]]:
    """(name, loaded plan, report or None, source) of every valid plan and report in ``paths``."""
    from plandocs.check.validate import validate

    result = validate(list(paths))
    out: list[tuple[str, Any, Any, Path]] = [(_name(lp.path), lp, None, lp.path) for lp in result.plans]
    out += [(_name(lr.path), lr.plan, lr.report, lr.path) for lr in result.reports]
    return out


def cases_for(lp: Any, report: Any, source: Path) -> tuple[dict[str, Callable[[], bytes]], int, str]:
    """The four calls of one document, the number of layout passes of its stage, and its last-pass HTML."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    from plandocs.files.paths import project_root
    from plandocs.render import pdf
    from plandocs.render.pipeline import document_view, paged_html, render_documents
    from plandocs.render.templating import resolve_org_templates, template_dirs
    from plandocs.view.typography import typeset

    view = document_view(lp, report)
    dirs = template_dirs(resolve_org_templates(lp.organisation_path, lp.organisation.templates,
                                               project_root(lp.organisation_path)))
    typeset_view = typeset(view)  # as render_view does before any format
    made: list[pdf.Cuts] = []
    make = paged_html(typeset_view, dirs)  # the stage's own paged HTML, for the cuts a pass finds

    def paged(cuts: pdf.Cuts) -> str:
        made.append(cuts)
        return make(cuts)

    _document, cuts = pdf.paginate(paged, dirs[0])
    html = pdf.searchable_hyphens(paged(cuts))
    passes = len(made) - 1
    fonts = FontConfiguration()

    def stage() -> bytes:
        return render_documents(lp, view, ["pdf"], False, source)["pdf"]

    def one_pass() -> bytes:
        return pdf.render_pdf(html, dirs[0], view.date, folders=dirs)

    def raw() -> bytes:
        data = weasyprint.HTML(string=html, base_url=str(dirs[0])).write_pdf()
        assert isinstance(data, bytes)
        return data

    def raw_settings() -> bytes:
        data = pdf._in_wide_frame(lambda: weasyprint.HTML(string=html, base_url=str(dirs[0]))
                                  .write_pdf(font_config=fonts))
        assert isinstance(data, bytes)
        return data

    calls = {"stage": stage, "plandocs 1 pass": one_pass, "raw 1 pass": raw, "raw + settings": raw_settings}
    return calls, passes, html


def measure(paths: Sequence[Path], runs: int, seed: int = 17,
            report: Callable[[str], None] = lambda _line: None) -> dict[str, Any]:
    """Median CPU seconds per document and case, interleaved; the mean over documents per case, the passes,
    and whether the one-pass PDF has the stage's bytes."""
    rng = random.Random(seed)
    per_doc: dict[str, dict[str, float]] = {}
    passes: dict[str, int] = {}
    same_bytes: dict[str, bool] = {}
    for name, lp, rep, source in subjects(paths):
        calls, passes[name], _html = cases_for(lp, rep, source)
        first = {k: fn() for k, fn in calls.items()}  # warm-up, and the same-bytes check
        same_bytes[name] = first["stage"] == first["plandocs 1 pass"]
        samples: dict[str, list[float]] = {k: [] for k in calls}
        for _ in range(runs):
            order = list(calls)
            rng.shuffle(order)
            for k in order:
                gc.collect()
                t = time.process_time()
                calls[k]()
                samples[k].append(time.process_time() - t)
        per_doc[name] = {k: statistics.median(v) for k, v in samples.items()}
        d = per_doc[name]
        report(f"  {name:28} passes {passes[name]}  " + "  ".join(f"{k} {d[k]:.3f}" for k in CASES)
               + f"  load {os.getloadavg()[0]:.2f}")
    mean = {k: statistics.mean(d[k] for d in per_doc.values()) for k in CASES} if per_doc else {}
    return {"documents": per_doc, "mean": mean, "passes": passes, "same_bytes": same_bytes}


def ratios(mean: dict[str, float], passes: dict[str, int]) -> list[tuple[str, float]]:
    """The labelled ratios of :func:`measure`'s means (the gated one first)."""
    avg = statistics.mean(passes.values()) if passes else 0.0
    return [("plandocs 1 pass / raw 1 pass (gated, goal ≤ 1.05)", mean["plandocs 1 pass"] / mean["raw 1 pass"]),
            (f"stage ({avg:.1f} passes on average) / raw 1 pass", mean["stage"] / mean["raw 1 pass"]),
            ("stage / (passes × plandocs 1 pass)", mean["stage"] / (avg * mean["plandocs 1 pass"]) if avg else 0.0),
            ("raw + settings / raw 1 pass (information)", mean["raw + settings"] / mean["raw 1 pass"])]


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--runs", type=int, default=5, help="timed calls per case and document (default 5)")
    p.add_argument("--plans", nargs="*", type=Path, help="plans and reports (default: 5 seeds + a synthetic centre's "
                                                         "plan and Q2 report)")
    p.add_argument("--seed", type=int, default=17)
    args = p.parse_args(argv)
    paths = args.plans
    if not paths:
        from synthetic_tree import write_tree

        base = tempfile.mkdtemp(prefix="plandocs-pdf-stage-")
        atexit.register(shutil.rmtree, base, True)
        centre = write_tree(Path(base), 1, args.seed)[0]
        paths = [ROOT / "plans" / s for s in SEEDS] + [centre.plan, centre.reports[1]]
    print(f"# PDF stage vs raw WeasyPrint, CPU s per call, median of {args.runs} interleaved; load "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    result = measure(paths, args.runs, args.seed, lambda line: print(line, flush=True))
    mean = result["mean"]
    print("\nmean over documents: " + ", ".join(f"{k} {mean[k]:.3f} s" for k in CASES))
    for label, value in ratios(mean, result["passes"]):
        print(f"  {label:52} {value:.3f}")
    differ = [n for n, same in result["same_bytes"].items() if not same]
    print("one-pass PDF = stage PDF, byte for byte: " + ("yes, every document" if not differ else f"NO: {differ}"))
    print(f"load at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.path.insert(0, os.fspath(Path(__file__).resolve().parent))
    sys.exit(main())
