"""Stage 5, write — the one home of atomic writes: documents into the output folder (all or nothing per
document set), a reformatted file in place, a new file that must not exist yet.

Data goes to a hidden temporary name beside its target, is flushed to disk (``fsync``), and is moved into
place with ``os.replace`` (atomic on POSIX) or linked (refusing an existing file), so a failed or killed
run never leaves a half-written file under its real name; leftovers of a killed run are removed by the
next one.  Paths that would leave the output folder are refused before anything is written.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from plandocs.errors import OutputError, UsageError
from plandocs.files.discovery import display_path
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


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def clean_stale(folder: Path) -> None:
    """Remove temporary files a killed render left in ``folder``; those of a render still running (another
    ``plandocs render`` into the same folder) are left alone."""
    if not folder.is_dir():
        return
    for leftover in folder.glob(f".*{TMP_MARK}*"):
        pid_text = leftover.name.rsplit(TMP_MARK, 1)[-1].split("-", 1)[0]
        if pid_text.isdigit() and (int(pid_text) == os.getpid() or _alive(int(pid_text))):
            continue  # this render's own files (removed when it ends) or those of one still running
        leftover.unlink(missing_ok=True)


@contextmanager
def output_errors(path: Path) -> Iterator[None]:
    """An operating-system error while writing ``path`` as a clear :class:`OutputError` naming it."""
    try:
        yield
    except OutputError:
        raise
    except IsADirectoryError:
        raise OutputError(_("cannot write '{path}': a folder is in the way; remove or rename it").format(
            path=display_path(path))) from None
    except OSError as exc:  # named by its target, not by the temporary file it failed on
        raise OutputError(_("cannot write '{path}': {why}; nothing was replaced").format(
            path=display_path(path), why=exc.strerror or exc)) from None


def _temp_beside(target: Path, data: bytes) -> Path:
    """A hidden temporary file in ``target``'s folder holding ``data``, flushed to disk; its name is unique
    to this process and call, so concurrent renders never touch each other's files."""
    tmp = target.with_name(f".{target.name}{TMP_MARK}{os.getpid()}-{secrets.token_hex(4)}")
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
    with output_errors(path):
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
    """Write every ``relative path → bytes`` under ``out_root``; return the written paths.

    Every target is checked before anything is written (a folder standing where a file goes fails the
    whole set, not its last file), and every file is complete on disk before the first is replaced. An
    operating-system error (permissions, a full disk, a read-only mount) is an :class:`OutputError` naming
    the path; the previous documents stay as they were and no temporary file is left."""
    targets = {safe_target(out_root, rel): data for rel, data in files.items()}
    for target in targets:
        if target.is_dir():
            raise OutputError(_("cannot write '{path}': a folder is in the way; remove or rename it").format(
                path=display_path(target)))
    temps: list[tuple[Path, Path]] = []
    try:
        for target, data in targets.items():
            with output_errors(target.parent):
                target.parent.mkdir(parents=True, exist_ok=True)
                clean_stale(target.parent)
            with output_errors(target):
                temps.append((_temp_beside(target, data), target))
        for tmp, target in temps:
            with output_errors(target):
                os.replace(tmp, target)
    finally:
        for tmp, _target in temps:
            tmp.unlink(missing_ok=True)
    return list(targets)
