"""Confinement to the project: paths that plan files name (a report's plan, an organisation, region
members, templates, bodies registers) are resolved and kept inside it.

Plan, report, region and organisation files are untrusted: a ``plan: ../../../../etc/passwd``, a region
member ``/`` or a plan file that is a symlink to a file elsewhere must not be read (nor quoted in an
error).  Every path a file names, and every file found on disk, goes through :func:`confine`: resolved
with its symlinks, and refused unless it stays inside the project root.  Over-long paths are refused
before the operating system sees them (it would raise ``File name too long``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from plandocs.files.kinds import DEFAULT_PLANS
from plandocs.i18n import _

MAX_NAME_BYTES = 255
"""Longest file or folder name (Linux, macOS and Windows file systems)."""
MAX_PATH_BYTES = 4096
"""Longest path (Linux's PATH_MAX)."""


def project_root(path: Path) -> Path:
    """The project ``path`` belongs to: the folder holding the nearest ``plans/`` folder or git checkout
    above it (symlinks in ``path`` itself not followed); without either, the working folder when ``path``
    is inside it, else the folder above ``path``'s folder (a draft in ``drafts/`` may name
    ``../org/organisation.yaml``)."""
    absolute = Path(os.path.abspath(path))
    for parent in absolute.parents:
        if parent.name == DEFAULT_PLANS.name:
            return parent.parent.resolve()
        if (parent / ".git").exists():
            return parent.resolve()
    cwd = Path.cwd()
    if cwd == absolute or cwd in absolute.parents:
        return cwd.resolve()
    return absolute.parent.parent.resolve()


def too_long(text: str) -> str | None:
    """Why ``text`` cannot be a path here, or ``None``."""
    data = os.fsencode(text)
    if len(data) > MAX_PATH_BYTES:
        return _("the path is {n} bytes long; at most {limit} are allowed").format(n=len(data), limit=MAX_PATH_BYTES)
    longest = max((len(part) for part in data.split(b"/")), default=0)
    if longest > MAX_NAME_BYTES:
        return _("a name in the path is {n} bytes long; at most {limit} are allowed").format(
            n=longest, limit=MAX_NAME_BYTES)
    return None


def inside(path: Path, root: Path) -> bool:
    """Whether ``path`` (resolved, symlinks followed) is ``root`` or lies below it."""
    real, top = path.resolve(), root.resolve()
    return real == top or top in real.parents


@dataclass(frozen=True)
class Refusal:
    """Why a path a file names is not followed: a rule id and the message."""

    rule: str
    """``path-too-long`` or ``outside-project``."""
    message: str


def confine(base: Path, text: str, root: Path) -> Path | Refusal:
    """``base / text`` when it stays inside ``root``; otherwise why not."""
    shown = text if len(text) <= 60 else f"{text[:60]}…"
    why = too_long(text) or (_("the path contains a NUL character") if "\0" in text else None)
    if why is not None:
        return Refusal("path-too-long", _("'{path}' cannot be a path: {why}").format(path=shown, why=why))
    candidate = base / text
    if not inside(candidate, root):
        return Refusal("outside-project", _("'{path}' leads to '{real}', outside the project ({root}); files may "
                                            "name only files inside it").format(
            path=shown, real=candidate.resolve(), root=root))
    return candidate


def outside_link(path: Path, root: Path) -> str | None:
    """Why the file ``path`` (found on disk) may not be read: a symlink out of ``root``; else ``None``."""
    if inside(path, root):
        return None
    return _("the file is a link to '{real}', outside the project ({root}); it is not read").format(
        real=path.resolve(), root=root)


__all__ = ["MAX_NAME_BYTES", "MAX_PATH_BYTES", "Refusal", "confine", "inside", "outside_link", "project_root",
           "too_long"]
