"""Where one document's cycle goes: ``plandocs render`` of one document of the synthetic national tree, end to
end (discovery, manifest check, validation, view, typesetting, HTML, PDF, DOCX, writing, manifest), under
cProfile, for each PDF engine.

The process is warmed first with another document of the tree (imports, fonts, templates, Typst's compiler),
as a pool worker is.  Then each run renders the document of another centre with ``render_batch(...,
force=True, jobs=1)`` (a single document is rendered in the command's process, so the whole cycle is in one
profile; another centre each time, because Typst memoises across compilations and the same document again
would cost a fraction).  The unprofiled and profiled runs alternate.

It prints the CPU time of a run without the profiler (``getrusage``), then the cumulative time of each stage
under the profiler (the functions that make it; stages can overlap where one calls another), and plandocs'
own functions with the most self time.  cProfile slows Python code much more than the engines' C and Rust
code, so read the stage shares beside the unprofiled CPU time, not as absolute times.

    .venv/bin/python benchmarks/profile_document.py                       # both engines, centre-NNN/2023
    .venv/bin/python benchmarks/profile_document.py --engines typst --document 2023-q2.report.yaml
"""

from __future__ import annotations

import argparse
import atexit
import cProfile
import os
import pstats
import resource
import shutil
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from synthetic_tree import write_tree

STAGES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("discovery + manifest check", ("batch.py:documents", "manifest.py:up_to_date", "manifest.py:__init__")),
    ("settings (versions, code hash)", ("batch.py:settings_of",)),
    ("validate", ("validate.py:validate",)),
    ("document inputs (templates)", ("batch.py:document_inputs",)),
    ("hashing inputs", ("manifest.py:current_hash",)),
    ("view", ("pipeline.py:document_view",)),
    ("typeset", ("typography.py:typeset",)),
    ("HTML (all calls)", ("html.py:render_html",)),
    ("PDF WeasyPrint stage", ("pdf.py:render_pdf_pages",)),
    ("  layout passes (HTML().render)", ("document.py:_render",)),
    ("  write_pdf", ("document.py:write_pdf",)),
    ("  searchable_hyphens", ("pdf.py:searchable_hyphens",)),
    ("PDF Typst stage", ("typst.py:render_typst",)),
    ("  Typst markup", ("typst.py:typst_source",)),
    ("  compile", ("~:<method 'compile' of 'typst._typst.Compiler' objects>",
                   "~:<method 'compile' of 'builtins.Compiler' objects>")),
    ("  query", ("~:<method 'query' of 'typst._typst.Compiler' objects>",
                 "~:<method 'query' of 'builtins.Compiler' objects>")),
    ("  searchable_hyphenation", ("typst.py:searchable_hyphenation",)),
    ("DOCX", ("docx.py:render_docx",)),
    ("writing outputs", ("write.py:write_outputs",)),
    ("output sha256 + record", ("batch.py:_record", "~:<built-in method _hashlib.openssl_sha256>")),
    ("manifest save", ("manifest.py:save",)),
)


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    c = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime + c.ru_utime + c.ru_stime


def _key_name(key: tuple[str, int, str]) -> str:
    file, _line, name = key
    return f"{os.path.basename(file)}:{name}" if file != "~" else f"~:{name}"


def stage_times(stats: pstats.Stats) -> dict[str, float]:
    raw: Any = stats.stats  # type: ignore[attr-defined]
    by_name: dict[str, float] = {}
    for key, (_cc, _nc, _tt, ct, _callers) in raw.items():
        name = _key_name(key)
        by_name[name] = by_name.get(name, 0.0) + ct
    return {stage: sum(by_name.get(n, 0.0) for n in names) for stage, names in STAGES}


def own_functions(stats: pstats.Stats, count: int) -> list[tuple[str, float, int]]:
    raw: Any = stats.stats  # type: ignore[attr-defined]
    rows = [(f"{k[0].rpartition('/plandocs/')[2]}:{k[1]} {k[2]}", tt, nc)
            for k, (_cc, nc, tt, _ct, _callers) in raw.items() if "/src/plandocs/" in k[0]]
    return sorted(rows, key=lambda r: -r[1])[:count]


def main(argv: Sequence[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--engines", default="weasyprint,typst")
    p.add_argument("--document", default="2023.yaml", help="file of each centre to render (default 2023.yaml)")
    p.add_argument("--runs", type=int, default=3, help="profiled and unprofiled runs, interleaved (default 3)")
    p.add_argument("--top", type=int, default=15, help="plandocs functions listed by self time")
    p.add_argument("--formats", default="html,docx,pdf")
    args = p.parse_args(argv)

    from plandocs.render.batch import render_batch

    base = Path(tempfile.mkdtemp(prefix="plandocs-profile-"))
    atexit.register(shutil.rmtree, base, True)
    # a centre per run and side: Typst memoises across compilations, so each run prints a document anew
    centres = [c.folder for c in write_tree(base, 2 * args.runs + 1)]
    formats = tuple(args.formats.split(","))
    print(f"# one document end to end: centre-NNN/{args.document}, formats {','.join(formats)}, "
          f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for engine in args.engines.split(","):
        out = base / f"out-{engine}"
        render_batch([centres[-1] / "2023.yaml"], out, formats, pdf_engine=engine, jobs=1, force=True)
        plain: list[float] = []
        profiled: list[float] = []
        stages: list[dict[str, float]] = []
        last: pstats.Stats | None = None
        for run in range(args.runs):
            c = cpu()
            result = render_batch([centres[2 * run] / args.document], out, formats, pdf_engine=engine, jobs=1,
                                  force=True)
            plain.append(cpu() - c)
            assert result.ok and len(result.rendered) == 1, result.failed
            prof = cProfile.Profile()
            c = cpu()
            prof.enable()
            render_batch([centres[2 * run + 1] / args.document], out, formats, pdf_engine=engine, jobs=1,
                         force=True)
            prof.disable()
            profiled.append(cpu() - c)
            last = pstats.Stats(prof)
            stages.append(stage_times(last))
        assert last is not None
        total = statistics.median(profiled)
        print(f"\n## {engine}: CPU {statistics.median(plain):.3f} s per document (median of {args.runs}; "
              f"{', '.join(f'{x:.3f}' for x in plain)}), under cProfile {total:.3f} s; "
              f"load {os.getloadavg()[0]:.2f}")
        for stage, _names in STAGES:
            value = statistics.median(s[stage] for s in stages)
            if value > 0.0005:
                print(f"  {stage:34} {value:7.3f} s  {100 * value / total:5.1f} %")
        print("  plandocs' own functions by self time (last profiled run):")
        for name, tt, nc in own_functions(last, args.top):
            print(f"    {tt:7.3f} s {nc:8d}×  {name}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.fspath(Path(__file__).resolve().parent))
    sys.exit(main())
