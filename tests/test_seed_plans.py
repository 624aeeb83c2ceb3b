"""The repository's five transcribed plans (and the execution report that came with one seed) validate,
with exactly the warnings that record the seed documents' own inconsistencies, and load the data the seeds
print."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from conftest import PLANS, REPO, assert_clean_exit, headlines, run_cli
from plandocs.check.validate import LoadedPlan, validate
from plandocs.model.records import Measure, PlanKind, all_measures
from plandocs.model.values import ValueKind

# (file, rule, key path) of every expected warning, with words of the `# seed:` comment above it that
# explains why the transcription keeps the inconsistency.
EXPECTED_WARNINGS = {
    ("plans/kherson/2008-2010.yaml", "funding-sum", "priorities[0].funding.2008.city-budget"):
        "the decision has no total row",
    ("plans/kalush/2020-q2.yaml", "missing-title", "priorities[0].tasks[2].id"):
        "the title of task 1.3 (№ 3) is lost in the extraction",
    ("plans/zhytomyr/2023.yaml", "approval-after-start", "approval[0].date"):
        "грудня 2023 року», i.e. after the start of the year the plan covers",
    ("plans/zhytomyr/2023.yaml", "total-missing", "priorities[0].tasks[1].measures[0].values"):
        "«3 3 3 2» with no Разом; kept as printed",
    ("plans/zhytomyr/2023.yaml", "missing-title", "priorities[1].id"):
        "the heading of priority 2, the row of task 2.1 (title, result)",
    ("plans/zhytomyr/2023.yaml", "missing-title", "priorities[1].tasks[0].id"):
        "the heading of priority 2, the row of task 2.1 (title, result)",
    ("plans/zhytomyr/2023.yaml", "numbering", "priorities[3].tasks[0].measures[0].id"):
        "the measures of task 4.3 are numbered 4.1.1.1 and 4.1.1.2",
    ("plans/zhytomyr/2023.yaml", "numbering", "priorities[3].tasks[0].measures[1].id"):
        "the measures of task 4.3 are numbered 4.1.1.1 and 4.1.1.2",
}

REPORT_WARNINGS = {
    ("plans/odesa/2021-q2.report.yaml", "fact-exceeds", "facts.3.1.8"): ("3.1.8", "9973"),
}
"""Report warnings, with the (measure, fact) row of docs/seeds/odesa-2021-q2-facts.tsv that they keep."""

SEEDS = {"kalush", "kherson", "odesa", "pokrovsk", "zhytomyr"}
"""The folders of the five seeds; the forms of issue 11 (kharkiv-oblast, kmu) are tested in test_forms.py."""

SEED_COMMENT_REACH = 8
"""How many lines above a warned line its explaining ``# seed:`` comment may start."""


@pytest.fixture(scope="module")
def json_report() -> dict[str, object]:
    result = run_cli(["validate", "--format", "json", "plans/"], REPO)
    assert_clean_exit(result)
    assert result.exit_code == 0, result.output
    report: dict[str, object] = json.loads(result.stdout)
    return report


@pytest.fixture(scope="module")
def loaded() -> dict[str, LoadedPlan]:
    result = validate([PLANS])
    assert result.ok
    assert result.invalid == []
    return {lp.path.parent.name: lp for lp in result.plans if lp.path.parent.name in SEEDS}


def test_plans_validate_with_exit_0() -> None:
    result = run_cli(["validate", "plans/"], REPO)
    assert_clean_exit(result)
    assert result.exit_code == 0
    n_files = len(list(PLANS.rglob("*.yaml")))
    n_warnings = len(EXPECTED_WARNINGS) + len(REPORT_WARNINGS)
    assert len(headlines(result.stdout)) == n_warnings
    assert all("warning[" in line for line in headlines(result.stdout))
    assert result.stderr == f"{n_files} file(s) checked: 0 error(s), {n_warnings} warning(s)\n"


def test_plans_fail_with_strict() -> None:
    result = run_cli(["validate", "--strict", "plans/"], REPO)
    assert_clean_exit(result)
    assert result.exit_code == 1


def test_default_target_is_the_plans_folder() -> None:
    assert run_cli(["validate"], REPO).stdout == run_cli(["validate", "plans"], REPO).stdout


def test_every_seed_file_is_checked(json_report: dict[str, object]) -> None:
    files = json_report["files"]
    assert isinstance(files, list)
    assert sorted(files) == sorted(str(p.relative_to(REPO)) for p in PLANS.rglob("*.yaml"))
    assert {f.split("/")[1] for f in files} == SEEDS | {"kharkiv-oblast", "kmu"}


def test_exactly_the_expected_warnings(json_report: dict[str, object]) -> None:
    diags = json_report["diagnostics"]
    assert isinstance(diags, list)
    assert {d["severity"] for d in diags} == {"warning"}
    assert {(d["file"], d["rule"], d["path"]) for d in diags} == set(EXPECTED_WARNINGS) | set(REPORT_WARNINGS)
    assert len(diags) == len(EXPECTED_WARNINGS) + len(REPORT_WARNINGS)  # no duplicates


def test_each_warning_is_a_documented_seed_inconsistency(json_report: dict[str, object]) -> None:
    diags = json_report["diagnostics"]
    assert isinstance(diags, list)
    for d in diags:
        if d["file"].endswith(".report.yaml"):
            continue
        explanation = EXPECTED_WARNINGS[(d["file"], d["rule"], d["path"])]
        lines = (REPO / d["file"]).read_text(encoding="utf-8").splitlines()
        above = lines[max(0, d["line"] - 1 - SEED_COMMENT_REACH):d["line"] - 1]
        comments = " ".join(line.strip().lstrip("#").strip() for line in above if line.strip().startswith("#"))
        assert "seed:" in comments and explanation in comments, (d, comments)


def test_report_warning_keeps_the_seed_fact(loaded: dict[str, LoadedPlan]) -> None:
    tsv = (REPO / "docs" / "seeds" / "odesa-2021-q2-facts.tsv").read_text(encoding="utf-8").splitlines()
    seed_facts = {row[0]: row[1] for row in (line.split("\t") for line in tsv[1:])}
    for (_, rule, _), (measure, fact) in REPORT_WARNINGS.items():
        assert seed_facts[measure] == fact
        planned = _measure(loaded["odesa"], measure).values
        assert planned is not None and {k: v.text for k, v in planned.items()} == {"II": "15"}
        assert rule == "fact-exceeds"


# --------------------------------------------------------------------------- loaded data


def test_plan_kinds_and_periods(loaded: dict[str, LoadedPlan]) -> None:
    summary = {org: (lp.plan.kind, str(lp.plan.period), str(lp.plan.horizon) if lp.plan.horizon else None,
                     len(all_measures(lp.plan)))
               for org, lp in loaded.items()}
    assert summary == {
        "kalush": (PlanKind.QUARTERLY_PLAN, "2020-Q2", None, 43),
        "kherson": (PlanKind.CITY_PROGRAMME, "2008-2010", None, 42),
        "odesa": (PlanKind.ANNUAL_PLAN, "2021", None, 72),
        "pokrovsk": (PlanKind.ACTION_PLAN, "2021", "2021-2026", 74),
        "zhytomyr": (PlanKind.ANNUAL_PLAN, "2023", None, 36),
    }


def _measure(lp: LoadedPlan, ident: str) -> Measure:
    (m,) = [m for _, _, m in all_measures(lp.plan) if m.id == ident]
    return m


def test_kalush_measure_1_1_1_has_seven_executor_rows(loaded: dict[str, LoadedPlan]) -> None:
    m = _measure(loaded["kalush"], "1.1.1")
    assert [(tuple(r.executor or ()), r.term.text if r.term else None) for r in m.rows] == [
        (("legal-education",), "Квітень"),
        (("bureau-bolekhiv",), "Квітень"),
        (("bureau-burshtyn",), "Квітень"),
        (("bureau-dolyna",), "Травень"),
        (("bureau-perehinske",), "Квітень"),
        (("bureau-rohatyn",), "Травень"),
        (("bureau-rozhniativ",), "Червень"),
    ]
    assert m.indicator == "Кількість робочих зустрічей"
    assert m.value is not None and (m.value.kind, m.value.number) == (ValueKind.NUMBER, Decimal(1))


def test_kalush_organisation(loaded: dict[str, LoadedPlan]) -> None:
    org = loaded["kalush"].organisation
    assert org.executor_separator == "; "
    assert org.head == "zhelizniak"
    assert len(org.executors) == 11


def test_zhytomyr_measure_values_by_quarter(loaded: dict[str, LoadedPlan]) -> None:
    m = _measure(loaded["zhytomyr"], "1.1.1.1")
    assert m.values is not None
    assert {k: v.number for k, v in m.values.items()} == {"I": Decimal(1), "III": Decimal(1), "total": Decimal(2)}


def test_kherson_funding_decimal_comma(loaded: dict[str, LoadedPlan]) -> None:
    funding = loaded["kherson"].plan.priorities[0].funding
    assert funding is not None
    amount = funding["2008"]["city-budget"]
    assert (amount.text, amount.kind, amount.number) == ("24,4", ValueKind.NUMBER, Decimal("24.4"))
    assert funding["2009"]["city-budget"].kind is ValueKind.DASH
    assert list(funding) == ["2008", "2009", "2010"]


def test_pokrovsk_terms_span_the_strategy(loaded: dict[str, LoadedPlan]) -> None:
    terms = {m.term.text for _, _, m in all_measures(loaded["pokrovsk"].plan) if m.term is not None}
    assert {"2021", "2021-2022", "2021-2026"} <= terms
