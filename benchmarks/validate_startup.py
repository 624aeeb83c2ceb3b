"""Start-up benchmark of ``plandocs validate``, the command pre-commit hooks run on every commit.

Times whole processes, interleaved in one run so they share the machine's noise:

* ``validate -m``: ``.venv/bin/python -m plandocs validate plans``
* ``validate script``: ``.venv/bin/plandocs validate plans/`` (the console script pre-commit runs)
* ``import click, yaml``: the same interpreter importing only the two libraries validate needs
* ``python floor``: ``python -c pass``, the interpreter's own start-up

Then it lists the heaviest imports of the validate process (``-X importtime``), checks that the
rendering stack (WeasyPrint, docxtpl, python-docx, lxml, Jinja2) is not imported, and times validate
on a synthetic 1,000-measure plan to estimate the cost per measure.

Target: median(validate) / median(import click, yaml) < 2.5x.  Targets are reported, not asserted: the
exit status is 0 unless ``--check`` is given and a target fails.  Stdlib only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from harness import child_env, ms, percentile, section, table  # siblings: the scripts run as benchmarks/<name>.py
from synthetic import QUARTERLY_SEED, quarterly_plan, write_plan

if sys.platform != "win32":
    import resource

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_VENV = ROOT / ".venv"

RATIO_TARGET = 2.5
HEAVY_MODULES = ("weasyprint", "docxtpl", "docx", "lxml", "jinja2")
TOP_IMPORTS = 15



# --------------------------------------------------------------------------- timing


@dataclass
class Case:
    """One command to time, with its samples."""

    name: str
    argv: list[str]
    cwd: Path
    wall_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)
    returncodes: set[int] = field(default_factory=set)


def _children_cpu_s() -> float:
    if sys.platform == "win32":
        return 0.0
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def run_once(argv: Sequence[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """Run ``argv`` to completion; return (wall ms, CPU ms of the child, exit status)."""
    cpu0 = _children_cpu_s()
    t0 = time.perf_counter_ns()
    proc = subprocess.run(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, check=False)
    wall = (time.perf_counter_ns() - t0) / 1e6
    cpu = (_children_cpu_s() - cpu0) * 1000
    return wall, cpu, proc.returncode


def time_interleaved(cases: Sequence[Case], runs: int, warmup: int, rng: random.Random,
                     env: dict[str, str]) -> None:
    """Run every case ``warmup + runs`` times, in a fresh random order each round; keep the last ``runs``."""
    for round_no in range(warmup + runs):
        order = list(cases)
        rng.shuffle(order)
        for case in order:
            wall, cpu, rc = run_once(case.argv, case.cwd, env)
            case.returncodes.add(rc)
            if round_no >= warmup:
                case.wall_ms.append(wall)
                case.cpu_ms.append(cpu)


# --------------------------------------------------------------------------- import time


@dataclass
class ImportRecord:
    name: str
    depth: int
    self_us: float
    cumulative_us: float
    parent: str | None


def parse_importtime(stderr: str) -> list[ImportRecord]:
    """Parse ``-X importtime`` lines (``import time: self | cumulative | name``), in the order printed.

    A module is printed after everything it imported, one indentation level (2 spaces) deeper per
    level of nesting; the parent of a line is the next line printed at a smaller depth.
    """
    raw: list[tuple[str, int, float, float]] = []
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        parts = line[len("import time:"):].split("|")
        if len(parts) != 3:
            continue
        try:
            self_us, cum_us = float(parts[0]), float(parts[1])
        except ValueError:
            continue  # the header line
        name_field = parts[2].rstrip()
        stripped = name_field.lstrip(" ")
        depth = (len(name_field) - len(stripped) - 1) // 2
        raw.append((stripped, depth, self_us, cum_us))
    records: list[ImportRecord] = []
    for i, (name, depth, self_us, cum_us) in enumerate(raw):
        parent = next((n for n, d, _, _ in raw[i + 1:] if d < depth), None)
        records.append(ImportRecord(name, depth, self_us, cum_us, parent))
    return records


def importtime_profile(python: str, args: Sequence[str], cwd: Path, env: dict[str, str],
                       repeats: int) -> tuple[dict[str, ImportRecord], int]:
    """Median per-module import times over ``repeats`` runs of ``python -X importtime ARGS``."""
    samples: dict[str, list[ImportRecord]] = {}
    rc = 0
    for _ in range(repeats):
        proc = subprocess.run([python, "-X", "importtime", *args], cwd=cwd, env=env,
                              stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              text=True, check=False)
        rc = proc.returncode
        for rec in parse_importtime(proc.stderr):
            samples.setdefault(rec.name, []).append(rec)
    merged = {
        name: ImportRecord(name, recs[0].depth, statistics.median(r.self_us for r in recs),
                           statistics.median(r.cumulative_us for r in recs), recs[0].parent)
        for name, recs in samples.items()
    }
    return merged, rc


_MODULES_MARK = "@@plandocs-bench-modules@@"
_DUMP_MODULES = f"""
import runpy, sys

sys.argv = ["plandocs", "validate", "plans"]
try:
    runpy.run_module("plandocs", run_name="__main__", alter_sys=True)
except SystemExit:
    pass
finally:
    sys.stderr.write("\\n{_MODULES_MARK}" + " ".join(sorted(sys.modules)) + "\\n")
"""


def modules_at_exit(python: str, cwd: Path, env: dict[str, str]) -> set[str] | None:
    """``sys.modules`` at the end of an in-process ``plandocs validate plans`` (``None`` if it failed).

    ``-X importtime`` also lists imports that were attempted and failed (``try: import x``); this tells
    which modules were really loaded.
    """
    proc = subprocess.run([python, "-c", _DUMP_MODULES], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    for line in proc.stderr.splitlines():
        if line.startswith(_MODULES_MARK):
            return set(line[len(_MODULES_MARK):].split())
    return None


def import_chain(name: str, records: dict[str, ImportRecord]) -> str:
    chain = [name]
    parent = records[name].parent
    while parent is not None and parent in records and len(chain) < 20:
        chain.append(parent)
        parent = records[parent].parent
    return " <- ".join(chain)


def is_under(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


# --------------------------------------------------------------------------- synthetic plan


def write_synthetic_tree(base: Path, measures: int) -> Path:
    """``base/plans/synthetic/{2020-q2.yaml,organisation.yaml}``; returns ``base/plans``."""
    write_plan(base / "plans" / "synthetic", QUARTERLY_SEED, quarterly_plan(measures))
    return base / "plans"




def json_summary(python: str, cwd: Path, env: dict[str, str]) -> dict[str, object]:
    proc = subprocess.run([python, "-m", "plandocs", "validate", "--format", "json", "plans"], cwd=cwd,
                          env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False)
    try:
        data = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return {"returncode": proc.returncode, "stderr": proc.stderr.strip()[-400:]}
    if not isinstance(data, dict):
        return {"returncode": proc.returncode}
    data["returncode"] = proc.returncode
    return data


# --------------------------------------------------------------------------- output


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--runs", type=int, default=30, help="timed runs of each command (default 30)")
    p.add_argument("--warmup", type=int, default=1, help="discarded warm-up rounds (default 1)")
    p.add_argument("--importtime-runs", type=int, default=5,
                   help="-X importtime runs; per-module medians are shown (default 5)")
    p.add_argument("--measures", type=int, default=1000, help="measures in the synthetic plan (default 1000)")
    p.add_argument("--scale-runs", type=int, default=5, help="timed runs of the scale check (default 5)")
    p.add_argument("--no-scale", action="store_true", help="skip the synthetic scale check")
    p.add_argument("--seed", type=int, default=20200401, help="seed of the interleaving order")
    p.add_argument("--venv", type=Path, default=DEFAULT_VENV, help="virtualenv with plandocs installed")
    p.add_argument("--check", action="store_true",
                   help="exit 1 when a target fails (ratio, heavy imports, validate crashing)")
    args = p.parse_args(argv)
    for name in ("runs", "importtime_runs", "scale_runs", "measures"):
        if getattr(args, name) < 1:
            p.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.warmup < 0:
        p.error("--warmup must not be negative")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    bindir = args.venv / ("Scripts" if sys.platform == "win32" else "bin")
    python = str(bindir / "python")
    script = str(bindir / "plandocs")
    for exe in (python, script):
        if not Path(exe).exists():
            print(f"error: {exe} not found; run `make setup` first", file=sys.stderr)
            return 2
    env = child_env(NO_COLOR="1")
    rng = random.Random(args.seed)
    failures: list[str] = []

    info = subprocess.run(
        [python, "-c", "import sys, platform, yaml, click; print(sys.version.split()[0], platform.machine(),"
         " yaml.__version__, yaml.__with_libyaml__, click.__version__)"],
        capture_output=True, text=True, env=env, check=False).stdout.split()
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    print("plandocs validate start-up benchmark")
    if len(info) == 5:
        print(f"python {info[0]} ({info[1]}), PyYAML {info[2]} (libyaml: {info[3]}), click {info[4]}")
    print(f"cpus: {os.cpu_count()}, load average: "
          + (" ".join(f"{x:.2f}" for x in load) if load else "n/a")
          + f"; {args.runs} runs per command after {args.warmup} warm-up round(s), interleaved at random")

    # ---- start-up times
    validate_m = Case("validate (python -m)", [python, "-m", "plandocs", "validate", "plans"], ROOT)
    validate_s = Case("validate (console script)", [script, "validate", "plans/"], ROOT)
    imports_only = Case("import plandocs.cli (no work)", [python, "-c", "import plandocs.cli"], ROOT)
    libs = Case("import click, yaml", [python, "-c", "import click, yaml"], ROOT)
    floor = Case("python -c pass (floor)", [python, "-c", "pass"], ROOT)
    cases = [validate_m, validate_s, imports_only, libs, floor]
    time_interleaved(cases, args.runs, args.warmup, rng, env)

    section("start-up, whole process (ms)")
    floor_med = statistics.median(floor.wall_ms)
    rows = []
    for c in cases:
        med = statistics.median(c.wall_ms)
        rows.append([c.name, ms(min(c.wall_ms)), ms(med), ms(percentile(c.wall_ms, 90)),
                     ms(med - floor_med), ms(statistics.median(c.cpu_ms)),
                     ",".join(str(rc) for rc in sorted(c.returncodes))])
    print(table(["command", "min", "median", "p90", "over floor", "cpu median", "exit"], rows))
    val_med = statistics.median(validate_m.wall_ms)
    imp_med = statistics.median(imports_only.wall_ms)
    libs_med = statistics.median(libs.wall_ms)
    print(f"\nwhere `python -m plandocs validate plans` spends its {ms(val_med)} ms (differences of "
          "medians):")
    print(table(["part", "ms", "share"], [
        [name, ms(part), f"{100 * part / val_med:.0f}%"] for name, part in (
            ("interpreter start-up (floor)", floor_med),
            ("importing click + yaml", libs_med - floor_med),
            ("importing plandocs' modules and the rest of the stdlib they use", imp_med - libs_med),
            ("validating plans/ and printing (and any lazy imports)", val_med - imp_med),
        )]))
    for c in (validate_m, validate_s):
        if not c.returncodes <= {0, 1}:
            failures.append(f"{c.name} exited with {sorted(c.returncodes)} (0 valid, 1 invalid expected)")

    section(f"target: median(validate) / median(import click, yaml) < {RATIO_TARGET}x")
    rows = []
    for c in (validate_m, validate_s):
        med = statistics.median(c.wall_ms)
        ratio = med / libs_med
        own = (med - floor_med) / max(libs_med - floor_med, 1e-9)
        verdict = "PASS" if ratio < RATIO_TARGET else "FAIL"
        if verdict == "FAIL":
            failures.append(f"{c.name}: ratio {ratio:.2f}x >= {RATIO_TARGET}x")
        rows.append([c.name, f"{ratio:.2f}x", f"{own:.2f}x", ms(med - libs_med), verdict])
    print(table(["validate via", "ratio", "ratio over floor", "ms beyond click+yaml", "result"], rows,
                [False, True, True, True, False]))
    print("(ratio over floor = (validate - floor) / (click+yaml - floor): the same comparison without the "
          "interpreter's own start-up)")

    # ---- import time
    section(f"imports of `python -X importtime -m plandocs validate plans` (median of {args.importtime_runs}"
            " runs)")
    records, rc = importtime_profile(python, ["-m", "plandocs", "validate", "plans"], ROOT, env,
                                     args.importtime_runs)
    base, _ = importtime_profile(python, ["-c", "import click, yaml"], ROOT, env, args.importtime_runs)
    if rc not in (0, 1):
        failures.append(f"validate under -X importtime exited with {rc}")
    top = sorted(records.values(), key=lambda r: r.cumulative_us, reverse=True)[:TOP_IMPORTS]
    print(f"top {TOP_IMPORTS} by cumulative time; -X importtime inflates every figure, compare them with "
          "each other, not with the wall-clock table")
    print(table(["module", "cumulative ms", "self ms", "imported by"],
                ([("  " * r.depth) + r.name, ms(r.cumulative_us / 1000), ms(r.self_us / 1000),
                  r.parent or "(top level)"] for r in top),
                [False, True, True, False]))

    extra = [r for r in records.values() if r.name not in base]
    extra_self = sum(r.self_us for r in extra) / 1000
    all_self = sum(r.self_us for r in records.values()) / 1000
    base_self = sum(r.self_us for r in base.values()) / 1000
    print(f"\nself time of all imports: validate {ms(all_self)} ms, `import click, yaml` {ms(base_self)} ms; "
          f"{len(extra)} modules that click+yaml do not import add {ms(extra_self)} ms:")
    print(table(["module (not imported by click+yaml)", "self ms", "imported by"],
                ([r.name, ms(r.self_us / 1000), r.parent or "(top level)"]
                 for r in sorted(extra, key=lambda r: r.self_us, reverse=True)[:TOP_IMPORTS]),
                [False, True, False]))
    ours = sum(r.self_us for r in records.values() if is_under(r.name, "plandocs")) / 1000
    print(f"plandocs' own modules: {ms(ours)} ms self time")
    for r in records.values():
        if r.name.startswith("__editable__") and r.parent == "site":
            print(f"note: {r.name} ({ms(r.cumulative_us / 1000)} ms cumulative) runs at every start of this "
                  "venv's interpreter (a setuptools editable install in finder mode); the floor and both sides "
                  "of the ratio include it, and a wheel install does not have it")

    section("rendering stack must not be imported by validate")
    loaded = modules_at_exit(python, ROOT, env)
    if loaded is None:
        print("(could not list sys.modules of an in-process validate; judging by -X importtime alone)")
    for heavy in HEAVY_MODULES:
        hits = [name for name in records if is_under(name, heavy)]
        really = [n for n in hits if n in loaded] if loaded is not None else hits
        if really:
            worst = max(really, key=lambda n: records[n].cumulative_us)
            failures.append(f"{heavy} is imported by validate")
            print(f"FAIL  {heavy:<10} IS imported ({len(really)} modules, "
                  f"{ms(records[worst].cumulative_us / 1000)} ms cumulative): {import_chain(worst, records)}")
        elif hits:
            print(f"OK    {heavy:<10} not loaded (an import was attempted and failed: "
                  f"{import_chain(hits[0], records)})")
        else:
            print(f"OK    {heavy:<10} not imported")

    # ---- scale
    if not args.no_scale:
        section(f"scale: synthetic plan, {args.measures} measures x 3 executor rows "
                f"(median of {args.scale_runs})")
        with tempfile.TemporaryDirectory(prefix="plandocs-bench-") as tmp:
            big_dir, small_dir = Path(tmp) / "big", Path(tmp) / "small"
            big_plans = write_synthetic_tree(big_dir, args.measures)
            write_synthetic_tree(small_dir, 1)
            size = sum(f.stat().st_size for f in big_plans.rglob("*.yaml"))
            summary = json_summary(python, big_dir, env)
            big = Case(f"{args.measures} measures", [python, "-m", "plandocs", "validate", "plans"], big_dir)
            small = Case("1 measure", [python, "-m", "plandocs", "validate", "plans"], small_dir)
            time_interleaved([big, small], args.scale_runs, 1, rng, env)
            rows = [[c.name, ms(min(c.wall_ms)), ms(statistics.median(c.wall_ms)),
                     ms(statistics.median(c.cpu_ms))] for c in (small, big)]
            print(table(["plan", "min", "median", "cpu median"], rows))
            per_measure = (statistics.median(big.wall_ms) - statistics.median(small.wall_ms)) / max(
                args.measures - 1, 1)
            print(f"plan file: {size / 1024:.0f} KiB; validate found {summary.get('errors', '?')} error(s), "
                  f"{summary.get('warnings', '?')} warning(s), exit {summary.get('returncode')}")
            print(f"per-measure cost: {per_measure * 1000:.0f} us "
                  f"((median {args.measures} - median 1) / {max(args.measures - 1, 1)})")
            if summary.get("errors") != 0:
                print(f"note: the synthetic plan is not valid, so the figure may understate the cost: "
                      f"{summary}")

    section("summary")
    if failures:
        for f in failures:
            print(f"FAIL  {f}")
    else:
        print("PASS  all targets met")
    return 1 if (args.check and failures) else 0


if __name__ == "__main__":
    sys.exit(main())
