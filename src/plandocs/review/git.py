"""Reading files from git revisions: ``git`` run as a subprocess with explicit arguments, never a shell."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from plandocs.errors import GitError
from plandocs.i18n import _


def _git(args: list[str], cwd: Path) -> bytes:
    exe = shutil.which("git")
    if exe is None:
        raise GitError(_("git is not installed or not on PATH; it is needed to compare revisions"))
    proc = subprocess.run([exe, *args], cwd=cwd, capture_output=True, check=False)
    if proc.returncode != 0:
        msg = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        why = msg[-1] if msg else _("exit status {code}").format(code=proc.returncode)
        raise GitError(_("git {command} failed: {why}").format(command=args[0], why=why))
    return proc.stdout


def toplevel(cwd: Path) -> Path:
    """The root of the work tree that contains ``cwd``."""
    try:
        out = _git(["rev-parse", "--show-toplevel"], cwd)
    except GitError:
        raise GitError(_("{folder} is not inside a git repository, so revisions cannot be compared").format(
            folder=cwd)) from None
    return Path(out.decode("utf-8").strip())


def is_revision(rev: str, root: Path) -> bool:
    """Whether ``rev`` names a commit (``main``, ``HEAD~1``, a hash, a tag)."""
    if not rev or rev.startswith("-"):
        return False
    try:
        _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{rev}^{{commit}}"], root)
    except GitError:
        return False
    return True


def list_files(rev: str, paths: list[str], root: Path) -> list[str]:
    """Files under ``paths`` (relative to the repository root) in revision ``rev``."""
    out = _git(["ls-tree", "-r", "-z", "--name-only", "--full-tree", "--end-of-options", rev, "--", *paths],
               root)
    return sorted(p for p in out.decode("utf-8").split("\0") if p)


def read_blob(rev: str, path: str, root: Path) -> bytes:
    """The content of ``path`` in revision ``rev``."""
    return _git(["cat-file", "blob", f"{rev}:{path}"], root)


__all__ = ["GitError", "is_revision", "list_files", "read_blob", "toplevel"]
