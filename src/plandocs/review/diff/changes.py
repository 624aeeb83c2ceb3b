"""What a plan diff is made of: changes by stable id, per file, with the texts compared."""

from __future__ import annotations

from dataclasses import dataclass, field

from plandocs.errors import Diagnostics

SIMILAR = 0.9
"""Title similarity (difflib ratio) from which a new id is taken for a renumbered old one."""


REWRITTEN = 0.3
"""A text keeping less than this share of its letters is shown as replaced as a whole, not word by word."""

PERIOD_LABELS = {"I": "Q1", "II": "Q2", "III": "Q3", "IV": "Q4"}
"""How value columns are named in diffs; other keys (months, years, ``total``) are shown as written."""

TEXT_FIELDS = {"title", "result", "indicator", "name", "nominative", "genitive", "preamble", "position",
               "paragraphs", "paragraphs_after", "items", "header", "headers"}
"""Fields whose changes are shown word by word."""


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Word:
    """A piece of a word-by-word text diff."""

    op: str
    """``equal``, ``delete`` or ``insert``."""
    text: str


@dataclass(frozen=True)
class PeriodChange:
    """A planned value changed in one column."""

    period: str
    """``value`` (one cell for the period), ``Q1``..``Q4``, a month ``01``..``12``, a year, ``total``, or
    ``YEAR SOURCE`` for funding."""
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Change:
    """One change, in plan terms."""

    kind: str
    """``added``, ``removed``, ``changed``, ``renumbered``, ``moved`` or ``reordered``."""
    target: str
    """``file``, ``document``, ``priority``, ``task``, ``measure``, ``row``, ``executor``, ``person``."""
    id: str | None = None
    """Id of the priority, task, measure, executor or person (the new id when renumbered)."""
    old_id: str | None = None
    """The former id of a renumbered item."""
    priority: str | None = None
    """The priority the change belongs to (for grouping); ``None`` for the document."""
    parent: str | None = None
    """The task or priority a measure or task is under (the new one for moves)."""
    old_parent: str | None = None
    """The former parent of a moved item."""
    row: str | None = None
    """The executor row of a measure (its executor ids joined with ", ")."""
    field: str | None = None
    """The changed field: ``title``, ``executor``, ``term``, ``values``, ``approval[0].date``, …"""
    old: str | None = None
    new: str | None = None
    words: tuple[Word, ...] = ()
    """Word-by-word diff of a text field."""
    periods: tuple[PeriodChange, ...] = ()
    """Per-column changes of planned values or funding."""
    title: str | None = None
    """Title of an added, removed, renumbered or moved item, for context."""


@dataclass
class FileDiff:
    """The changes of one file."""

    path: str
    """The file as displayed (the new path, or the old one when removed)."""
    old_path: str | None
    new_path: str | None
    status: str
    """``added``, ``removed``, ``modified`` or ``unchanged`` (the text differs but not the data)."""
    type: str
    """``plan`` or ``organisation``."""
    changes: list[Change] = field(default_factory=list)
    priority_titles: dict[str, str] = field(default_factory=dict)
    """Title of each priority named by the changes, for headings."""


@dataclass
class DiffResult:
    files: list[FileDiff] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    lines: dict[str, list[str]] = field(default_factory=dict)
    """Source lines of files with diagnostics, for excerpts."""

    @property
    def changed(self) -> bool:
        return any(f.changes for f in self.files)


@dataclass(frozen=True)
class Side:
    """One version of one file."""

    name: str
    """How diagnostics name it: ``plans/a.yaml`` or ``main:plans/a.yaml``."""
    text: str | None
    """``None`` when the file does not exist on this side."""


# --------------------------------------------------------------------------- words
