"""The recognised layout as the declarative table of issue 11 (docs/forms.md), and prose as its Markdown.

The importer writes these only when the plan model has the fields (``table``, ``prose``): on a model
without them the older ``columns``/``headers`` keys and plain paragraphs are written instead, so the same
importer works before and after the forms issue lands.
"""

from __future__ import annotations

import re
from typing import Any

from plandocs.importer.columns import ColumnSpec, Kind, Layout
from plandocs.importer.docxread import Para, Run, Table

Data = dict[str, Any]

FORM_KIND: dict[Kind, str] = {
    Kind.NUMBER: "number", Kind.PRIORITY: "priority", Kind.TASK: "task", Kind.RESULT: "result",
    Kind.MEASURE: "measure", Kind.EXECUTOR: "executor", Kind.TERM: "term", Kind.START: "start", Kind.END: "end",
    Kind.INDICATOR: "indicator", Kind.VALUE: "values", Kind.PLAN: "values", Kind.FUNDING: "funding",
    Kind.EXPECTED: "expected", Kind.NOTE: "note", Kind.SOURCE: "source",
}
"""Recognised kinds → column kinds of docs/forms.md (a report's plan column is the plan's values)."""


def model_has(cls: type, name: str) -> bool:
    """Whether the plan model has a field (``table``, ``prose``): the forms issue adds them."""
    from plandocs.check.schema import record_fields

    return name in record_fields(cls)


def _header(text: str) -> str:
    return re.sub(r"[ \t]*\n[ \t]*", "\n", text.strip())


def _entry(spec: ColumnSpec, date_format: str | None, italic: frozenset[int] = frozenset()) -> Data:
    kind = FORM_KIND[spec.kind]
    header = spec.sub if spec.group_text and spec.sub else spec.header
    e: Data = {"kind": kind, "header": _header(header)}
    if kind in ("start", "end") and date_format:
        e["date_format"] = date_format
    if spec.col in italic:
        e["emphasis"] = "italic"
    return e


def italic_columns(table: Table, layout: Layout) -> frozenset[int]:
    """The columns whose body cells are mostly printed in italics: the form's emphasis of that column
    (Zhytomyr's task titles and indicators), not of single words."""
    counts: dict[int, list[int]] = {}
    for row in table.rows[layout.body_start:]:
        for c in row.cells:
            if c.colspan == 1 and not c.continued and c.text.strip():
                counts.setdefault(c.col, []).append(c.italic)
    return frozenset(col for col, flags in counts.items() if sum(flags) * 2 > len(flags))


def table_declaration(layout: Layout, date_format: str | None, report: bool = False,
                      italic: frozenset[int] = frozenset()) -> Data:
    """``table:`` for a recognised layout: one entry per column (values and funding once, with their group
    header), groups where a header cell spans ordinary columns, the column-number row; ``italic`` columns get
    ``emphasis: italic``."""
    columns: list[Data] = []
    seen_groups: set[str] = set()
    open_group: Data | None = None
    for spec in layout.columns:
        if spec.kind not in FORM_KIND or (report and spec.kind in (Kind.FACT, Kind.NOTE)):
            continue
        kind = FORM_KIND[spec.kind]
        if kind in ("values", "funding"):
            if any(c.get("kind") == kind for c in columns):
                continue
            columns.append({"kind": kind, "header": _header(spec.header)})
            open_group = None
            continue
        entry = _entry(spec, date_format, italic)
        if spec.group_text:
            if open_group is not None and open_group["group"] == _header(spec.group_text):
                open_group["columns"].append(entry)
                continue
            if spec.group_text not in seen_groups:
                seen_groups.add(spec.group_text)
                open_group = {"group": _header(spec.group_text), "columns": [entry]}
                columns.append(open_group)
                continue
        open_group = None
        columns.append(entry)
    out: Data = {"columns": columns}
    if layout.column_numbers:
        out["column_numbers"] = True
    return out


# --------------------------------------------------------------------------- prose

_SUBHEADING = re.compile(r"^\d+\.\d+(?:\.\d+)*\.?\s+\S")
_NOTE_REF = re.compile(r"\[(\d{1,3})\]")
_NOTE_TEXT = re.compile(r"^\[(\d{1,3})\]\s*")


def _emphasis(runs: tuple[Run, ...]) -> str:
    """Runs as Markdown: ``**bold**``, ``*italic*``; the markers hug the words, spaces stay outside."""
    out: list[str] = []
    for r in runs:
        text = r.text
        if not text.strip() or not (r.bold or r.italic):
            out.append(text)
            continue
        lead = text[: len(text) - len(text.lstrip())]
        trail = text[len(text.rstrip()):]
        mark = "***" if r.bold and r.italic else "**" if r.bold else "*"
        out.append(f"{lead}{mark}{text.strip()}{mark}{trail}")
    return "".join(out)


def markdown_paragraph(p: Para) -> str:
    """A prose paragraph in the Markdown subset of docs/forms.md: a bold numbered sub-heading («1.1. …»)
    becomes ``## …``, bold and italic runs ``**…**`` and ``*…*``, a list item ``- …``, a note reference
    «[1]» ``[^1]`` and the note's own paragraph ``[^1]: …``."""
    text = p.text.strip()
    whole_bold = all(r.bold for r in p.runs if r.text.strip())
    style = p.style.lower()
    if style in ("heading 2", "heading 3"):  # a document plandocs rendered: its headings are real styles
        return ("## " if style == "heading 2" else "### ") + text
    if whole_bold and _SUBHEADING.match(text):
        return "## " + text
    body = _emphasis(p.runs).strip()
    if (m := _NOTE_TEXT.match(text)) is not None:
        rest = _emphasis(_drop_prefix(p.runs, m.end())).strip()
        return f"[^{m.group(1)}]: {rest}"
    body = _NOTE_REF.sub(lambda m: f"[^{m.group(1)}]", body)
    if p.style.lower().startswith("list") or p.numbered:
        return "- " + re.sub(r"^(\d+\.)\t", r"\1 ", body.lstrip("•–- \t"))
    return body


def _drop_prefix(runs: tuple[Run, ...], n: int) -> tuple[Run, ...]:
    """The runs without their first ``n`` characters (a leading whitespace-only run counts too)."""
    out: list[Run] = []
    for r in runs:
        if n >= len(r.text):
            n -= len(r.text)
            continue
        out.append(Run(r.text[n:], r.bold, r.italic))
        n = 0
    return tuple(out)


def needs_markdown(paragraphs: list[Para]) -> bool:
    """Whether plain paragraphs would lose structure: emphasis, sub-headings or notes."""
    return any(any((r.bold or r.italic) and r.text.strip() for r in p.runs) or _NOTE_TEXT.match(p.text.strip())
               or p.style.lower() in ("heading 2", "heading 3") for p in paragraphs)
