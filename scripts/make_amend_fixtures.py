#!/usr/bin/env python3
"""Build tests/fixtures/amend/: two versions of each seed plan for the comparative table (issue 15).

Run from the repository root: ``.venv/bin/python scripts/make_amend_fixtures.py``.  For every seed plan
under plans/ it writes ``tests/fixtures/amend/<org>/before.yaml`` (the seed as it is), ``after.yaml`` (the
seed with one change of every kind: a planned value, a term, an executor, words of a title, a measure
added, a measure removed, a priority renumbered with everything under it, and a requisite of the document)
and ``expected.json``: the rows the comparative table must have, written from the edits below and not from
plandocs' diff, so a test can check that the table names every change and nothing else.

Edits are made on the text, each anchored inside one measure's block and required to match exactly once,
so a change in a seed plan fails here loudly instead of producing a fixture that tests nothing.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLANS = ROOT / "plans"
OUT = ROOT / "tests" / "fixtures" / "amend"


@dataclass(frozen=True)
class Edit:
    """``old`` → ``new`` inside the block of item ``id`` (``""``: the document's requisites)."""

    kind: str
    """What the edit is, as expected.json names it: value, term, executor, title, requisite."""
    id: str
    old: str
    new: str


@dataclass(frozen=True)
class Seed:
    org: str
    plan: str
    edits: tuple[Edit, ...]
    add_after: str
    """The measure after which a new measure is added (same task)."""
    added: tuple[str, str]
    """(id, the rest of the new measure's block without the ``- id:`` line)."""
    remove: str
    renumber: tuple[str, str]
    """(old, new) priority id; its tasks and measures are renumbered with it."""
    notes: dict[str, str] = field(default_factory=dict)


SEEDS = (
    Seed("kalush", "2020-q2.yaml", (
        Edit("value", "1.1.2", "value: 500", "value: 600"),
        Edit("term", "1.2.1", "term: Травень", "term: Червень"),
        Edit("executor", "2.1.1", "executor: legal-aid-organisation", "executor: director"),
        Edit("title", "1.1.2", "(брошур/буллетів)", "(брошур, буклетів, листівок)"),
        Edit("requisite", "", "date: 2020-03-19", "date: 2020-03-26"),
    ), "1.2.1", ("1.2.7", "title: Правопросвітницькі заходи для внутрішньо переміщених осіб щодо їх соціальних прав\n"
                          "executor: legal-education\nterm: Червень\nindicator: Кількість заходів\nvalue: 2\n"),
        "1.3.8", ("4", "5")),
    Seed("zhytomyr", "2023.yaml", (
        Edit("value", "3.3.1.2", "values: {I: 1, II: 1, III: 1, IV: 1, total: 4}",
             "values: {I: 1, II: 2, III: 1, IV: 2, total: 6}"),
        Edit("executor", "2.2.1.1", "executor: [legal-aid-head, director]", "executor: legal-aid-head"),
        Edit("title", "2.3.3.2", "Організація виїздів мобільних бригад",
             "Організація виїздів мобільних консультаційних бригад до віддалених громад"),
        Edit("requisite", "", "date: 2023-12-02", "date: 2022-12-02"),
    ), "1.2.1.3", ("1.2.1.4", "title: Навчання волонтерів БПД основам правопросвітництва\n"
                              "executor: legal-aid-head\nindicator: кількість навчених волонтерів\n"
                              "values: {II: 10, IV: 10, total: 20}\n"),
        "3.1.1.2", ("4", "5"), {"term": "the annual plan has no term column"}),
    Seed("odesa", "2021.yaml", (
        Edit("value", "1.1.1", "values: {II: 1}", "values: {II: 2}"),
        Edit("executor", "2.1.5", "executor: management", "executor: [management, bureau]"),
        Edit("title", "3.1.5", "з партнерами, представниками ОМС, ОТГ, аграріями",
             "з партнерами, представниками ОМС, ОТГ, фермерами"),
        Edit("requisite", "", "title:\n", "title:\n"),
    ), "1.4.7", ("1.4.8", "title: Участь у засіданнях координаційних рад з питань БПД при ОТГ\nexecutor: bureau\n"
                          "indicator: Кількість засідань\nvalues: {II: 1}\n"),
        "1.2.3", ("5", "6"), {"term": "the plan has no term column"}),
    Seed("pokrovsk", "2021.yaml", (
        Edit("term", "1.2.4", "term: 2021-2022", "term: 2021-2023"),
        Edit("executor", "1.1.10", "executor: uszn", "executor: [uszn, tercentre]"),
        Edit("title", "3.1.1", "в т.ч. роботі у ПК ІС «Соціальна громада»",
             "в т.ч. роботі в ІС «Соціальна громада» та з електронними сервісами"),
        Edit("requisite", "", "      number: 236рг", "      number: 236/1рг"),
    ), "2.1.12", ("2.1.13", "title: Забезпечити старостинські округи доступом до мережі Інтернет\n"
                            "executor: [council, starosta-districts]\nterm: 2021-2023\n"
                            "indicator: Відсоток старостинських округів з доступом до Інтернету\n"),
        "1.1.4", ("4", "5"), {"value": "the action plan has no value columns"}),
    Seed("kherson", "2008-2010.yaml", (
        Edit("value", "1.1.2", '"2009":\n                city-budget: "-"',
             '"2009":\n                city-budget: "12,5"'),
        Edit("term", "1.3.5", "term: Березень 2008 року", "term: Квітень 2008 року"),
        Edit("executor", "2.5", "executor: citizens-appeals", "executor: [citizens-appeals, executive-heads]"),
        Edit("title", "2.6", "започаткувати проведення благодійних акцій та марафонів;",
             "започаткувати щорічне проведення благодійних акцій та марафонів;"),
        Edit("requisite", "", 'number: "821"', 'number: "821/1"'),
    ), "2.7", ("2.8", "title: проводити щоквартальні зустрічі з громадськими організаціями ветеранів;\n"
                      "executor: citizens-appeals\nterm: Щоквартально\n"),
        "2.4", ("6", "7")),
)


def _block(lines: list[str], ident: str) -> tuple[int, int, int]:
    """(first line, end line, indent of ``- ``) of the list item whose id is ``ident``."""
    starts = [i for i, ln in enumerate(lines) if re.fullmatch(rf'\s*- id: "{re.escape(ident)}"', ln)]
    if len(starts) != 1:
        raise SystemExit(f"id {ident!r}: found {len(starts)} times")
    start = starts[0]
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines):
        ln = lines[end]
        stripped = ln.lstrip()
        if stripped and not stripped.startswith("#") and len(ln) - len(stripped) <= indent:
            break
        end += 1
    while end > start + 1 and lines[end - 1].lstrip().startswith("#"):  # comments belong to what follows
        end -= 1
    return start, end, indent


def _replace_once(text: str, old: str, new: str, where: str) -> str:
    if text.count(old) != 1:
        raise SystemExit(f"{where}: {old!r} found {text.count(old)} times")
    return text.replace(old, new)


def _head_end(lines: list[str]) -> int:
    return next(i for i, ln in enumerate(lines) if ln.startswith("priorities:"))


def make(seed: Seed) -> list[dict[str, str]]:
    src = PLANS / seed.org / seed.plan
    text = src.read_text(encoding="utf-8")
    expected: list[dict[str, str]] = []
    for e in seed.edits:
        lines = text.split("\n")
        if e.id:
            start, end, _ = _block(lines, e.id)
        else:
            start, end = 0, _head_end(lines)
        if e.kind == "requisite" and e.old == e.new:  # odesa: a title line reworded
            start_t = next(i for i, ln in enumerate(lines) if ln.startswith("title:"))
            lines[start_t + 1] = lines[start_t + 1].rstrip() + " (зі змінами)"
            text = "\n".join(lines)
            expected.append({"kind": "requisite", "id": "", "field": "title[0]"})
            continue
        part = _replace_once("\n".join(lines[start:end]), e.old, e.new, f"{seed.org} {e.id or 'document'}")
        text = "\n".join([*lines[:start], part, *lines[end:]])
        expected.append({"kind": e.kind, "id": e.id, "field": _field_of(e)})
    lines = text.split("\n")
    _, end, indent = _block(lines, seed.add_after)
    new_id, body = seed.added
    pad = " " * indent
    block = [f'{pad}- id: "{new_id}"', *(f"{pad}  {ln}" for ln in body.rstrip("\n").split("\n"))]
    lines[end:end] = block
    expected.append({"kind": "added", "id": new_id, "field": ""})
    start, end, _ = _block(lines, seed.remove)
    del lines[start:end]
    expected.append({"kind": "removed", "id": seed.remove, "field": ""})
    old_p, new_p = seed.renumber
    start, end, _ = _block(lines, old_p)
    id_re = re.compile(rf'(- id: "){re.escape(old_p)}([".])')
    lines[start:end] = [id_re.sub(rf"\g<1>{new_p}\g<2>", ln) for ln in lines[start:end]]
    expected.append({"kind": "renumbered", "id": new_p, "old_id": old_p, "field": ""})
    out = OUT / seed.org
    out.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PLANS / seed.org / "organisation.yaml", out / "organisation.yaml")
    header = "# Comparative-table fixture (scripts/make_amend_fixtures.py): {}\n"
    (out / "before.yaml").write_text(header.format(f"the seed plans/{seed.org}/{seed.plan}") + _body(src.read_text(
        encoding="utf-8")), encoding="utf-8")
    (out / "after.yaml").write_text(header.format("before.yaml with one change of every kind") + _body(
        "\n".join(lines)), encoding="utf-8")
    doc = {"seed": f"plans/{seed.org}/{seed.plan}", "rows": expected, "not_applicable": seed.notes}
    (out / "expected.json").write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return expected


def _field_of(e: Edit) -> str:
    if e.kind == "value":
        return "funding" if "city-budget" in e.old else "values"
    if e.kind == "requisite":
        return "approval"  # every seed's requisite edit is in its approval stamp (odesa's is its title)
    return e.kind


def _body(text: str) -> str:
    """The plan without its schema modeline, whose relative path is wrong inside tests/fixtures."""
    return "".join(ln for ln in text.splitlines(keepends=True) if not ln.startswith("# yaml-language-server"))


def main() -> None:
    for seed in SEEDS:
        rows = make(seed)
        print(f"{seed.org}: {len(rows)} changes")


if __name__ == "__main__":
    main()
