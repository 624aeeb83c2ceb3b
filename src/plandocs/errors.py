"""Diagnostics and the exception tree.

Every problem plandocs finds in a user's file becomes a :class:`Diagnostic` that carries the file, line,
column, key path, a stable rule id and a message.  Stages collect diagnostics and never print; the CLI is
the only place that prints, through :class:`PlandocsError` (a :class:`click.ClickException`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import click

from plandocs.i18n import N_, _

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2


class Severity(StrEnum):
    """How bad a diagnostic is: errors always fail, warnings fail only with ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


SEVERITY_LABELS = {Severity.ERROR: N_("error"), Severity.WARNING: N_("warning")}


@dataclass(frozen=True)
class Loc:
    """A place in a source file (1-based line and column)."""

    file: str
    """Path of the file as the user named it."""
    line: int = 0
    """1-based line, 0 when the problem concerns the whole file."""
    col: int = 0
    """1-based column, 0 when unknown."""

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.col}"
        return self.file


@dataclass(frozen=True)
class Diagnostic:
    """One problem found in a file."""

    rule: str
    """Stable rule id, e.g. ``unknown-key`` or ``total-mismatch``; documented in docs/rules.md."""
    message: str
    """What is wrong, what was expected and, where possible, the fix."""
    loc: Loc
    """Where the problem is."""
    path: str = ""
    """Key path inside the document, e.g. ``priorities[0].tasks[1].measures[2].value``."""
    severity: Severity = Severity.ERROR
    """Error or warning."""

    def headline(self) -> str:
        where = f"{self.path}: " if self.path else ""
        return f"{self.loc}: {self.label()}[{self.rule}]: {where}{self.message}"

    def label(self) -> str:
        """``error`` or ``warning`` in the current language (the JSON output keeps the English value)."""
        return _(SEVERITY_LABELS[self.severity])

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.loc.file,
            "line": self.loc.line,
            "column": self.loc.col,
            "severity": self.severity.value,
            "rule": self.rule,
            "path": self.path,
            "message": self.message,
        }


@dataclass
class Diagnostics:
    """An ordered collection of diagnostics: stages add to it, the CLI reports it once."""

    items: list[Diagnostic] = field(default_factory=list)
    _seen: set[Diagnostic] = field(default_factory=set, repr=False)

    def add(
        self,
        rule: str,
        message: str,
        loc: Loc,
        path: str = "",
        severity: Severity = Severity.ERROR,
    ) -> None:
        """Record a problem; the same problem at the same place (e.g. inherited by rows) is kept once."""
        self.append(Diagnostic(rule, message, loc, path, severity))

    def append(self, d: Diagnostic) -> None:
        if d not in self._seen:
            self._seen.add(d)
            self.items.append(d)

    def extend(self, other: Iterable[Diagnostic]) -> None:
        for d in other:
            self.append(d)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.items if d.severity is Severity.WARNING]

    def sorted(self) -> list[Diagnostic]:
        return sorted(self.items, key=lambda d: (d.loc.file, d.loc.line, d.loc.col, d.rule))

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """The candidate closest to ``word``, if one is close enough to be what was meant."""
    import difflib  # only needed when something is wrong

    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """Return ``"; did you mean 'x'?"`` for the closest candidate, or an empty string."""
    match = closest(word, candidates)
    return _("; did you mean '{word}'?").format(word=match) if match else ""


def source_excerpt(text_lines: Sequence[str], loc: Loc) -> str:
    """The offending source line with a caret under the column, as compilers show it."""
    if not loc.line or loc.line > len(text_lines):
        return ""
    line = text_lines[loc.line - 1].rstrip("\r\n")
    gutter = f"{loc.line:>5} | "
    caret = " " * (len(gutter) - 2) + "| " + " " * max(loc.col - 1, 0) + "^"
    return f"{gutter}{line}\n{caret}"


class PlandocsError(click.ClickException):
    """Base of every error plandocs raises; only the CLI prints it."""

    exit_code = EXIT_INVALID


class UsageError(PlandocsError):
    """The command line names something that does not exist or cannot be used."""

    exit_code = EXIT_USAGE


class GitError(UsageError):
    """git is missing, the folder is not a repository, or a revision does not exist."""


class TemplateFailure(PlandocsError):
    """A template (HTML or DOCX) is missing or could not be rendered; the message names the template and line."""


class FormatError(PlandocsError):
    """Formatting would have changed a file's data; the file is left as it was."""


class OutputError(PlandocsError):
    """A document or file could not be written (permissions, a full disk, a folder in the way)."""


class OutsideRoot(PlandocsError):
    """``plandocs serve`` was asked for a path outside its folder (``..``, absolute, a link leading out)."""


def read_lines(path: str | Path) -> list[str]:
    """Best-effort source lines for excerpts; undecodable bytes are replaced, never raised."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return []
    return data.decode("utf-8-sig", errors="replace").splitlines()  # as files.decode.decode_lenient
