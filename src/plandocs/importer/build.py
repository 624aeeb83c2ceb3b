"""Assemble an imported document: plan (or report), organisation, and what could not be placed."""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from plandocs.errors import Diagnostics, ImportFileError
from plandocs.i18n import _, ngettext
from plandocs.importer.cells import Body, ExecutorMatcher
from plandocs.importer.columns import Kind, Layout, recognise
from plandocs.importer.docxread import Document, Para, Table, footnote_texts, read_document
from plandocs.importer.forms import (
    FORM_KIND,
    italic_columns,
    markdown_paragraph,
    model_has,
    needs_markdown,
    table_declaration,
)
from plandocs.importer.requisites import (
    People,
    horizon_of,
    is_heading,
    paragraph_text,
    parse_order,
    parse_signature,
    parse_stamp,
    period_of,
)
from plandocs.importer.table import TableResult, build_table
from plandocs.model.records import DEFAULT_BREAKDOWN, Column, FundingSpec, Organisation, Plan, PlanKind, Record, Report

Data = dict[str, Any]
WORD = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")

_KIND_COLUMN: dict[Kind, Column] = {
    Kind.NUMBER: Column.NUMBER, Kind.TASK: Column.TASK, Kind.RESULT: Column.RESULT, Kind.MEASURE: Column.MEASURE,
    Kind.EXECUTOR: Column.EXECUTOR, Kind.TERM: Column.TERM, Kind.START: Column.TERM, Kind.END: Column.TERM,
    Kind.INDICATOR: Column.INDICATOR, Kind.VALUE: Column.VALUES, Kind.PLAN: Column.VALUES,
    Kind.FUNDING: Column.FUNDING,
}
"""How a recognised column maps onto today's fixed column set (issue 11 makes columns declarative)."""


@dataclass
class Unplaced:
    where: str
    text: str
    why: str


@dataclass
class ImportResult:
    """One imported document."""

    source: Path
    kind: str
    """«plan» or «report»."""
    text: str
    """The plan's (or report's) YAML in canonical form."""
    organisation_text: str | None
    """The organisation file when none was given (or the given one lacked executors)."""
    unplaced: list[Unplaced] = field(default_factory=list)
    executors: ExecutorMatcher | None = None
    notes: list[str] = field(default_factory=list)
    words_total: int = 0
    words_unplaced: int = 0
    data: Data = field(default_factory=dict, repr=False)
    """The plan's data before it became text (for :meth:`referring_to`)."""

    def referring_to(self, organisation: str) -> str:
        """The plan's text with ``organisation:`` set to another path (relative to the plan's folder)."""
        if self.kind != "plan" or self.data.get("organisation") == organisation:
            return self.text
        return canonical({**self.data, "organisation": organisation}, Plan, self.source.stem + ".yaml",
                         MODELINE_PLAN)


def words(text: str) -> list[str]:
    return [w.lower().replace("’", "'").replace("ʼ", "'") for w in WORD.findall(text)]


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def canonical(data: Data, cls: type[Record], name: str, header: str) -> str:
    """YAML text in the project's canonical ``fmt`` form, read back through the schema."""
    from plandocs.review.fmt import canonical_text

    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml's C emitter: the pure one is 10× slower
    raw = header + yaml.dump(data, Dumper=dumper, allow_unicode=True, sort_keys=False, width=10**9)
    diags = Diagnostics()
    out = canonical_text(name, raw, cls, diags)
    if out is None:
        msgs = "; ".join(f"{d.path}: {d.message}" for d in diags.errors[:5])
        raise ImportFileError(_("{name}: internal error: the imported data does not fit the model "
                                "({msgs})").format(name=name, msgs=msgs))
    return out


def _load_org(path: Path | None) -> tuple[Organisation | None, Data | None]:
    if path is None:
        return None, None
    from plandocs.check.schema import to_record
    from plandocs.load.source import load_source

    diags = Diagnostics()
    src = load_source(path, diags)
    if src.root is None:
        raise ImportFileError(_("{path}: the organisation file does not load: ").format(path=path)
                              + "; ".join(d.message for d in diags.errors[:3]))
    org = to_record(src.root, Organisation, diags)
    if org is None or diags.errors:
        raise ImportFileError(_("{path}: the organisation file is invalid: ").format(path=path)
                              + "; ".join(f"{d.path}: {d.message}" for d in diags.errors[:3]))
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return org, raw if isinstance(raw, dict) else None


def load_bodies(path: Path) -> list[Body]:
    """A bodies register (``*.bodies.yaml``: ``bodies: [{id, name, variants, external}]``, the forms
    design of issue 11), read through the project's safe YAML loader."""
    from plandocs.load.source import Map, Scalar, Seq, load_source

    diags = Diagnostics()
    src = load_source(path, diags)
    root = src.root
    items = root.get("bodies") if isinstance(root, Map) else None
    if diags.errors or not isinstance(items, Seq):
        raise ImportFileError(_("{path}: not a bodies register (expected a mapping with a list under "
                                "'bodies')").format(path=path))
    out: list[Body] = []
    for i, node in enumerate(items.items):
        fields = {k.value: v for k, v in node.items} if isinstance(node, Map) else {}
        ident, name = fields.get("id"), fields.get("name")
        if not isinstance(ident, Scalar) or not isinstance(name, Scalar):
            raise ImportFileError(_("{path}:{line}:{col}: bodies[{i}]: a body needs 'id' and 'name'").format(
                                      path=path, line=node.loc.line, col=node.loc.col, i=i))
        variants = fields.get("variants")
        names = tuple(v.value for v in variants.items if isinstance(v, Scalar)) \
            if isinstance(variants, Seq) else ()
        ext = fields.get("external")
        out.append(Body(ident.value, name.value, isinstance(ext, Scalar) and ext.value == "true",
                        variants=names, register=True))
    return out


def _main_table(doc: Document, allow_no_table: bool) -> tuple[Table, Layout] | None:
    if not doc.tables:
        if allow_no_table:
            return None
        raise ImportFileError(_("{source}: the document has no table; plandocs imports plans whose "
                                "measures are a Word table (a plan typed as paragraphs has to be put into "
                                "a table first, or imported as prose only with --allow-no-table)").format(
                                  source=doc.source))
    best: tuple[int, Table, Layout] | None = None
    for t in doc.tables:
        if t.ncols < 3 or len(t.rows) < 2:
            continue
        layout = recognise(t)
        score = sum(c.kind is not Kind.UNKNOWN for c in layout.columns) * 10 + len(t.rows)
        if layout.first(Kind.MEASURE) is None and layout.first(Kind.TASK) is None:
            score //= 10
        if best is None or score > best[0]:
            best = (score, t, layout)
    if best is None or (best[2].first(Kind.MEASURE) is None and best[2].first(Kind.TASK) is None):
        if allow_no_table:
            return None
        raise ImportFileError(_("{source}: no table of measures found: no table has a header naming the "
                                "measures («Найменування заходу», «Захід», «Зміст заходів») or tasks").format(
                                  source=doc.source))
    return best[1], best[2]


def _numbering(res: TableResult) -> str | None:
    f = res.form
    if f.priority_numbers:
        return "priorities"
    if f.measure_numbers:
        return "measures-in-task"
    if not f.numbers:
        return None
    nums = [n for n, _p, _t in f.numbers]
    if nums == [str(i) for i in range(1, len(nums) + 1)]:
        return "tasks-in-plan"
    restarts: list[str] = []
    count, last_p = 0, None
    for _n, p, _t in f.numbers:
        count = count + 1 if p == last_p else 1
        last_p = p
        restarts.append(str(count))
    if nums == restarts:
        return "tasks-in-priority"
    if all(n == t.rsplit(".", 1)[-1] for n, _p, t in f.numbers):
        return "task-id"
    return "tasks-in-plan"


def _kind(title: str, layout: Layout, period: str | None) -> PlanKind:
    t = title.lower()
    if layout.first(Kind.FUNDING) is not None:
        # a regional programme or one with a source column: the forms model has a kind for it
        regional = layout.first(Kind.SOURCE) is not None or re.search(r"обласн|регіональн", t) is not None
        if regional and "міськ" not in t and "programme" in {k.value for k in PlanKind}:
            return PlanKind("programme")
        return PlanKind.CITY_PROGRAMME
    keys = {c.key for c in layout.of(Kind.VALUE)}
    if keys & {"I", "II", "III", "IV"}:
        return PlanKind.ANNUAL_PLAN
    if "квартальн" in t or (period and "-Q" in period):
        return PlanKind.QUARTERLY_PLAN
    if layout.of(Kind.VALUE) or layout.of(Kind.PLAN):
        return PlanKind.ANNUAL_PLAN if "річн" in t or "на 20" in t else PlanKind.QUARTERLY_PLAN
    return PlanKind.ACTION_PLAN


def _breakdown(layout: Layout) -> str:
    keys = [c.key for c in layout.of(Kind.VALUE)]
    if not keys:
        return "none"
    if len(keys) == 1:
        return "single"
    if set(keys) & {"I", "II", "III", "IV"}:
        return "quarters"
    if any(k and len(k) == 4 for k in keys):
        return "years"
    return "months"


def _clean_header(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


class _Importer:
    def __init__(self, doc: Document, org: Organisation | None, org_raw: Data | None,
                 allow_no_table: bool = False, period: str | None = None, bodies: list[Body] | None = None,
                 organisation_path: Path | None = None) -> None:
        self.doc, self.org, self.org_raw = doc, org, org_raw
        self.allow_no_table, self.period = allow_no_table, period
        # the forms issue's model (docs/forms.md): a declared table, Markdown prose, measure notes
        self.forms, self.markdown = model_has(Plan, "table"), model_has(Plan, "prose")
        self.prose: list[tuple[Data, str, Para]] = []
        """Every prose paragraph placed: (section, key, paragraph), rewritten as Markdown at the end."""
        self.unplaced: list[Unplaced] = []
        self.used: set[int] = set()
        known = [Body(e.id, e.name, e.external) for e in (org.executors if org else [])]
        registers = list(bodies or [])
        if org is not None and organisation_path is not None:  # the organisation's own bodies registers
            for rel in getattr(org, "bodies", ()) or ():
                registers += [dataclasses.replace(b, register=False)
                              for b in load_bodies(organisation_path.parent / rel)]
        known += [b for b in registers if b.id not in {k.id for k in known}]
        self.matcher = ExecutorMatcher(known, org.executor_separator if org else "; ")
        self.people = People([{"id": p.id, "surname": p.surname, "initials": p.initials,
                               "position": p.position} for p in (org.people if org else [])])
        self.notes: list[str] = []
        self.name_styles: Counter[str] = Counter()

    def run(self) -> tuple[str, Data]:
        doc = self.doc
        found = _main_table(doc, self.allow_no_table)
        if found is None:
            table, layout = Table(-1, [], 0), Layout((), 0, False)
            self.notes.append(_("no table of measures: the prose is imported and `priorities` is empty"))
        else:
            table, layout = found
        self.used.add(table.index)
        report = bool(layout.of(Kind.FACT))
        res = build_table(table, layout, self.matcher, report=report, measure_notes=self.forms)
        self.notes.extend(res.warnings)
        for ri, row in enumerate(table.rows):
            for c in row.cells:
                if (ri, c.col) not in res.placed.cells and c.text.strip() and not c.continued:
                    where = _("table {table}, row {row}, column {col}").format(
                        table=table.index + 1, row=ri + 1, col=c.col + 1)
                    self.unplaced.append(Unplaced(where, c.text, _("column «{header}» has no place in the plan "
                                                                   "model").format(
                        header=_clean_header(layout.columns[c.col].header))))
        blocks = doc.blocks
        ti = blocks.index(table) if found is not None else len(blocks)
        data: Data = {"organisation": "organisation.yaml"}
        order = parse_order(blocks[:ti], self.people)
        start = 0
        if order is not None:
            self.used |= order.used
            start = order.end
        approval: list[Data] = []
        title: list[str] = []
        sections: list[Data] = []
        contents = False
        i = start
        # approval stamps and the title before the table
        while i < ti:
            b = blocks[i]
            if isinstance(b, Table):
                texts = [c.text for r in b.rows for c in r.cells]
                stamp = parse_stamp("\n".join(texts), self.people) if len(texts) == 1 else None
                if stamp is not None:
                    approval.append(stamp)
                    self.used.add(b.index)
                i += 1
                continue
            t = b.text.strip()
            if not t:
                i += 1
                continue
            if (stamp := parse_stamp(t, self.people)) is not None and not title:
                approval.append(stamp)
                self.used.add(b.index)
                i += 1
                continue
            if (b.style.lower().endswith("title") or (b.centred and (not title or blocks[i - 1] is not None))) \
                    and not sections and is_heading(b, 1) is None:
                if title and not (b.style.lower().endswith("title") or b.centred):
                    break
                title.append(t)
                self.used.add(b.index)
                i += 1
                continue
            break
        # prose: contents, chapters with the table inside one of them
        table_section: int | None = None
        pre: list[Para] = []
        for j, b in enumerate(blocks):
            if b is table:
                table_section = len(sections) - 1 if sections else None
                continue
            if j < i or b.index in self.used:
                continue
            if isinstance(b, Table):
                continue  # signatures, summaries: below
            t = b.text.strip()
            if not t:
                continue
            if b.style.lower().startswith("toc") or (b.style == "Plan Contents Heading" and t == "ЗМІСТ"):
                contents = True
                self.used.add(b.index)
                continue
            if t in ("ЗМІСТ", "Зміст") and not sections:
                contents = True
                self.used.add(b.index)
                continue
            if b.style.startswith("Plan Goal"):
                if sections:
                    sections[-1]["insert"] = "goals"
                self.used.add(b.index)
                self.notes.append(_("paragraph {index}: «{text}…» is the goals list, regenerated from the "
                                    "priorities and tasks (insert: goals)").format(index=b.index + 1, text=t[:60]))
                continue
            if j > ti and (t in ("Ознайомлений", "Ознайомлені") or b.style == "Plan Stamp Label"):
                continue
            if j > ti and b.style == "Plan Contents Heading":
                continue  # a generated summary's heading (reports): below
            head = is_heading(b, len(sections) + 1)
            if head is not None:
                sections.append({"title": head, "paragraphs": []})
                self.used.add(b.index)
                continue
            if not sections:
                pre.append(b)
                continue
            key = "paragraphs_after" if table_section is not None and table_section == len(sections) - 1 \
                and j > ti else "paragraphs"
            sections[-1].setdefault(key, []).append(paragraph_text(b))
            self.prose.append((sections[-1], key, b))
            self.used.add(b.index)
        if table_section is not None and sections:
            sections[table_section]["insert"] = "table"
        if pre and not title:
            title = [p.text.strip() for p in pre[:1]]
            self.used.add(pre[0].index)
            pre = pre[1:]
        if pre and sections:
            sections.insert(0, {"title": pre[0].text.strip(), "paragraphs": [paragraph_text(p) for p in pre[1:]]})
            if table_section is not None:
                sections[table_section + 1]["insert"] = "table"
                sections[table_section].pop("insert", None) if table_section + 1 != table_section else None
            for p in pre:
                self.used.add(p.index)
            self.notes.append(_("the prose before the first numbered heading became a chapter of its own"))
        # signatures after the table
        signatures: list[Data] = []
        acks: list[Data] = []
        agreements: list[Data] = []
        label: str | None = None
        for b in blocks[ti + 1:]:
            if isinstance(b, Para):
                t = b.text.strip()
                if re.fullmatch(r"(Ознайомлен\w*|ПОГОДЖЕН\w*|Погоджен\w*):?", t):
                    label = t
                    self.used.add(b.index)
                continue
            sig = parse_signature(b, self.people)
            if sig is None:
                continue
            self.used.add(b.index)
            if label is not None and label.lower().startswith("ознайомлен"):
                acks.append({"label": label, **sig})
            elif label is not None:
                agreements.append({"label": label, **sig})
            else:
                signatures.append(sig)
            label = None
        for s in (*approval, *signatures, *acks, *agreements):
            if "_style" in s:
                self.name_styles[s.pop("_style")] += 1
        if order is not None and isinstance(order.data.get("signature"), dict):
            order.data["signature"].pop("_style", None)
        # what the plan is
        full_title = " ".join(title)
        stated = self.period or period_of(full_title)
        period = stated or _period_from_terms(res.priorities)
        if period is None:
            raise ImportFileError(_("{source}: the plan's period is neither in the title nor in the "
                                    "terms; give it with --period (e.g. --period 2024)").format(source=doc.source))
        kind = _kind(full_title, layout, period)
        if report:
            return "report", self.report_data(full_title, title, period, res, signatures, acks)
        data["kind"] = kind.value
        if stated or "period" not in getattr(Plan, "DERIVED", ()):
            data["period"] = period  # else the model derives it from the terms, as the document did
        if kind is PlanKind.ACTION_PLAN and (h := horizon_of(full_title, period)):
            data["horizon"] = h
        data["title"] = title or ["План"]
        if approval:
            data["approval"] = approval
        if order is not None:
            data["order"] = order.data
        if contents:
            data["contents"] = True
        if sections:
            data["sections"] = sections
        if self.markdown and needs_markdown([p for _sec, _key, p in self.prose]):
            data["prose"] = "markdown"
            for section in sections:  # rebuilt in document order from the paragraphs themselves
                for key in ("paragraphs", "paragraphs_after"):
                    if key in section:
                        section[key] = [markdown_paragraph(p) for sec, k, p in self.prose
                                        if sec is section and k == key]
        plain = [p for _sec, _key, p in self.prose if any(r.underline and r.text.strip() for r in p.runs)]
        if plain:
            self.notes.append(ngettext(
                "{n} paragraph(s) have underlined words (the first: paragraph {index}); underline is not part of "
                "the prose format and prints plain",
                "{n} paragraph(s) have underlined words (the first: paragraph {index}); underline is not part of "
                "the prose format and prints plain", len(plain)).format(n=len(plain), index=plain[0].index + 1))
        if model_has(Plan, "number") and (code := re.search(r"\bцілі\s+«?(\d+\.\d+)\.?", full_title)):
            data["number"] = code.group(1)  # the KMU goal code
        if found is not None:
            self.columns(data, layout, res, italic_columns(table, layout))
        data["priorities"] = res.priorities
        if signatures:
            data["signatures"] = signatures
        if agreements:
            data["agreements"] = agreements
        if acks:
            data["acknowledgements"] = acks
        self.leftovers()
        return "plan", data

    def columns(self, data: Data, layout: Layout, res: TableResult, italic: frozenset[int] = frozenset()) -> None:
        if self.forms:
            data["table"] = table_declaration(layout, res.form.date_format, italic=italic)
            for spec in layout.columns:
                if spec.kind not in FORM_KIND and spec.header.strip():
                    self.unplaced.append(Unplaced(_("table header, column {col}").format(col=spec.col + 1),
                                                  spec.header,
                                                  _("the header of a column the plan model has no place for")))
            self.value_and_funding(data, layout, res, Column.VALUES in {_KIND_COLUMN.get(c.kind)
                                                                        for c in layout.columns})
            return
        cols: list[Column] = []
        headers: Data = {}
        seen_unmapped: set[str] = set()
        for spec in layout.columns:
            col = _KIND_COLUMN.get(spec.kind)
            if col is None:
                if spec.header.strip() and spec.header not in seen_unmapped:
                    seen_unmapped.add(spec.header)
                    self.unplaced.append(Unplaced(_("table header, column {col}").format(col=spec.col + 1),
                                                  spec.header,
                                                  _("the header of a column the plan model has no place for")
                                                  if spec.kind is not Kind.PRIORITY else
                                                  _("the priority column's header: priorities print as heading rows "
                                                    "in the current model")))
                if spec.kind is Kind.PRIORITY:
                    self.notes.append(_("column «{header}» (merged vertically) is printed as full-width priority "
                                        "rows: the current model has no priority column").format(
                        header=_clean_header(spec.header)))
                continue
            if col in cols:
                if spec.kind is Kind.END and col is Column.TERM:
                    # one term column prints «from – to»: its header names both (and their group)
                    headers[col.value] = f"{headers[col.value]} – {_clean_header(spec.sub or spec.header)}"
                    if spec.group_text:
                        headers[col.value] = f"{_clean_header(spec.group_text)} ({headers[col.value]})"
                    self.notes.append(_("«Початок» and «Закінчення» are one term column {from, to} in the current "
                                        "model, headed «Початок – Закінчення»; issue 11 makes them two columns"))
                continue
            cols.append(col)
            # written out even where it equals the default: the document printed it
            headers[col.value] = _clean_header(spec.sub if spec.group_text and spec.sub else spec.header)
        data["columns"] = [c.value for c in cols]
        if headers:
            data["headers"] = headers
        if layout.column_numbers:
            data["column_numbers"] = True
        self.value_and_funding(data, layout, res, Column.VALUES in cols)

    def value_and_funding(self, data: Data, layout: Layout, res: TableResult, values: bool) -> None:
        """Breakdown, funding sources and labels: what the plan holds, whichever way its table is declared."""
        if values:
            breakdown = _breakdown(layout) if layout.of(Kind.VALUE) else "single"
            kind = PlanKind(data["kind"])
            if breakdown != DEFAULT_BREAKDOWN[kind].value:
                data["breakdown"] = breakdown
        funds = layout.of(Kind.FUNDING)
        if funds:
            unit_m = re.search(r"(тис\.?|млн\.?)\s*грн", funds[0].header)
            sources: list[str] = list(res.form.sources)  # a source column names them on its rows
            for s in funds:
                if not sources and (s.source or "budget") not in sources:
                    sources.append(s.source or "budget")
                elif s.source and s.source not in sources:
                    sources.append(s.source)
            ids = {s: source_id(s) or f"source-{n}" for n, s in enumerate(sources, start=1)}
            funding: Data = {"unit": unit_m.group(0) if unit_m else "тис. грн",
                             "sources": [{"id": ids[s], "name": s} for s in sources]}
            if res.form.totals:
                amounts = {y: {ids.get(s, s): v for s, v in by_source.items()}
                           for y, by_source in res.form.totals.items()}
                if model_has(FundingSpec, "totals"):
                    totals: Data = {"label": res.form.totals_label or "Усього:", "amounts": amounts}
                    if res.form.grand_label:
                        totals["grand_label"] = res.form.grand_label
                    funding["totals"] = totals
                else:
                    for y, by_source in res.form.totals.items():
                        self.unplaced.append(Unplaced(
                            _("«{label}» row, {year}").format(label=res.form.totals_label, year=y),
                            " · ".join(f"{s}: {v}" for s, v in by_source.items()),
                            _("printed totals: the current model computes the «Усього» row itself")))
            data["funding"] = funding
            _rename_sources(res.priorities, ids)
        labels: Data = {}
        if res.form.priority_label is not None:
            labels["priority"] = res.form.priority_label
        elif layout.first(Kind.PRIORITY) is not None:
            labels["priority"] = ""  # a «Підціль» column prints no number
        labels["task"] = res.form.task_label or ""
        labels["measure"] = res.form.measure_label or ""
        if (num := _numbering(res)) is not None:
            labels["number"] = num
        data["labels"] = labels

    def report_data(self, full_title: str, title: list[str], period: str, res: TableResult,
                    signatures: list[Data], acks: list[Data]) -> Data:
        year = period[:4]
        m = re.search(r"(I{1,3}|IV)\s+квартал", full_title)
        rperiod = f"{year}-Q{('I', 'II', 'III', 'IV').index(m.group(1)) + 1}" if m else period
        data: Data = {"plan": f"{year}.yaml", "period": rperiod}
        if title:
            data["title"] = title
        data["facts"] = {k: v for k, v in res.facts.items()}
        if signatures:
            data["signatures"] = signatures
        if acks:
            data["acknowledgements"] = acks
        for b in self.doc.blocks:
            if isinstance(b, Para) and b.style == "Plan Title":
                self.used.add(b.index)
        self.leftovers(generated_summary=True)
        return data

    def leftovers(self, generated_summary: bool = False) -> None:
        for b in self.doc.blocks:
            if b.index in self.used:
                continue
            if isinstance(b, Para):
                if b.text.strip():
                    self.unplaced.append(Unplaced(_("paragraph {index}").format(index=b.index + 1),
                                                  b.text.strip(), _("prose outside any chapter")))
            else:
                why = _("a generated summary table (render computes it again)") if generated_summary else \
                    _("a table that is not the plan's table")
                for ri, r in enumerate(b.rows):
                    for c in r.cells:
                        if c.text.strip() and not c.continued:
                            self.unplaced.append(Unplaced(_("table {table}, row {row}").format(
                                table=b.index + 1, row=ri + 1), c.text, why))

    def organisation(self, plan_name: str) -> Data | None:
        created = self.matcher.used_register + self.matcher.created
        if self.org is not None and not created and not self.people.created:
            return None
        if self.org_raw is None:
            self.notes.append(_("organisation.yaml has placeholder names «(назва організації)»: write the "
                                "organisation's name in the nominative and the genitive"))
        base: Data = dict(self.org_raw) if self.org_raw else {
            "name": {"nominative": "(назва організації)", "genitive": "(назва організації у родовому відмінку)"}}
        if self.org is None and self.name_styles:
            base["name_style"] = self.name_styles.most_common(1)[0][0]
        execs = list(base.get("executors") or [])
        for b in created:
            e: Data = {"id": b.id, "name": b.name}
            if b.consent is not None:  # printed as written: the model prints only «(за згодою)»
                e["name"] = f"{b.name} {b.consent}"
            elif b.external:
                e["external"] = True
            execs.append(e)
        if execs:
            base["executors"] = execs
        people = list(base.get("people") or [])
        people.extend({k: v for k, v in p.items() if v is not None} for p in self.people.created)
        if people:
            base["people"] = people
        return base


_SOURCE_IDS = (("держ", "state-budget"), ("фонд конкурс", "contest-fund"), ("облас", "oblast-budget"),
               ("район", "district-budget"), ("міськ", "city-budget"), ("місцев", "local-budget"),
               ("позабюдж", "extra-budgetary"),
               ("інш", "other-sources"))


def source_id(name: str) -> str:
    """An id for a funding source: the usual budgets by their English names, others transliterated."""
    from plandocs.importer.cells import slug

    low = name.lower()
    for stem, ident in _SOURCE_IDS:
        if low.startswith(stem):
            return ident
    return slug(name, 2)


def _rename_sources(priorities: list[Data], ids: dict[str, str]) -> None:
    def fix(node: Data) -> None:
        f = node.get("funding")
        if isinstance(f, dict):
            node["funding"] = {y: {ids.get(s, s): v for s, v in amounts.items()} for y, amounts in f.items()}
        for k in ("tasks", "measures"):
            for child in node.get(k, []):
                fix(child)
    for p in priorities:
        fix(p)


def _period_from_terms(priorities: list[Data]) -> str | None:
    years: set[int] = set()
    for s in _strings(priorities):
        for y in re.findall(r"\b(?:19|20)\d\d\b", s):
            years.add(int(y))
    if not years:
        return None
    lo, hi = min(years), max(years)
    return str(lo) if lo == hi else f"{lo}-{hi}"


MODELINE_PLAN = "# yaml-language-server: $schema=../../schemas/plan.schema.json\n"
MODELINE_ORG = "# yaml-language-server: $schema=../../schemas/organisation.schema.json\n"


def import_document(path: Path, organisation: Path | None = None, *, allow_no_table: bool = False,
                    period: str | None = None, bodies: Path | None = None) -> ImportResult:
    """Import one Word file: its plan or report as canonical YAML, plus what did not fit.

    ``allow_no_table`` imports a document without a measures table as prose with no priorities;
    ``period`` overrides the period read from the title or the terms; ``bodies`` is a register of bodies
    (``*.bodies.yaml``) whose ids the executor cells are matched to, besides the organisation's executors.
    """
    doc = read_document(path)
    org, org_raw = _load_org(organisation)
    imp = _Importer(doc, org, org_raw, allow_no_table, period, load_bodies(bodies) if bodies else None,
                    organisation)
    kind, data = imp.run()
    cls: type[Record] = Report if kind == "report" else Plan
    name = path.stem + (".report.yaml" if kind == "report" else ".yaml")
    text = canonical(data, cls, name, "" if kind == "report" else MODELINE_PLAN)
    org_data = imp.organisation(name)
    org_text = canonical(org_data, Organisation, "organisation.yaml", MODELINE_ORG) if org_data else None
    result = ImportResult(path, kind, text, org_text, imp.unplaced, imp.matcher, imp.notes, data=data)
    _account_words(doc, data, org_data or org_raw or {}, result)
    return result


def _account_words(doc: Document, data: Data, org: Data, result: ImportResult) -> None:
    """Every word of the source is in the YAML, generated numbering, or the unplaced report."""
    source: Counter[str] = Counter()
    for b in doc.blocks:
        if isinstance(b, Para):
            source.update(words(b.text))
        else:
            for r in b.rows:
                for c in r.cells:
                    if not c.continued:
                        source.update(words(c.text))
    for note in footnote_texts(doc.source if doc.source.suffix.lower() == ".docx" else Path("/nonexistent")):
        source.update(words(note))
        result.unplaced.append(Unplaced(_("footnote"), note, _("footnotes have no place in the plan model")))
    placed = set(words(" ".join(_strings(data) + _strings(org))))
    if result.executors is not None:  # names the ids stand for, in the organisation or its registers
        placed |= {w for b in result.executors.known for name in (b.name, *b.variants, b.consent or "")
                   for w in words(name)}
    placed |= {w for u in result.unplaced for w in words(u.text)}
    missing = [w for w in source if w not in placed and not _generated(w)]
    if missing:
        result.unplaced.append(Unplaced(_("words"), " ".join(sorted(missing)),
                                        _("words of the source found nowhere in the YAML (printed by the form)")))
    result.words_total = sum(source.values())
    result.words_unplaced = sum(len(words(u.text)) for u in result.unplaced)


def _generated(word: str) -> bool:
    """Numbering the renderer prints by itself: № column counters, Roman priority numbers, column numbers,
    the «Разом» header, month names of stamp dates."""
    from plandocs.model.values import MONTHS_GENITIVE

    return bool(re.fullmatch(r"\d+|[ivxlc]+|разом|усього|року|за|згодою", word)) or word in MONTHS_GENITIVE


