"""Stage 5, write: put rendered documents into the output folder, all or nothing per document set.

Files are written to a hidden temporary name beside their target and moved into place with
``os.replace`` (atomic on POSIX), so a failed or killed render never leaves a half-written document under
its real name; leftovers of a killed run are removed by the next one.  Paths that would leave the output
folder are refused before anything is written.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from plandocs.errors import UsageError

TMP_MARK = ".plandocs-tmp-"


def safe_target(out_root: Path, relative: Path) -> Path:
    """``out_root / relative``, refused when it would escape ``out_root`` (``..``, absolute, symlinks)."""
    if relative.is_absolute():
        raise UsageError(f"refusing to write '{relative}': output paths must be relative to the output folder")
    root = out_root.resolve()
    target = (out_root / relative).resolve()
    if root not in target.parents:
        raise UsageError(f"refusing to write '{relative}': it is outside the output folder {out_root}")
    return out_root / relative


def clean_stale(folder: Path) -> None:
    """Remove temporary files a killed render left in ``folder``."""
    if folder.is_dir():
        for leftover in folder.glob(f".*{TMP_MARK}*"):
            leftover.unlink(missing_ok=True)


def write_outputs(files: Mapping[Path, bytes], out_root: Path) -> list[Path]:
    """Write every ``relative path → bytes`` under ``out_root``; return the written paths."""
    targets = {safe_target(out_root, rel): data for rel, data in files.items()}
    for folder in {t.parent for t in targets}:
        clean_stale(folder)
    temps: list[tuple[Path, Path]] = []
    try:
        for target, data in targets.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}{TMP_MARK}{os.getpid()}")
            with open(tmp, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            temps.append((tmp, target))
        for tmp, target in temps:
            os.replace(tmp, target)
    finally:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)
    return list(targets)
