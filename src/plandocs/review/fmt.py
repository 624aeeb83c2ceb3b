"""Stage fmt: rewrite plan and organisation files in the canonical form of :mod:`plandocs.review.emit`.

:func:`format_files` is the one public entry point.  A file is only rewritten when it loads without
schema errors (YAML syntax, unknown keys, wrong types: those are returned as diagnostics and the file is
left alone), and only after the canonical text has been read back and compared: the typed plan must be
equal and every comment must still be there, so formatting can never change what a plan says.  Files are
written atomically (:func:`plandocs.files.write.replace_file`).
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plandocs.check.schema import to_record
from plandocs.errors import Diagnostics, FormatError
from plandocs.files.discovery import discover, display_path
from plandocs.files.kinds import kind_of
from plandocs.files.write import replace_file
from plandocs.i18n import _
from plandocs.load.source import load_source, parse_text
from plandocs.model.records import RECORD_CLASSES, Record
from plandocs.review.emit import collect_trivia, emit


@dataclass
class FormatResult:
    """What :func:`format_files` did."""

    files: list[str] = field(default_factory=list)
    """Every file looked at, as displayed."""
    changed: list[str] = field(default_factory=list)
    """Files that were (or, with ``check``, would be) rewritten."""
    diffs: dict[str, str] = field(default_factory=dict)
    """Unified diff of each changed file (filled when asked for)."""
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    """Problems that kept files from being formatted."""
    lines: dict[str, list[str]] = field(default_factory=dict)
    """Source lines of files with diagnostics, for excerpts."""

    @property
    def ok(self) -> bool:
        return not self.diagnostics.errors


def record_class(path: Path) -> type[Record]:
    """What a file under plans/ holds, by its name."""
    return RECORD_CLASSES[kind_of(path)]


def canonical_text(name: str, text: str, cls: type[Record], diags: Diagnostics) -> str | None:
    """The canonical form of ``text``; ``None`` with diagnostics when it does not load schema-wise."""
    before = len(diags.errors)
    root = parse_text(name, text, diags)
    if root is None:
        return None
    record = to_record(root, cls, diags)
    if record is None or len(diags.errors) > before:
        return None
    out = emit(root, cls, text)
    _check_same(name, text, root, record, out.text, cls)
    return out.text


def _check_same(name: str, text: str, root: Any, record: Record, new_text: str, cls: type[Record]) -> None:
    diags = Diagnostics()
    new_root = parse_text(name, new_text, diags)
    new_record = to_record(new_root, cls, diags) if new_root is not None else None
    if new_record != record:
        raise FormatError(_("{file}: internal error: the canonical form would change the data; the file is left "
                            "unchanged (please report this with the file)").format(file=name))
    if new_root is not None and collect_trivia(new_text, new_root).count() != collect_trivia(text, root).count():
        raise FormatError(_("{file}: internal error: the canonical form would lose a comment; the file is left "
                            "unchanged (please report this with the file)").format(file=name))


def format_files(paths: list[Path], check: bool = False, want_diff: bool = False) -> FormatResult:
    """Bring every plan and organisation file under ``paths`` into canonical form.

    With ``check`` nothing is written; ``changed`` lists the files that would change.
    """
    result = FormatResult()
    for path in discover(paths):
        name = display_path(path)
        result.files.append(name)
        diags = Diagnostics()
        src = load_source(name if Path(name).exists() else path, diags)
        if src.root is None:
            result.diagnostics.extend(diags)
            result.lines[name] = src.lines
            continue
        text = path.read_bytes().decode("utf-8-sig")
        new_text = canonical_text(name, text, record_class(path), diags)
        if new_text is None:
            result.diagnostics.extend(diags)
            result.lines[name] = src.lines
            continue
        if new_text == text:
            continue
        result.changed.append(name)
        if want_diff:
            result.diffs[name] = "".join(difflib.unified_diff(
                text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                fromfile=f"a/{name}", tofile=f"b/{name}"))
        if not check:
            replace_file(path, new_text.encode("utf-8"))
    return result


__all__ = ["FormatResult", "format_files"]
