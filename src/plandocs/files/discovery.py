"""Finding the YAML files that paths name, and showing paths as the user named them."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from plandocs.errors import UsageError
from plandocs.files.kinds import is_yaml
from plandocs.i18n import _


def display_path(path: Path) -> str:
    """A path relative to the working directory when it is inside it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # pragma: no cover - other drive on Windows
        return str(path)
    return str(path) if rel.startswith("..") else rel


def discover(paths: Sequence[Path]) -> list[Path]:
    """YAML files named by ``paths`` (files, or folders searched recursively, hidden folders skipped), each once."""
    found: list[Path] = []
    for p in paths:
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(Path(root) / f for f in sorted(files) if is_yaml(f))
        elif p.exists():
            found.append(p)
        else:
            raise UsageError(_("no such file or folder: {path}").format(path=p))
    if not found:
        raise UsageError(_("no .yaml files found in {paths}").format(paths=", ".join(map(str, paths))))
    seen: set[Path] = set()
    out = []
    for f in found:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out
