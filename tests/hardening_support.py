"""Scratch projects for the hardening tests (issue 16): a ``plans/`` folder with the valid plan, plus
the exact hostile input of one case from ``tests/fixtures/hardening/<case>/``.

The project is laid out as a user's repository is: ``ROOT/plans/t/organisation.yaml`` and
``ROOT/plans/t/2020-q2.yaml``; a case's files go into ``ROOT/tpl/``, which the organisation names as
its template folder.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from click.testing import Result

from conftest import FIXTURES, VALID, assert_clean_exit, run_cli

HARDENING = FIXTURES / "hardening"


@dataclass
class Project:
    root: Path

    @property
    def org_dir(self) -> Path:
        return self.root / "plans" / "t"

    @property
    def plan(self) -> Path:
        return self.org_dir / "2020-q2.yaml"

    @property
    def org(self) -> Path:
        return self.org_dir / "organisation.yaml"

    def cli(self, *args: str) -> Result:
        """``plandocs ARGS`` in-process from the project root; never an uncaught exception."""
        result = run_cli(list(args), self.root)
        assert_clean_exit(result)
        return result

    def render(self, *args: str) -> Result:
        return self.cli("render", "plans", "-o", "out", "-q", *args)

    def outputs(self) -> list[str]:
        """Every file under ``out/``, hidden temporary files included."""
        out = self.root / "out"
        return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()) if out.exists() else []

    def edit_plan(self, old: str, new: str) -> None:
        text = self.plan.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        self.plan.write_text(text.replace(old, new), encoding="utf-8")


def make_project(tmp: Path, case: str | None = None) -> Project:
    """A project with the valid plan; ``case`` copies that fixture folder in as the template folder."""
    root = tmp / "proj"
    org_dir = root / "plans" / "t"
    org_dir.mkdir(parents=True)
    shutil.copy(VALID / "organisation.yaml", org_dir / "organisation.yaml")
    shutil.copy(VALID / "plan.yaml", org_dir / "2020-q2.yaml")
    if case is not None:
        shutil.copytree(HARDENING / case, root / "tpl", symlinks=True)
        with open(org_dir / "organisation.yaml", "a", encoding="utf-8") as fh:
            fh.write("templates: ../../tpl\n")
    return Project(root)


def embedded_files(pdf: Path) -> list[str]:
    """Names of the files embedded in a PDF, as poppler's pdfdetach lists them."""
    out = subprocess.run(["pdfdetach", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    return [line.split(": ", 1)[1] for line in out.splitlines()[1:] if ": " in line]
