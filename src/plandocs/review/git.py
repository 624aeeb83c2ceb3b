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
    if shutil.which("git") is None:
        raise GitError(_("git is not installed or not on PATH; it is needed to compare revisions"))
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
    """Regular files under ``paths`` (relative to the repository root) in revision ``rev``: submodules (a
    commit, not a file, even when named ``x.yaml``) and symlinks (which may point out of the repository)
    are left out."""
    out = _git(["ls-tree", "-r", "-z", "--full-tree", "--end-of-options", rev, "--", *paths], root)
    files = []
    for entry in out.decode("utf-8", "replace").split("\0"):
        meta, _, path = entry.partition("\t")
        parts = meta.split()
        if path and len(parts) >= 2 and parts[1] == "blob" and parts[0] != "120000":
            files.append(path)
    return sorted(files)


def read_blob(rev: str, path: str, root: Path) -> bytes:
    """The content of ``path`` in revision ``rev``."""
    return _git(["cat-file", "blob", f"{rev}:{path}"], root)


__all__ = ["GitError", "is_revision", "list_files", "read_blob", "toplevel"]
