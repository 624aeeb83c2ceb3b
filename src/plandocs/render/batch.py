"""Rendering a whole tree: only what changed, over a pool of worker processes, optionally one shard of it.

:func:`render_batch` is the entry point behind ``plandocs render``:

1. find the plans and reports under the paths (``--shard I/N`` keeps a stable subset by organisation folder);
2. skip every document whose inputs, settings and outputs match the manifest (:mod:`.manifest`), unless
   ``force``;
3. validate the rest once, here (their diagnostics go into the result; a plan shared by its reports is read
   once), and hand the typed documents to ``jobs`` worker processes, each warmed once and replaced after
   :data:`TASKS_PER_WORKER` documents, so memory stays bounded; a single document is rendered in this
   process; a document that fails is reported and the others go on;
4. record what was written in the manifest as results arrive, and report (``prune``: remove) the outputs
   of documents whose source is gone.

Outputs do not depend on how they were rendered: the same function renders a document in a worker or in
this process, so ``jobs`` and shards give the same bytes.
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import resource
import select
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path

from plandocs import __version__
from plandocs.check.validate import LoadedPlan, ValidationResult, validate
from plandocs.errors import OutputError, PlandocsError
from plandocs.files.discovery import discover, display_path
from plandocs.files.kinds import FileKind, kind_of
from plandocs.files.paths import project_root
from plandocs.files.write import write_outputs
from plandocs.i18n import _, language, set_language
from plandocs.model.records import Report
from plandocs.render.manifest import (
    Entry,
    Manifest,
    Output,
    folder_files,
    hash_now,
    manifest_name,
    settings_hash,
)
from plandocs.render.pipeline import document_view, output_file, output_relpaths, render_documents
from plandocs.render.templating import jinja_env, resolve_org_templates, template_dirs
from plandocs.view.types import DocumentView

TASKS_PER_WORKER = 20
"""Documents a worker renders before it is replaced: WeasyPrint's and docx's caches grow with every document
(about 2 MiB per document), so a long-lived worker would hold the memory of the whole tree."""
SAVE_EVERY = 5.0
"""Seconds between manifest saves during a run, so a killed run keeps most of its work."""
ENGINE_PACKAGES = ("weasyprint", "pydyf", "tinycss2", "cssselect2", "pyphen", "docxtpl", "python-docx",
                   "docxcompose", "lxml", "jinja2", "typst")
"""Packages whose version changes the bytes of a document (with plandocs' own)."""


@dataclass(frozen=True)
class Job:
    """One validated document to render: picklable, so it goes to a worker as it is, not read again."""

    source: Path
    """The plan or report file, absolute."""
    key: str
    """Output path without the format suffix, relative to the output folder (``odesa/2021-q2.report``)."""
    formats: tuple[str, ...]
    pdf_a: bool
    out_dir: Path
    plan: LoadedPlan
    """The document's plan with its organisation, as validated by the command."""
    report: Report | None = None
    """The report, when the document is one (of ``plan``)."""
    pdf_engine: str = "weasyprint"
    """The PDF engine asked for (``--pdf-engine``)."""


@dataclass(frozen=True)
class Done:
    """What a worker did with one job."""

    job: Job
    seconds: float
    outputs: dict[str, Output] = field(default_factory=dict)
    error: str = ""
    peak_rss_kib: int = 0
    """The worker's peak resident memory so far."""
    pid: int = field(default_factory=os.getpid)
    """The process that rendered it."""
    notes: tuple[str, ...] = ()
    """What the user should know about a document that rendered (the PDF engine it fell back to)."""

    @property
    def ok(self) -> bool:
        return not self.error


@dataclass
class BatchResult:
    validation: ValidationResult
    rendered: list[Done] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)
    """Documents left as they were: nothing they depend on changed."""
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(document, reason) of documents that validated but could not be rendered."""
    stale: list[str] = field(default_factory=list)
    """Outputs (without format suffix) of documents whose source no longer exists."""
    pruned: list[Path] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.validation.ok and not self.failed

    @property
    def peak_rss_kib(self) -> int:
        """The largest peak memory of any process that rendered a document."""
        return max((d.peak_rss_kib for d in self.rendered), default=0)


Progress = Callable[[int, int, Done], None]
"""Called after every rendered document with (documents done, documents to render, what was done)."""
Starting = Callable[[Path, int], None]
"""Called when a document is handed to a worker, with (its file, documents to render)."""


def parse_shard(text: str) -> tuple[int, int]:
    """``"2/4"`` → (2, 4); raises ValueError with the expected form."""
    index, sep, count = text.partition("/")
    if not sep or not index.strip().isdigit() or not count.strip().isdigit():
        raise ValueError(_("expected I/N, e.g. 1/4; got '{text}'").format(text=text))
    i, n = int(index), int(count)
    if n < 1 or not 1 <= i <= n:
        raise ValueError(_("expected 1 ≤ I ≤ N in I/N; got '{text}'").format(text=text))
    return i, n


def shard_of(key: str, count: int) -> int:
    """The shard (1-based) of a document: by its organisation's folder, so an organisation's documents stay
    together and a shard keeps its organisations when others are added or removed."""
    folder = key.rpartition("/")[0]
    return int.from_bytes(hashlib.sha256(folder.encode("utf-8")).digest()[:8], "big") % count + 1


def settings_of(pdf_a: bool, pdf_engine: str = "weasyprint") -> str:
    """Hash of what, besides the inputs, changes the bytes: plandocs' code and version, the versions of its
    engines, the options, and ``SOURCE_DATE_EPOCH`` (it dates the PDF and the DOCX entries).  The language of
    messages (``--lang``) is not among them: documents are printed in Ukrainian whatever it is."""
    settings = {"plandocs": __version__, "plandocs_code": _code_hash(), "pdf_a": str(pdf_a),
                "pdf_engine": pdf_engine, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "")}
    for name in ENGINE_PACKAGES:
        try:
            settings[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            settings[name] = ""
    return settings_hash(settings)


@functools.cache
def _code_hash() -> str:
    """Hash of plandocs' own Python modules: a development checkout changes the bytes without a new version
    number.  (Its templates are inputs of every document already; its message catalogues print nothing.)"""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def document_inputs(job: Job, seen: dict[tuple[tuple[Path, ...], str], list[Path]]) -> list[Path]:
    """Every file ``job``'s document is made from: its file, the report's plan, the organisation, the bodies
    registers the organisation names, and the templates, stylesheets and images (:func:`template_inputs`,
    looked up once per template folders and kind in ``seen``)."""
    lp = job.plan
    org_folder = lp.organisation_path.parent
    files = [job.source, lp.organisation_path, *(org_folder / name for name in lp.organisation.bodies)]
    if job.report is not None:
        files.append(lp.path)
    dirs = template_dirs(resolve_org_templates(lp.organisation_path, lp.organisation.templates,
                                               project_root(lp.organisation_path)))
    kind = "report" if job.report is not None else lp.plan.kind.value
    if (tuple(dirs), kind) not in seen:
        seen[tuple(dirs), kind] = template_inputs(dirs, kind)
    return files + seen[tuple(dirs), kind]


def documents(paths: Sequence[Path], shard: tuple[int, int] | None) -> list[tuple[Path, str]]:
    """(file, output key) of every plan and report under ``paths``, in the shard when one is given."""
    files = [f for f in discover(paths) if kind_of(f) in (FileKind.PLAN, FileKind.REPORT)]
    out = []
    # output_relpaths keeps folders apart where two inputs share a name, so no document replaces another
    for f, rel in zip(files, output_relpaths(files, paths), strict=True):
        key = rel.as_posix()
        if shard is None or shard_of(key, shard[1]) == shard[0]:
            out.append((f, key))
    return out


def render_batch(paths: Sequence[Path], out_dir: Path, formats: Sequence[str], *, pdf_a: bool = False,
                 pdf_engine: str = "weasyprint", jobs: int | None = None, force: bool = False, prune: bool = False,
                 shard: tuple[int, int] | None = None, progress: Progress | None = None,
                 starting: Starting | None = None) -> BatchResult:
    """Render what changed under ``paths`` into ``out_dir``; see the module docstring."""
    started = time.perf_counter()
    out_dir = out_dir.resolve()
    manifest = Manifest(out_dir, manifest_name(shard))
    settings = settings_of(pdf_a, pdf_engine)
    found = documents(paths, shard)
    todo = [(f, key) for f, key in found if force or not manifest.up_to_date(key, settings, formats)]
    if len(todo) > 1:  # a pool will be needed: its workers' imports run while the documents are validated here
        _context(pdf_engine, start=True)
    for f, _key in todo:
        manifest.current_hash(os.fspath(f.resolve()))  # before it is read: an edit from now on is a change
    result = BatchResult(validate([f for f, _ in todo]) if todo else ValidationResult())
    rendering = {key for _, key in todo}
    result.skipped = [f for f, key in found if key not in rendering]
    loaded: dict[Path, tuple[LoadedPlan, Report | None]] = {p.path.resolve(): (p, None)
                                                             for p in result.validation.plans}
    loaded |= {r.path.resolve(): (r.plan, r.report) for r in result.validation.reports}
    work: list[Job] = []
    inputs: dict[str, dict[str, str]] = {}
    seen: dict[tuple[tuple[Path, ...], str], list[Path]] = {}
    for f, key in todo:
        if f.resolve() not in loaded:
            continue  # invalid: its diagnostics are in the result
        job = Job(f.resolve(), key, tuple(formats), pdf_a, out_dir, *loaded[f.resolve()],
                  pdf_engine=pdf_engine)
        try:
            files = document_inputs(job, seen)
        except PlandocsError as exc:  # an organisation's template folder outside the project or missing
            result.failed.append((display_path(f), exc.format_message()))
            continue
        inputs[key] = {os.fspath(p.resolve()): manifest.current_hash(os.fspath(p.resolve())) for p in files}
        work.append(job)

    # the outputs of these documents are about to be replaced: drop their entries first, so that whenever the
    # run is killed, every entry left in the manifest still describes the files on disk
    before = {job.key: manifest.entries[job.key] for job in work if job.key in manifest.entries}
    if before:
        for key in before:
            manifest.forget(key)
        _save(manifest, result)
    last_save = time.monotonic()

    def on_start(job: Job) -> None:
        if starting is not None:
            starting(job.source, len(work))

    for i, done in enumerate(_run(work, jobs or os.cpu_count() or 1, on_start), start=1):
        if done.ok:
            result.rendered.append(done)
            _record(manifest, done.job.key, Entry(os.fspath(done.job.source), inputs[done.job.key], settings,
                                                  done.outputs), before.get(done.job.key))
        else:
            result.failed.append((display_path(done.job.source), done.error))
            if done.job.key in before:  # nothing of it was replaced (writes are all or nothing): still valid
                manifest.record(done.job.key, before[done.job.key])
        if progress is not None:
            progress(i, len(work), done)
        if time.monotonic() - last_save > SAVE_EVERY:
            _save(manifest, result)
            last_save = time.monotonic()

    result.stale = manifest.stale()
    if prune:
        for key in result.stale:
            for fmt in manifest.entries[key].outputs:
                target = manifest.output_path(key, fmt)
                if target.exists():
                    target.unlink()
                    result.pruned.append(target)
            manifest.forget(key)
        result.stale = []
    if work or prune or not manifest.path.exists():
        _save(manifest, result)
    result.seconds = time.perf_counter() - started
    return result


@dataclass(frozen=True)
class RollupResult:
    """What :func:`render_rollup` did."""

    written: list[Path]
    """The output files, rendered now or left as they were."""
    rendered: bool
    """False when nothing the roll-up is made from changed since it was last rendered."""


def render_rollup(source: Path, rel: Path, view: DocumentView, read: Iterable[Path], out_dir: Path,
                  formats: Sequence[str], *, folders: Iterable[Path] = (), force: bool = False,
                  pdf_engine: str = "weasyprint") -> RollupResult:
    """Render a roll-up (``report annual``, ``report region``) through the output folder's manifest.

    ``read`` is every file its validation read (:func:`plandocs.load.files_read`); with the folders those
    files are in (a report added to a member folder changes the roll-up), the listings of ``folders`` (the
    region's member folders, even those that do not exist yet) and the default templates of the view's kind
    they are its inputs.  When they, the settings and the outputs are as recorded, nothing is
    rendered; otherwise the view is written, and the entry recorded after the files are in place."""
    from plandocs.render.pipeline import write_view

    out_dir = out_dir.resolve()
    manifest = Manifest(out_dir)
    key = rel.as_posix()
    settings = settings_of(False, pdf_engine)
    read = list(read)
    files = sorted({p.resolve() for p in read} | {p.parent for p in read if p != source.resolve()}
                   | {f.resolve() for f in folders})
    files += template_inputs(template_dirs(None), view.kind)
    inputs = {os.fspath(p): manifest.current_hash(os.fspath(p)) for p in files}
    targets = [out_dir / output_file(rel, fmt) for fmt in formats]
    entry = manifest.entries.get(key)
    if not force and entry is not None and set(entry.inputs) == set(inputs) \
            and manifest.up_to_date(key, settings, formats):
        return RollupResult(targets, False)
    if entry is not None:  # its outputs are about to be replaced: the entry must not outlive them
        manifest.forget(key)
        manifest.save()
    written = write_view(view, rel, out_dir, formats, pdf_engine)
    outputs = {}
    for fmt, path in zip(formats, written, strict=True):
        st = path.stat()
        outputs[fmt] = Output(hash_now(path), st.st_size, st.st_mtime_ns)
    _record(manifest, key, Entry(os.fspath(source.resolve()), inputs, settings, outputs), entry)
    manifest.save()
    return RollupResult(written, True)


def _record(manifest: Manifest, key: str, entry: Entry, old: Entry | None) -> None:
    """Record ``entry`` for a document just written, unless an input changed since it was read: then it is
    forgotten, so the next run renders the document again.  Formats not rendered this time keep their
    outputs from ``old`` when it was made from the same inputs and settings."""
    if not all(hash_now(Path(p)) == h for p, h in entry.inputs.items()):
        manifest.forget(key)
        return
    if old is not None and old.inputs == entry.inputs and old.settings == entry.settings:
        entry = replace(entry, outputs=old.outputs | entry.outputs)
    manifest.record(key, entry)


def _save(manifest: Manifest, result: BatchResult) -> None:
    """Save the manifest; a write fault (a full disk) is reported once with the documents' own errors,
    not instead of them (the next run then renders again what it cannot prove unchanged)."""
    try:
        manifest.save()
    except OutputError as exc:
        entry = (display_path(manifest.path), exc.format_message())
        if entry not in result.failed:
            result.failed.append(entry)


def _run(work: list[Job], jobs: int, started: Callable[[Job], None]) -> Iterator[Done]:
    """Render ``work``: in this process when there is one document (no pool to start), else in a pool."""
    if len(work) <= 1:
        for job in work:
            started(job)
            yield render_job(job)
    else:
        yield from _pool_results(work, min(jobs, len(work)), started)


def _context(engine: str, start: bool = False) -> multiprocessing.context.BaseContext:
    """forkserver: workers fork from a server that has imported the render stack once (cheap to start, no
    state inherited from the parent, and unlike "fork" it allows max_tasks_per_child), with the PDF engine of
    the run (``engine``; a server already running keeps what it has).  ``start``: start the server now,
    without waiting for it (its imports take about a second, the first worker waits for them)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        from plandocs.render.warm import ENGINE_MODULES  # a small module: the heavy ones it imports are cached

        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["plandocs.render.batch", "plandocs.render.warm", *ENGINE_MODULES[engine]])
        if start:
            from multiprocessing import forkserver

            forkserver.ensure_running()
        return ctx
    return multiprocessing.get_context("spawn")


def _pool_results(work: list[Job], workers: int, started: Callable[[Job], None]) -> Iterator[Done]:
    """Results as they complete.  A worker that dies (killed, out of memory) breaks the whole pool; the
    documents it took down are then rendered again one per fresh process, so only the culprit fails.

    At most one document per worker is queued at a time: with a backlog in its queue, Python's pool stops
    replacing workers that reached ``max_tasks_per_child`` and hangs (CPython gh-115634, in 3.11 to 3.14)."""
    crashed: list[Job] = []
    queue = list(reversed(work))
    engine = work[0].pdf_engine if work else "weasyprint"  # one engine per run
    with ProcessPoolExecutor(workers, mp_context=_context(engine), initializer=_start_worker,
                             initargs=(os.getpid(), True, language(), engine),
                             max_tasks_per_child=TASKS_PER_WORKER) as pool:
        running: dict[Future[Done], Job] = {}
        while queue or running:
            while queue and len(running) < workers:
                job = queue.pop()
                started(job)
                try:
                    running[pool.submit(render_job, job)] = job
                except BrokenProcessPool:
                    crashed.append(job)
            if not running:
                break
            finished, _pending = wait(running, return_when=FIRST_COMPLETED)  # not "_": that is gettext
            for fut in finished:
                job = running.pop(fut)
                try:
                    yield _own(fut.result(), job)
                except BrokenProcessPool:
                    crashed.append(job)
            if crashed:  # the pool is broken: everything not yet done goes the slow way
                crashed += [running.pop(f) for f in list(running)] + queue[::-1]
                queue = []
    for job in crashed:  # one fresh process each: a document that kills its worker takes only itself down
        started(job)
        with ProcessPoolExecutor(1, mp_context=_context(engine), initializer=_start_worker,
                                 initargs=(os.getpid(), False, language())) as single:
            try:
                yield _own(single.submit(render_job, job).result(), job)
            except BrokenProcessPool:
                yield Done(job, 0.0, error=_("the render process died (killed, or out of memory)"))


def _own(done: Done, job: Job) -> Done:
    """``done`` with this process's own ``job``: the copy that came back from the worker holds a copy of the
    validated plan, and keeping one per document would make this process grow with the tree (1 MiB each)."""
    return replace(done, job=job)


def _start_worker(parent: int, warm: bool, lang: str | None = None, engine: str = "weasyprint") -> None:
    """Runs first in every worker: exit with the command that started it, speak the command's language
    (``--lang`` does not reach a fresh process), then (``warm``) load the fonts of the run's PDF engine."""
    threading.Thread(target=_exit_with, args=(parent,), daemon=True, name="plandocs-parent-watch").start()
    set_language(lang)
    if warm:
        from plandocs.render.warm import warm as warm_up

        warm_up(engine)


def _exit_with(parent: int) -> None:
    """A worker whose command was killed (SIGKILL, a cancelled CI job) would otherwise wait for work forever,
    and keep the fork server alive with it; it leaves as soon as the command is gone."""
    try:
        fd = os.pidfd_open(parent)
    except (AttributeError, OSError):  # no pidfd (old kernel, not Linux): look once a second
        while _alive(parent):
            time.sleep(1.0)
    else:
        select.select([fd], [], [])  # readable when the process has exited
    os._exit(1)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --------------------------------------------------------------------------- worker side


def render_job(job: Job) -> Done:
    """Render and write one validated document; never raises for a document's own problem."""
    started = time.perf_counter()
    try:
        return _render(job, started)
    except PlandocsError as exc:
        return Done(job, time.perf_counter() - started, error=exc.format_message(), peak_rss_kib=_peak())
    except Exception as exc:  # a bug must not stop the other documents; it is reported with its type
        return Done(job, time.perf_counter() - started, error=_("internal error: {kind}: {error}").format(
                        kind=type(exc).__name__, error=exc),
                    peak_rss_kib=_peak())


def _render(job: Job, started: float) -> Done:
    notes: list[str] = []
    docs = render_documents(job.plan, document_view(job.plan, job.report), job.formats, job.pdf_a, job.source,
                            job.pdf_engine, notes)
    rel = Path(job.key)
    written = write_outputs({output_file(rel, fmt): docs[fmt] for fmt in job.formats}, job.out_dir)
    outputs = {}
    for fmt, path in zip(job.formats, written, strict=True):
        st = path.stat()
        outputs[fmt] = Output(hashlib.sha256(docs[fmt]).hexdigest(), st.st_size, st.st_mtime_ns)
    return Done(job, time.perf_counter() - started, outputs, peak_rss_kib=_peak(), notes=tuple(notes))


def template_inputs(dirs: list[Path], kind: str) -> list[Path]:
    """The files a document of ``kind`` is made from, besides its YAML: the templates it uses (the kind's
    HTML template and everything it extends, includes or imports, its DOCX template) and every other file
    of the template folders (stylesheets, images: any template may refer to them).  For each template the
    places before the one used count too — as missing files, so that a template added there is a change."""
    from jinja2 import TemplateNotFound, meta

    env = jinja_env(dirs)
    used: set[str] = set()
    pending = [f"{kind}.html"]
    dynamic = False
    while pending:
        name = pending.pop()
        if name in used:
            continue
        used.add(name)
        try:
            source = env.loader.get_source(env, name)[0] if env.loader else ""
        except TemplateNotFound:
            continue
        for ref in meta.find_referenced_templates(env.parse(source)):
            if ref is None:
                dynamic = True  # a computed name: any template of the folders may be used
            else:
                pending.append(ref)
    used.add(f"{kind}.docx")
    files: list[Path] = []
    for name in sorted(used):
        for folder in dirs:
            files.append(folder / name)
            if (folder / name).is_file():
                break
    for folder in dirs:
        files += [f for f in folder_files(folder) if dynamic or f.suffix not in (".html", ".docx")]
    return files


def _peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
