"""Which files depend on which: what a pre-commit hook must check when a file changes.

:func:`with_dependents` is the one public entry point.  A plan depends on its organisation file, a report on
its plan, a region on every file in the organisation folders it names.  Checking only the files of a
commit lets a change slip through that breaks the files which refer to it (an executor removed from
``organisation.yaml`` breaks the plans that name it, though they did not change), so the hook checks the
changed files and every file that depends on them, directly or through others.  A deleted file counts as
changed: the files that referred to it are checked too.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from plandocs.files.kinds import ORGANISATION_FILE, REGION_SUFFIX, REPORT_SUFFIX, YAML_SUFFIXES

# libyaml's loader when PyYAML has it: the references are read from every file of the repository
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Dependents:
    """The files a hook should validate."""

    files: tuple[Path, ...]
    """Existing files to validate: the changed ones and their dependents, in discovery order."""
    added: tuple[Path, ...]
    """The dependents that were not among the changed files, for the hook's message."""


def _yaml_files(root: Path) -> list[Path]:
    out: list[Path] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        out.extend(Path(folder) / n for n in sorted(names) if n.endswith(YAML_SUFFIXES))
    return out


def _references(path: Path) -> list[Path]:
    """The files ``path`` depends on, read without validating it (a file that does not load refers to none)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    if not isinstance(data, dict):
        return []
    here = path.parent
    if path.name.endswith(REPORT_SUFFIX):
        plan = data.get("plan")
        return [here / plan] if isinstance(plan, str) else []
    if path.name.endswith(REGION_SUFFIX):
        folders = data.get("organisations")
        if not isinstance(folders, list):
            return []
        return [f for d in folders if isinstance(d, str) and (here / d).is_dir() for f in _yaml_files(here / d)]
    if path.name == ORGANISATION_FILE:
        return []
    org = data.get("organisation", ORGANISATION_FILE)
    return [here / org] if isinstance(org, str) else []


def _key(path: Path) -> str:
    return os.path.normpath(os.path.abspath(path))


def with_dependents(changed: list[Path], roots: list[Path]) -> Dependents:
    """The existing ``changed`` files and every file under ``roots`` that depends on any ``changed`` file.

    ``changed`` may name deleted files; they are not returned, but their dependents are.
    """
    candidates = [f for root in roots if root.is_dir() for f in _yaml_files(root)]
    users: dict[str, list[Path]] = {}
    for f in candidates:
        for ref in _references(f):
            users.setdefault(_key(ref), []).append(f)
    wanted: dict[str, Path] = {}
    todo = list(changed)
    changed_keys = {_key(p) for p in changed}
    while todo:
        path = todo.pop()
        k = _key(path)
        if k in wanted:
            continue
        wanted[k] = path
        todo.extend(users.get(k, []))
    order: dict[str, int] = {}
    for p in [*changed, *candidates]:  # the changed files first, then the others as discovered
        order.setdefault(_key(p), len(order))
    files = sorted((p for p in wanted.values() if p.is_file()), key=lambda p: order.get(_key(p), 0))
    return Dependents(files=tuple(files), added=tuple(p for p in files if _key(p) not in changed_keys))


__all__ = ["Dependents", "with_dependents"]
