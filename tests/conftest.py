"""Shared helpers: a scratch copy of the minimal valid plan, and ways to run the CLI on it.

``tests/fixtures/valid/`` holds the smallest valid pair of files (``organisation.yaml`` and a
quarterly ``plan.yaml``).  A test copies it into ``tmp_path`` with the ``ws`` fixture, changes one thing
with :meth:`Workspace.edit_plan` / :meth:`Workspace.edit_org` (each edit must match exactly once, so a
test cannot silently edit nothing), runs ``plandocs validate .`` there and compares the diagnostic
headlines.  File names in the output are then the bare ``plan.yaml`` / ``organisation.yaml``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from plandocs.cli import main

TESTS = Path(__file__).parent
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
VALID = FIXTURES / "valid"
PLANS = REPO / "plans"

SUBPROCESS_TIMEOUT = 20
"""Seconds a real ``python -m plandocs`` run may take before the test fails as a hang."""

_HEADLINE_RE = re.compile(
    r"^(?P<file>[^\s:][^:\n]*?)(?::(?P<line>\d+):(?P<col>\d+))?: (?:error|warning)\[[a-z0-9-]+\]: ")


def run_cli(args: list[str], cwd: Path) -> Result:
    """Run ``plandocs ARGS`` in-process from ``cwd`` (paths in the output are relative to it)."""
    with contextlib.chdir(cwd):
        return CliRunner().invoke(main, args, catch_exceptions=True)


def run_subprocess(args: list[str], cwd: Path, timeout: float = SUBPROCESS_TIMEOUT) -> subprocess.CompletedProcess[str]:
    """Run ``python -m plandocs ARGS`` as a real process; a hang fails the test after ``timeout`` s."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "plandocs", *args],
        cwd=cwd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=timeout, check=False,
    )


def headlines(stdout: str) -> list[str]:
    """The diagnostic headlines of a text report (excerpt lines are indented, the summary is on stderr)."""
    return [line for line in stdout.splitlines() if _HEADLINE_RE.match(line)]


def rule_ids(stdout: str) -> list[str]:
    """The rule id of each diagnostic headline, in order."""
    return [re.sub(r"^.*?: (?:error|warning)\[([a-z0-9-]+)\]: .*$", r"\1", line) for line in headlines(stdout)]


def assert_clean_exit(result: Result) -> None:
    """The CLI ended by returning or by ``sys.exit``, never by an uncaught exception."""
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


@dataclass
class Workspace:
    """A scratch folder holding a copy of the valid organisation and plan."""

    root: Path

    @property
    def plan(self) -> Path:
        return self.root / "plan.yaml"

    @property
    def org(self) -> Path:
        return self.root / "organisation.yaml"

    @staticmethod
    def _edit(path: Path, edits: tuple[tuple[str, str], ...]) -> None:
        text = path.read_text(encoding="utf-8")
        for old, new in edits:
            assert text.count(old) == 1, f"{old!r} must occur exactly once in {path.name}"
            text = text.replace(old, new)
        path.write_text(text, encoding="utf-8")

    def edit_plan(self, *edits: tuple[str, str]) -> None:
        """Replace each ``old`` (which must occur exactly once) by ``new`` in plan.yaml."""
        self._edit(self.plan, edits)

    def edit_org(self, *edits: tuple[str, str]) -> None:
        self._edit(self.org, edits)

    def write(self, name: str, data: str | bytes) -> Path:
        path = self.root / name
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        return path

    def validate(self, *args: str) -> Result:
        """``plandocs validate ARGS`` (default ``.``) run from the workspace."""
        result = run_cli(["validate", *(args or (".",))], self.root)
        assert_clean_exit(result)
        return result

    def expect(self, *expected: tuple[str, str | None], exit_code: int = 1, args: tuple[str, ...] = ()) -> Result:
        """Validate and require exactly these diagnostics, in this order, and this exit status.

        Each expectation is ``(headline, at)``: the full ``file:line:col: severity[rule]: path: message``
        line, and the source text that must start at that line and column (``None`` for whole-file
        diagnostics), which proves the position points at the offending text.
        """
        result = self.validate(*args)
        assert headlines(result.stdout) == [h for h, _ in expected], result.output
        for headline, at in expected:
            m = _HEADLINE_RE.match(headline)
            assert m is not None, headline
            if at is None:
                assert m.group("line") is None, f"{headline} has a position; say what it points at"
                continue
            assert m.group("line") is not None, f"{headline} has no position"
            lines = (self.root / m.group("file")).read_text(encoding="utf-8-sig").splitlines()
            line, col = int(m.group("line")), int(m.group("col"))
            assert lines[line - 1][col - 1:].startswith(at), (headline, lines[line - 1], at)
        assert result.exit_code == exit_code, result.output
        return result


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    """A copy of tests/fixtures/valid in a temporary folder."""
    for f in VALID.iterdir():
        shutil.copy(f, tmp_path / f.name)
    return Workspace(tmp_path)
