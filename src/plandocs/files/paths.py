"""Confinement to the project: files a plan or organisation names (templates, bodies registers) stay inside."""

from __future__ import annotations

from pathlib import Path

from plandocs.files.kinds import DEFAULT_PLANS


def project_root(path: Path) -> Path:
    """The folder that holds ``plans/`` (or the git checkout) above ``path``; named files must stay inside."""
    resolved = path.resolve()
    for parent in resolved.parents:
        if parent.name == DEFAULT_PLANS.name or (parent / ".git").exists():
            return parent.parent if parent.name == DEFAULT_PLANS.name else parent
    return resolved.parent


def inside(path: Path, root: Path) -> bool:
    """``path`` (symlinks resolved) is ``root`` or below it."""
    resolved, top = path.resolve(), root.resolve()
    return resolved == top or top in resolved.parents
