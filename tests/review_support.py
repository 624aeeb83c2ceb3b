"""Helpers for the tests of fmt, diff, new and the git integration (issue 5).

:class:`GitRepo` is a real git repository in a temporary folder: tests write plan versions, commit them
and run git and plandocs there as real processes (no mocks).  ``plandocs`` must be on the PATH that git
uses for the diff drivers, so the environment puts the interpreter's ``bin`` folder first.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner, Result

from plandocs.cli import main

TESTS = Path(__file__).parent
REPO = TESTS.parent
PLANS = REPO / "plans"
REVIEW = TESTS / "fixtures" / "review"
TIMEOUT = 30


def cli(args: list[str], cwd: Path) -> Result:
    """``plandocs ARGS`` in-process, from ``cwd``."""
    with contextlib.chdir(cwd):
        return CliRunner().invoke(main, args, catch_exceptions=False)


def env(home: Path) -> dict[str, str]:
    """An environment isolated from the user's git configuration, with plandocs on PATH."""
    bindir = str(Path(sys.executable).parent)
    return {
        "PATH": bindir + os.pathsep + os.environ.get("PATH", ""),
        "HOME": str(home),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
        "LANG": "C.UTF-8",
        "PYTHONIOENCODING": "utf-8",
        "NO_COLOR": "1",
    }


@dataclass
class GitRepo:
    """A git repository holding ``plans/org/`` with the review fixtures' organisation."""

    root: Path

    @classmethod
    def create(cls, tmp: Path) -> GitRepo:
        root = tmp / "repo"
        (root / "plans" / "org").mkdir(parents=True)
        (tmp / "home").mkdir(exist_ok=True)
        repo = cls(root)
        repo.git("init", "-q", "-b", "main")
        shutil.copy(REVIEW / "organisation.yaml", root / "plans" / "org" / "organisation.yaml")
        return repo

    @property
    def env(self) -> dict[str, str]:
        return env(self.root.parent / "home")

    def run(self, args: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, cwd=self.root, env=self.env, capture_output=True, text=True,
                              encoding="utf-8", timeout=TIMEOUT, check=False)

    def git(self, *args: str) -> str:
        proc = self.run(["git", *args])
        assert proc.returncode == 0, proc.stderr
        return proc.stdout

    def plandocs(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run([sys.executable, "-m", "plandocs", *args])

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)


def edit(text: str, *replacements: tuple[str, str]) -> str:
    """Apply replacements that must each match exactly once."""
    for old, new in replacements:
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times"
        text = text.replace(old, new)
    return text
