"""``plandocs diff`` on files and folders: matching by id, renumbering, rows, words, formats, exit codes.

Comparisons between git revisions (and git's own diff) are in test_git_integration.py.
"""

from __future__ import annotations

import json
import random
import re
import shutil
from pathlib import Path

import pytest
import yaml

from plandocs.errors import Diagnostics
from plandocs.review.diff.changes import Side
from plandocs.review.diff.compare import compare_texts
from plandocs.review.diff.output import render_diff
from plandocs.review.diff.words import word_diff
from review_support import PLANS, REVIEW, cli, edit

ANNUAL = (REVIEW / "annual.yaml").read_text(encoding="utf-8")
QUARTERLY = (REVIEW / "quarterly.yaml").read_text(encoding="utf-8")
ORG = (REVIEW / "organisation.yaml").read_text(encoding="utf-8")


def diff_lines(tmp_path: Path, old: str, new: str, *options: str, name: str = "2023.yaml") -> list[str]:
    (tmp_path / "old").mkdir(exist_ok=True)
    (tmp_path / "new").mkdir(exist_ok=True)
    (tmp_path / "old" / name).write_text(old, encoding="utf-8")
    (tmp_path / "new" / name).write_text(new, encoding="utf-8")
    result = cli(["diff", f"old/{name}", f"new/{name}", *options], tmp_path)
    assert result.exit_code == (1 if old != new else 0), result.output
    return result.stdout.splitlines()


# --------------------------------------------------------------------------- words


def test_word_diff_rebuilds_both_texts() -> None:
    pieces = ["а", "б", "в", "рік", "2023", " ", "  ", "\n", ",", "«", "»"]
    rnd = random.Random(5)
    for _ in range(3000):
        old = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 14)))
        new = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 14)))
        words = word_diff(old, new)
        assert "".join(w.text for w in words if w.op != "insert") == old
        assert "".join(w.text for w in words if w.op != "delete") == new


def test_word_diff_groups_neighbouring_changes_and_keeps_spaces_outside(tmp_path: Path) -> None:
    new = edit(ANNUAL, ("Підготовка рекомендацій правових тематик", "Складання переліку правових тематик"),
               ("Робота мобільних консультаційних пунктів", "Робота мобільних пунктів"))
    assert diff_lines(tmp_path, ANNUAL, new)[2:] == [
        "    1.1.1 title: [-Підготовка рекомендацій-]{+Складання переліку+} правових тематик для плану "
        "правопросвітницьких заходів",
        "  priority 2: Забезпечення доступу до безоплатної правової допомоги",
        "    2.1.1 title: Робота мобільних [-консультаційних-] пунктів у віддалених громадах",
    ]


def test_long_texts_are_cut_around_the_change(tmp_path: Path) -> None:
    words = " ".join(f"слово{i}" for i in range(40))
    old = ANNUAL.replace("Підготовка рекомендацій правових тематик для плану правопросвітницьких заходів", words)
    new = old.replace("слово20", "СЛОВО")
    assert diff_lines(tmp_path, old, new)[2:] == [
        "    1.1.1 title: … слово14 слово15 слово16 слово17 слово18 слово19 [-слово20-]{+СЛОВО+} слово21 слово22 "
        "слово23 слово24 слово25 слово26 …"]
    # JSON keeps the whole texts
    doc = json.loads("\n".join(diff_lines(tmp_path, old, new, "--format", "json")))
    assert doc["files"][0]["changes"][0]["old"] == words


def test_markdown_escapes_user_text(tmp_path: Path) -> None:
    new = ANNUAL.replace("Наповнення сторінки у соціальній мережі Facebook",
                         "Наповнення сторінки *Facebook* та <b>Instagram</b> | _БПД_")
    assert diff_lines(tmp_path, ANNUAL, new, "--format", "markdown")[6:] == [
        r"- **1.2.1** title: Наповнення сторінки ~~у соціальній мережі Facebook~~ **\*Facebook\* та "
        r"\<b\>Instagram\</b\> \| \_БПД\_**"]


def test_colour_marks_old_red_and_new_green(tmp_path: Path) -> None:
    new = ANNUAL.replace("values: {I: 4, II: 4, III: 4, IV: 4, total: 16}",
                         "values: {I: 4, II: 4, III: 7, IV: 4, total: 19}")
    lines = diff_lines(tmp_path, ANNUAL, new, "--color", "always")
    red, green, bold, reset = "\x1b[31m", "\x1b[32m", "\x1b[1m", "\x1b[0m"
    assert lines[2] == (f"    {bold}1.1.2{reset} Q3: {red}4{reset} → {green}7{reset}; "
                        f"total: {red}16{reset} → {green}19{reset} — Організація та проведення "
                        "правопросвітницьких заходів для о…")
    assert [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in lines] == diff_lines(tmp_path, ANNUAL, new)


# --------------------------------------------------------------------------- matching


def test_renumbered_needs_a_similar_title(tmp_path: Path) -> None:
    title = "Робота мобільних консультаційних пунктів у віддалених громадах"
    slightly = edit(ANNUAL, (f'- id: "2.1.1"\n            title: {title}\n',
                             f'- id: "2.1.2"\n            title: {title}.\n'))
    assert diff_lines(tmp_path, ANNUAL, slightly)[2:] == [
        "    measure 2.1.1 → 2.1.2 (renumbered): Робота мобільних консультаційних пунктів у віддалених громадах.",
        "    2.1.2 title: Робота мобільних консультаційних пунктів у віддалених громадах{+.+}",
    ]
    other = edit(ANNUAL, (f'- id: "2.1.1"\n            title: {title}\n',
                          '- id: "2.1.2"\n            title: Виїзні прийоми громадян у старостатах\n'))
    assert diff_lines(tmp_path, ANNUAL, other)[2:] == [
        "    - measure 2.1.1: Робота мобільних консультаційних пунктів у віддалених громадах",
        "    + measure 2.1.2: Виїзні прийоми громадян у старостатах",
    ]


def test_same_id_with_a_new_title_is_the_same_measure(tmp_path: Path) -> None:
    new = ANNUAL.replace("Робота мобільних консультаційних пунктів у віддалених громадах",
                         "Виїзні прийоми громадян у старостатах")
    assert diff_lines(tmp_path, ANNUAL, new)[2:] == [
        "    2.1.1 title: [-Робота мобільних консультаційних пунктів у віддалених громадах-]"
        "{+Виїзні прийоми громадян у старостатах+}"]


def test_priority_added_and_task_moved_between_priorities(tmp_path: Path) -> None:
    task = """      - id: "2.1"
        title: Розширення доступу до правової допомоги у громадах
        measures:
          - id: "2.1.1"
            title: Робота мобільних консультаційних пунктів у віддалених громадах
            executor: bureau-dolyna
            indicator: кількість виїздів
            values: {I: 2, II: 2, III: 2, IV: 2, total: 8}
"""
    new = edit(ANNUAL, (task, """      - id: "2.2"
        title: Співпраця з громадами
"""), ("signatures:", """  - id: "3"
    title: Розвиток партнерства
    tasks:
""" + task + "signatures:"))
    assert diff_lines(tmp_path, ANNUAL, new)[1:] == [
        "  priority 2: Забезпечення доступу до безоплатної правової допомоги",
        "    + task 2.2: Співпраця з громадами",
        "  priority 3: Розвиток партнерства",
        "    + priority 3: Розвиток партнерства",
        "    task 2.1 moved: priority 2 → 3: Розширення доступу до правової допомоги у громадах",
    ]


def test_rows_added_removed_and_the_same_change_in_every_row(tmp_path: Path) -> None:
    new = edit(QUARTERLY, ("            value: 1\n            rows:", "            value: 3\n            rows:"),
               ("              - executor: legal-education\n                term: Квітень\n", ""),
               ("                term: Квітень Червень\n",
                "                term: Квітень Червень\n              - executor: [legal-education, bureau-rohatyn]\n"
                "                term: Червень\n                value: 2\n"))
    assert diff_lines(tmp_path, QUARTERLY, new, name="2020-q2.yaml")[2:] == [
        "    1.1.1 value: 1 → 3 — Робочі та тематичні зустрічі з населенням",
        "    + row 1.1.1 [legal-education, bureau-rohatyn]: term: Червень; indicator: Кількість робочих зустрічей; "
        "value: 2",
        "    - row 1.1.1 [legal-education]: term: Квітень; indicator: Кількість робочих зустрічей; value: 1",
    ]


def test_value_term_and_indicator_of_a_measure(tmp_path: Path) -> None:
    new = edit(QUARTERLY, ("term: Протягом кварталу", "term: Травень Червень"),
               ("Кількість матеріалів", "Кількість надрукованих матеріалів"), ("value: 500", 'value: "-"'))
    assert diff_lines(tmp_path, QUARTERLY, new, name="2020-q2.yaml")[2:] == [
        "    1.1.2 term: Протягом кварталу → Травень Червень",
        "    1.1.2 indicator: Кількість {+надрукованих+} матеріалів",
        "    1.1.2 value: 500 → - — Поширення інформаційних матеріалів",
    ]


def test_funding_per_year_and_source() -> None:
    text = (PLANS / "kherson" / "2008-2010.yaml").read_text(encoding="utf-8")
    old_cells = '      "2009":\n        city-budget: "-"\n        contest-fund: "-"\n'
    new_cells = '      "2009":\n        city-budget: 12,5\n        contest-fund: "-"\n'
    assert text.index(old_cells) < text.index("    tasks:")  # the first one is priority 1's own funding
    diags = Diagnostics()
    fd = compare_texts("2008-2010.yaml", Side("a", text), Side("b", text.replace(old_cells, new_cells, 1)), diags)
    assert fd is not None and not diags.items
    assert [c.field for c in fd.changes] == ["funding"]
    assert render_diff_lines(fd)[1:] == [
        "  priority 1: Започаткувати громадську приймальню виконавчих органів Херсонської міської ради…",
        "    priority 1 funding 2009 city-budget: - → 12,5",
    ]


def render_diff_lines(fd: object) -> list[str]:
    from plandocs.review.diff.changes import DiffResult, FileDiff

    assert isinstance(fd, FileDiff)
    return render_diff(DiffResult(files=[fd])).splitlines()


def test_reordered_priorities_are_reported(tmp_path: Path) -> None:
    p1_start = ANNUAL.index('  - id: "1"\n')
    p2_start = ANNUAL.index('  - id: "2"\n')
    end = ANNUAL.index("signatures:")
    new = ANNUAL[:p1_start] + ANNUAL[p2_start:end] + ANNUAL[p1_start:p2_start] + ANNUAL[end:]
    assert diff_lines(tmp_path, ANNUAL, new)[1:] == ["  priority order changed"]


@pytest.mark.parametrize("path", sorted(PLANS.rglob("*.yaml")), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_same_data_written_differently_has_no_changes(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    variant = yaml.safe_dump(yaml.safe_load(text), sort_keys=True, indent=4, allow_unicode=True, width=50)
    diags = Diagnostics()
    fd = compare_texts(path.name, Side("a", text), Side("b", variant), diags)
    assert not diags.items
    assert fd is not None and fd.status == "unchanged" and fd.changes == []


# --------------------------------------------------------------------------- files, folders, organisations, errors


def test_folders_pair_files_by_name(tmp_path: Path) -> None:
    for side in ("a", "b"):
        (tmp_path / side).mkdir()
        (tmp_path / side / "organisation.yaml").write_text(ORG, encoding="utf-8")
    (tmp_path / "a" / "2023.yaml").write_text(ANNUAL, encoding="utf-8")
    (tmp_path / "b" / "2024.yaml").write_text(ANNUAL.replace('"2023"', '"2024"'), encoding="utf-8")
    (tmp_path / "b" / "organisation.yaml").write_text(edit(
        ORG, ("  - id: bureau-rohatyn\n    name: Рогатинське бюро правової допомоги\n",
              "  - id: bureau-kalush\n    name: Калуське бюро\n    external: true\n"),
        ("    name: Відділ правопросвітництва\n", "    name: Відділ правопросвітництва та комунікацій\n"),
        ("    position: Начальник відділу\n", "    position: Начальник відділу кадрів\n")), encoding="utf-8")
    result = cli(["diff", "a", "b"], tmp_path)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "a/2023.yaml",
        "  - file removed: period 2023: 2 priorities, 3 tasks, 5 measures",
        "b/2024.yaml",
        "  + new file: period 2024: 2 priorities, 3 tasks, 5 measures",
        "b/organisation.yaml",
        "  person bondar position: Начальник відділу {+кадрів+}",
        "  executor legal-education name: Відділ правопросвітництва {+та комунікацій+}",
        "  + executor bureau-kalush: Калуське бюро (за згодою)",
        "  - executor bureau-rohatyn: Рогатинське бюро правової допомоги",
    ]
    md = cli(["diff", "a", "b", "--format", "markdown"], tmp_path).stdout.splitlines()
    assert md[:9] == ["## Plan changes", "", "### `a/2023.yaml` (removed)", "",
                      "- file removed: period 2023: 2 priorities, 3 tasks, 5 measures", "",
                      "### `b/2024.yaml` (new file)", "", "- new file: period 2024: 2 priorities, 3 tasks, 5 measures"]


def test_report_files_are_compared_as_facts_by_measure(tmp_path: Path) -> None:
    report = (PLANS / "odesa" / "2021-q2.report.yaml").read_text(encoding="utf-8")
    new = edit(report, ('  "1.2.2": 3\n', '  "1.2.2": 4\n'),
               ("  \"2.5.1\": {fact: 0, note: Перенесено на III квартал}",
                "  \"2.5.1\": {fact: 0, note: Перенесено на IV квартал}"),
               ('  "1.3.3": {fact: 3, note: "-"}\n', ""),
               ('  "3.2.1": "-"\n',
                '  "3.2.1": {rows: {legal-education: 1, bureau: {fact: 0, note: Немає запитів}}}\n'),
               ('period: "2021-Q2"', 'period: "2021-Q3"'))
    assert diff_lines(tmp_path, report, new, name="2021-q2.report.yaml") == [
        "new/2021-q2.report.yaml",
        "  period: 2021-Q2 → 2021-Q3",
        "  1.2.2 fact: 3 → 4",
        "  2.5.1 note: Перенесено на [-III-]{+IV+} квартал",
        "  3.2.1 fact: - → (none)",
        "  + row 3.2.1 [legal-education]: 1",
        "  + row 3.2.1 [bureau]: 0; note: Немає запитів",
        "  - 1.3.3 fact: 3; note: -",
    ]


def test_identical_files_exit_0_with_no_output(tmp_path: Path) -> None:
    assert diff_lines(tmp_path, ANNUAL, ANNUAL) == []


def test_broken_file_is_trouble_exit_2(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(ANNUAL, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(ANNUAL.replace("kind: annual-plan", "kind: yearly"), encoding="utf-8")
    result = cli(["diff", "a.yaml", "b.yaml", "--format", "json"], tmp_path)
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    assert doc["files"] == [] and doc["changed"] is False
    errors = [(e["file"], e["line"], e["column"], e["rule"]) for e in doc["errors"]]
    assert errors == [("b.yaml", 3, 7, "invalid-value")]
    assert result.stderr.splitlines()[0].startswith("b.yaml:3:7: error[invalid-value]: kind: expected one of")


def test_file_and_folder_cannot_be_compared(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(ANNUAL, encoding="utf-8")
    (tmp_path / "d").mkdir()
    result = cli(["diff", "a.yaml", "d"], tmp_path)
    assert result.exit_code == 2
    assert result.stderr == ("Error: cannot compare a file with a folder: 'a.yaml' and 'd'; give two files or "
                             "two folders\n")


def test_one_file_outside_git_is_a_usage_error(tmp_path: Path) -> None:
    shutil.copy(REVIEW / "annual.yaml", tmp_path / "a.yaml")
    result = cli(["diff", "a.yaml"], tmp_path)
    assert result.exit_code == 2
    assert "is not inside a git repository" in result.stderr
    assert cli(["diff"], tmp_path).exit_code == 2


def test_measures_reordered_within_their_task(tmp_path: Path) -> None:
    second = ANNUAL.index('          - id: "1.1.2"')
    third = ANNUAL.index("          # seed: the school")
    task = ANNUAL.index('      - id: "1.2"')
    new = ANNUAL[:second] + ANNUAL[third:task] + ANNUAL[second:third] + ANNUAL[task:]
    assert diff_lines(tmp_path, ANNUAL, new)[1:] == [
        "  priority 1: Підвищення рівня правової свідомості людей",
        "    measures of task 1.1 reordered",
    ]


def test_previous_compares_with_the_plan_of_the_period_before(tmp_path: Path) -> None:
    shutil.copy(REVIEW / "organisation.yaml", tmp_path / "organisation.yaml")
    q2 = (REVIEW / "quarterly.yaml").read_text(encoding="utf-8")
    (tmp_path / "2020-q1.yaml").write_text(edit(q2, ('period: "2020-Q2"', 'period: "2020-Q1"'),
                                                ("value: 500", "value: 100")), encoding="utf-8")
    (tmp_path / "2020-q2.yaml").write_text(q2, encoding="utf-8")
    (tmp_path / "b-2020-q3.yaml").write_text(edit(q2, ('period: "2020-Q2"', 'period: "2020-Q3"'),
                                                  ("value: 500", "value: 700")), encoding="utf-8")
    res = cli(["diff", "--previous", "b-2020-q3.yaml"], tmp_path)
    assert res.exit_code == 1
    assert res.stderr == "comparing with the plan of the previous period: 2020-q2.yaml\n"
    assert res.stdout.splitlines() == ["b-2020-q3.yaml", "  period: 2020-Q2 → 2020-Q3", "  priority 1: Рівний "
                                       "доступ до правової допомоги",
                                       "    1.1.2 value: 500 → 700 — Поширення інформаційних матеріалів"]
    res = cli(["diff", "--previous", "2020-q1.yaml"], tmp_path)
    assert res.exit_code == 2
    assert res.stderr == ("Error: no plan of a period before 2020-Q1 next to '2020-q1.yaml'; give the two files "
                          "to compare\n")
