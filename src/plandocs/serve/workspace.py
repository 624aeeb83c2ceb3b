"""What the preview knows about the folder it serves: every file's kind and problems, every document's HTML.

:class:`Workspace` is the only stateful part of ``plandocs serve``.  :meth:`Workspace.refresh` re-runs the
project's own :func:`validate` over the folders a save may have changed (the folder of the file, and the
folders whose documents read it) and renders, with the project's own renderer, the HTML of every valid
document whose inputs changed; the result is an immutable :class:`Snapshot` swapped in at
once, so requests never see half an update.  A document that stops validating keeps its last good HTML.
DOCX and PDF are rendered on request and kept in memory, keyed by a hash of their inputs.  Nothing is ever
written to disk.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from plandocs.check.validate import LoadedPlan, validate
from plandocs.errors import Diagnostic, OutsideRoot, PlandocsError, Severity
from plandocs.files.discovery import discover
from plandocs.files.kinds import ORGANISATION_FILE, FileKind, is_yaml, kind_of
from plandocs.files.paths import project_root
from plandocs.i18n import _
from plandocs.model.records import Report
from plandocs.render.pipeline import document_view, render_documents
from plandocs.render.templating import resolve_org_templates, template_dirs

SHOWN = (FileKind.ORGANISATION, FileKind.PLAN, FileKind.REPORT)
"""The kinds the preview lists (regions are summaries of reports, made by ``plandocs report region``)."""
DOWNLOADS = ("docx", "pdf")
CACHE_SIZE = 16
"""DOCX/PDF renderings kept in memory (a PDF of a seed plan is ~100 kB)."""


@dataclass(frozen=True)
class Problem:
    """One diagnostic, placed in the served folder."""

    diagnostic: Diagnostic
    """What validate reported."""
    file: Path
    """Absolute path of the file, for the editor link."""
    rel: str
    """The file relative to the served folder (``zhytomyr/2023.yaml``)."""
    source_line: str
    """The offending line ('' when the problem concerns the whole file)."""


@dataclass(frozen=True)
class Entry:
    """One file of the served folder."""

    rel: str
    """Path relative to the served folder, with ``/``."""
    kind: FileKind
    errors: int
    """Errors in this file itself."""
    warnings: int
    """Warnings in this file itself."""


@dataclass(frozen=True)
class Job:
    """How to render one valid document: its plan (with organisation) and, for a report, the report."""

    source: Path
    """The plan or report file."""
    loaded: LoadedPlan
    """The plan as validated, with its organisation (a report's plan for a report)."""
    report: Report | None
    """The report, when the document is one."""
    key: str
    """Hash of every input of the rendering: the files' texts as validated, and the templates."""


@dataclass(frozen=True)
class Html:
    """The HTML of one document, as ``plandocs render`` makes it."""

    key: str
    """The :attr:`Job.key` it was rendered from."""
    html: bytes
    """The document, UTF-8."""


@dataclass(frozen=True)
class Snapshot:
    """The state of the served folder after one refresh."""

    version: int
    """Counts refreshes; pages ask for their state again when it changes."""
    root: Path
    """The served folder, resolved."""
    entries: tuple[Entry, ...] = ()
    """Every organisation, plan and report file, by path."""
    problems: tuple[Problem, ...] = ()
    """Every problem in them, in file, line, column order within each folder."""
    jobs: dict[str, Job] = field(default_factory=dict)
    """Documents that validate now, by ``rel``."""
    html: dict[str, Html] = field(default_factory=dict)
    """The last good HTML of every document seen valid since start, by ``rel``."""
    render_errors: dict[str, str] = field(default_factory=dict)
    """Documents that validate but whose template failed, by ``rel``."""
    error: str = ""
    """Why the folder could not be checked at all (no YAML files, say)."""
    reads: dict[str, frozenset[str]] = field(default_factory=dict)
    """The other files each document reads (its organisation; a report's plan), as of when it last validated;
    until then, the organisation file beside it."""

    def entry(self, rel: str) -> Entry | None:
        return next((e for e in self.entries if e.rel == rel), None)

    def problems_for(self, rel: str) -> list[Problem]:
        """Problems of a document: its own, its organisation's and, for a report, its plan's."""
        files = {rel, *self.reads.get(rel, ())}
        return [p for p in self.problems if p.rel in files]


@dataclass(frozen=True)
class _Unit:
    """What validating one folder's files found; a folder is checked again only when a save may change it."""

    entries: tuple[Entry, ...]
    """The folder's files."""
    problems: tuple[Problem, ...]
    """Their problems, and those of files elsewhere that they read."""
    valid: tuple[Job, ...]
    """Documents without errors."""
    render_errors: dict[str, str]
    """Documents without errors whose templates cannot be found, by ``rel``."""
    deps: frozenset[Path]
    """Every file the validation read, resolved (an organisation or plan elsewhere included)."""
    failed: bool
    """It has errors, so it is checked after every save: a file it names may have just appeared."""


class Workspace:
    """The served folder: validation, HTML kept current, DOCX/PDF on demand."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.snapshot = Snapshot(0, self.root)
        self._refresh_lock = threading.Lock()
        self._render_lock = threading.Lock()  # one DOCX/PDF at a time: they are CPU-bound
        self._cache: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._units: dict[Path, _Unit] = {}

    # ------------------------------------------------------------------ paths

    def confine(self, rel: str) -> str:
        """``rel`` normalised, refused when it leaves the served folder."""
        if not rel or rel.startswith("/") or "\\" in rel or "\0" in rel:
            raise OutsideRoot(_("'{path}' is not a path inside the served folder").format(path=rel))
        target = (self.root / rel).resolve()
        if target != self.root and self.root not in target.parents:
            raise OutsideRoot(_("'{path}' is outside the served folder").format(path=rel))
        return target.relative_to(self.root).as_posix()

    def rel(self, path: Path) -> str | None:
        """``path`` relative to the served folder, ``None`` when it (or its link target) is outside."""
        resolved = path.resolve()
        if self.root not in resolved.parents:
            return None
        return resolved.relative_to(self.root).as_posix()

    # ------------------------------------------------------------------ refresh

    def refresh(self, changed: Iterable[Path] | None = None) -> Snapshot:
        """Check again what ``changed`` may affect (everything when ``None``) and render what changed;
        returns (and publishes) the new snapshot."""
        with self._refresh_lock:
            old = self.snapshot
            self.snapshot = self._check(old, None if changed is None else frozenset(p.resolve() for p in changed))
            return self.snapshot

    def _check(self, old: Snapshot, changed: frozenset[Path] | None) -> Snapshot:
        version = old.version + 1
        try:
            files = [f for f in discover([self.root]) if self.rel(f) is not None and kind_of(f) in SHOWN]
        except PlandocsError as exc:  # no YAML left (all deleted), or a file vanished mid-scan
            self._units = {}
            return Snapshot(version, self.root, html=old.html, error=exc.format_message(), reads=old.reads)
        by_folder: dict[Path, list[Path]] = {}
        for f in files:
            by_folder.setdefault(f.parent.resolve(), []).append(f)
        if changed is None or not all(is_yaml(p) for p in changed):  # a template changed: it may touch any plan
            stale = set(by_folder)
        else:
            stale = {p.parent for p in changed} | {folder for folder, u in self._units.items()
                                                   if u.failed or u.deps & changed}
        try:
            self._units = {folder: self._validate(group) if folder in stale or folder not in self._units
                           else self._units[folder] for folder, group in by_folder.items()}
        except PlandocsError:  # a file went away since the scan; its deletion is the watcher's next batch
            return old
        units = sorted(self._units.values(), key=lambda u: u.entries[0].rel if u.entries else "")
        entries = tuple(sorted((e for u in units for e in u.entries), key=lambda e: e.rel))
        problems = tuple(dict.fromkeys(p for u in units for p in u.problems))
        jobs: dict[str, Job] = {}
        html = dict(old.html)
        render_errors = {rel: msg for u in units for rel, msg in u.render_errors.items()}
        for job in (j for u in units for j in u.valid):
            rel = self.rel(job.source)
            if rel is None:
                continue
            try:
                if rel not in html or html[rel].key != job.key:
                    html[rel] = Html(job.key, self._render(job, "html"))
                jobs[rel] = job
            except PlandocsError as exc:
                render_errors[rel] = exc.format_message()
        reads = {e.rel: old.reads.get(e.rel, frozenset({(PurePosixPath(e.rel).parent / ORGANISATION_FILE).as_posix()}))
                 for e in entries}
        for rel, job in jobs.items():
            reads[rel] = frozenset(r for r in (self.rel(job.loaded.path), self.rel(job.loaded.organisation_path))
                                   if r is not None and r != rel)
        return Snapshot(version, self.root, entries, problems, jobs, html, render_errors, reads=reads)

    def _validate(self, files: list[Path]) -> _Unit:
        """One folder's files through the project's :func:`validate`."""
        result = validate(files)
        problems = []
        for d in result.diagnostics.sorted():
            rel = self.rel(Path(d.loc.file))
            if rel is None:
                continue
            lines = result.lines.get(d.loc.file, [])
            line = lines[d.loc.line - 1] if 0 < d.loc.line <= len(lines) else ""
            problems.append(Problem(d, self.root / rel, rel, line))
        entries = []
        for f in files:
            rel = self.rel(f)
            if rel is None:
                continue
            mine = [p for p in problems if p.rel == rel]
            entries.append(Entry(rel, kind_of(f), sum(p.diagnostic.severity is Severity.ERROR for p in mine),
                                 sum(p.diagnostic.severity is Severity.WARNING for p in mine)))
        # keyed by the text validate read, not the file now: a save during the check must not pass for checked
        texts = {Path(name).resolve(): "\n".join(lines).encode() for name, lines in result.lines.items()}
        valid, render_errors = [], {}
        for source, lp, report in [(lp.path, lp, None) for lp in result.plans] + \
                [(lr.path, lr.plan, lr.report) for lr in result.reports]:
            try:
                valid.append(Job(source, lp, report, self._key(texts, source, lp)))
            except (PlandocsError, OSError) as exc:
                rel = self.rel(source)
                if rel is not None:
                    render_errors[rel] = exc.format_message() if isinstance(exc, PlandocsError) else str(exc)
        return _Unit(tuple(entries), tuple(problems), tuple(valid), render_errors,
                     frozenset(Path(f).resolve() for f in result.files), bool(result.diagnostics.errors))

    def _key(self, texts: dict[Path, bytes], source: Path, lp: LoadedPlan) -> str:
        """Hash of everything the rendering reads: document, plan and organisation as validated, templates."""
        digest = hashlib.sha256()
        for p in sorted({source.resolve(), lp.path.resolve(), lp.organisation_path.resolve()}):
            digest.update(str(p).encode() + b"\0" + texts[p] + b"\0")
        for d in self._template_dirs(lp):
            for p in sorted(p for p in d.iterdir() if p.is_file()):
                digest.update(str(p).encode() + b"\0" + p.read_bytes() + b"\0")
        return digest.hexdigest()

    @staticmethod
    def _template_dirs(lp: LoadedPlan) -> list[Path]:
        org = resolve_org_templates(lp.organisation_path, lp.organisation.templates,
                                    project_root(lp.organisation_path))
        return template_dirs(org)

    @staticmethod
    def _render(job: Job, fmt: str) -> bytes:
        """One format of one document through the project's renderer (what ``plandocs render`` writes)."""
        view = document_view(job.loaded, job.report)
        return render_documents(job.loaded, view, [fmt], pdf_a=False, source=job.source)[fmt]

    # ------------------------------------------------------------------ downloads

    def download(self, rel: str, fmt: str) -> tuple[Job, bytes] | None:
        """DOCX or PDF of the current version of ``rel``; ``None`` while it does not validate."""
        job = self.snapshot.jobs.get(rel)
        if job is None or fmt not in DOWNLOADS:
            return None
        with self._render_lock:
            cached = self._cache.get((job.key, fmt))
            if cached is None:
                cached = self._render(job, fmt)
                self._cache[(job.key, fmt)] = cached
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
            self._cache.move_to_end((job.key, fmt))
        return job, cached
