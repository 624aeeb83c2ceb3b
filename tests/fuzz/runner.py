"""Run one fuzz case through every stage in-process, with a time limit, and classify what happened.

Stages: ``validate``; ``fmt --check``; ``diff`` of the plan with itself (must be empty); when the plan
validates, ``render`` (DOCX and HTML; PDF too when asked) twice, which must give the same bytes; and
``report region`` when the case has a region. Each stage ends as *ok* (exit 0), a *clear error* (exit
1 or 2 through ``sys.exit``/click), a *traceback* (any other exception), or a *hang* (over the limit);
a stage over ``slow`` seconds also counts as *slow*.
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

from click.testing import CliRunner

from fuzz.strategies import Case
from plandocs.cli import main

HANG_SECONDS = 30
SLOW_SECONDS = 5.0


class Hang(BaseException):
    """Raised by the alarm inside a stage that ran over its time limit (BaseException: not caught as an
    ordinary error by the code under test)."""


@dataclass
class Tally:
    """Counts over a run, and the first example of every traceback and hang."""

    counts: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def line(self) -> str:
        c = self.counts
        return (f"tried {c['tried']} cases ({c['stages']} stage runs): ok {c['ok']}, clear error {c['clear']}, "
                f"traceback {c['traceback']}, hang {c['hang']}, slow {c['slow']}, property failures "
                f"{c['property']}")


@contextlib.contextmanager
def _time_limit(seconds: int) -> Iterator[None]:
    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise Hang()

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _write(case: Case, root: Path) -> None:
    org_dir = root / "plans" / "o"
    org_dir.mkdir(parents=True)
    for name, data in case.files.items():
        (org_dir / name).write_bytes(data)
    if case.region is not None:
        (root / "plans" / "r.region.yaml").write_bytes(case.region)


def run_case(case: Case, tally: Tally, *, pdf: bool = False, twice: bool = True,
             hang_seconds: int = HANG_SECONDS) -> list[str]:
    """Run ``case``; return the problems (tracebacks, hangs, property failures), also counted in ``tally``.

    ``twice`` renders a second time and compares the bytes (the long run does it for some cases only)."""
    problems: list[str] = []
    tally.counts["tried"] += 1
    root = Path(tempfile.mkdtemp(prefix="plandocs-fuzz-"))
    try:
        _write(case, root)
        with contextlib.chdir(root):
            outcome = _stage(["validate", "plans"], case, tally, problems, hang_seconds)
            _stage(["fmt", "--check", "plans"], case, tally, problems, hang_seconds)
            same = _stage(["diff", "plans/o/p.yaml", "plans/o/p.yaml"], case, tally, problems, hang_seconds,
                          want_output=True)
            if isinstance(same, tuple) and same[0] == 0 and same[1].strip():
                _property(tally, problems, case, f"diff of a file with itself is not empty: {same[1][:200]!r}")
            if outcome == 0:
                formats = "docx,html,pdf" if pdf else "docx,html"
                first = _render(formats, "out1", case, tally, problems, hang_seconds)
                second = _render(formats, "out2", case, tally, problems, hang_seconds) if twice else first
                if first is not None and second is not None and first != second:
                    _property(tally, problems, case, "rendering twice gave different bytes: "
                              + ", ".join(sorted(k for k in first if first.get(k) != second.get(k))))
                if first == {}:
                    _property(tally, problems, case, "the plan validates but nothing was rendered")
            if case.region is not None and case.report_period is not None:
                _stage(["report", "region", "plans/r.region.yaml", "--period", case.report_period, "-o", "reg",
                        "--format", "html"], case, tally, problems, hang_seconds)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return problems


def _property(tally: Tally, problems: list[str], case: Case, what: str) -> None:
    tally.counts["property"] += 1
    problems.append(f"{case.origin}: {what}")
    if len(tally.examples) < 20:
        tally.examples.append(problems[-1])


def _render(formats: str, out: str, case: Case, tally: Tally, problems: list[str],
            hang_seconds: int) -> dict[str, bytes] | None:
    code = _stage(["render", "plans", "-o", out, "--format", formats, "-q"], case, tally, problems, hang_seconds)
    if code != 0:
        if code == 1 and not problems:
            _property(tally, problems, case, "the plan validates but does not render")
        return None
    base = Path(out)
    # the documents; the manifest records where its inputs are, so two output folders differ there by design
    return {str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*"))
            if p.is_file() and p.name != ".plandocs-manifest.json"}


def _stage(args: list[str], case: Case, tally: Tally, problems: list[str], hang_seconds: int,
           want_output: bool = False) -> int | tuple[int, str] | None:
    tally.counts["stages"] += 1
    started = time.perf_counter()
    try:
        with _time_limit(hang_seconds):
            result = CliRunner().invoke(main, args, catch_exceptions=True)
    except Hang:
        tally.counts["hang"] += 1
        problems.append(f"{case.origin}: plandocs {' '.join(args)}: hang (> {hang_seconds} s)")
        if len(tally.examples) < 20:
            tally.examples.append(problems[-1] + "\n" + _files(case))
        return None
    if time.perf_counter() - started > SLOW_SECONDS:
        tally.counts["slow"] += 1
    exc = result.exception
    if isinstance(exc, Hang):
        tally.counts["hang"] += 1
        problems.append(f"{case.origin}: plandocs {' '.join(args)}: hang (> {hang_seconds} s)")
        if len(tally.examples) < 20:
            tally.examples.append(problems[-1] + "\n" + _files(case))
        return None
    if exc is not None and not isinstance(exc, SystemExit):
        tally.counts["traceback"] += 1
        tb = "".join(traceback.format_exception(exc))
        problems.append(f"{case.origin}: plandocs {' '.join(args)}: {type(exc).__name__}: {exc}")
        if len(tally.examples) < 20:
            tally.examples.append(problems[-1] + "\n" + tb[-1500:] + "\n" + _files(case))
        return None
    tally.counts["ok" if result.exit_code == 0 else "clear"] += 1
    return (result.exit_code, result.stdout) if want_output else result.exit_code


def _files(case: Case) -> str:
    return "\n".join(f"--- {name}\n{data.decode('utf-8', 'replace')[:3000]}" for name, data in case.files.items())
