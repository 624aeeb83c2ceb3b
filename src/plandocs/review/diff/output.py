"""Output of ``plandocs diff``: text for the terminal, Markdown for a pull-request comment, JSON.

:func:`render_diff` is the one public entry point.  Every change is one line (one bullet in Markdown).
Measures are named by their bare id, as in the plan's № column (``1.1.3.2 Q3: 4 → 7; total: 16 → 19``);
tasks and priorities by a word and their id (``task 1.2 title: …``).  Text changes are shown word by word:
``[-old-]{+new+}`` in plain text (as ``git diff --word-diff``), red and green in colour, ``~~old~~
**new**`` in Markdown.  The JSON structure is documented in docs/reviewing.md.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from typing import Any

import click

from plandocs.i18n import N_, _, ngettext
from plandocs.review.diff.changes import Change, DiffResult, FileDiff, PeriodChange, Word

JSON_VERSION = 1
NONE = N_("(none)")
TARGETS = {"measure": N_("measure"), "task": N_("task"), "priority": N_("priority"), "row": N_("row"),
           "executor": N_("executor"), "person": N_("person"), "document": N_("document"), "file": N_("file")}
"""The words for the things a change is about (``Change.target`` stays English in the JSON)."""


def _noun(target: str) -> str:
    return _(TARGETS.get(target, target))
CONTEXT_WORDS = 6
"""Unchanged words shown on each side of a change in a long text (the JSON output keeps them all)."""
ELIDE_AT_LEAST = 8
"""Unchanged words are only cut when this many or more would be left out."""
HEADING_WIDTH = 80
"""Priority titles in headings are cut to this many characters."""
TITLE_WIDTH = 60
"""Measure titles after a value change are cut to this many characters."""

_MD_SPECIAL_RE = re.compile(r"([\\`*_~\[\]<>|&#])")


def _md(text: str) -> str:
    """User text made inert in Markdown."""
    return _MD_SPECIAL_RE.sub(r"\\\1", text)


def _short(text: str | None, width: int = HEADING_WIDTH) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


class _Style:
    """How pieces of a line are marked up."""

    def __init__(self, markdown: bool = False, color: bool = False) -> None:
        self.markdown, self.color = markdown, color

    def text(self, s: str) -> str:
        return _md(s) if self.markdown else s

    def code(self, s: str) -> str:
        return f"`{s}`" if self.markdown else s

    def ident(self, s: str) -> str:
        if self.markdown:
            return f"**{_md(s)}**"
        return click.style(s, bold=True) if self.color else s

    def old(self, s: str | None) -> str:
        if s is None:
            return f"*{_(NONE)}*" if self.markdown else _(NONE)
        return click.style(s, fg="red") if self.color else self.text(s)

    def new(self, s: str | None) -> str:
        if s is None:
            return f"*{_(NONE)}*" if self.markdown else _(NONE)
        return click.style(s, fg="green") if self.color else self.text(s)

    def words(self, words: tuple[Word, ...]) -> str:
        out = []
        for w in _elide(words):
            if w.op == "equal":
                out.append(self.text(w.text))
            else:  # spaces at the ends of a change stay outside its marks
                core = w.text.strip()
                lead, trail = w.text[: len(w.text) - len(w.text.lstrip())], w.text[len(w.text.rstrip()):]
                if not core:  # a change of spaces only
                    mark = (w.text if w.op == "insert" else "") if self.markdown else \
                        f"[-{w.text}-]" if w.op == "delete" else f"{{+{w.text}+}}"
                elif self.markdown:
                    mark = f"~~{_md(core)}~~" if w.op == "delete" else f"**{_md(core)}**"
                elif self.color:
                    mark = click.style(core, fg="red", strikethrough=True) if w.op == "delete" \
                        else click.style(core, fg="green", underline=True)
                else:
                    mark = f"[-{core}-]" if w.op == "delete" else f"{{+{core}+}}"
                out.append(lead + mark + trail if core else mark)
        joined = "".join(out)
        if self.markdown:  # "~~a~~**b**" does not render: put a space between a deletion and an insertion
            joined = joined.replace("~~**", "~~ **")
        return joined

    def sign(self, kind: str) -> str:
        mark = {"added": "+", "removed": "-"}.get(kind, "")
        if not mark:
            return ""
        if self.markdown:
            return f"{kind} "
        if self.color:
            return click.style(mark, fg="green" if kind == "added" else "red", bold=True) + " "
        return mark + " "


def _elide(words: tuple[Word, ...]) -> tuple[Word, ...]:
    """Long unchanged runs of a text shortened to :data:`CONTEXT_WORDS` words around the changes."""
    last = len(words) - 1
    return tuple(Word("equal", _elide_text(w.text, CONTEXT_WORDS if i > 0 else 0,
                                           CONTEXT_WORDS if i < last else 0))
                 if w.op == "equal" and len(words) > 1 else w for i, w in enumerate(words))


def _elide_text(text: str, keep_head: int, keep_tail: int) -> str:
    parts = re.findall(r"\s+|\S+", text)
    word_at = [i for i, p in enumerate(parts) if not p.isspace()]
    if len(word_at) <= keep_head + keep_tail + ELIDE_AT_LEAST:
        return text
    head = "".join(parts[: word_at[keep_head - 1] + 1]) if keep_head else ""
    tail = "".join(parts[word_at[-keep_tail]:]) if keep_tail else ""
    if head and tail:
        return f"{head} … {tail}"
    return f"{head} …" if head else f"… {tail}"


def _periods(periods: tuple[PeriodChange, ...], st: _Style) -> str:
    return "; ".join(f"{p.period}: {st.old(p.old)} → {st.new(p.new)}" for p in periods)


def _value(c: Change, st: _Style) -> str:
    """The part after the field name: the change itself."""
    if c.periods:
        return _periods(c.periods, st)
    if c.words and c.old is not None and c.new is not None:
        return st.words(c.words)
    return f"{st.old(c.old)} → {st.new(c.new)}"


def _where(c: Change, st: _Style) -> str:
    """The subject of a change: ``1.1.3.2``, ``1.1.1 [bureau-dolyna]``, ``task 1.2``, ``title[1]``."""
    if c.target == "measure" or c.target == "row":
        head = st.ident(c.id or "")
    elif c.target in ("task", "priority", "executor", "person"):
        head = f"{_noun(c.target)} {st.ident(c.id or '')}"
    else:
        head = ""
    if c.row is not None:  # the key of a row without executor stays English in JSON; people read it translated
        head += f" [{st.text(_('(no executor)') if c.row == '(no executor)' else c.row)}]"
    return head


def change_line(c: Change, st: _Style) -> str:
    """One change as one line (without indentation or bullet)."""
    title = f": {st.text(c.title)}" if c.title else ""
    where = _where(c, st)
    if c.target == "file":
        what = _("new file") if c.kind == "added" else _("file removed")
        sign = "" if st.markdown else st.sign(c.kind)
        return f"{sign}{what}: {st.text(c.new or c.old or '')}"
    if c.kind == "renumbered":
        moved = ""
        if c.old_parent:
            moved = (_(", moved from priority {parent}") if c.target == "task" else
                     _(", moved from task {parent}")).format(parent=c.old_parent)
        return _("{target} {old} → {new} (renumbered{moved}){title}").format(
            target=_noun(c.target), old=st.ident(c.old_id or ""), new=st.ident(c.id or ""), moved=moved, title=title)
    if c.kind == "moved":
        text = _("{target} {id} moved: priority {old} → {new}{title}") if c.target == "task" else \
            _("{target} {id} moved: task {old} → {new}{title}")
        return text.format(target=_noun(c.target), id=st.ident(c.id or ""), old=st.old(c.old_parent),
                           new=st.new(c.parent), title=title)
    if c.kind == "reordered":
        if c.target == "row":
            return _("{where} rows reordered").format(where=where)
        if c.target == "task":
            return _("tasks of priority {id} reordered").format(id=st.ident(c.id or ""))
        if c.target == "measure":
            return _("measures of {parent} reordered").format(parent=c.parent)
        return _("priority order changed")
    if c.field == "(other)":
        return _("changes that plandocs does not itemise: compare the files")
    if c.target in ("measure", "task", "priority") and c.field is None:
        return f"{st.sign(c.kind)}{_noun(c.target)} {st.ident(c.id or '')}{title}"
    if c.target == "row" and c.kind in ("added", "removed"):
        detail = c.new if c.kind == "added" else c.old
        return f"{st.sign(c.kind)}{_noun('row')} {where}" + (f": {st.text(detail)}" if detail else "")
    if c.target in ("executor", "person") and c.field is None:
        detail = c.new if c.kind == "added" else c.old
        return f"{st.sign(c.kind)}{where}" + (f": {st.text(detail)}" if detail else "")
    field = st.code(c.field or "") if c.target == "document" else (c.field or "")
    # a bare number says nothing to a reviewer; a priority is already named by its heading
    of = f" — {st.text(_short(c.title, TITLE_WIDTH))}" if c.title and c.target != "priority" else ""
    if c.field == "values" and c.periods:
        return f"{where} {_periods(c.periods, st)}{of}"
    if c.field == "funding" and c.periods:
        return _("{where} funding {periods}").format(where=where, periods=_periods(c.periods, st)).strip() + of
    subject = f"{where} {field}".strip()
    if c.kind == "added":
        return f"{st.sign('added')}{subject}: {st.new(c.new)}"
    if c.kind == "removed":
        return f"{st.sign('removed')}{subject}: {st.old(c.old)}"
    return f"{subject}: {_value(c, st)}"


def _groups(fd: FileDiff) -> list[tuple[str | None, list[Change]]]:
    """Changes grouped by priority, document-level ones first, in the order they come."""
    groups: list[tuple[str | None, list[Change]]] = []
    doc = [c for c in fd.changes if c.priority is None]
    if doc:
        groups.append((None, doc))
    index: dict[str, list[Change]] = {}
    for c in fd.changes:
        if c.priority is None:
            continue
        if c.priority not in index:
            index[c.priority] = []
            groups.append((c.priority, index[c.priority]))
        index[c.priority].append(c)
    return groups


def _file_title(fd: FileDiff) -> str:
    return fd.path


def render_text(result: DiffResult, color: bool = False) -> str:
    st = _Style(color=color)
    out: list[str] = []
    for fd in result.files:
        out.append(click.style(_file_title(fd), bold=True) if color else _file_title(fd))
        for priority, changes in _groups(fd):
            indent = "  "
            if priority is not None:
                head = _("priority {id}").format(id=priority)
                title = fd.priority_titles.get(priority)
                if title:
                    head += f": {_short(title)}"
                out.append("  " + (click.style(head, fg="cyan", bold=True) if color else head))
                indent = "    "
            out.extend(indent + change_line(c, st) for c in changes)
    return "\n".join(out) + ("\n" if out else "")


COMMENT_LIMIT = 65_536
"""GitHub's limit on the body of a pull-request comment, in characters."""


def render_markdown(result: DiffResult, limit: int = COMMENT_LIMIT, link: str | None = None) -> str:
    """Markdown for a pull-request comment; when it would be longer than ``limit`` characters, a summary
    (the number of changes of every kind per file), as many changes as fit, and ``link`` to the rest."""
    st = _Style(markdown=True)
    lines: list[tuple[str, bool]] = []  # (line, is it a change)
    errors = result.diagnostics.errors
    if errors:
        n = len({d.loc.file for d in errors})
        lines.append(("**" + ngettext("{n} file(s) could not be compared as plans:",
                                      "{n} file(s) could not be compared as plans:", n).format(n=n) + "**", False))
        lines.append(("", False))
        lines.extend((f"- `{d.loc}`: {_md(d.message)}", False) for d in errors)
        lines.append(("", False))
    if not result.files and not errors:
        lines.append((_("No changes to plans."), False))
    for fd in result.files:
        status = {"added": _(" (new file)"), "removed": _(" (removed)")}.get(fd.status, "")
        lines.append((f"### `{fd.path}`{status}", False))
        lines.append(("", False))
        for priority, changes in _groups(fd):
            if priority is not None:
                title = fd.priority_titles.get(priority)
                lines.append(("#### " + _("Priority {id}").format(id=_md(priority))
                              + (f": {_md(_short(title))}" if title else ""), False))
                lines.append(("", False))
            lines.extend((f"- {change_line(c, st)}", True) for c in changes)
            lines.append(("", False))
    while lines and lines[-1][0] == "":
        lines.pop()
    full = "\n".join([_("## Plan changes"), "", *(line for line, _is_change in lines)]) + "\n"
    if len(full) <= limit:
        return full
    return _shortened(result, lines, limit, link)


def _counts(fd: FileDiff) -> str:
    kinds: dict[str, int] = {}
    for c in fd.changes:
        kinds[c.kind] = kinds.get(c.kind, 0) + 1
    return ", ".join(f"{n} {_(_KIND_WORDS.get(kind, kind))}"
                     for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])))


_KIND_WORDS = {"added": N_("added"), "removed": N_("removed"), "changed": N_("changed"), "moved": N_("moved"),
               "reordered": N_("reordered"), "renumbered": N_("renumbered")}
"""The kinds of change as the shortened comment counts them (``3 changed, 1 added``)."""


def _shortened(result: DiffResult, lines: list[tuple[str, bool]], limit: int, link: str | None) -> str:
    total = sum(len(fd.changes) for fd in result.files)
    where = _("[the full list]({link})").format(link=link) if link else \
        _("the full list: run `plandocs diff` on the branch")
    n_files = ngettext("{n} file(s)", "{n} file(s)", len(result.files)).format(n=len(result.files))
    head = [_("## Plan changes"), "",
            _("**{changes} in {files}**: too many for one comment, so only a summary and the first changes are "
              "shown; {where}.").format(changes=ngettext("{n} change(s)", "{n} change(s)", total).format(n=total),
                                        files=n_files, where=where), ""]
    head.extend(f"- `{fd.path}`: " + ngettext("{n} change(s)", "{n} change(s)", len(fd.changes)).format(
        n=len(fd.changes)) + f" ({_counts(fd)})" for fd in result.files)
    head.append("")
    shown = 0
    body: list[str] = []
    size = len("\n".join(head)) + 1
    tail_room = 200 + len(where)  # for the closing line
    for line, is_change in lines:
        if size + len(line) + 1 > limit - tail_room:
            break
        body.append(line)
        size += len(line) + 1
        shown += is_change
    while body and body[-1] == "":
        body.pop()
    tail = ["", "*" + ngettext("… {n} more change(s) not shown ({total} in all); {where}.",
                               "… {n} more change(s) not shown ({total} in all); {where}.", total - shown).format(
        n=total - shown, total=total, where=where) + "*"]
    return "\n".join([*head, *body, *tail]) + "\n"


def _change_json(c: Change) -> dict[str, Any]:
    d = asdict(c)
    d["words"] = [asdict(w) for w in c.words]
    d["periods"] = [asdict(p) for p in c.periods]
    return d


def render_json(result: DiffResult) -> str:
    doc = {
        "version": JSON_VERSION,
        "changed": result.changed,
        "files": [{
            "path": fd.path,
            "old_path": fd.old_path,
            "new_path": fd.new_path,
            "status": fd.status,
            "type": fd.type,
            "priorities": {p: fd.priority_titles[p] for p in dict.fromkeys(
                c.priority for c in fd.changes if c.priority is not None) if p in fd.priority_titles},
            "changes": [_change_json(c) for c in fd.changes],
        } for fd in result.files],
        "errors": [d.to_json() for d in result.diagnostics.errors],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def render_diff(result: DiffResult, fmt: str = "text", color: bool = False, *, link: str | None = None,
                limit: int = COMMENT_LIMIT) -> str:
    """``result`` as ``text``, ``markdown`` (at most ``limit`` characters, see :func:`render_markdown`) or
    ``json``."""
    if fmt == "markdown":
        return render_markdown(result, limit, link)
    if fmt == "json":
        return render_json(result)
    return render_text(result, color)


__all__ = ["change_line", "render_diff"]
