"""The preview's own pages: the file list, a document with its problems, the diff since the last commit.

They are rendered by the project's one sandboxed, autoescaping Jinja environment from ``templates/``
beside this module; every value from a plan file arrives escaped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from markupsafe import Markup, escape

from plandocs.errors import PlandocsError
from plandocs.files.kinds import FileKind
from plandocs.i18n import N_, _, language, ngettext
from plandocs.render.templating import jinja_env
from plandocs.serve.workspace import Entry, Problem, Snapshot

TEMPLATES = Path(__file__).parent / "templates"
KIND_LABELS = {FileKind.PLAN: N_("plan"), FileKind.ORGANISATION: N_("organisation"), FileKind.REPORT: N_("report"),
               FileKind.REGION: N_("region"), FileKind.BODIES: N_("bodies")}
"""The file kinds as the file list names them."""


def no_document() -> bytes:
    """The frame's page while a document has no valid version."""
    text = escape(_("No valid version of this document yet: fix the problems above and save."))
    return (f"<!DOCTYPE html><html lang='{language()}'><meta charset='utf-8'>"
            f"<body style='font-family:sans-serif'><p>{text}</p></body></html>").encode()


def _render(name: str, **context: object) -> str:
    # the pages' own words go through gettext: `{{ _("…") }}` in the templates (extracted by scripts/i18n.py)
    return jinja_env([TEMPLATES]).get_template(name).render(_=_, ngettext=ngettext, lang=language(), **context)


def url(prefix: str, rel: str) -> str:
    return f"/{prefix}/{quote(rel)}"


def _status(errors: int, warnings: int) -> tuple[str, str]:
    """Text and CSS class of a validation status."""
    n_warnings = ngettext("{n} warning(s)", "{n} warning(s)", warnings).format(n=warnings)
    if errors:
        n_errors = ngettext("{n} error(s)", "{n} error(s)", errors).format(n=errors)
        return (_("{errors}, {warnings}").format(errors=n_errors, warnings=n_warnings) if warnings else n_errors), \
            "bad"
    if warnings:
        return _("valid, {warnings}").format(warnings=n_warnings), "warn"
    return _("valid"), "ok"


# ---------------------------------------------------------------------------- index


@dataclass(frozen=True)
class _Row:
    name: str
    url: str
    kind: str
    status: str
    css: str


def _row(e: Entry) -> _Row:
    status, css = _status(e.errors, e.warnings)
    return _Row(PurePosixPath(e.rel).name, url("view", e.rel), _(KIND_LABELS.get(e.kind, e.kind)), status, css)


def index_panel(snap: Snapshot) -> str:
    def order(e: Entry) -> tuple[str, bool, str]:  # by folder, the organisation first
        return str(PurePosixPath(e.rel).parent), e.kind is not FileKind.ORGANISATION, e.rel

    by_folder = groupby(sorted(snap.entries, key=order), key=lambda e: str(PurePosixPath(e.rel).parent))
    folders = [("" if folder == "." else folder, [_row(e) for e in entries]) for folder, entries in by_folder]
    return _render("index_panel.html", folders=folders, error=snap.error)


def index_page(snap: Snapshot) -> str:
    return _render("index.html", title=snap.root.name, root=str(snap.root), api="/api/index", rel="", key="",
                   panel=Markup(index_panel(snap)))


# ---------------------------------------------------------------------------- a document


@dataclass(frozen=True)
class _ProblemView:
    where: str
    editor: str
    severity: str
    label: str
    rule: str
    path: str
    message: str
    source: str
    gutter: str
    caret: str


def editor_link(file: Path, line: int, col: int) -> str:
    """``vscode://file/ABS:LINE:COL``, which VS Code (and editors that copy it) open at the place."""
    where = f":{line}:{max(col, 1)}" if line else ""
    return f"vscode://file{quote(file.as_posix())}{where}"


def _problem(p: Problem) -> _ProblemView:
    d = p.diagnostic
    where = f"{p.rel}:{d.loc.line}:{d.loc.col}" if d.loc.line else p.rel
    gutter = f"{d.loc.line:>5} | "
    caret = " " * (len(gutter) - 2) + "| " + " " * max(d.loc.col - 1, 0) + "^"
    return _ProblemView(where, editor_link(p.file, d.loc.line, d.loc.col), d.severity.value, d.label(), d.rule,
                        d.path, d.message, p.source_line, gutter, caret)


def _notes(snap: Snapshot, rel: str) -> list[str]:
    notes = []
    entry = snap.entry(rel)
    if snap.error:
        notes.append(snap.error)
    elif entry is None:
        notes.append(_("{path} is gone (deleted or renamed); the last version seen is shown. The file list has "
                       "the current files.").format(path=rel))
    if rel in snap.render_errors:
        notes.append(_("the document could not be rendered: {error}").format(error=snap.render_errors[rel]))
    if rel not in snap.jobs and rel in snap.html and entry is not None and entry.kind is not FileKind.ORGANISATION:
        notes.append(_("below is the last version that validated; it updates when the problems are fixed"))
    return notes


def document_panel(snap: Snapshot, rel: str) -> str:
    problems = snap.problems_for(rel)
    entry = snap.entry(rel)
    errors = sum(p.diagnostic.severity.value == "error" for p in problems)
    status, css = _status(errors, len(problems) - errors)
    valid = rel in snap.jobs
    if entry is None:
        status, css = _("not found"), "bad"
    elif not valid and not errors and entry.kind is not FileKind.ORGANISATION:
        status, css = _("not valid: a file it reads has errors"), "bad"
    downloads = [(fmt, url(f"download/{fmt}", rel)) for fmt in ("docx", "pdf")] if valid else []
    diff_url = url("diff", rel) if entry is not None and entry.kind is not FileKind.REPORT else ""
    return _render("document_panel.html", status=status, css=css, downloads=downloads, diff_url=diff_url,
                   notes=_notes(snap, rel), problems=[_problem(p) for p in problems])


def document_key(snap: Snapshot, rel: str) -> str:
    """Which HTML the page shows: the current one, else the last good one, else none."""
    shown = snap.html.get(rel)
    return shown.key if shown is not None else ""


def document_page(snap: Snapshot, rel: str) -> str:
    entry = snap.entry(rel)
    framed = entry is None or entry.kind is not FileKind.ORGANISATION
    return _render("document.html", title=rel, rel=rel, rel_url=quote(rel), api=url("api/view", rel),
                   key=document_key(snap, rel), framed=framed, panel=Markup(document_panel(snap, rel)))


# ---------------------------------------------------------------------------- diff

_SGR_RE = re.compile(r"\x1b\[([0-9;]*)m")
_SGR_CLASS = {"31": "diff-del", "32": "diff-ins", "36": "diff-head", "1": "diff-strong"}


def ansi_to_html(text: str) -> Markup:
    """The coloured terminal diff as HTML: click's SGR codes become spans, everything else is escaped."""
    out: list[str] = []
    open_spans = 0
    pos = 0
    for m in _SGR_RE.finditer(text):
        out.append(str(escape(text[pos:m.start()])))
        pos = m.end()
        codes = [c for c in m.group(1).split(";") if c]
        if not codes or codes == ["0"]:
            out.append("</span>" * open_spans)
            open_spans = 0
            continue
        classes = " ".join(_SGR_CLASS[c] for c in codes if c in _SGR_CLASS)
        out.append(f'<span class="{classes}">' if classes else "<span>")
        open_spans += 1
    out.append(str(escape(text[pos:].replace("\x1b", ""))))
    out.append("</span>" * open_spans)
    return Markup("".join(out))


def diff_panel(snap: Snapshot, rel: str) -> str:
    """The plan-aware diff of ``rel`` against ``HEAD``, as ``plandocs diff HEAD -- FILE`` prints it."""
    from plandocs.review.diff import plan_diff
    from plandocs.review.diff.output import render_diff

    notes: list[str] = []
    text = Markup("")
    try:
        result = plan_diff(["HEAD"], [str(snap.root / rel)], cwd=snap.root)
    except PlandocsError as exc:
        notes.append(exc.format_message())
    else:
        notes.extend(f"{d.loc}: {d.message}" for d in result.diagnostics.errors)
        if result.changed:
            text = ansi_to_html(render_diff(result, "text", color=True))
        elif result.files:
            notes.append(_("only formatting or comments changed since the last commit"))
    return _render("diff_panel.html", notes=notes, text=text)


def diff_page(snap: Snapshot, rel: str) -> str:
    return _render("diff.html", title=_("{path}: changes").format(path=rel), rel=rel, back=url("view", rel),
                   api=url("api/diff", rel), key="", panel=Markup(diff_panel(snap, rel)))
