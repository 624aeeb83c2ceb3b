"""Execution reports: report rules (exact messages and positions), plan values taken from the plan,
the report skeleton, and the annual and regional roll-ups (numbers, missing quarters and organisations)."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import headlines, run_cli
from plandocs.check.validate import validate
from plandocs.errors import Diagnostics
from plandocs.model.outcomes import Outcome, is_due, outcomes
from plandocs.model.values import parse_period
from plandocs.render.html import render_html
from plandocs.render.templating import template_dirs
from plandocs.reports.rollup import annual_rollup, region_rollup
from plandocs.view.report import build_report_view
from plandocs.view.rollup import build_annual_view, build_region_view

REPO = Path(__file__).parent.parent
ODESA = REPO / "plans" / "odesa"
REGION = REPO / "examples" / "synthetic-region"

PLAN = """\
kind: annual-plan
period: "2021"
title: Річний план
priorities:
  - id: "1"
    title: Пріоритет
    tasks:
      - id: "1.1"
        title: Завдання
        measures:
          - id: "1.1.1"
            title: Наради
            executor: dept
            indicator: Кількість нарад
            values: {I: 1, II: 2, III: 1, IV: 1, total: 5}
          - id: "1.1.2"
            title: Публікації
            executor: dept
            indicator: Кількість публікацій
            values: {II: 15, total: 15}
          - id: "1.1.3"
            title: Консультації
            executor: dept
            indicator: За потребою
            values: {II: "-"}
          - id: "1.1.4"
            title: Зустрічі бюро
            indicator: Кількість зустрічей
            values: {II: 1, total: 1}
            rows:
              - executor: dept
              - executor: bureau
"""

ORG = """\
name:
  nominative: Тестовий центр
  genitive: Тестового центру
executors:
  - id: dept
    name: Відділ
  - id: bureau
    name: Бюро
"""

REPORT = """\
plan: 2021.yaml
period: "2021-Q2"
facts:
  "1.1.1": 2
  "1.1.2": 15
  "1.1.3": "-"
  "1.1.4":
    rows:
      dept: 1
      bureau: 1
"""


@pytest.fixture
def rep(tmp_path: Path) -> Path:
    (tmp_path / "organisation.yaml").write_text(ORG, encoding="utf-8")
    (tmp_path / "2021.yaml").write_text(PLAN, encoding="utf-8")
    (tmp_path / "2021-q2.report.yaml").write_text(REPORT, encoding="utf-8")
    return tmp_path


def _check(folder: Path, old: str = "", new: str = "") -> list[str]:
    report = folder / "2021-q2.report.yaml"
    if old:
        text = report.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        report.write_text(text.replace(old, new), encoding="utf-8")
    return headlines(run_cli(["validate", "."], folder).stdout)


def test_valid_report_has_no_diagnostics(rep: Path) -> None:
    assert _check(rep) == []


def test_fact_missing(rep: Path) -> None:
    assert _check(rep, '  "1.1.1": 2\n', "") == [
        "2021-q2.report.yaml:4:3: error[fact-missing]: facts: measure '1.1.1' is due in 2021-Q2 (plan: 2) but has "
        "no fact; add its fact, or 'status: not-due' or 'status: cancelled' with a note"]


def test_fact_missing_for_an_empty_entry_points_at_it(rep: Path) -> None:
    assert _check(rep, '  "1.1.1": 2\n', '  "1.1.1":\n') == [
        "2021-q2.report.yaml:4:11: error[fact-missing]: facts.1.1.1: measure '1.1.1' is due in 2021-Q2 (plan: 2) "
        "but has no fact; add its fact, or 'status: not-due' or 'status: cancelled' with a note"]


def test_fact_missing_for_one_executor_row(rep: Path) -> None:
    assert _check(rep, "      bureau: 1\n", "") == [
        "2021-q2.report.yaml:8:5: error[fact-missing]: facts.1.1.4: measure '1.1.4' (row bureau) is due in 2021-Q2 "
        "(plan: 1) but has no fact; add its fact, or 'status: not-due' or 'status: cancelled' with a note"]


def test_status_instead_of_fact_needs_a_note(rep: Path) -> None:
    assert _check(rep, '  "1.1.2": 15\n', '  "1.1.2": {status: cancelled}\n') == [
        "2021-q2.report.yaml:5:12: error[note-required]: facts.1.1.2: measure '1.1.2' is marked cancelled; add a "
        "note saying why"]
    assert _check(rep, "{status: cancelled}", "{status: cancelled, note: Рішення директора}") == []


def test_unknown_measure_with_suggestion(rep: Path) -> None:
    assert _check(rep, '  "1.1.3": "-"\n', '  "1.1.3": "-"\n  "1.1.5": 1\n') == [
        "2021-q2.report.yaml:7:12: error[unknown-measure]: facts.1.1.5: the plan has no measure '1.1.5'; did you "
        "mean '1.1.4'?"]


def test_unknown_executor_row(rep: Path) -> None:
    assert _check(rep, "      bureau: 1\n", "      bureau: 1\n      bureu: 1\n") == [
        "2021-q2.report.yaml:11:14: error[unknown-measure]: facts.1.1.4.rows.bureu: measure '1.1.4' has no "
        "executor row 'bureu'; its rows are bureau, dept; did you mean 'bureau'?"]


def test_note_required_below_plan(rep: Path) -> None:
    assert _check(rep, '  "1.1.1": 2\n', '  "1.1.1": 1\n') == [
        "2021-q2.report.yaml:4:12: error[note-required]: facts.1.1.1: measure '1.1.1': fact 1 is below the plan 2; "
        "add a note explaining why (Примітка у разі невиконання плану)"]
    assert _check(rep, '  "1.1.1": 1\n', '  "1.1.1": {fact: 1, note: Перенесено на III квартал}\n') == []


def test_dash_fact_for_a_due_measure_is_below_plan(rep: Path) -> None:
    assert _check(rep, '  "1.1.2": 15\n', '  "1.1.2": "-"\n') == [
        "2021-q2.report.yaml:5:12: error[note-required]: facts.1.1.2: measure '1.1.2': fact - is below the plan "
        "15; add a note explaining why (Примітка у разі невиконання плану)"]


def test_fact_exceeds_plan_many_times(rep: Path) -> None:
    assert _check(rep, '  "1.1.2": 15\n', '  "1.1.2": 9973\n') == [
        "2021-q2.report.yaml:5:12: warning[fact-exceeds]: facts.1.1.2: measure '1.1.2': fact 9973 is 664 times the "
        "plan 15; check the units"]


def test_kind_mismatch(rep: Path) -> None:
    assert _check(rep, '  "1.1.2": 15\n', '  "1.1.2": Проведено\n') == [
        "2021-q2.report.yaml:5:12: warning[kind-mismatch]: facts.1.1.2: measure '1.1.2' plans a number (15) but the "
        "fact is text ('Проведено')"]


def test_report_period_outside_plan(rep: Path) -> None:
    assert _check(rep, 'period: "2021-Q2"', 'period: "2022-Q2"') == [
        "2021-q2.report.yaml:2:9: error[report-period]: period: the report period 2022-Q2 is not a quarter of the "
        "plan's period 2021 nor the period itself"]


def test_plan_missing_and_plan_invalid(rep: Path) -> None:
    assert _check(rep, "plan: 2021.yaml", "plan: 2020.yaml") == [
        "2021-q2.report.yaml:1:7: error[plan-missing]: plan: plan file '2020.yaml' not found; 'plan' names the "
        "approved plan, relative to the report"]
    _check(rep, "plan: 2020.yaml", "plan: 2021.yaml")
    (rep / "2021.yaml").write_text(PLAN.replace("executor: bureau", "executor: bureu"), encoding="utf-8")
    lines = _check(rep)
    assert lines[0].startswith("2021-q2.report.yaml:1:7: error[plan-missing]: plan: the plan '2021.yaml' has errors")
    assert lines[1].startswith("2021.yaml:32:27: error[unknown-executor]")


def test_planned_values_come_from_the_plan(rep: Path) -> None:
    """Changing a value in the plan changes the report: the report never repeats planned values."""
    def q2_plan_of(measure: str) -> str:
        (lr,) = validate([rep]).reports
        o = next(o for o in outcomes(lr.report, lr.plan.plan) if o.measure.id == measure)
        return o.planned.text if o.planned else ""

    assert q2_plan_of("1.1.1") == "2"
    plan = rep / "2021.yaml"
    original = plan.read_text(encoding="utf-8")
    plan.write_text(original.replace("{I: 1, II: 2, III: 1, IV: 1, total: 5}",
                                     "{I: 1, II: 1, III: 1, IV: 1, total: 4}"), encoding="utf-8")
    assert q2_plan_of("1.1.1") == "1"
    plan.write_text(original.replace("{I: 1, II: 2, III: 1, IV: 1, total: 5}",
                                     "{I: 1, II: 4, III: 1, IV: 1, total: 7}"), encoding="utf-8")
    # the same fact now misses the plan, so the report needs a note
    assert _check(rep) == [
        "2021-q2.report.yaml:4:12: error[note-required]: facts.1.1.1: measure '1.1.1': fact 2 is below the plan 4; "
        "add a note explaining why (Примітка у разі невиконання плану)"]


def test_odesa_report_outcomes_and_document() -> None:
    result = validate([ODESA])
    (lr,) = result.reports
    rows_all = outcomes(lr.report, lr.plan.plan)
    rows = {o.measure.id: o for o in rows_all}
    assert (rows["1.2.1"].planned.text, rows["1.2.1"].fact.text, rows["1.2.1"].outcome) == (  # type: ignore[union-attr]
        "60", "138", Outcome.EXCEEDED)
    assert (rows["2.5.1"].outcome, rows["2.5.1"].note) == (Outcome.MISSED, "Перенесено на III квартал")
    assert rows["1.2.4"].outcome is Outcome.NOT_DUE
    assert rows["1.4.4"].fact.text == "4/4"  # type: ignore[union-attr]
    view = build_report_view(lr.report, lr.plan.plan, lr.plan.organisation)
    assert view.title == ("Звіт про виконання плану діяльності Одеського місцевого центру з надання",
                          "безоплатної вторинної правової допомоги на 2021 рік у II кварталі")
    head = [c.text for row in view.table.head for c in row.cells]
    assert head[-3:] == ["План", "Факт", "Примітка у разі невиконання плану"]
    assert view.summary is not None
    total = view.summary.total
    # only measures with a plan value are «Заплановано»: 3.1.1 is planned «-» and done 17 times anyway, which
    # is no «перевиконано» (docs/rules.md, «Sums and counts»)
    assert (rows["3.1.1"].planned.text, rows["3.1.1"].fact.text, rows["3.1.1"].outcome) == (  # type: ignore[union-attr]
        "-", "17", Outcome.UNPLANNED)
    with_plan = [o for o in rows_all if is_due(o.planned) and o.status is None]
    assert len(with_plan) == 34
    assert (total.due, total.done, total.exceeded, total.missed, total.not_due) == (34, 21, 9, 4, 38)
    html = render_html(view, template_dirs(None))
    for text in ("В I кварталі підготовлено на 1 статтю більше", "відсутній кейс", "9973", "<svg", "Усього"):
        assert text in html


def test_report_new_skeleton_lists_due_measures_with_the_plan(rep: Path) -> None:
    (rep / "2021-q2.report.yaml").unlink()
    result = run_cli(["report", "new", "2021.yaml", "--period", "2021-Q3"], rep)
    assert result.exit_code == 0, result.output
    text = (rep / "2021-q3.report.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[4:] == [
        "plan: 2021.yaml",
        'period: "2021-Q3"',
        "facts:",
        "  # 1.1.1 Наради",
        '  "1.1.1":  # план: 1; Кількість нарад',
    ]
    # filled in as the comments say, the file validates
    (rep / "2021-q3.report.yaml").write_text(text.replace('"1.1.1":', '"1.1.1": 1'), encoding="utf-8")
    assert headlines(run_cli(["validate", "."], rep).stdout) == []
    again = run_cli(["report", "new", "2021.yaml", "--period", "2021-Q3"], rep)
    assert again.exit_code == 2
    assert "2021-q3.report.yaml already exists; plandocs report new never overwrites a report" in again.output


def test_report_new_refuses_a_period_with_nothing_due(rep: Path) -> None:
    """A period in which no measure has a planned value gave an empty «facts:» that validation refused (and, as
    «facts: {}», a report of zeros): nothing is written, and the periods that have due measures are named."""
    (rep / "2021-q2.report.yaml").unlink()
    plan = (rep / "2021.yaml").read_text(encoding="utf-8")
    (rep / "2021.yaml").write_text(plan.replace("{I: 1, II: 2, III: 1, IV: 1, total: 5}", "{II: 2, total: 2}"),
                                   encoding="utf-8")
    result = run_cli(["report", "new", "2021.yaml", "--period", "2021-Q3"], rep)
    assert result.exit_code == 2
    assert result.output == ("Error: --period: no measure of the plan is due in 2021-Q3 (none has a planned value "
                             "for it), so there is nothing to report; measures are due in: 2021-Q2, 2021\n")
    assert not (rep / "2021-q3.report.yaml").exists()
    assert run_cli(["report", "new", "2021.yaml", "--period", "2021-Q2"], rep).exit_code == 0


def test_annual_rollup_sums_quarters_and_names_the_missing_one() -> None:
    diags = Diagnostics()
    rollup = annual_rollup(REGION / "west" / "2021.yaml", diags)
    assert rollup is not None and not diags.errors
    assert (sorted(rollup.quarters), rollup.missing) == ([1, 2, 4], [3])
    rows = {o.measure.id: o for o in outcomes(rollup.report, rollup.plan.plan)}
    # 1.1.1: plan 3+3+3+3 = 12; facts Q1 3 + Q2 3 + Q4 4 = 10 (Q3 missing)
    assert (rows["1.1.1"].planned.number, rows["1.1.1"].fact.number) == (Decimal(12), Decimal(10))  # type: ignore[union-attr]
    assert rows["1.1.1"].outcome is Outcome.MISSED
    # 1.1.2: 8+8+7 = 23 of 32, the Q4 note kept with its quarter
    assert (rows["1.1.2"].fact.number, rows["1.1.2"].note) == (Decimal(23), "IV кв.: Скорочено наклад")  # type: ignore[union-attr]
    view = build_annual_view(rollup)
    assert view.summary is not None
    assert view.summary.notes == ("Відсутні звіти за: III квартал",)
    assert view.title == ("Звіт про виконання плану діяльності Західного місцевого центру з надання безоплатної "
                          "правничої допомоги за 2021 рік",)


def test_annual_rollup_of_a_complete_year() -> None:
    rollup = annual_rollup(REGION / "north" / "2021.yaml", Diagnostics())
    assert rollup is not None and rollup.missing == []
    rows = {o.measure.id: o for o in outcomes(rollup.report, rollup.plan.plan)}
    assert rows["2.1.1"].fact is not None and rows["2.1.1"].fact.number == Decimal(13)  # 3 + 4 + 3 + 3
    assert rows["2.1.1"].outcome is Outcome.EXCEEDED  # plan 12
    fact = rows["1.2.1"].fact
    assert fact is not None and fact.number == Decimal(2)  # Q2 and Q4 not reported: plan had nothing then


def test_region_rollup_quarter_lists_missing_organisation() -> None:
    diags = Diagnostics()
    rollup = region_rollup(REGION / "synthetic.region.yaml", parse_period("2021-Q3"), diags)
    assert rollup is not None and not diags.errors
    assert [m.name for m in rollup.missing] == ["Західний МЦ"]
    lines = {ln.measure_id: ln for ln in rollup.lines}
    assert lines["1.1.1"].planned == {"north": Decimal(2), "south": Decimal(1)}
    assert lines["1.1.1"].facts == {"north": Decimal(3), "south": Decimal(2)}
    assert (lines["1.1.1"].total_planned, lines["1.1.1"].total_fact) == (Decimal(3), Decimal(5))
    assert (lines["1.1.2"].total_planned, lines["1.1.2"].total_fact) == (Decimal(15), Decimal(14))
    view = build_region_view(rollup)
    assert view.summary is not None
    assert view.summary.notes == ("Не подали звіт за період: Західний МЦ",)
    assert [c.text for c in view.table.head[0].cells] == [
        "№ з/п", "Найменування заходу", "Північний МЦ", "Південний МЦ", "Регіон у цілому"]
    first = [c.text for c in view.table.body[0].cells]
    assert first == ["1", "1.1.1 Правопросвітницькі заходи для населення", "2", "3", "1", "2", "3", "5", "166,7 %"]
    assert view.summary is not None
    by_org = {s.label: (s.due, s.done + s.exceeded, s.missed) for s in view.summary.lines}
    assert by_org == {"Північний МЦ": (4, 3, 1), "Південний МЦ": (4, 4, 0)}


def test_region_rollup_for_a_year_uses_annual_rollups_and_lists_incomplete_years() -> None:
    rollup = region_rollup(REGION / "synthetic.region.yaml", parse_period("2021"), Diagnostics())
    assert rollup is not None
    assert [m.name for m in rollup.missing] == ["Західний МЦ"]  # its Q3 report is missing
    lines = {ln.measure_id: ln for ln in rollup.lines}
    # north 2+1+3+2 = 8 of 8, south 1+1+2+1 = 5 of 4
    assert lines["1.1.1"].facts == {"north": Decimal(8), "south": Decimal(5)}
    assert lines["1.1.1"].planned == {"north": Decimal(8), "south": Decimal(4)}


def test_region_with_a_missing_organisation_folder(tmp_path: Path) -> None:
    shutil.copytree(REGION, tmp_path / "r")
    region = tmp_path / "r" / "synthetic.region.yaml"
    region.write_text("name: Синтетична область\norganisations: [north, east]\n", encoding="utf-8")
    diags = Diagnostics()
    rollup = region_rollup(region, parse_period("2021-Q1"), diags)
    assert rollup is not None
    assert [m.name for m in rollup.missing] == ["east"]
    assert [d.rule for d in diags.errors] == ["organisation-missing"]


def test_report_commands_write_documents(tmp_path: Path) -> None:
    out = tmp_path / "out"
    r1 = run_cli(["report", "annual", str(REGION / "west" / "2021.yaml"), "-o", str(out), "--format", "html"], REPO)
    assert r1.exit_code == 0, r1.output
    assert "missing quarterly reports: III квартал" in r1.output
    r2 = run_cli(["report", "region", str(REGION / "synthetic.region.yaml"), "--period", "2021-Q3", "-o", str(out),
                  "--format", "html"], REPO)
    assert r2.exit_code == 0, r2.output
    assert "no report for the period: Західний МЦ" in r2.output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")) == [
        "synthetic-region/2021-q3.region.html", "west/2021.annual-report.html"]
    html = (out / "synthetic-region" / "2021-q3.region.html").read_text(encoding="utf-8")
    assert "Не подали звіт за період: Західний МЦ" in html
