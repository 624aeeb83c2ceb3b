"""Render benchmark of plandocs: its DOCX, HTML and PDF stages against the raw libraries on the same content.

1. **Time.**  For every seed plan under ``plans/`` and every format, the median of ``--runs`` samples of
   the plandocs stage (``plandocs.render.pipeline.render_documents`` for that one format, given the validated plan
   and its document view) against the raw library on the same content, interleaved at random:

   * html: a plain ``jinja2.Environment`` made per call (same loader path, options and ``nl2br`` filter,
     no sandbox), ``get_template("<kind>.html").render(doc=view, paged=False)``;
   * pdf: ``weasyprint.HTML(string=<the HTML of plandocs' last layout pass>).write_pdf()``, *one* pass,
     while the stage lays the document out once per pass (two for most plans: the merges are cut at the
     first pass's page starts); the variant ``one-pass`` is plandocs' own call of WeasyPrint on that same
     HTML, one pass too (the pass-for-pass ratio; see ``pdf_stage.py``);
   * docx: ``DocxTemplate(<kind>.docx)``, the measures table built into a subdocument by the same
     python-docx code plandocs uses (``render_docx._measures_subdoc``), ``tpl.render(<same context>,
     autoescape=True)``, ``tpl.save()``.

   Target: ratio = plandocs / raw < 1.15.  Informational variants (not gated) split the stages up
   (the Jinja part of the PDF stage, the DOCX table alone, a table built with python-docx's public API).
2. **Peak memory.**  Every (plan, format, plandocs|raw) runs once in a fresh subprocess that imports the
   same libraries and prepares the same inputs; just before the call the process resets its RSS
   high-water mark (``/proc/self/clear_refs``), and the figure is ``ru_maxrss`` after the call minus the
   RSS before it.  Target: ratio < 1.15.
3. **Scale.**  Synthetic annual plans (quarters I-IV and total, the format of ``plans/zhytomyr/2023.yaml``)
   of 125, 250, 500 and 1,000 measures: time and peak memory per format and size, per table row, the
   linearity ratio time(1000) / time(500) (flagged above 2.4), and PDF pages.

The pairs whose time ratio fails are profiled with cProfile (plandocs against raw, per function).  The
parent process uses the standard library only and runs every measurement in a child process of the
project's virtualenv (``--venv``).  Targets are reported; the exit status is 0 unless ``--check`` is given
and a ratio target or a same-content check fails or a measurement crashes.  See ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import io
import json
import math
import os
import pstats
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness import PLANS, ROOT, Failures, child_env, mib, ms, section, table  # siblings: run as benchmarks/<name>.py
from synthetic import ANNUAL_SEED, annual_plan, write_plan

if TYPE_CHECKING:
    from plandocs.check.validate import LoadedPlan
    from plandocs.view.types import DocumentView

DEFAULT_VENV = ROOT / ".venv"

FORMATS = ("docx", "html", "pdf")
RATIO_TARGET = 1.15
SIZES = (125, 250, 500, 1000)
SUPERLINEAR = 2.4
ISSUE_RAW_MS_PER_ROW = 8.0
ISSUE_RAW_MIB_PER_ROW = 0.3
RESULT_MARK = "@@plandocs-render-bench@@"

# Which variant of a format is compared with "plandocs" for the target, and what each variant is.
GATED_RAW = "raw"
VARIANT_TITLES: dict[str, str] = {
    "plandocs": "plandocs stage (render_documents, one format)",
    "raw": "raw library, same content (gated)",
    "raw-env-reused": "raw Jinja2 with one Environment per process (templates compiled once)",
    "paged-html": "plandocs render_html(paged=True) alone: the Jinja part of one pass of the PDF stage",
    "one-pass": "plandocs' call of WeasyPrint (render_pdf) on the HTML of its last pass: one layout, as raw",
    "raw-plain-table": "docxtpl + the table built with python-docx's public API (runs, merge)",
    "table-only": "DocxTemplate() + plandocs' _measures_subdoc alone (no render, no save)",
}


# =========================================================================== child side
#
# Everything from here to "parent side" runs in the project's virtualenv and imports plandocs and the
# rendering libraries; the parent never imports them (its own RSS would leak into the children's
# ru_maxrss through fork/exec, and it must work before the venv exists).


@dataclass
class Subject:
    """A validated plan with everything every variant needs, prepared before anything is measured."""

    lp: LoadedPlan
    view: DocumentView
    dirs: list[Path]
    paged_html: str
    """The HTML of plandocs' last layout pass: what its PDF is made from."""
    first_html: str
    """``render_html(view, paged=True)`` with no merge cut (the Jinja part of one pass)."""
    passes: int
    """Layout passes of plandocs' PDF stage for this plan."""
    docx_template: Path | None
    docx_missing: str


def prepare(plan: Path, last_pass: bool = False) -> Subject:
    """The inputs of every variant; ``last_pass``: the PDF's raw side gets the HTML of plandocs' last layout
    pass (laid out here, before anything is measured), else the uncut paged HTML (the memory and scale
    workers, where the measured call must be the process's first layout)."""
    from plandocs.check.validate import validate
    from plandocs.files.paths import project_root
    from plandocs.render.html import render_html
    from plandocs.render.templating import resolve_org_templates, template_dirs
    from plandocs.view.plan import build_view

    res = validate([plan])
    loaded = [lp for lp in res.plans if lp.path.resolve() == plan.resolve()]
    if not loaded:
        errors = [d.headline() for d in res.diagnostics.errors][:5]
        raise SystemExit(f"{plan} is not valid: {errors}")
    lp = loaded[0]
    view = build_view(lp.plan, lp.organisation)
    org_templates = resolve_org_templates(lp.organisation_path, lp.organisation.templates,
                                          project_root(lp.organisation_path))
    dirs = template_dirs(org_templates)
    from pdf_stage import cases_for  # sibling module

    passes, paged = 0, render_html(view, dirs, paged=True)
    if last_pass:
        _calls, passes, paged = cases_for(lp, None, plan)
    template: Path | None = None
    missing = ""
    try:
        import plandocs.render.docx  # noqa: F401
    except ImportError as exc:
        missing = f"plandocs.render.docx cannot be imported ({exc})"
    else:
        template = next((d / f"{view.kind}.docx" for d in dirs if (d / f"{view.kind}.docx").is_file()), None)
        if template is None:
            missing = f"no {view.kind}.docx template"
    return Subject(lp, view, dirs, paged, render_html(view, dirs, paged=True), passes, template, missing)


# ---- raw baselines


def raw_html_env(dirs: Sequence[Path]) -> Any:
    """A plain Jinja2 environment with plandocs' options (loader path, autoescape, strictness, whitespace
    control, the ``nl2br`` filter the templates use) but without the sandbox."""
    import jinja2

    from plandocs.render.templating import nl2br

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([os.fspath(d) for d in dirs]),
        autoescape=jinja2.select_autoescape(default=True, default_for_string=True),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["nl2br"] = nl2br
    return env


def docx_context(view: DocumentView, table: object) -> dict[str, Any]:
    """The context plandocs gives its DOCX templates (see ``render_docx.render_docx``)."""
    sections = view.sections
    split = view.table_section
    return {
        "doc": view,
        "table": table,
        "sections_before": sections[:split] if split >= 0 else sections,
        "table_section": sections[split] if split >= 0 else None,
        "sections_after": sections[split + 1:] if split >= 0 else (),
    }


TableBuilder = Callable[[Any, "DocumentView"], object]


def plandocs_table_builder() -> TableBuilder | None:
    """plandocs' own "measures table as a docxtpl subdocument" function, if render_docx still has it."""
    import plandocs.render.docx as rd

    fn = getattr(rd, "_measures_subdoc", None)
    return fn if callable(fn) else None


def plain_table_subdoc(tpl: Any, view: DocumentView) -> object:
    """The measures table with python-docx's public API only: one run per line, bold, alignment, merged
    spans, column widths, repeated header rows."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.shared import Mm

    sub = tpl.new_subdoc()
    tv = view.table
    rows = (*tv.head, *tv.body)
    table = sub.add_table(rows=len(rows), cols=tv.columns)
    table.autofit = False
    for column, width in zip(table.columns, tv.widths, strict=True):
        column.width = Mm(width)
    row_objs = list(table.rows)
    cells = [row.cells for row in row_objs]
    spans = []
    for r, (row, placed) in enumerate(zip(rows, tv.grid(rows), strict=True)):
        if r < len(tv.head):
            row_objs[r]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        for col, cell in placed:
            target = cells[r][col]
            bold = cell.bold or row.kind in ("head", "priority")
            for i, line in enumerate(cell.text.split("\n")):
                para = target.paragraphs[0] if i == 0 else target.add_paragraph()
                para.add_run(line).bold = bold
                if cell.align == "center" or row.kind in ("head", "colnums"):
                    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if cell.rowspan > 1 or cell.colspan > 1:
                spans.append((target, cells[r + cell.rowspan - 1][col + cell.colspan - 1]))
    for a, b in spans:
        a.merge(b)
    return sub


def variants(s: Subject, fmt: str, names: Sequence[str]) -> dict[str, Callable[[], bytes]]:
    """The calls measured for ``fmt``: always "plandocs" and the gated "raw", then those of ``names``
    that apply (informational baselines)."""
    from plandocs.render.pipeline import render_documents

    def stage() -> bytes:
        return render_documents(s.lp, s.view, (fmt,), False)[fmt]

    out: dict[str, Callable[[], bytes]] = {"plandocs": stage}
    if fmt == "html":
        name = f"{s.view.kind}.html"
        out["raw"] = lambda: raw_html_env(s.dirs).get_template(name).render(doc=s.view, paged=False).encode()
        env = raw_html_env(s.dirs)
        out["raw-env-reused"] = lambda: env.get_template(name).render(doc=s.view, paged=False).encode()
    elif fmt == "pdf":
        import weasyprint

        from plandocs.render.html import render_html
        from plandocs.render.pdf import render_pdf

        html = s.paged_html

        def raw_pdf() -> bytes:
            data = weasyprint.HTML(string=html).write_pdf()
            assert isinstance(data, bytes)
            return data

        out["raw"] = raw_pdf
        if s.passes:  # the raw side has the last pass's HTML: plandocs' one pass on it, pass for pass
            out["one-pass"] = lambda: render_pdf(html, s.dirs[0], s.view.date, folders=s.dirs)
        out["paged-html"] = lambda: render_html(s.view, s.dirs, paged=True).encode()
    elif fmt == "docx":
        from docxtpl import DocxTemplate

        assert s.docx_template is not None, s.docx_missing
        template = os.fspath(s.docx_template)
        builder = plandocs_table_builder()

        def raw_docx(build: TableBuilder) -> bytes:
            tpl = DocxTemplate(template)
            tpl.render(docx_context(s.view, build(tpl, s.view)), autoescape=True)
            buf = io.BytesIO()
            tpl.save(buf)
            return buf.getvalue()

        # Without plandocs' table function the closest raw equivalent builds the table with the public API.
        same_table: TableBuilder = builder or plain_table_subdoc
        out["raw"] = lambda: raw_docx(same_table)
        out["raw-plain-table"] = lambda: raw_docx(plain_table_subdoc)
        out["table-only"] = lambda: (same_table(DocxTemplate(template), s.view), b"")[1]
    return {k: v for k, v in out.items() if k in ("plandocs", GATED_RAW, "one-pass") or k in names}


def pdf_pages(data: bytes) -> int:
    """Page objects in a PDF, also inside compressed object streams (WeasyPrint writes those)."""
    chunks = [data]
    pos = 0
    start = re.compile(rb"stream\r?\n")
    while (m := start.search(data, pos)) is not None:
        end = data.find(b"endstream", m.end())
        if end < 0:
            break
        with contextlib.suppress(zlib.error):
            chunks.append(zlib.decompressobj().decompress(data[m.end():end]))
        pos = end + len(b"endstream")
    return sum(len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", c)) for c in chunks)


def docx_rows(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml")
    return xml.count(b"<w:tr>") + xml.count(b"<w:tr ")


def _formats_of(s: Subject, formats: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    usable, skipped = [], {}
    for fmt in formats:
        if fmt == "docx" and s.docx_template is None:
            skipped[fmt] = s.docx_missing
        else:
            usable.append(fmt)
    return usable, skipped


Case = tuple[str, str, Callable[[], bytes]]


def time_cases(cases: Sequence[Case], runs: int, warm_ms: dict[tuple[str, str], float], min_sample_ms: float,
               rng: random.Random, last: dict[tuple[str, str], bytes]) -> dict[str, dict[str, dict[str, Any]]]:
    """``runs`` rounds over ``cases`` in a fresh random order each round.  A case whose calls are shorter than
    ``min_sample_ms`` (judged from the faster of plandocs and raw in ``warm_ms``) is called ``k`` times in a
    row per sample, and the sample is the mean; every variant of a format gets the same ``k``."""
    batch: dict[str, int] = {}
    for fmt, name, _ in cases:
        if name in ("plandocs", GATED_RAW) and (fmt, name) in warm_ms:
            k = max(1, math.ceil(min_sample_ms / max(warm_ms[(fmt, name)], 1e-3)))
            batch[fmt] = max(batch.get(fmt, 1), k)
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for _ in range(runs):
        order = list(cases)
        rng.shuffle(order)
        for fmt, name, fn in order:
            k = batch.get(fmt, 1)
            gc.collect()
            c0, t0 = time.process_time_ns(), time.perf_counter_ns()
            for _ in range(k):
                data = fn()
            wall, cpu = (time.perf_counter_ns() - t0) / 1e6 / k, (time.process_time_ns() - c0) / 1e6 / k
            last[(fmt, name)] = data
            rec = out.setdefault(fmt, {}).setdefault(name, {"wall": [], "cpu": [], "batch": k})
            rec["wall"].append(wall)
            rec["cpu"].append(cpu)
    return out


def _timed_once(fn: Callable[[], bytes]) -> tuple[float, bytes]:
    gc.collect()
    t0 = time.perf_counter_ns()
    data = fn()
    return (time.perf_counter_ns() - t0) / 1e6, data


def checks_of(fmt: str, s: Subject, last: dict[tuple[str, str], bytes]) -> tuple[list[str], dict[str, int]]:
    """Same-content checks of the last outputs; (messages, extra facts such as pages)."""
    msgs: list[str] = []
    facts: dict[str, int] = {}
    mine = last[(fmt, "plandocs")]
    names = [n for f, n in last if f == fmt]
    if fmt == "html":
        for n in names:
            if n.startswith("raw") and last[(fmt, n)] != mine:
                msgs.append(f"{n}: HTML DIFFERS from plandocs'")
    elif fmt == "pdf":
        facts["pages"] = pdf_pages(mine)
        if (fmt, GATED_RAW) in last:
            facts["raw_pages"] = pdf_pages(last[(fmt, GATED_RAW)])
            if facts["raw_pages"] != facts["pages"]:
                msgs.append(f"raw: PDF pages DIFFER ({facts['raw_pages']} vs {facts['pages']})")
        if (fmt, "one-pass") in last and last[(fmt, "one-pass")] != mine:
            msgs.append("one-pass: PDF DIFFERS from the stage's (it should be the stage's last pass)")
        if (fmt, "paged-html") in last and last[(fmt, "paged-html")] != s.first_html.encode():
            msgs.append("paged-html: paged HTML DIFFERS between calls")
    elif fmt == "docx":
        facts["table_rows"] = docx_rows(mine)
        for n in names:
            if n.startswith("raw") and docx_rows(last[(fmt, n)]) != facts["table_rows"]:
                msgs.append(f"{n}: DOCX table rows DIFFER")
        if plandocs_table_builder() is None:
            msgs.append("render_docx._measures_subdoc not found: raw builds the table with the public API")
    return msgs, facts


def worker_time(spec: dict[str, Any]) -> dict[str, Any]:
    """Interleaved timing of the variants of every format on one plan (seed plans)."""
    from plandocs.view.plan import build_view

    s = prepare(Path(spec["plan"]), last_pass=True)
    formats, skipped = _formats_of(s, spec["formats"])
    cases = [(fmt, name, fn) for fmt in formats for name, fn in variants(s, fmt, spec["extras"]).items()]
    rng = random.Random(spec["seed"])
    last: dict[tuple[str, str], bytes] = {}
    warm: dict[tuple[str, str], float] = {}
    for _ in range(spec["warmup"]):
        order = list(cases)
        rng.shuffle(order)
        for fmt, name, fn in order:
            warm[(fmt, name)], last[(fmt, name)] = _timed_once(fn)
    samples = time_cases(cases, spec["runs"], warm, spec["min_sample_ms"], rng, last)
    view_ms = []
    for _ in range(max(5, spec["runs"])):
        gc.collect()
        t0 = time.perf_counter_ns()
        build_view(s.lp.plan, s.lp.organisation)
        view_ms.append((time.perf_counter_ns() - t0) / 1e6)
    out: dict[str, Any] = {"rows": len(s.view.table.body), "view_ms": view_ms, "skipped": skipped, "formats": {},
                           "passes": s.passes}
    for fmt in formats:
        msgs, facts = checks_of(fmt, s, last)
        out["formats"][fmt] = {"samples": samples.get(fmt, {}), "checks": msgs, **facts}
    return out


def _status_kib(field_name: str) -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field_name + ":"):
                return int(line.split()[1])
    raise KeyError(field_name)


def peak_of(fn: Callable[[], bytes]) -> tuple[dict[str, Any], bytes]:
    """Run ``fn`` once; the RSS before it and the peak during it (KiB), see the module docstring."""
    import resource

    gc.collect()
    reset = True
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")  # reset the RSS high-water mark (Linux >= 4.0)
    except OSError:
        reset = False
    try:
        before = _status_kib("VmRSS") if reset else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    except (OSError, KeyError):
        reset, before = False, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    data = fn()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"before_kib": before, "peak_kib": peak, "reset": reset}, data


def worker_mem(spec: dict[str, Any]) -> dict[str, Any]:
    """One call of one variant in this fresh process; the peak RSS it adds."""
    s = prepare(Path(spec["plan"]))
    variant = spec["variant"]
    fn: Callable[[], bytes] = (lambda: b"") if variant == "none" else \
        variants(s, spec["format"], [variant])[variant]
    mem, data = peak_of(fn)
    return {**mem, "rows": len(s.view.table.body), "bytes": len(data)}


def worker_scale(spec: dict[str, Any]) -> dict[str, Any]:
    """One format of one (large) plan: the first variant's first call in this fresh process gives the
    memory figure and warms up; then every variant is timed, interleaved."""
    s = prepare(Path(spec["plan"]))
    fmt = spec["format"]
    if not _formats_of(s, [fmt])[0]:
        return {"rows": len(s.view.table.body), "skipped": s.docx_missing}
    fns = variants(s, fmt, spec["variants"])
    names = [n for n in spec["variants"] if n in fns]
    mem, data = peak_of(fns[names[0]])
    last = {(fmt, names[0]): data}
    warm: dict[tuple[str, str], float] = {}
    for n in names[1:]:
        warm[(fmt, n)], last[(fmt, n)] = _timed_once(fns[n])
    samples = time_cases([(fmt, n, fns[n]) for n in names], spec["runs"], warm, spec["min_sample_ms"],
                         random.Random(spec["seed"]), last)
    msgs, facts = checks_of(fmt, s, last) if (fmt, "plandocs") in last else ([], {})
    if fmt == "pdf" and "pages" not in facts:
        facts["pages"] = pdf_pages(data)
    return {"rows": len(s.view.table.body), "memory": {names[0]: mem}, "samples": samples.get(fmt, {}),
            "checks": msgs, **facts}


def _label(key: tuple[str, int, str]) -> str:
    filename, line, func = key
    if filename == "~":
        return func
    parts = Path(filename).parts
    for anchor in ("site-packages", "src", "lib"):
        if anchor in parts:
            parts = parts[len(parts) - parts[::-1].index(anchor):]
            break
    return f"{'/'.join(parts[-3:])}:{line}({func})"


def worker_profile(spec: dict[str, Any]) -> dict[str, Any]:
    """cProfile of the plandocs variant and the raw one; per-function self time, and the difference."""
    s = prepare(Path(spec["plan"]), last_pass=True)
    fmt, calls = spec["format"], spec["calls"]
    fns = variants(s, fmt, ())
    names = ("plandocs", GATED_RAW)
    profs = {name: cProfile.Profile() for name in names}
    for name in names:
        fns[name]()  # warm
    for i in range(calls):  # alternate, so that neither side always runs on a fresher heap
        for name in names if i % 2 == 0 else names[::-1]:
            gc.collect()
            profs[name].enable()
            fns[name]()
            profs[name].disable()
    tables: dict[str, dict[tuple[str, int, str], tuple[float, float, int]]] = {}
    totals: dict[str, float] = {}
    for name in names:
        st = pstats.Stats(profs[name])
        raw_stats: dict[Any, Any] = st.stats  # type: ignore[attr-defined]
        tables[name] = {k: (v[2] * 1000 / calls, v[3] * 1000 / calls, v[1]) for k, v in raw_stats.items()}
        totals[name] = st.total_tt * 1000 / calls  # type: ignore[attr-defined]
    mine, raw = tables["plandocs"], tables[GATED_RAW]
    top = spec["top"]
    diff = sorted(((k, v[0], raw.get(k, (0.0, 0.0, 0))[0], v[1], v[2] // calls) for k, v in mine.items()),
                  key=lambda t: t[1] - t[2], reverse=True)[:top]
    only_mine = sorted(((k, v[1]) for k, v in mine.items()
                        if k not in raw and "plandocs" in k[0]), key=lambda t: t[1], reverse=True)[:top]
    return {
        "totals": totals,
        "diff": [[_label(k), a, b, c, n] for k, a, b, c, n in diff],
        "plandocs_cum": [[_label(k), c] for k, c in only_mine],
    }


def worker_info() -> dict[str, Any]:
    from importlib import metadata

    names = ("plandocs", "Jinja2", "weasyprint", "pydyf", "docxtpl", "python-docx", "lxml")
    versions = {}
    for n in names:
        try:
            versions[n] = metadata.version(n)
        except metadata.PackageNotFoundError:
            versions[n] = "-"
    return {"python": sys.version.split()[0], "versions": versions}


WORKERS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "time": worker_time, "mem": worker_mem, "scale": worker_scale, "profile": worker_profile,
    "info": lambda spec: worker_info(),
}


def worker_main(argv: Sequence[str]) -> int:
    spec = json.loads(argv[0])
    try:
        result = WORKERS[spec["kind"]](spec)
    except Exception:
        traceback.print_exc()
        return 1
    sys.stdout.write("\n" + RESULT_MARK + json.dumps(result) + "\n")
    return 0


# =========================================================================== parent side


def run_worker(python: str, spec: dict[str, Any], failures: Failures, what: str) -> dict[str, Any] | None:
    proc = subprocess.run([python, os.fspath(Path(__file__).resolve()), "--worker", json.dumps(spec)],
                          cwd=ROOT, env=child_env(PYTHONHASHSEED="0"), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, check=False)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(RESULT_MARK):
            result: dict[str, Any] = json.loads(line[len(RESULT_MARK):])
            return result
    tail = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
    failures.add(f"{what}: the measuring process failed (exit {proc.returncode}): {tail}")
    print(f"  ! {what}: exit {proc.returncode}\n    " + "\n    ".join(proc.stderr.strip().splitlines()[-8:]),
          file=sys.stderr)
    return None


# --------------------------------------------------------------------------- output helpers


def verdict(ratio: float) -> str:
    return "PASS" if ratio < RATIO_TARGET else "FAIL"


def plan_name(plan: Path) -> str:
    return f"{plan.parent.name}/{plan.name}"


def seed_plans() -> list[Path]:
    return sorted(p for p in PLANS.glob("*/*.y*ml")
                  if p.name != "organisation.yaml" and not p.name.endswith(".report.yaml"))


# --------------------------------------------------------------------------- parts

SEED_EXTRAS = ("raw-env-reused", "paged-html", "raw-plain-table", "table-only")
SCALE_VARIANTS: dict[str, tuple[str, ...]] = {
    "html": ("plandocs", "raw"),
    "docx": ("plandocs",),
    "pdf": ("plandocs",),
}


def med(rec: dict[str, Any] | None, key: str = "wall") -> float | None:
    return float(statistics.median(rec[key])) if rec else None


@dataclass
class TimeResult:
    plan: str
    path: Path
    data: dict[str, Any]

    @property
    def rows(self) -> int:
        return int(self.data["rows"])

    def rec(self, fmt: str, variant: str) -> dict[str, Any] | None:
        f = self.data["formats"].get(fmt)
        return f["samples"].get(variant) if f else None


def part_time(python: str, plans: Sequence[Path], formats: Sequence[str], args: argparse.Namespace,
              failures: Failures) -> list[TimeResult]:
    section(f"1. time: plandocs stage vs raw library, seed plans (median of {args.runs})")
    results = []
    for plan in plans:
        print(f"  timing {plan_name(plan)}…", file=sys.stderr, flush=True)
        data = run_worker(python, {"kind": "time", "plan": os.fspath(plan), "formats": list(formats),
                                   "runs": args.runs, "warmup": args.warmup, "seed": args.seed,
                                   "min_sample_ms": args.min_sample_ms,
                                   "extras": [] if args.quick else list(SEED_EXTRAS)},
                          failures, f"time {plan_name(plan)}")
        if data is not None:
            results.append(TimeResult(plan_name(plan), plan, data))
    rows, extra = [], []
    for r in results:
        for fmt in formats:
            mine, raw = r.rec(fmt, "plandocs"), r.rec(fmt, GATED_RAW)
            if mine is None or raw is None:
                why = r.data["skipped"].get(fmt, "not measured")
                rows.append([r.plan, str(r.rows), fmt, "-", "-", "-", "-", "-", f"SKIP ({why})"])
                failures.add(f"time {r.plan} {fmt}: not measured ({why}) (flag only)")
                continue
            m, w = med(mine) or 0.0, med(raw) or 1e-9
            ratio = m / w
            cpu_ratio = (med(mine, "cpu") or 0.0) / (med(raw, "cpu") or 1e-9)
            v = verdict(ratio)
            if v == "FAIL":
                failures.add(f"time {r.plan} {fmt}: plandocs/raw = {ratio:.2f} >= {RATIO_TARGET}")
            batch = f" (x{mine['batch']})" if mine["batch"] > 1 else ""
            if fmt == "pdf" and "passes" in r.data:
                batch += f" ({r.data['passes']} passes)"
            rows.append([r.plan, str(r.rows), fmt + batch, ms(m), ms(w), ms(m - w), f"{ratio:.2f}", f"{cpu_ratio:.2f}",
                         v])
            for name, rec in r.data["formats"][fmt]["samples"].items():
                if name not in ("plandocs", GATED_RAW):
                    x = med(rec) or 1e-9
                    extra.append([r.plan, fmt, name, ms(x), f"{x / m:.2f}", f"{x / w:.2f}"])
    print(table(["plan", "rows", "format", "plandocs ms", "raw ms", "extra ms", "ratio", "cpu ratio", "result"],
                rows, [False, True, False, True, True, True, True, True, False]))
    print(f"(wall-clock median of {args.runs} samples after {args.warmup} warm-up round(s), variants interleaved "
          f"at random; (xK) = each sample is the mean of K calls in a row, for calls under {args.min_sample_ms:g} "
          f"ms; ratio = plandocs / raw, target < {RATIO_TARGET}; cpu ratio = the same with process CPU time;\n"
          "pdf: the whole stage (every layout pass) against ONE raw pass on the HTML of its last pass; the "
          "pass-for-pass ratio is the variant one-pass / raw below)")
    if extra:
        print("\ninformational variants (not gated):")
        print(table(["plan", "format", "variant", "median ms", "variant / plandocs", "variant / raw"], extra,
                    [False, False, False, True, True, True]))
        for name in sorted({e[2] for e in extra}):
            print(f"  {name}: {VARIANT_TITLES.get(name, name)}")
    print("\nbuild_view (before the stage, shared by all formats, not in the figures above): "
          + ", ".join(f"{r.plan} {ms(statistics.median(r.data['view_ms']))} ms" for r in results))
    notes = [f"{r.plan} {fmt}: {c}" for r in results for fmt, f in r.data["formats"].items() for c in f["checks"]]
    pages = ", ".join(f"{r.plan} {r.data['formats']['pdf'].get('pages')}" for r in results
                      if "pdf" in r.data["formats"])
    print("same-content checks (HTML byte-identical, same PDF pages and DOCX table rows): "
          + ("; ".join(notes) if notes else "all passed") + (f"\nPDF pages: {pages}" if pages else ""))
    for n in notes:
        if "DIFFER" in n:
            failures.add(f"same-content check: {n}")
    return results


@dataclass
class MemResult:
    delta_kib: dict[tuple[str, str], float] = field(default_factory=dict)
    baseline_kib: float = 0.0
    reset: bool = True


def measure_memory(python: str, plan: Path, formats: Sequence[str], variant_names: Sequence[str],
                   repeats: int, failures: Failures, label: str) -> MemResult:
    """Peak-RSS deltas of every (format, variant), each in its own fresh process (median of ``repeats``)."""
    res = MemResult()
    base: list[float] = []
    outs: dict[tuple[str, str], list[dict[str, Any]]] = {}
    jobs = [("", "none")] + [(fmt, v) for fmt in formats for v in variant_names]
    for _ in range(repeats):
        for fmt, v in jobs:
            out = run_worker(python, {"kind": "mem", "plan": os.fspath(plan), "format": fmt or "html",
                                      "variant": v}, failures, f"memory {label} {fmt or 'baseline'} {v}")
            if out is None:
                continue
            res.reset = res.reset and out["reset"]
            if v == "none":
                base.append(out["peak_kib"] - out["before_kib"] if out["reset"] else out["peak_kib"])
            else:
                outs.setdefault((fmt, v), []).append(out)
    res.baseline_kib = statistics.median(base) if base else 0.0
    for key, xs in outs.items():
        if res.reset:
            res.delta_kib[key] = statistics.median(o["peak_kib"] - o["before_kib"] for o in xs)
        else:  # no high-water reset: whole-process peak minus the baseline process's peak
            res.delta_kib[key] = statistics.median(o["peak_kib"] for o in xs) - res.baseline_kib
    return res


def part_memory(python: str, plans: Sequence[Path], formats: Sequence[str], args: argparse.Namespace,
                failures: Failures) -> None:
    section("2. peak memory: plandocs stage vs raw library, seed plans (fresh process per case)")
    rows = []
    reset = True
    for plan in plans:
        print(f"  memory {plan_name(plan)}…", file=sys.stderr, flush=True)
        r = measure_memory(python, plan, formats, ("plandocs", GATED_RAW), args.mem_runs, failures,
                           plan_name(plan))
        reset = reset and r.reset
        for fmt in formats:
            mine, raw = r.delta_kib.get((fmt, "plandocs")), r.delta_kib.get((fmt, GATED_RAW))
            if mine is None or raw is None:
                rows.append([plan_name(plan), fmt, "-", "-", "-", "-", "SKIP"])
                continue
            ratio = mine / raw if raw > 0 else float("inf")
            v = verdict(ratio)
            if v == "FAIL":
                failures.add(f"memory {plan_name(plan)} {fmt}: plandocs/raw = {ratio:.2f} "
                             f"({mib(mine)} vs {mib(raw)} MiB)")
            rows.append([plan_name(plan), fmt, mib(mine), mib(raw), mib(mine - raw), f"{ratio:.2f}", v])
        rows.append([plan_name(plan), "(no-op)", mib(r.baseline_kib), "", "", "", ""])
    print(table(["plan", "format", "plandocs MiB", "raw MiB", "extra MiB", "ratio", "result"], rows,
                [False, False, True, True, True, True, False]))
    if reset:
        print("(method: ru_maxrss. Each process imports the same libraries and prepares the same inputs, resets "
              "its RSS high-water mark through /proc/self/clear_refs, reads VmRSS, makes one call and reads "
              "getrusage(RUSAGE_SELF).ru_maxrss; figure = peak - RSS before. (no-op) is the same with an empty call, "
              f"the noise floor. Median of {args.mem_runs} process(es) per case; target < {RATIO_TARGET})")
    else:
        print("(method: ru_maxrss of the case process minus ru_maxrss of a baseline process with the same "
              "imports and inputs and an empty call; /proc/self/clear_refs was not available)")


@dataclass
class ScaleResult:
    rows: int = 0
    pages: int | None = None
    samples: dict[str, dict[str, Any]] = field(default_factory=dict)
    peak_kib: dict[str, float] = field(default_factory=dict)

    def t(self, variant: str) -> float | None:
        return med(self.samples.get(variant))


def part_scale(python: str, formats: Sequence[str], args: argparse.Namespace, failures: Failures) -> None:
    sizes = sorted(args.sizes)
    section(f"3. scale: synthetic annual plans (zhytomyr format, quarters I-IV and total), median of "
            f"{args.scale_runs}")
    results: dict[tuple[int, str], ScaleResult] = {}
    with tempfile.TemporaryDirectory(prefix="plandocs-render-bench-") as tmp:
        plans = {n: write_plan(Path(tmp) / "plans" / f"synthetic-{n}", ANNUAL_SEED, annual_plan(n)) for n in sizes}
        for n in sizes:
            for fmt in formats:
                jobs = [SCALE_VARIANTS[fmt] if not args.quick else ("plandocs",)]
                if args.scale_raw:
                    jobs.append(("raw",))
                res = results.setdefault((n, fmt), ScaleResult())
                for names in jobs:
                    print(f"  {n} measures, {fmt}, {'+'.join(names)}…", file=sys.stderr, flush=True)
                    out = run_worker(python, {"kind": "scale", "plan": os.fspath(plans[n]), "format": fmt,
                                              "variants": list(names), "runs": args.scale_runs,
                                              "min_sample_ms": args.min_sample_ms, "seed": args.seed},
                                     failures, f"scale {n} {fmt} {'+'.join(names)}")
                    if out is None or "skipped" in out:
                        continue
                    res.rows = out["rows"]
                    res.pages = out.get("pages", res.pages)
                    for k, v in out["samples"].items():
                        res.samples.setdefault(k, v)
                    for k, m in out["memory"].items():
                        res.peak_kib[k] = m["peak_kib"] - m["before_kib"] if m["reset"] else float("nan")
                    for c in out["checks"]:
                        failures.add(f"scale {n} {fmt}: {c}")
    rows = []
    for (n, fmt), r in results.items():
        t = r.t("plandocs")
        if t is None:
            continue
        peak = r.peak_kib.get("plandocs")
        rows.append([str(n), str(r.rows), fmt, ms(t), f"{t / r.rows:.2f}",
                     mib(peak) if peak is not None else "-",
                     f"{peak / 1024 / r.rows:.3f}" if peak is not None else "-",
                     str(r.pages) if fmt == "pdf" and r.pages is not None else ""])
    print(table(["measures", "rows", "format", "plandocs ms", "ms/row", "peak MiB", "MiB/row", "PDF pages"], rows,
                [True, True, False, True, True, True, True, True]))
    print("(rows = table body rows: measures and their executor rows, plus one row per priority. peak MiB: the "
          "first call in a fresh process, measured as in part 2, so it includes one-time costs such as loading "
          "fonts; the timed calls follow it in the same process)")

    others = []
    for (n, fmt), r in results.items():
        t = r.t("plandocs")
        for name in r.samples:
            x = r.t(name)
            if name == "plandocs" or t is None or x is None:
                continue
            mem = ""
            if name in r.peak_kib and "plandocs" in r.peak_kib:
                mem = f"{r.peak_kib['plandocs'] / r.peak_kib[name]:.2f}"
            others.append([str(n), fmt, name, ms(x), f"{x / r.rows:.3f}", f"{t / x:.2f}", mem])
    if others:
        print("\nplandocs against raw at each size (informational):")
        print(table(["measures", "format", "variant", "median ms", "ms/row", "plandocs / variant (time)",
                     "plandocs / variant (peak)"], others, [True, False, False, True, True, True, True]))

    measured = sorted({n for n, _ in results})
    if len(measured) >= 2:
        lo, hi = (500, 1000) if {500, 1000} <= set(measured) else (measured[-2], measured[-1])
        print(f"\nlinearity: time({hi}) / time({lo}); rows grow {hi / lo:.0f}x, so ≈ {hi / lo:.1f} is linear and "
              f"> {SUPERLINEAR * hi / lo / 2:.1f} is flagged as super-linear")
        lin = []
        for fmt in formats:
            a, b = results.get((lo, fmt)), results.get((hi, fmt))
            if a is None or b is None:
                continue
            for name in b.samples:
                ta, tb = a.t(name), b.t(name)
                if ta is None or tb is None:
                    continue
                ratio = tb / ta
                flag = "SUPER-LINEAR" if ratio > SUPERLINEAR * hi / lo / 2 else "ok"
                if flag != "ok" and name == "plandocs":
                    failures.add(f"scale {fmt}: time({hi})/time({lo}) = {ratio:.2f} > "
                                 f"{SUPERLINEAR * hi / lo / 2:.1f} (flag only)")
                lin.append([fmt, name, f"{ratio:.2f}", f"{b.rows / a.rows:.2f}",
                            f"{(tb - ta) / max(b.rows - a.rows, 1):.2f}", flag])
        print(table(["format", "variant", "time ratio", "rows ratio", f"marginal ms/row {lo}->{hi}", "flag"], lin,
                    [False, False, True, True, True, False]))

    big = max(measured) if measured else 0
    pdf = results.get((big, "pdf"))
    if pdf is not None and pdf.t("plandocs") is not None:
        r = pdf
        t = r.t("plandocs") or 0.0
        raw_t = r.t("raw")
        peak, raw_peak = r.peak_kib.get("plandocs"), r.peak_kib.get("raw")
        print(f"\nPDF per table row at {big} measures ({r.rows} rows, {r.pages} pages) beside the issue's raw "
              "WeasyPrint figures (this machine: 2 cores):")
        not_run = "(--scale-raw)"
        out_rows = [["ms per row", f"≈ {ISSUE_RAW_MS_PER_ROW:.1f}", f"{raw_t / r.rows:.2f}" if raw_t else not_run,
                     f"{t / r.rows:.2f}"],
                    ["peak MiB per row", f"< {ISSUE_RAW_MIB_PER_ROW:.1f}",
                     f"{raw_peak / 1024 / r.rows:.3f}" if raw_peak else not_run,
                     f"{peak / 1024 / r.rows:.3f}" if peak is not None else "-"]]
        small = results.get((min(measured), "pdf"))
        if small is not None and small is not r and small.t("plandocs") is not None:
            d = r.rows - small.rows
            ts = small.t("plandocs") or 0.0
            raw_s = small.t("raw")
            out_rows.append([f"marginal ms per row {min(measured)}->{big}", "",
                             f"{(raw_t - raw_s) / d:.2f}" if raw_t and raw_s else not_run, f"{(t - ts) / d:.2f}"])
            ps, raw_ps = small.peak_kib.get("plandocs"), small.peak_kib.get("raw")
            if peak is not None and ps is not None:
                out_rows.append([f"marginal peak MiB per row {min(measured)}->{big}", "",
                                 f"{(raw_peak - raw_ps) / 1024 / d:.3f}" if raw_peak and raw_ps else not_run,
                                 f"{(peak - ps) / 1024 / d:.3f}"])
        print(table(["per table row", "issue: raw WeasyPrint", "raw WeasyPrint here", "plandocs PDF here"],
                    out_rows))


def part_profile(python: str, targets: Sequence[tuple[Path, str]], args: argparse.Namespace,
                 failures: Failures) -> None:
    for path, fmt in targets:
        plan = plan_name(path)
        section(f"profile: {plan} {fmt}, plandocs vs raw (cProfile, per call, {args.profile_calls} calls)")
        out = run_worker(python, {"kind": "profile", "plan": os.fspath(path), "format": fmt,
                                  "calls": args.profile_calls, "top": 12}, failures, f"profile {plan} {fmt}")
        if out is None:
            continue
        t = out["totals"]
        print(f"profiled time per call: plandocs {ms(t['plandocs'])} ms, raw {ms(t[GATED_RAW])} ms "
              "(cProfile inflates both; compare them with each other)")
        print("functions where plandocs spends more self time than raw (the plandocs-only part):")
        print(table(["function", "plandocs self ms", "raw self ms", "extra", "plandocs cum ms", "calls"],
                    ([f, f"{a:.2f}", f"{b:.2f}", f"{a - b:+.2f}", f"{c:.2f}", str(n)] for f, a, b, c, n in out["diff"]),
                    [False, True, True, True, True, True]))
        print("plandocs functions that raw does not call, by cumulative time:")
        print(table(["function", "cum ms"], ([f, f"{c:.2f}"] for f, c in out["plandocs_cum"])))


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--runs", type=int, default=5, help="timed samples per case on the seed plans (default 5)")
    p.add_argument("--warmup", type=int, default=1, help="discarded warm-up rounds on the seed plans (default 1)")
    p.add_argument("--min-sample-ms", type=float, default=100.0,
                   help="calls shorter than this are repeated within one sample (default 100)")
    p.add_argument("--mem-runs", type=int, default=1,
                   help="fresh processes per memory case; the median is shown (default 1)")
    p.add_argument("--scale-runs", type=int, default=2, help="timed samples per case at each size (default 2)")
    p.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")], default=None,
                   help="measures of the synthetic plans (default 125,250,500,1000; --quick 125,250,500)")
    p.add_argument("--scale-raw", action="store_true",
                   help="also time and measure the raw libraries at every size; "
                        "adds about 6 minutes")
    p.add_argument("--formats", type=lambda s: [x.strip() for x in s.split(",")], default=list(FORMATS),
                   help="formats to measure (default docx,html,pdf)")
    p.add_argument("--plans", type=Path, nargs="+", help="plan files instead of every seed plan")
    p.add_argument("--quick", action="store_true",
                   help="--runs 3 --scale-runs 1 --sizes 125,250,500, no informational variants")
    p.add_argument("--no-memory", action="store_true", help="skip part 2")
    p.add_argument("--no-scale", action="store_true", help="skip part 3")
    p.add_argument("--profile", action="store_true",
                   help="profile every seed plan and format (default: only the pairs whose time ratio fails)")
    p.add_argument("--no-profile", action="store_true", help="never profile")
    p.add_argument("--profile-calls", type=int, default=3, help="profiled calls per variant (default 3)")
    p.add_argument("--seed", type=int, default=20230101, help="seed of the interleaving order")
    p.add_argument("--venv", type=Path, default=DEFAULT_VENV, help="virtualenv with plandocs installed")
    p.add_argument("--check", action="store_true",
                   help="exit 1 when a ratio target fails, a same-content check fails or a measurement crashes")
    given = set(argv if argv is not None else sys.argv[1:])
    args = p.parse_args(argv)
    if args.quick:
        if "--runs" not in given:
            args.runs = 3
        if "--scale-runs" not in given:
            args.scale_runs = 1
    if args.sizes is None:
        args.sizes = [125, 250, 500] if args.quick else list(SIZES)
    for name in ("runs", "scale_runs", "mem_runs", "profile_calls"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    bad = [f for f in args.formats if f not in FORMATS]
    if bad:
        p.error(f"unknown format(s): {', '.join(bad)}")
    if any(n < 1 for n in args.sizes):
        p.error("--sizes must be positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    python = os.fspath(args.venv / ("Scripts" if sys.platform == "win32" else "bin") / "python")
    if not Path(python).exists():
        print(f"error: {python} not found; run `make setup` first", file=sys.stderr)
        return 2
    started = time.perf_counter()
    failures = Failures()
    formats = [f for f in FORMATS if f in args.formats]
    plans = [p.resolve() for p in args.plans] if args.plans else seed_plans()

    info = run_worker(python, {"kind": "info"}, failures, "versions")
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    print("plandocs render benchmark")
    if info:
        print(f"python {info['python']}; " + ", ".join(f"{k} {v}" for k, v in info["versions"].items()))
    print(f"cpus: {os.cpu_count()}, load average at start: "
          + (" ".join(f"{x:.2f}" for x in load) if load else "n/a"))

    results = part_time(python, plans, formats, args, failures)
    if not args.no_memory:
        part_memory(python, plans, formats, args, failures)
    if not args.no_scale:
        part_scale(python, formats, args, failures)

    targets = []
    for r in results:
        for fmt in formats:
            m, w = med(r.rec(fmt, "plandocs")), med(r.rec(fmt, GATED_RAW))
            if m is not None and w and (args.profile or m / w >= RATIO_TARGET) and not args.no_profile:
                targets.append((r.path, fmt))
    if targets:
        part_profile(python, targets, args, failures)

    section("summary")
    hard = [f for f in failures.items if "(flag only)" not in f]
    for f in failures.items:
        print(("FLAG  " if "(flag only)" in f else "FAIL  ") + f)
    if not hard:
        print(f"PASS  every plandocs/raw ratio < {RATIO_TARGET}")
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    print(f"total time {time.perf_counter() - started:.0f} s; load average at the end: "
          + (" ".join(f"{x:.2f}" for x in load) if load else "n/a"))
    return 1 if (args.check and hard) else 0


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        sys.exit(worker_main(sys.argv[2:]))
    sys.exit(main())
