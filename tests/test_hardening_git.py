"""Issue 16: git faults — the git-diff driver on missing files, a committed symlink out of the repository,
a submodule named like a plan, a path in no revision, and git missing — each a clear message."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import VALID, run_cli
from hardening_support import Project


def _git(root: Path, *args: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_GLOBAL": os.devnull}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def _repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "plans/t").mkdir(parents=True)
    shutil.copy(VALID / "organisation.yaml", root / "plans/t/organisation.yaml")
    shutil.copy(VALID / "plan.yaml", root / "plans/t/2020-q2.yaml")
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "one")
    return root


def test_git_diff_driver_with_missing_files_says_so(tmp_path: Path) -> None:
    p = Project(_repo(tmp_path))
    result = p.cli("git-diff", "plans/t/2020-q2.yaml", "/nonexistent/old", "0" * 40, "100644",
                   "/nonexistent/new", "1" * 40, "100644")
    assert result.exit_code == 0, result.output
    assert result.output == ("plans/t/2020-q2.yaml: not compared: cannot read '/nonexistent/old': "
                             "No such file or directory\n")


def test_committed_symlink_out_of_the_repository_is_not_followed(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    outside = tmp_path / "outside.yaml"
    outside.write_text("SECRET: 1\n", encoding="utf-8")
    os.symlink(outside, root / "plans/t/2021.yaml")
    _git(root, "add", ".")
    _git(root, "commit", "-q", "-m", "link")
    p = Project(root)
    result = p.cli("diff", "HEAD~1")
    assert result.exit_code == 0, result.output
    assert "SECRET" not in result.output
    result = p.cli("diff", "HEAD~1", "HEAD")
    assert result.exit_code == 0, result.output
    assert "SECRET" not in result.output


def test_submodule_named_like_a_plan_does_not_break_the_diff(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    sub = tmp_path / "sub"
    sub.mkdir()
    _git(sub, "init", "-q", "-b", "main")
    _git(sub, "commit", "-q", "--allow-empty", "-m", "s")
    _git(root, "-c", "protocol.file.allow=always", "submodule", "add", "-q", str(sub), "plans/t/sub.yaml")
    _git(root, "commit", "-q", "-m", "submodule")
    p = Project(root)
    p.edit_plan("Робочі зустрічі з населенням", "Робочі зустрічі з мешканцями")
    result = p.cli("diff", "HEAD~1")
    assert result.exit_code == 1, result.output
    assert "мешканцями" in result.output


def test_diff_of_a_path_in_no_revision_is_an_error(tmp_path: Path) -> None:
    root = _repo(tmp_path)
    _git(root, "commit", "-q", "--allow-empty", "-m", "two")
    result = run_cli(["diff", "HEAD~1", "--", "plans/does-not-exist"], root)
    assert result.exit_code == 2, result.output
    assert ("'plans/does-not-exist' is in neither HEAD~1 nor the working tree; check the path (relative to the "
            f"repository root {root})") in result.output, result.output


def test_git_missing_says_git_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _repo(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    result = run_cli(["diff", "HEAD~1"], root)
    assert result.exit_code == 2, result.output
    assert "git is not installed or not on PATH; it is needed to compare revisions" in result.output
    assert "not inside a git repository" not in result.output
