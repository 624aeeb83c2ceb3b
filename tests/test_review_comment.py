"""Plan diffs as pull-request comments stay under GitHub's 65,536-character limit (issue 15)."""

from __future__ import annotations

import shutil
from pathlib import Path

from plandocs.review.diff.output import COMMENT_LIMIT
from review_support import REVIEW, cli

HEAD = """organisation: organisation.yaml
kind: annual-plan
period: "2023"
title:
  - Річний план діяльності центру на 2023 рік
approval:
  - label: ЗАТВЕРДЖЕНО
    person: koval
    date: 2022-12-20
priorities:
"""


def big_plan(value: int, word: str) -> str:
    """10 priorities × 10 tasks × 10 measures, every measure with a long title and quarterly values."""
    out = [HEAD]
    for p in range(1, 11):
        out.append(f'  - id: "{p}"\n    title: Пріоритет діяльності номер {p}\n    tasks:\n')
        for t in range(1, 11):
            out.append(f'      - id: "{p}.{t}"\n        title: Завдання {p}.{t} центру\n        measures:\n')
            for m in range(1, 11):
                out.append(
                    f'          - id: "{p}.{t}.{m}"\n'
                    f"            title: Проведення {word} правопросвітницьких заходів для мешканців громад "
                    f"у рамках завдання {p}.{t}, захід {m}\n"
                    "            executor: legal-education\n"
                    "            indicator: кількість заходів\n"
                    f"            values: {{I: 1, II: {value}, III: 1, IV: 1, total: {3 + value}}}\n")
    return "".join(out)


def test_a_1000_measure_change_fits_one_comment_and_still_counts(tmp_path: Path) -> None:
    for side, (value, word) in (("old", (1, "інформаційних")), ("new", (2, "освітніх"))):
        (tmp_path / side).mkdir()
        shutil.copy(REVIEW / "organisation.yaml", tmp_path / side / "organisation.yaml")
        (tmp_path / side / "2023.yaml").write_text(big_plan(value, word), encoding="utf-8")
    full = cli(["diff", "old/2023.yaml", "new/2023.yaml", "--format", "text"], tmp_path)
    assert full.exit_code == 1
    assert len(full.output) > 2 * COMMENT_LIMIT  # the full list would not fit
    res = cli(["diff", "old/2023.yaml", "new/2023.yaml", "--format", "markdown", "--link",
               "https://ci.example.org/run/7/plan-diff.html"], tmp_path)
    assert res.exit_code == 1
    text = res.output
    assert len(text) <= COMMENT_LIMIT
    lines = text.splitlines()
    assert lines[:3] == ["## Plan changes", "", "**2000 change(s) in 1 file(s)**: too many for one comment, so only a "
                         "summary and the first changes are shown; [the full list]"
                         "(https://ci.example.org/run/7/plan-diff.html)."]
    assert lines[4] == "- `new/2023.yaml`: 2000 change(s) (2000 changed)"
    shown = [line for line in lines if line.startswith("- **")]
    assert lines[-1] == (f"*… {2000 - len(shown)} more change(s) not shown (2000 in all); [the full list]"
                         "(https://ci.example.org/run/7/plan-diff.html).*")
    assert shown[0] == ("- **1.1.1** title: Проведення ~~інформаційних~~ **освітніх** правопросвітницьких заходів "
                        "для мешканців громад у рамках завдання 1.1, захід 1")
    assert shown[1] == ("- **1.1.1** Q2: 1 → 2; total: 4 → 5 — Проведення освітніх правопросвітницьких заходів "
                        "для мешканц…")
    assert len(shown) > 100


def test_a_short_diff_is_not_shortened(tmp_path: Path) -> None:
    plan = big_plan(1, "інформаційних")
    for side, text in (("old", plan), ("new", plan.replace("захід 7\n", "захід сьомий\n", 1))):
        (tmp_path / side).mkdir()
        shutil.copy(REVIEW / "organisation.yaml", tmp_path / side / "organisation.yaml")
        (tmp_path / side / "2023.yaml").write_text(text, encoding="utf-8")
    res = cli(["diff", "old/2023.yaml", "new/2023.yaml", "--format", "markdown"], tmp_path)
    assert res.output.splitlines()[2:] == [
        "### `new/2023.yaml`", "", "#### Priority 1: Пріоритет діяльності номер 1", "",
        "- **1.1.7** title: Проведення інформаційних правопросвітницьких заходів для мешканців громад у рамках "
        "завдання 1.1, захід ~~7~~ **сьомий**"]
