"""Stage 5, write — the one home of atomic writes: documents into the output folder (all or nothing per
document set), a reformatted file in place, a new file that must not exist yet.

Data goes to a hidden temporary name beside its target, is flushed to disk (``fsync``), and is moved into
place with ``os.replace`` (atomic on POSIX) or linked (refusing an existing file), so a failed or killed
run never leaves a half-written file under its real name; leftovers of a killed run are removed by the
next one.  Paths that would leave the output folder are refused before anything is written.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from plandocs.errors import UsageError
from plandocs.i18n import _

TMP_MARK = ".plandocs-tmp-"


def safe_target(out_root: Path, relative: Path) -> Path:
    """``out_root / relative``, refused when it would escape ``out_root`` (``..``, absolute, symlinks)."""
    if relative.is_absolute():
        raise UsageError(_("refusing to write '{path}': output paths must be relative to the output folder").format(
            path=relative))
    root = out_root.resolve()
    target = (out_root / relative).resolve()
    if root not in target.parents:
        raise UsageError(_("refusing to write '{path}': it is outside the output folder {folder}").format(
            path=relative, folder=out_root))
    return out_root / relative


def clean_stale(folder: Path) -> None:
    """Remove temporary files a killed render left in ``folder``; those of a running process (another
    render worker writing into the same folder) are left alone."""
    if folder.is_dir():
        for leftover in folder.glob(f".*{TMP_MARK}*"):
            if not _running(leftover.name.rpartition(TMP_MARK)[2]):
                leftover.unlink(missing_ok=True)


def _running(pid: str) -> bool:
    if not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False  # our own leftover from an earlier, failed write
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, owned by someone else
    return True


def _temp_beside(target: Path, data: bytes) -> Path:
    """A hidden temporary file in ``target``'s folder holding ``data``, flushed to disk."""
    tmp = target.with_name(f".{target.name}{TMP_MARK}{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def replace_file(path: Path, data: bytes) -> None:
    """Replace an existing file's content atomically, keeping its permissions (``plandocs fmt``)."""
    tmp = _temp_beside(path, data)
    try:
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def create_file(path: Path, data: bytes) -> None:
    """Write a new file atomically; :class:`FileExistsError` if it exists, even if it appeared just now."""
    tmp = _temp_beside(path, data)
    try:
        os.link(tmp, path)  # unlike os.replace, link never overwrites
    finally:
        tmp.unlink(missing_ok=True)


def write_outputs(files: Mapping[Path, bytes], out_root: Path) -> list[Path]:
    """Write every ``relative path → bytes`` under ``out_root``; return the written paths."""
    targets = {safe_target(out_root, rel): data for rel, data in files.items()}
    for folder in {t.parent for t in targets}:
        clean_stale(folder)
    temps: list[tuple[Path, Path]] = []
    try:
        for target, data in targets.items():
            target.parent.mkdir(parents=True, exist_ok=True)
            temps.append((_temp_beside(target, data), target))
        for tmp, target in temps:
            os.replace(tmp, target)
    finally:
        for tmp, _target in temps:
            tmp.unlink(missing_ok=True)
    return list(targets)
