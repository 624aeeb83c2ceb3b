"""Stage 4, render: validated plans → document views → DOCX, HTML and PDF bytes → output files.

:func:`render` is the one public entry point used by ``plandocs render``.  Every format of a plan is
rendered in memory first; only when all of them succeeded are the files written, so an error never leaves
a partial document set.  Invalid plans are skipped (their diagnostics are in the result) and the others
still render.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from plandocs.check.validate import LoadedPlan, ValidationResult, validate
from plandocs.errors import PlandocsError
from plandocs.files.discovery import display_path
from plandocs.files.kinds import DEFAULT_PLANS
from plandocs.files.paths import project_root
from plandocs.files.write import safe_target, write_outputs
from plandocs.i18n import _
from plandocs.model.records import Report
from plandocs.render.templating import find_template, resolve_org_templates, template_dirs
from plandocs.reports.rollup import RegionRollup
from plandocs.view.plan import build_view
from plandocs.view.report import build_report_view
from plandocs.view.types import DocumentView
from plandocs.view.typography import typeset

if TYPE_CHECKING:
    from plandocs.render.pdf import Cuts, PagedHtml

FORMATS = ("docx", "html", "pdf")


def pdf_engine_for(engine: str, org_templates: Path | None) -> tuple[str, str]:
    """The engine that prints a document's PDF, and why it is not the one asked for (``""`` when it is).

    An organisation's own HTML templates or stylesheets (its ``templates:`` folder) exist only for
    WeasyPrint: such a document is printed by WeasyPrint, so that it still looks as the organisation made it."""
    if engine == "typst" and org_templates is not None:
        own = sorted(p.name for p in org_templates.iterdir() if p.suffix in (".html", ".css"))
        if own:
            return "weasyprint", _("printed with WeasyPrint: the organisation's own templates ({files}) are HTML, "
                                   "which the Typst engine cannot use").format(files=", ".join(own))
    return engine, ""


@dataclass
class RenderedPlan:
    source: Path
    outputs: list[Path]
    seconds: float


@dataclass
class RenderResult:
    validation: ValidationResult
    rendered: list[RenderedPlan] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    """(plan file, error message) of plans that validated but could not be rendered."""

    @property
    def ok(self) -> bool:
        return self.validation.ok and not self.failed


def output_relpath(plan: Path, roots: Sequence[Path]) -> Path:
    """Where a plan's documents go inside the output folder, mirroring its place under ``plans/``."""
    resolved = plan.resolve()
    for parent in resolved.parents:
        if parent.name == DEFAULT_PLANS.name:
            return _strip_yaml(resolved.relative_to(parent))
    for root in roots:
        r = root.resolve()
        if r.is_dir() and r in resolved.parents:
            return _strip_yaml(resolved.relative_to(r))
    return _strip_yaml(Path(resolved.name))


def output_relpaths(sources: Sequence[Path], roots: Sequence[Path]) -> list[Path]:
    """:func:`output_relpath` of each source; sources that would share an output name (``render north
    south`` where both hold ``2021.yaml``) keep their folders below the folder they have in common, so
    that no document of a run replaces another."""
    rels = [output_relpath(s, roots) for s in sources]
    by_rel: dict[Path, list[int]] = {}
    for i, rel in enumerate(rels):
        by_rel.setdefault(rel, []).append(i)
    for same in by_rel.values():
        if len(same) > 1:
            resolved = [sources[i].resolve() for i in same]
            common = Path(os.path.commonpath([r.parent for r in resolved]))
            for i, r in zip(same, resolved, strict=True):
                rels[i] = _strip_yaml(r.relative_to(common))
    return rels


def _strip_yaml(rel: Path) -> Path:
    """``odesa/2021-q2.report.yaml`` → ``odesa/2021-q2.report`` (later ``.pdf`` etc. is appended)."""
    return rel.with_suffix("") if rel.suffix in (".yaml", ".yml") else rel


def output_file(rel: Path, fmt: str) -> Path:
    return rel.parent / f"{rel.name}.{fmt}"


def document_view(lp: LoadedPlan, report: Report | None = None) -> DocumentView:
    """The view of the plan ``lp``, or of ``report`` (a report of that plan)."""
    if report is None:
        return build_view(lp.plan, lp.organisation)
    return build_report_view(report, lp.plan, lp.organisation)


def render_documents(lp: LoadedPlan, view: DocumentView, formats: Sequence[str], pdf_a: bool,
                     source: Path | None = None, pdf_engine: str = "weasyprint",
                     notes: list[str] | None = None) -> dict[str, bytes]:
    """All requested formats of one document (a plan, or a report of ``lp``), in memory; ``notes`` receives
    why the PDF engine asked for was not used (see :func:`pdf_engine_for`)."""
    org_templates = resolve_org_templates(lp.organisation_path, lp.organisation.templates,
                                          project_root(lp.organisation_path))
    engine, why = pdf_engine_for(pdf_engine, org_templates)
    if why and "pdf" in formats and notes is not None:
        notes.append(why)
    return render_view(view, template_dirs(org_templates), formats, pdf_a, [source or lp.path], engine)


def render_view(view: DocumentView, dirs: list[Path], formats: Sequence[str], pdf_a: bool = False,
                sources: Sequence[Path] = (), pdf_engine: str = "weasyprint") -> dict[str, bytes]:
    """Render one document view into the requested formats (``sources`` are attached to PDF/A)."""
    attached = list(sources) if pdf_a else None
    view = typeset(view)  # no-break spaces, dashes, apostrophes: the same characters in every format
    out: dict[str, bytes] = {}
    if "html" in formats:
        from plandocs.render.html import render_html
        out["html"] = render_html(view, dirs).encode("utf-8")
    pages: dict[str, int] | None = None
    if "pdf" in formats:
        out["pdf"], pages = _pdf_and_pages(view, dirs, attached, pdf_a, pdf_engine)
    if "docx" in formats:
        from plandocs.render.docx import render_docx
        if pages is None and view.contents and view.sections:
            # the contents' page numbers come from the PDF layout, also when only the DOCX is asked for
            # (LibreOffice never updates fields, and Word only on open): lay the PDF out and drop its bytes
            pages = _pdf_and_pages(view, dirs, None, False, pdf_engine)[1]
        if pages is not None:
            # the DOCX contents show the pages of this layout until Word updates its fields
            view = replace(view, sections=tuple(replace(s, page=str(pages.get(s.anchor, "")))
                                                for s in view.sections))
        out["docx"] = render_docx(view, find_template(dirs, f"{view.kind}.docx"))
    return out


def _pdf_and_pages(view: DocumentView, dirs: list[Path], attached: list[Path] | None,
                   pdf_a: bool, pdf_engine: str) -> tuple[bytes, dict[str, int]]:
    """The PDF of ``view`` printed by ``pdf_engine`` and the page of every element id in its layout."""
    if pdf_engine == "typst":
        from plandocs.render.typst import render_typst

        return render_typst(view, attached or (), pdf_a)
    from plandocs.render.pdf import render_pdf_pages

    # relative URLs (an organisation's logo) resolve in the first template folder: the organisation's own
    return render_pdf_pages(paged_html(view, dirs), dirs[0], view.date, attachments=attached, pdf_a=pdf_a,
                            folders=dirs)


def paged_html(view: DocumentView, dirs: list[Path]) -> PagedHtml:
    """The paged HTML of ``view`` for the cuts a layout pass finds (see plandocs.render.pdf.paginate)."""
    from plandocs.render.html import render_html

    def paged(cuts: Cuts) -> str:
        # the template cuts at page breaks only: the body cut around broken rows, its tall rows marked as
        # breakable, is given to it already cut
        body = view.table.paged_body(cuts.breaks, cuts.split, view.page.font_size, cuts.whole, cuts.unhyphenated,
                                     cuts.starts)
        return render_html(replace(view, table=replace(view.table, body=body)), dirs, paged=True)

    return paged


def render(paths: Sequence[Path], out_dir: Path, formats: Sequence[str] = FORMATS, *, pdf_a: bool = False,
           pdf_engine: str = "weasyprint", progress: Callable[[int, int, RenderedPlan], None] | None = None,
           starting: Callable[[Path, int], None] | None = None) -> RenderResult:
    """Validate ``paths`` and render every valid plan into ``out_dir``.

    ``starting(source, total)`` is called before each document, ``progress(i, total, done)`` after it.
    """
    result = RenderResult(validate(list(paths)))
    jobs: list[tuple[Path, LoadedPlan, Report | None]] = [(lp.path, lp, None) for lp in result.validation.plans]
    jobs += [(lr.path, lr.plan, lr.report) for lr in result.validation.reports]
    rels = output_relpaths([job[0] for job in jobs], paths)
    for i, (source, lp, report) in enumerate(jobs, start=1):
        started = time.perf_counter()
        if starting is not None:
            starting(source, len(jobs))
        rel = rels[i - 1]
        try:
            for fmt in formats:
                safe_target(out_dir, output_file(rel, fmt))
            docs = render_documents(lp, document_view(lp, report), formats, pdf_a, source, pdf_engine)
            written = write_outputs({output_file(rel, fmt): docs[fmt] for fmt in formats}, out_dir)
        except PlandocsError as exc:
            result.failed.append((display_path(source), exc.format_message()))
            continue
        done = RenderedPlan(source, written, time.perf_counter() - started)
        result.rendered.append(done)
        if progress is not None:
            progress(i, len(jobs), done)
    return result


def write_view(view: DocumentView, rel: Path, out_dir: Path, formats: Sequence[str],
               pdf_engine: str = "weasyprint") -> list[Path]:
    """Render a view with the package's templates and write its formats as ``out_dir/rel.<format>``."""
    docs = render_view(view, template_dirs(None), formats, pdf_engine=pdf_engine)
    return write_outputs({output_file(rel, f): docs[f] for f in formats}, out_dir)


def annual_report_rel(plan: Path) -> Path:
    """``ORG/PLAN.annual-report``: where the annual report of ``plan`` goes in the output folder."""
    return Path(plan.resolve().parent.name) / f"{plan.stem}.annual-report"


def region_report_rel(rollup: RegionRollup, region: Path) -> Path:
    """``REGION-FOLDER/PERIOD.region``: where the region summary goes in the output folder."""
    return Path(region.parent.name) / f"{rollup.period.text.lower()}.region"
