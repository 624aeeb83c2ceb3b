"""``plandocs new``: the next period's plan from an existing one."""

from __future__ import annotations

import shutil
from pathlib import Path

from plandocs.check.validate import validate
from review_support import PLANS, REVIEW, cli

QUARTERLY = (REVIEW / "quarterly.yaml").read_text(encoding="utf-8")


def workspace(tmp_path: Path, plan: Path, name: str | None = None) -> Path:
    shutil.copy(plan.parent / "organisation.yaml" if plan.parent != REVIEW else REVIEW / "organisation.yaml",
                tmp_path / "organisation.yaml")
    target = tmp_path / (name or plan.name)
    shutil.copy(plan, target)
    return target


def assert_valid(path: Path) -> None:
    result = validate([path])
    assert result.ok, [d.headline() for d in result.diagnostics.errors]
    assert [p.path for p in result.plans] == [path]


def test_next_quarter(tmp_path: Path) -> None:
    workspace(tmp_path, REVIEW / "quarterly.yaml", "2020-q2.yaml")
    result = cli(["new", "2020-q2.yaml", "--period", "2020-Q3"], tmp_path)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        "wrote 2020-q3.yaml",
        "  period: 2020-Q2 → 2020-Q3",
        "  title[1]: «на II квартал 2020 року» → «на III квартал 2020 року»",
        "  terms: 3 moved by 3 months (Квітень → Липень, Травень → Серпень, Червень → Вересень)",
        "  planned values cleared in 2 measures and rows (--carry-values keeps them)",
        "  approval[0].date removed (was 2020-03-19)",
    ]
    new = tmp_path / "2020-q3.yaml"
    assert new.read_text(encoding="utf-8") == QUARTERLY.replace('"2020-Q2"', '"2020-Q3"').replace(
        "на II квартал", "на III квартал").replace("    date: 2020-03-19\n", "").replace(
        "            value: 1\n", "").replace("            value: 500\n", "").replace(
        "term: Квітень Червень", "term: Липень Вересень").replace("term: Квітень", "term: Липень").replace(
        "term: Травень", "term: Серпень")
    assert_valid(new)


def test_carry_values_into_the_next_year(tmp_path: Path) -> None:
    workspace(tmp_path, REVIEW / "quarterly.yaml", "2020-q2.yaml")
    result = cli(["new", "2020-q2.yaml", "--period", "2021-Q1", "--carry-values", "-o", "first.yaml"], tmp_path)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1:5] == [
        "  period: 2020-Q2 → 2021-Q1",
        "  title[1]: «на II квартал 2020 року» → «на I квартал 2021 року»",
        "  terms: 3 moved by 9 months (Квітень → Січень, Травень → Лютий, Червень → Березень)",
        "  planned values carried over",
    ]
    text = (tmp_path / "first.yaml").read_text(encoding="utf-8")
    assert "            value: 1\n" in text and "            value: 500\n" in text
    assert_valid(tmp_path / "first.yaml")


def test_never_overwrites(tmp_path: Path) -> None:
    workspace(tmp_path, REVIEW / "quarterly.yaml", "2020-q2.yaml")
    (tmp_path / "2020-q3.yaml").write_text("mine\n", encoding="utf-8")
    result = cli(["new", "2020-q2.yaml", "--period", "2020-Q3"], tmp_path)
    assert result.exit_code == 2
    assert result.stderr == ("Error: 2020-q3.yaml already exists; plandocs new never overwrites a file "
                             "(choose another name with -o)\n")
    assert (tmp_path / "2020-q3.yaml").read_text(encoding="utf-8") == "mine\n"


def test_period_must_be_of_the_same_kind_and_new(tmp_path: Path) -> None:
    workspace(tmp_path, REVIEW / "annual.yaml", "2023.yaml")
    wrong = cli(["new", "2023.yaml", "--period", "2024-Q1"], tmp_path)
    assert (wrong.exit_code, wrong.stderr) == (
        2, "Error: --period 2024-Q1 is not the same kind of period as the plan's 2023 (a year)\n")
    same = cli(["new", "2023.yaml", "--period", "2023"], tmp_path)
    assert (same.exit_code, same.stderr) == (
        2, "Error: the plan is already for 2023; give the period of the new plan\n")
    bad = cli(["new", "2023.yaml", "--period", "next"], tmp_path)
    assert bad.exit_code == 2
    assert bad.stderr.startswith("Error: --period: expected a period such as '2020-Q2'")


def test_output_in_another_folder_points_to_the_organisation(tmp_path: Path) -> None:
    plans = tmp_path / "org"
    plans.mkdir()
    workspace(plans, REVIEW / "annual.yaml", "2023.yaml")
    (tmp_path / "drafts").mkdir()
    result = cli(["new", "org/2023.yaml", "--period", "2024", "-o", "drafts/2024.yaml"], tmp_path)
    assert result.exit_code == 0, result.output
    assert "  organisation: organisation.yaml → ../org/organisation.yaml" in result.stdout.splitlines()
    assert "organisation: ../org/organisation.yaml\n" in (tmp_path / "drafts" / "2024.yaml").read_text(encoding="utf-8")
    assert_valid(tmp_path / "drafts" / "2024.yaml")


def test_invalid_plan_is_reported_and_nothing_written(tmp_path: Path) -> None:
    plan = workspace(tmp_path, REVIEW / "quarterly.yaml", "2020-q2.yaml")
    plan.write_text(QUARTERLY.replace("person: koval", "person: nobody"), encoding="utf-8")
    result = cli(["new", "2020-q2.yaml", "--period", "2020-Q3"], tmp_path)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == ("2020-q2.yaml:11:13: error[unknown-person]: approval[0].person: person "
                                             "'nobody' is not in the organisation file; add the person to the "
                                             "organisation's people or write {surname: …, initials: …}")
    assert result.stderr.splitlines()[-1] == "2020-q2.yaml: nothing written (1 error(s))"
    assert not (tmp_path / "2020-q3.yaml").exists()


# --------------------------------------------------------------------------- the seed plans


def test_kalush_next_quarter_keeps_comments_and_validates(tmp_path: Path) -> None:
    workspace(tmp_path, PLANS / "kalush" / "2020-q2.yaml")
    result = cli(["new", "2020-q2.yaml", "--period", "2020-Q3"], tmp_path)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "wrote 2020-q3.yaml",
        "  period: 2020-Q2 → 2020-Q3",
        "  title[3]: «на II квартал 2020 року» → «на III квартал 2020 року»",
        "  terms: 52 moved by 3 months (Квітень → Липень, Травень → Серпень, Червень → Вересень)",
        "  planned values cleared in 48 measures and rows (--carry-values keeps them)",
        "  approval[0].date removed (was 2020-03-19)",
    ]
    old = (tmp_path / "2020-q2.yaml").read_text(encoding="utf-8")
    new = (tmp_path / "2020-q3.yaml").read_text(encoding="utf-8")
    assert [line for line in new.splitlines() if line.lstrip().startswith("#")] == \
        [line for line in old.splitlines() if line.lstrip().startswith("#")]
    assert_valid(tmp_path / "2020-q3.yaml")


def test_action_plan_terms_stay_inside_the_horizon(tmp_path: Path) -> None:
    workspace(tmp_path, PLANS / "pokrovsk" / "2021.yaml")
    result = cli(["new", "2021.yaml", "--period", "2022"], tmp_path)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "wrote 2022.yaml",
        "  period: 2021 → 2022",
        "  title[0]: «НА 2021 рік» → «НА 2022 рік»",
        "  title[2]: «2021 рік» → «2022 рік»",
        "  terms: 74 moved by 1 year(s)",
        "  terms «2021-2026» → «2022-2026» (×30): kept inside the horizon 2021-2026",
        "  approval[0].act removed (was № 236рг); name the act that approves the new plan",
        "  order № 236рг removed: it approved the old plan; write the new order",
        "  2 comment line(s) removed with what they were about",
    ]
    text = (tmp_path / "2022.yaml").read_text(encoding="utf-8")
    assert "- з реалізації Стратегії розвитку системи соціального захисту населення Покровської міської " \
           "територіальної громади на 2021-2026 роки\n" in text
    assert "            term: 2022-2023\n" in text and "order:" not in text
    assert_valid(tmp_path / "2022.yaml")
    beyond = cli(["new", "2021.yaml", "--period", "2027"], tmp_path)
    assert (beyond.exit_code, beyond.stderr) == (
        2, "Error: --period 2027 is outside the plan's horizon 2021-2026; a new strategy needs a new plan\n")


def test_programme_of_several_years(tmp_path: Path) -> None:
    workspace(tmp_path, PLANS / "kherson" / "2008-2010.yaml")
    result = cli(["new", "2008-2010.yaml", "--period", "2011-2013"], tmp_path)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "wrote 2011-2013.yaml",
        "  period: 2008-2010 → 2011-2013",
        "  title[1]: «на 2008/10 роки»» → «на 2011/13 роки»»",
        "  terms: 34 moved by 3 year(s)",
        "  funding cleared in 11 rows (--carry-values keeps it)",
        "  approval[0].act removed (was № 821); name the act that approves the new plan",
        "  3 comment line(s) removed with what they were about",  # the funding-sum seed note goes with the funding
    ]
    text = (tmp_path / "2011-2013.yaml").read_text(encoding="utf-8")
    assert "term: Листопад 2011 року\n" in text and "term: Постійно, 2011/13 рр.\n" in text
    assert "funding:\n  unit" in text and "city-budget: 24,4" not in text
    assert_valid(tmp_path / "2011-2013.yaml")


def test_annual_plan_drops_the_comments_about_removed_values_and_dates(tmp_path: Path) -> None:
    workspace(tmp_path, PLANS / "zhytomyr" / "2023.yaml")
    result = cli(["new", "2023.yaml", "--period", "2024"], tmp_path)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1:] == [
        "  period: 2023 → 2024",
        "  title[0]: «на 2023 рік» → «на 2024 рік»",
        "  planned values cleared in 35 measures and rows (--carry-values keeps them)",
        "  approval[0].date removed (was 2023-12-02)",
        "  acknowledgements[0].date removed (was 2023-01-02)",
        "  5 comment line(s) removed with what they were about",
    ]
    # the warnings the old plan had about its own data, not the ones about removed values, remain
    assert "warning[total-missing]" not in result.stderr
    assert "warning[missing-title]" in result.stderr
    text = (tmp_path / "2024.yaml").read_text(encoding="utf-8")
    assert "грудня 2023 року" not in text and "«3 3 3 2»" not in text
    assert_valid(tmp_path / "2024.yaml")
