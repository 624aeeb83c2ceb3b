"""National-scale render benchmark: a whole system's cycle (centres × annual plan + 4 quarterly reports).

Writes a synthetic tree (``synthetic_tree.py``: ``--orgs`` centres, default 100, each with an annual plan
of 40–60 measures and its four quarterly reports) into a temporary folder and times ``plandocs render``
on it as a user runs it, one process per case:

* cold, per format (html, docx, pdf) and all formats, with each of ``--jobs`` (default ``1,2``);
* the rerun with nothing changed, and the rerun after one plan changed (its reports depend on it too);

with documents per second, the peak RSS of the largest process of the run (``wait4``'s ``ru_maxrss``
covers the command and its pool workers), and the machine's load average beside every figure.

Raw-engine ratios: in one child process of the virtualenv, a sample of the tree's documents is rendered by
plandocs' PDF and HTML stages and by the raw engines on the same content (WeasyPrint on the very paged HTML
plandocs produced; a plain Jinja2 environment), interleaved.  From the raw per-document time the script
derives the *engine floor* of the whole tree — what the raw engine alone would take for every document —
and prints the cold times beside it.  The parent uses the standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from harness import table  # sibling modules: the scripts run as benchmarks/<name>.py
from synthetic_tree import Centre, change_plan, write_tree

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VENV = ROOT / ".venv"
FORMATS = ("html", "docx", "pdf")
RESULT_MARK = "@@plandocs-national-bench@@"
GOALS = {"cold": 120.0, "unchanged": 2.0, "one-changed": 5.0}
"""Seconds, for the 100-centre tree on 2 cores (issue 17)."""


@dataclass
class Run:
    case: str
    formats: str
    jobs: int
    seconds: float
    documents: int
    peak_mib: float
    load_before: float
    load_after: float
    exit: int
    tail: str

    @property
    def per_second(self) -> float:
        return self.documents / self.seconds if self.seconds else 0.0


def load1() -> float:
    return os.getloadavg()[0]


def plandocs_cmd(venv: Path) -> list[str]:
    return [os.fspath(venv / "bin" / "python"), "-m", "plandocs"]


def supports(venv: Path, option: str) -> bool:
    out = subprocess.run([*plandocs_cmd(venv), "render", "--help"], capture_output=True, text=True, check=False)
    return option in out.stdout


def run_render(venv: Path, base: Path, out: str, formats: str, jobs: int | None, extra: Sequence[str],
               case: str, documents: int) -> Run:
    """One ``plandocs render`` process; its wall time and the peak RSS over it and its workers."""
    cmd = [*plandocs_cmd(venv), "render", "plans", "-o", out, "--format", formats, *extra]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    env = {**os.environ, "PYTHONHASHSEED": "0", "CI": "1"}
    before = load1()
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=base, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    output = proc.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    tail = (output.strip().splitlines() or [""])[-1]
    # wait4 covers the command (and what it waited for); the pool's workers report their own peak in the
    # summary line ("peak N MiB per worker"), since they are children of the fork server
    reported = re.search(r"peak (\d+) MiB per worker", tail)
    peak = max(usage.ru_maxrss / 1024, float(reported.group(1)) if reported else 0.0)
    return Run(case, formats, jobs or 1, seconds, documents, peak, before, load1(), proc.returncode, tail)


# --------------------------------------------------------------------------- raw-engine ratios (child side)


def worker_raw(spec: dict[str, Any]) -> dict[str, Any]:
    """Median CPU seconds per document of plandocs' PDF stage, of one plandocs pass and of one raw WeasyPrint
    pass on the HTML of plandocs' last pass (``pdf_stage.measure``), and of plandocs' HTML stage and a plain
    Jinja2 environment (compiled once), the calls interleaved; run inside the project's virtualenv."""
    import gc

    import jinja2
    from pdf_stage import measure  # sibling module, run as benchmarks/<name>.py

    from plandocs.check.validate import validate
    from plandocs.files.paths import project_root
    from plandocs.render import pipeline
    from plandocs.render.templating import nl2br, resolve_org_templates, template_dirs

    paths = [Path(p) for p in spec["documents"]]
    pdf = measure(paths, spec["runs"])
    result = validate(paths)
    subjects = [(lp, None, lp.path) for lp in result.plans] + [(r.plan, r.report, r.path) for r in result.reports]
    html: dict[str, list[float]] = {"html": [], "raw-html": []}
    for lp, report, source in subjects:
        view = pipeline.document_view(lp, report)
        dirs = template_dirs(resolve_org_templates(lp.organisation_path, lp.organisation.templates,
                                                   project_root(lp.organisation_path)))
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(dirs),
                                 autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
                                 undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                                 trim_blocks=True, lstrip_blocks=True)
        env.filters["nl2br"] = nl2br  # compiled once, as plandocs' cached sandbox is
        cases: dict[str, Callable[[], object]] = {
            "html": lambda: pipeline.render_documents(lp, view, ["html"], False, source),  # noqa: B023
            "raw-html": lambda: env.get_template(f"{view.kind}.html").render(doc=view,  # noqa: B023
                                                                            paged=False).encode(),
        }
        for fn in cases.values():
            fn()  # warm: templates
        samples: dict[str, list[float]] = {k: [] for k in cases}
        for r in range(spec["runs"]):
            for name in (list(cases) if r % 2 == 0 else list(reversed(cases))):
                gc.collect()
                t = time.process_time()
                cases[name]()
                samples[name].append(time.process_time() - t)
        for name, values in samples.items():
            html[name].append(statistics.median(values))
    mean = pdf["mean"]
    return {"pdf": mean["stage"], "pdf-1-pass": mean["plandocs 1 pass"], "raw-pdf": mean["raw 1 pass"],
            "passes": statistics.mean(pdf["passes"].values()), "same-bytes": all(pdf["same_bytes"].values()),
            "html": statistics.mean(html["html"]), "raw-html": statistics.mean(html["raw-html"]),
            "documents": len(subjects)}


def run_raw(venv: Path, documents: Sequence[Path], runs: int) -> dict[str, float] | None:
    spec = {"documents": [os.fspath(p) for p in documents], "runs": runs}
    proc = subprocess.run([os.fspath(venv / "bin" / "python"), os.fspath(Path(__file__).resolve()), "--worker",
                           json.dumps(spec)], cwd=ROOT, capture_output=True, text=True, check=False)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            data: dict[str, float] = json.loads(line[len(RESULT_MARK):])
            return data
    print("  ! raw-engine ratios failed:\n    " + "\n    ".join(proc.stderr.strip().splitlines()[-8:]),
          file=sys.stderr)
    return None


# --------------------------------------------------------------------------- parent side


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--orgs", type=int, default=100, help="centres in the tree (default 100: 500 documents)")
    p.add_argument("--jobs", default="1,2", help="comma-separated --jobs values to time (default 1,2)")
    p.add_argument("--no-per-format", action="store_true", help="time all formats together only")
    p.add_argument("--raw-sample", type=int, default=2, help="centres whose 5 documents give the raw ratios (0: none)")
    p.add_argument("--raw-runs", type=int, default=3, help="timed calls per document and side (default 3)")
    p.add_argument("--repeat", type=int, default=3,
                   help="runs of the unchanged and one-changed cases, the median is shown (default 3)")
    p.add_argument("--seed", type=int, default=17)
    p.add_argument("--venv", type=Path, default=DEFAULT_VENV)
    p.add_argument("--keep", type=Path, help="write the tree and outputs here and keep them")
    p.add_argument("--pdf-engine", default="weasyprint", choices=("weasyprint", "typst"),
                   help="plandocs render --pdf-engine for every run (default weasyprint)")
    return p.parse_args(argv)


def median_run(samples: Sequence[Run]) -> Run:
    """The run of median time (its own figures, not a mix of several runs); a failed run wins."""
    failed = [r for r in samples if r.exit != 0]
    if failed:
        return failed[0]
    return sorted(samples, key=lambda r: r.seconds)[len(samples) // 2]


def fmt_run(r: Run, floor: float | None) -> list[str]:
    return [r.case, r.formats, str(r.jobs), f"{r.seconds:.1f}", str(r.documents), f"{r.per_second:.2f}",
            f"{floor:.2f}" if floor else "-", f"{r.peak_mib:.0f}", f"{r.load_before:.2f}/{r.load_after:.2f}",
            "ok" if r.exit == 0 else f"exit {r.exit}: {r.tail[:60]}"]


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    venv = args.venv.resolve()
    base = Path(tempfile.mkdtemp(prefix="plandocs-national-")) if args.keep is None else args.keep.resolve()
    try:
        return bench(args, venv, base)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


def bench(args: argparse.Namespace, venv: Path, base: Path) -> int:
    print(f"# national render benchmark: {args.orgs} centres, {os.cpu_count()} cores, "
          f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())} at the start", flush=True)
    centres: list[Centre] = write_tree(base, args.orgs, args.seed)
    documents = sum(len(c.documents) for c in centres)
    has_jobs, has_manifest = supports(venv, "--jobs"), supports(venv, "--force")
    extra = ["--pdf-engine", args.pdf_engine] if args.pdf_engine != "weasyprint" else []
    if extra:
        print(f"  PDF engine: {args.pdf_engine} (the raw ratios below are WeasyPrint's)")
    jobs_list = [int(j) for j in args.jobs.split(",")] if has_jobs else [1]
    if not has_jobs:
        print("  (this plandocs has no --jobs: one process only)")
    runs: list[Run] = []
    floors: dict[tuple[str, int], float] = {}

    raw = run_raw(venv, [d for c in centres[:args.raw_sample] for d in c.documents], args.raw_runs) \
        if args.raw_sample > 0 else None
    if raw:
        for jobs in jobs_list:  # the engine alone, as many layout passes as plandocs needs
            floors[("pdf", jobs)] = raw["raw-pdf"] * raw["passes"] * documents / jobs
            floors[("html", jobs)] = raw["raw-html"] * documents / jobs

    for jobs in jobs_list:
        formats = ([*FORMATS] if not args.no_per_format else []) + [",".join(FORMATS)]
        for fmt in formats:
            out = f"out-{jobs}-{fmt.replace(',', '-')}"
            run = run_render(venv, base, out, fmt, jobs if has_jobs else None, extra, "cold", documents)
            runs.append(run)
            print("  " + " | ".join(fmt_run(run, None)), flush=True)
        everything = f"out-{jobs}-{'-'.join(FORMATS)}"
        for case in ("unchanged", "one-changed"):
            samples = []
            for n in range(args.repeat):  # the median of --repeat runs: one run on a shared machine is noise
                if case == "one-changed":
                    change_plan(centres[n % len(centres)].plan, f"зміна {jobs}-{n}")
                changed = len(centres[0].documents) if case == "one-changed" else 0
                samples.append(run_render(venv, base, everything, ",".join(FORMATS), jobs if has_jobs else None,
                                          extra, case, changed if has_manifest else documents))
            run = median_run(samples)
            runs.append(run)
            print("  " + " | ".join(fmt_run(run, None)) + f"  (median of {len(samples)}: "
                  + ", ".join(f"{r.seconds:.1f}" for r in samples) + " s)", flush=True)

    print()
    headers = ["case", "formats", "jobs", "s", "docs", "docs/s", "floor s", "peak MiB", "load 1-min", "result"]
    print(table(headers, [fmt_run(r, floors.get((r.formats, r.jobs))) for r in runs]))
    print("\n'floor s': the raw engine alone for every document (per-document CPU time of one raw pass of the sample"
          " × its mean passes × documents / jobs);\n'peak MiB': the largest peak RSS of the command or one of its"
          " workers (ru_maxrss).")
    if raw:
        print(f"\nraw-engine ratios on {raw['documents']:.0f} sample documents (CPU time, same process, interleaved; "
              "raw = WeasyPrint called plainly on the HTML of plandocs' last pass):")
        print(table(["stage", "plandocs s/doc", "raw s/doc", "ratio"], [
            ["pdf, one pass each (plandocs' call / raw write_pdf)", f"{raw['pdf-1-pass']:.3f}",
             f"{raw['raw-pdf']:.3f}", f"{raw['pdf-1-pass'] / raw['raw-pdf']:.3f}"],
            [f"pdf stage ({raw['passes']:.1f} layout passes) / one raw pass", f"{raw['pdf']:.3f}",
             f"{raw['raw-pdf']:.3f}", f"{raw['pdf'] / raw['raw-pdf']:.3f}"],
            ["html (plain Jinja2, compiled once)", f"{raw['html']:.4f}", f"{raw['raw-html']:.4f}",
             f"{raw['html'] / raw['raw-html']:.3f}"],
        ]))
        print("  one-pass PDF = the stage's PDF, byte for byte: " + ("yes" if raw["same-bytes"] else "NO"))
    scale = 100 / args.orgs
    print("\ngoals (issue 17, 100 centres on 2 cores):")
    for r in runs:
        if r.formats == ",".join(FORMATS) and r.case in GOALS:
            projected = r.seconds * (scale if r.case == "cold" else 1)
            note = f" (×{scale:g} projected to 100 centres)" if r.case == "cold" and scale != 1 else ""
            verdict = "met" if projected <= GOALS[r.case] else "NOT met"
            print(f"  {r.case:12} jobs {r.jobs}: {projected:6.1f} s{note} vs ≤ {GOALS[r.case]:g} s: {verdict}")
    print(f"\nload at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if all(r.exit == 0 for r in runs) else 1


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        sys.stdout.write("\n" + RESULT_MARK + json.dumps(worker_raw(json.loads(sys.argv[2]))) + "\n")
        sys.exit(0)
    sys.exit(main())
