"""Stage amend: two versions of one plan → the comparative table as DOCX, HTML or PDF bytes.

:func:`comparative_document` is the entry point of ``plandocs diff OLD NEW --format docx|html|pdf``.  It
loads both versions of the plan and their organisations (two files, or one plan file at one or two git
revisions, as ``plandocs diff`` takes them), compares them with :func:`~plandocs.review.diff.compare.
compare_plans`, builds the rows (:mod:`plandocs.review.comparative`) and renders them through the same
sandboxed templates and writers as every plan.  Nothing here prints or writes files.
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from plandocs.check.schema import to_record
from plandocs.errors import Diagnostics, Loc, UsageError
from plandocs.files.decode import decode_text
from plandocs.files.discovery import display_path
from plandocs.files.kinds import FileKind, kind_of
from plandocs.i18n import _
from plandocs.load.source import parse_text
from plandocs.model.records import Organisation, Plan, Record
from plandocs.review.comparative import ComparisonRow, Headings, comparative_view, comparison_rows
from plandocs.review.diff.compare import compare_plans
from plandocs.review.git import is_revision, read_blob, toplevel

DOCUMENT_FORMATS = ("docx", "html", "pdf")


@dataclass(frozen=True)
class Version:
    """One version of the plan and of its organisation."""

    name: str
    """How messages name the plan: ``plans/a.yaml`` or ``main:plans/a.yaml``."""
    plan: Plan
    organisation: Organisation
    templates: Path | None
    """The organisation's own template folder (working-tree plans only)."""


@dataclass
class Amendment:
    """What ``plandocs diff --format docx|html|pdf`` produces, or why it could not."""

    data: bytes | None = None
    rows: list[ComparisonRow] = field(default_factory=list)
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    lines: dict[str, list[str]] = field(default_factory=dict)
    """Source lines of files with diagnostics, for excerpts."""
    revisions: int = 0
    """Revision marks of a tracked-changes DOCX."""
    unplaced: int = 0
    """Removed paragraphs or rows a tracked-changes DOCX could not show (see :mod:`.tracked`)."""


class _Reader:
    """Reads a file of one version: from the disk, or from a git revision."""

    def __init__(self, rev: str | None, root: Path | None) -> None:
        self.rev, self.root = rev, root

    def name(self, path: str) -> str:
        return f"{self.rev}:{path}" if self.rev is not None else path

    def read(self, path: str, diags: Diagnostics) -> str | None:
        name = self.name(path)
        if self.rev is not None:
            assert self.root is not None
            data = read_blob(self.rev, path, self.root)
        else:
            try:
                data = Path(path).read_bytes()
            except OSError as exc:
                diags.add("io", _("cannot read the file: {why}").format(why=exc.strerror or exc), Loc(name))
                return None
        return decode_text(name, data, diags)


def _load(reader: _Reader, path: str, cls: type[Record], result: Amendment) -> Record | None:
    diags = result.diagnostics
    text = reader.read(path, diags)
    if text is None:
        return None
    name = reader.name(path)
    before = len(diags.errors)
    root = parse_text(name, text, diags)
    rec: Record | None = to_record(root, cls, diags) if root is not None else None
    if len(diags.errors) > before:
        result.lines[name] = text.splitlines()
        return None
    return rec


def _version(reader: _Reader, plan_path: str, result: Amendment) -> Version | None:
    plan = _load(reader, plan_path, Plan, result)
    if not isinstance(plan, Plan):
        return None
    org_path = posixpath.normpath(posixpath.join(posixpath.dirname(plan_path), plan.organisation))
    org = _load(reader, org_path, Organisation, result)
    if not isinstance(org, Organisation):
        return None
    templates = None
    if reader.rev is None and org.templates is not None:
        from plandocs.files.paths import project_root
        from plandocs.render.templating import resolve_org_templates

        org_file = Path(org_path)
        templates = resolve_org_templates(org_file, org.templates, project_root(org_file))
    return Version(reader.name(plan_path), plan, org, templates)


def _one_plan(path: str) -> str:
    if kind_of(path) is not FileKind.PLAN:
        raise UsageError(_("'{path}' is not a plan file: a comparative table is made of two versions of one "
                           "plan").format(path=path))
    return path


def versions(args: Sequence[str], paths: Sequence[str], cwd: Path, result: Amendment) -> tuple[Version, Version] | None:
    """The old and the new version: ``OLD NEW`` (two plan files), or ``REV [REV] -- PLAN``."""
    if not paths and len(args) == 2 and all((cwd / a).is_file() for a in args):
        old = _version(_Reader(None, None), _one_plan(display_path(cwd / args[0])), result)
        new = _version(_Reader(None, None), _one_plan(display_path(cwd / args[1])), result)
    else:
        root = toplevel(cwd)
        rest = list(args)
        revs: list[str] = []
        while rest and len(revs) < 2 and is_revision(rest[0], root):
            revs.append(rest.pop(0))
        wanted = [*paths, *rest]
        if not revs or len(wanted) != 1:
            raise UsageError(_("a comparative table compares one plan: give two plan files (plandocs diff OLD.yaml "
                               "NEW.yaml --format docx -o table.docx) or revisions and one plan "
                               "(plandocs diff main HEAD -- plans/kalush/2020-q2.yaml --format docx -o table.docx)"))
        rel = _repo_path(wanted[0], cwd, root)
        _one_plan(rel)
        old = _version(_Reader(revs[0], root), rel, result)
        if len(revs) == 2:
            new = _version(_Reader(revs[1], root), rel, result)
        else:
            new = _version(_Reader(None, None), display_path(root / rel), result)
    if old is None or new is None:
        return None
    return old, new


def _repo_path(path: str, cwd: Path, root: Path) -> str:
    p = (cwd / path).resolve()
    try:
        return p.relative_to(root.resolve()).as_posix()
    except ValueError:
        raise UsageError(_("'{path}' is outside the git repository {root}").format(path=path, root=root)) from None


def comparative_document(args: Sequence[str], paths: Sequence[str], fmt: str, *,
                         headings: Headings = Headings.BEFORE_AFTER, orientation: str = "auto",
                         cwd: Path | None = None) -> Amendment:
    """The comparative table of the plan named by ``args``/``paths`` rendered as ``fmt``."""
    from plandocs.render.pipeline import render_view
    from plandocs.render.templating import template_dirs

    if fmt not in DOCUMENT_FORMATS:
        raise UsageError(_("unknown document format '{format}'; use one of {formats}").format(
            format=fmt, formats=", ".join(DOCUMENT_FORMATS)))
    result = Amendment()
    pair = versions(args, paths, cwd or Path.cwd(), result)
    if pair is None:
        return result
    old, new = pair
    changes, _diags = compare_plans(old.plan, new.plan)
    result.rows = comparison_rows(changes, old.plan, new.plan, [new.organisation, old.organisation])
    view = comparative_view(result.rows, old.plan, new.plan, new.organisation, headings=headings,
                            orientation=orientation)
    result.data = render_view(view, template_dirs(new.templates), [fmt])[fmt]
    return result


def tracked_document(args: Sequence[str], paths: Sequence[str], cwd: Path | None = None) -> Amendment:
    """The amended plan as DOCX with tracked changes (``w:ins``/``w:del``) from the approved one."""
    from plandocs.render.pipeline import render_view
    from plandocs.render.templating import template_dirs
    from plandocs.review.tracked import tracked_docx
    from plandocs.view.plan import build_view

    result = Amendment()
    pair = versions(args, paths, cwd or Path.cwd(), result)
    if pair is None:
        return result
    old, new = pair
    changes, _diags = compare_plans(old.plan, new.plan)
    result.rows = comparison_rows(changes, old.plan, new.plan, [new.organisation, old.organisation])
    old_view, new_view = build_view(old.plan, old.organisation), build_view(new.plan, new.organisation)
    before = render_view(old_view, template_dirs(old.templates), ["docx"])["docx"]
    after = render_view(new_view, template_dirs(new.templates), ["docx"])["docx"]
    tracked = tracked_docx(before, after, f"{new_view.date.isoformat()}T00:00:00Z")
    result.data, result.revisions, result.unplaced = tracked.data, tracked.revisions, tracked.unplaced
    return result


__all__ = ["DOCUMENT_FORMATS", "Amendment", "comparative_document", "tracked_document"]
