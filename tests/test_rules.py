"""One test per diagnostic rule: each breaks exactly one thing in the valid fixture and asserts the full
headline (``file:line:col: severity[rule]: path: message``), the text the position points at, that
nothing else is reported, and the exit status.

Line numbers refer to tests/fixtures/valid/plan.yaml and organisation.yaml after the edit shown.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import REPO, TESTS, Workspace, headlines, rule_ids

QUARTERS = ("priorities:\n", "breakdown: quarters\npriorities:\n")
"""Edit that gives the plan the I..IV + total value columns (inserted as line 9)."""

FUNDING = ("priorities:\n", "funding:\n  sources:\n    - id: city-budget\n      name: Міськ. бюджет\npriorities:\n")
"""Edit that declares one funding source (lines 9-12); the measure 1.1.1 is then at line 20."""

M1_VALUE = "            value: 1\n"
"""Line 21: the value of measure 1.1.1."""


def test_valid_fixture_has_no_diagnostics(ws: Workspace) -> None:
    result = ws.validate()
    assert result.exit_code == 0
    assert result.stdout == "2 file(s) checked: 0 error(s), 0 warning(s)\n"
    assert result.stderr == ""


# --------------------------------------------------------------------------- unknown-key


def test_unknown_key_suggests_the_closest_key(ws: Workspace) -> None:
    ws.edit_plan(("    person: koval\n", "    persn: koval\n"))
    ws.expect(("plan.yaml:7:5: error[unknown-key]: approval[0]: unknown key 'persn'; did you mean 'person'?",
               "persn"))


def test_unknown_key_without_close_match_lists_the_keys(ws: Workspace) -> None:
    ws.edit_plan(("    person: koval\n", "    person: koval\n    zzzqqq: 1\n"))
    ws.expect(("plan.yaml:8:5: error[unknown-key]: approval[0]: unknown key 'zzzqqq'; expected one of: label, "
               "act, position, person, signature, date", "zzzqqq"))


def test_unknown_key_in_a_row(ws: Workspace) -> None:
    ws.edit_plan(("                term: Травень\n", "                term: Травень\n                ternm: x\n"))
    ws.expect(("plan.yaml:29:17: error[unknown-key]: priorities[0].tasks[0].measures[1].rows[0]: unknown key "
               "'ternm'; did you mean 'term'?", "ternm"))


# --------------------------------------------------------------------------- missing-key


def test_missing_top_level_key_points_at_the_mapping(ws: Workspace) -> None:
    ws.edit_plan(("kind: quarterly-plan\n", ""))
    ws.expect(("plan.yaml:1:1: error[missing-key]: missing required key 'kind' (Document form.)", "period:"))


def test_missing_measure_id(ws: Workspace) -> None:
    ws.edit_plan(('          - id: "1.1.1"\n            title: Робочі', "          - title: Робочі"))
    ws.expect(("plan.yaml:16:13: error[missing-key]: priorities[0].tasks[0].measures[0]: missing required key "
               "'id' (Measure id, numbered under its task: «1.2.3» under task «1.2».)", "title: Робочі"))


# --------------------------------------------------------------------------- type


def test_type_mapping_where_text_is_expected(ws: Workspace) -> None:
    ws.edit_plan(("  - КВАРТАЛЬНИЙ ПЛАН ЗАХОДІВ\n", "  a: b\n"))
    ws.expect(("plan.yaml:4:3: error[type]: title: expected text or a list of texts, got a mapping", "a: b"))


def test_type_mapping_where_a_list_is_expected(ws: Workspace) -> None:
    ws.edit_plan(("approval:\n  - label: ЗАТВЕРДЖЕНО\n    person: koval\n    date: 2020-03-19\n",
                  "approval:\n  label: ЗАТВЕРДЖЕНО\n"))
    ws.expect(("plan.yaml:6:3: error[type]: approval: expected a list, got a mapping", "label:"))


def test_type_scalar_where_a_mapping_is_expected(ws: Workspace) -> None:
    ws.edit_plan(("priorities:\n", "labels: tasks-in-plan\npriorities:\n"))
    ws.expect(("plan.yaml:9:9: error[type]: labels: expected a mapping, got a single value", "tasks-in-plan"))


def test_type_empty_executor_list(ws: Workspace) -> None:
    ws.edit_plan(("            executor: legal-education\n", "            executor: []\n"))
    ws.expect(("plan.yaml:18:23: error[type]: priorities[0].tasks[0].measures[0].executor: expected an id or a "
               "list of ids, got an empty list", "[]"))


def test_type_term_mapping_needs_from_and_to(ws: Workspace) -> None:
    ws.edit_plan(("            term: Квітень\n", "            term: {from: 2020-04-10}\n"))
    ws.expect(("plan.yaml:19:19: error[type]: priorities[0].tasks[0].measures[0].term: a term written as a "
               "mapping needs exactly 'from' and 'to' dates", "{from"))


@pytest.mark.parametrize(("old", "new", "headline"), [
    (M1_VALUE, "            value: [1]\n",
     "plan.yaml:21:20: error[type]: priorities[0].tasks[0].measures[0].value: expected a value, got a list"),
    ("            term: Квітень\n", "            term: [Квітень]\n",
     "plan.yaml:19:19: error[type]: priorities[0].tasks[0].measures[0].term: expected a term, got a list"),
    ('period: "2020-Q2"\n', 'period: ["2020-Q2"]\n',
     "plan.yaml:2:9: error[type]: period: expected a period, got a list"),
])
def test_type_list_where_a_scalar_value_is_expected(ws: Workspace, old: str, new: str, headline: str) -> None:
    ws.edit_plan((old, new))
    assert headlines(ws.validate().stdout) == [headline]


# --------------------------------------------------------------------------- invalid-value


def test_invalid_enum_value_suggests_the_closest(ws: Workspace) -> None:
    ws.edit_plan(("kind: quarterly-plan\n", "kind: quartely-plan\n"))
    ws.expect(("plan.yaml:1:7: error[invalid-value]: kind: expected one of quarterly-plan, annual-plan, "
               "action-plan, city-programme, programme; got 'quartely-plan'; did you mean 'quarterly-plan'?",
               "quartely-plan"))


def test_invalid_period(ws: Workspace) -> None:
    ws.edit_plan(('period: "2020-Q2"\n', 'period: "2020-Q5"\n'))
    ws.expect(("plan.yaml:2:9: error[invalid-value]: period: expected a period such as '2020-Q2' (a quarter), "
               "'2023' (a year) or '2021-2026' (years), got '2020-Q5'", '"2020-Q5"'))


def test_invalid_period_range_backwards(ws: Workspace) -> None:
    ws.edit_plan(('period: "2020-Q2"\n', 'period: "2026-2021"\n'))
    ws.expect(("plan.yaml:2:9: error[invalid-value]: period: the period '2026-2021' ends before it starts; "
               "write the earlier year first", '"2026-2021"'))


@pytest.mark.parametrize("word", ["yes", "on", "True", "1"])
def test_yaml11_booleans_are_not_booleans(ws: Workspace, word: str) -> None:
    ws.edit_plan(("priorities:\n", f"contents: {word}\npriorities:\n"))
    ws.expect((f"plan.yaml:9:11: error[invalid-value]: contents: expected true or false, got '{word}'", word))


def test_empty_id(ws: Workspace) -> None:
    ws.edit_plan(('      - id: "1.1"\n', '      - id: ""\n'))
    ws.expect(("plan.yaml:13:13: error[invalid-value]: priorities[0].tasks[0].id: expected text, got an empty "
               "string", '""'))


def test_empty_value(ws: Workspace) -> None:
    ws.edit_plan((M1_VALUE, '            value: ""\n'))
    ws.expect(("plan.yaml:21:20: error[invalid-value]: priorities[0].tasks[0].measures[0].value: expected a "
               "value (a number, '-', 'x' or text), got an empty string", '""'))


# --------------------------------------------------------------------------- invalid-date


def test_invalid_date_not_in_the_calendar(ws: Workspace) -> None:
    ws.edit_plan(("    date: 2020-03-19\n", "    date: 2020-02-30\n"))
    ws.expect(("plan.yaml:8:11: error[invalid-date]: approval[0].date: '2020-02-30' is not a real calendar date",
               "2020-02-30"))


def test_invalid_date_in_ukrainian_order_suggests_iso(ws: Workspace) -> None:
    ws.edit_plan(("    date: 2020-03-19\n", "    date: 19.03.2020\n"))
    ws.expect(("plan.yaml:8:11: error[invalid-date]: approval[0].date: expected a date as YYYY-MM-DD; did you "
               "mean '2020-03-19'?", "19.03.2020"))


def test_invalid_date_without_leading_zeros(ws: Workspace) -> None:
    ws.edit_plan(("    date: 2020-03-19\n", "    date: 2020-3-19\n"))
    ws.expect(("plan.yaml:8:11: error[invalid-date]: approval[0].date: expected a date as YYYY-MM-DD "
               "(e.g. 2020-03-19), got '2020-3-19'", "2020-3-19"))


def test_term_order_range_ends_before_it_starts(ws: Workspace) -> None:
    ws.edit_plan(("            term: Квітень\n", "            term: {from: 2020-04-10, to: 2020-04-01}\n"))
    ws.expect(("plan.yaml:19:19: error[term-order]: priorities[0].tasks[0].measures[0].term: the term ends "
               "(2020-04-01) before it starts (2020-04-10); swap 'from' and 'to'", "{from"))


# --------------------------------------------------------------------------- duplicate-id


def test_duplicate_measure_id_in_plan(ws: Workspace) -> None:
    ws.edit_plan(('          - id: "1.1.2"\n', '          - id: "1.1.1"\n'))
    ws.expect(("plan.yaml:22:17: error[duplicate-id]: priorities[0].tasks[0].measures[1].id: measure id '1.1.1' "
               "is already used at line 16; ids must be unique", '"1.1.1"'))


def test_duplicate_id_across_levels(ws: Workspace) -> None:
    # a measure directly under the priority takes the id of the task that follows it
    ws.edit_plan(("    tasks:\n", '    measures:\n      - id: "1.1"\n        title: Координаційна нарада\n'
                                   "        executor: legal-education\n        term: Квітень\n    tasks:\n"))
    ws.expect(("plan.yaml:18:13: error[duplicate-id]: priorities[0].tasks[0].id: task id '1.1' is already used at "
               "line 13; ids must be unique", '"1.1"'))


def test_duplicate_executor_id_in_organisation(ws: Workspace) -> None:
    ws.edit_org(("  - id: bureau-dolyna\n", "  - id: legal-education\n"))
    ws.edit_plan(("              - executor: bureau-dolyna\n", "              - executor: legal-education\n"))
    ws.expect(("organisation.yaml:15:9: error[duplicate-id]: executors[1].id: executor id 'legal-education' is "
               "already used at line 13; ids must be unique", "legal-education"))


# --------------------------------------------------------------------------- numbering, totals


def test_numbering_is_a_warning(ws: Workspace) -> None:
    ws.edit_plan(('          - id: "1.1.2"\n', '          - id: "1.2.2"\n'))
    ws.expect(("plan.yaml:22:17: warning[numbering]: priorities[0].tasks[0].measures[1].id: measure '1.2.2' is "
               "under task '1.1'; its id should start with '1.1.'", '"1.2.2"'), exit_code=0)


def test_total_mismatch(ws: Workspace) -> None:
    ws.edit_plan(QUARTERS, (M1_VALUE, "            values: {I: 1, II: 2, total: 4}\n"))
    ws.expect(("plan.yaml:22:42: error[total-mismatch]: priorities[0].tasks[0].measures[0].values.total: total "
               "is 4 but I=1, II=2 add up to 3", "4}"))


def test_total_mismatch_with_decimal_commas(ws: Workspace) -> None:
    ws.edit_plan(QUARTERS, (M1_VALUE, '            values:\n              I: 0,1\n              II: "-"\n'
                                      "              III: 0,2\n              total: 0,4\n"))
    ws.expect(("plan.yaml:26:22: error[total-mismatch]: priorities[0].tasks[0].measures[0].values.total: total "
               "is 0,4 but I=0,1, II=-, III=0,2 add up to 0,3", "0,4"))


def test_total_that_adds_up_is_accepted(ws: Workspace) -> None:
    ws.edit_plan(QUARTERS, (M1_VALUE, '            values: {I: "0,1", II: "-", III: "0,2", total: "0,3"}\n'))
    ws.expect(exit_code=0)


def test_total_missing_is_a_warning(ws: Workspace) -> None:
    ws.edit_plan(QUARTERS, (M1_VALUE, "            values: {I: 1, II: 2}\n"))
    ws.expect(("plan.yaml:22:21: warning[total-missing]: priorities[0].tasks[0].measures[0].values: values I=1, "
               "II=2 add up to 3 but no total is written; add 'total: 3'", "{I: 1"), exit_code=0)


# --------------------------------------------------------------------------- term-outside-period


def test_month_outside_the_quarter(ws: Workspace) -> None:
    ws.edit_plan(("            term: Квітень\n", "            term: Липень\n"))
    ws.expect(("plan.yaml:19:19: error[term-outside-period]: priorities[0].tasks[0].measures[0].term: term "
               "'Липень' names Липень, outside the plan's period 2020-Q2 (Квітень, Травень, Червень)", "Липень"))


def test_month_outside_the_quarter_in_a_row(ws: Workspace) -> None:
    ws.edit_plan(("                term: Червень\n", "                term: Квітень Вересень\n"))
    ws.expect(("plan.yaml:30:23: error[term-outside-period]: priorities[0].tasks[0].measures[1].rows[1].term: "
               "term 'Квітень Вересень' names Вересень, outside the plan's period 2020-Q2 (Квітень, Травень, "
               "Червень)", "Квітень Вересень"))


def test_year_outside_the_period_suggests_horizon(ws: Workspace) -> None:
    ws.edit_plan(("            term: Квітень\n", "            term: Квітень 2021\n"))
    ws.expect(("plan.yaml:19:19: error[term-outside-period]: priorities[0].tasks[0].measures[0].term: term "
               "'Квітень 2021' names 2021, outside the plan's period 2020-Q2; if the plan belongs to a longer "
               "strategy, set 'horizon' to the strategy's years", "Квітень 2021"))


def test_multi_year_term_in_a_one_year_plan_without_horizon(ws: Workspace) -> None:
    ws.edit_plan(('period: "2020-Q2"\n', 'period: "2021"\n'),
                 ("            term: Квітень\n", "            term: 2021-2026\n"))
    ws.expect(("plan.yaml:19:19: error[term-outside-period]: priorities[0].tasks[0].measures[0].term: term "
               "'2021-2026' names 2022, outside the plan's period 2021; if the plan belongs to a longer strategy, "
               "set 'horizon' to the strategy's years", "2021-2026"))


def test_horizon_allows_the_strategy_years(ws: Workspace) -> None:
    ws.edit_plan(('period: "2020-Q2"\n', 'period: "2021"\nhorizon: "2021-2026"\n'),
                 ("            term: Квітень\n", "            term: 2021-2026\n"))
    ws.expect(exit_code=0)


def test_horizon_still_bounds_the_years(ws: Workspace) -> None:
    ws.edit_plan(('period: "2020-Q2"\n', 'period: "2021"\nhorizon: "2021-2026"\n'),
                 ("            term: Квітень\n", "            term: 2025-2027\n"))
    ws.expect(("plan.yaml:20:19: error[term-outside-period]: priorities[0].tasks[0].measures[0].term: term "
               "'2025-2027' names 2027, outside the plan's horizon 2021-2026", "2025-2027"))


def test_term_inside_horizon_must_still_overlap_the_period(ws: Workspace) -> None:
    ws.edit_plan(('period: "2020-Q2"\n', 'period: "2021"\nhorizon: "2021-2026"\n'),
                 ("            term: Квітень\n", "            term: 2023-2024\n"))
    ws.expect(("plan.yaml:20:19: error[term-outside-period]: priorities[0].tasks[0].measures[0].term: term "
               "'2023-2024' does not overlap the plan's period 2021", "2023-2024"))


def test_date_range_term_outside_the_quarter(ws: Workspace) -> None:
    ws.edit_plan(("            term: Квітень\n", "            term: {from: 2020-04-01, to: 2020-07-15}\n"))
    ws.expect(("plan.yaml:19:19: error[term-outside-period]: priorities[0].tasks[0].measures[0].term: term "
               "'01.04.2020 – 15.07.2020' is not inside the plan's period 2020-Q2 (01.04.2020 – 30.06.2020)",
               "{from"))


def test_term_inherited_by_rows_is_checked(ws: Workspace) -> None:
    ws.edit_plan(("            value: 500\n", "            value: 500\n            term: Липень\n"),
                 ("                term: Травень\n", ""), ("                term: Червень\n", ""))
    assert headlines(ws.validate().stdout) == [
        "plan.yaml:26:19: error[term-outside-period]: priorities[0].tasks[0].measures[1].term: term 'Липень' "
        "names Липень, outside the plan's period 2020-Q2 (Квітень, Травень, Червень)"]


# --------------------------------------------------------------------------- executors and people


def test_unknown_executor_with_suggestion(ws: Workspace) -> None:
    ws.edit_plan(("            executor: legal-education\n", "            executor: legal-educaton\n"))
    ws.expect(("plan.yaml:18:23: error[unknown-executor]: priorities[0].tasks[0].measures[0].executor: executor "
               "'legal-educaton' is not in the organisation file; did you mean 'legal-education'?",
               "legal-educaton"))


def test_unknown_executor_in_a_list_points_at_the_item(ws: Workspace) -> None:
    ws.edit_plan(("            executor: legal-education\n", "            executor: [legal-education, finance]\n"))
    ws.expect(("plan.yaml:18:41: error[unknown-executor]: priorities[0].tasks[0].measures[0].executor[1]: "
               "executor 'finance' is not in the organisation file; add it to the organisation's executors",
               "finance"))


def test_inherited_unknown_executor_is_reported_once(ws: Workspace) -> None:
    ws.edit_plan(("            value: 500\n", "            value: 500\n            executor: finance\n"),
                 ("              - executor: legal-education\n                term:", "              - term:"),
                 ("              - executor: bureau-dolyna\n                term:", "              - term:"))
    assert len(headlines(ws.validate().stdout)) == 1


def test_unknown_person_with_suggestion(ws: Workspace) -> None:
    ws.edit_plan(("    person: koval\n", "    person: kovall\n"))
    ws.expect(("plan.yaml:7:13: error[unknown-person]: approval[0].person: person 'kovall' is not in the "
               "organisation file; did you mean 'koval'?", "kovall"))


def test_unknown_person_without_close_match(ws: Workspace) -> None:
    ws.edit_plan(("    person: koval\n", "    person: petrenko\n"))
    ws.expect(("plan.yaml:7:13: error[unknown-person]: approval[0].person: person 'petrenko' is not in the "
               "organisation file; add the person to the organisation's people or write {surname: …, "
               "initials: …}", "petrenko"))


def test_unknown_head_of_organisation(ws: Workspace) -> None:
    ws.edit_org(("head: koval\n", "head: kovall\n"))
    ws.expect(("organisation.yaml:6:7: error[unknown-person]: head: head 'kovall' is not among people; did you "
               "mean 'koval'?", "kovall"))


def test_name_style_needs_given_name_in_organisation(ws: Workspace) -> None:
    ws.edit_org(("name_style: initials-surname\n", "name_style: given-name-surname\n"))
    ws.expect(("organisation.yaml:8:5: error[name-style]: people[0]: name_style is given-name-surname "
               "(ДСТУ 4163:2020), so person 'koval' needs 'given_name'", "id: koval"))


def test_name_style_needs_given_name_in_plan(ws: Workspace) -> None:
    ws.edit_org(("name_style: initials-surname\n", "name_style: given-name-surname\n"),
                ("    initials: О.П.\n", "    initials: О.П.\n    given_name: Олена\n"))
    ws.edit_plan(("    person: koval\n", "    person: {surname: Петренко, initials: І.І.}\n"))
    ws.expect(("plan.yaml:7:13: error[name-style]: approval[0].person: the organisation prints names as "
               "given-name-surname (ДСТУ 4163:2020), so this person needs 'given_name'", "{surname"))


def test_approval_after_start_is_a_warning(ws: Workspace) -> None:
    ws.edit_plan(("    date: 2020-03-19\n", "    date: 2020-04-02\n"))
    ws.expect(("plan.yaml:8:11: warning[approval-after-start]: approval[0].date: approved on 02.04.2020, after "
               "the period 2020-Q2 began on 01.04.2020; check the date", "2020-04-02"), exit_code=0)


def test_approval_on_the_first_day_is_fine(ws: Workspace) -> None:
    ws.edit_plan(("    date: 2020-03-19\n", "    date: 2020-04-01\n"))
    ws.expect(exit_code=0)


# --------------------------------------------------------------------------- mixed-script


def test_mixed_script_points_at_the_word(ws: Workspace) -> None:
    ws.edit_plan(("            title: Робочі зустрічі з населенням\n",
                  "            title: Робочі зустрічі Vідділу з населенням\n"))
    ws.expect(("plan.yaml:17:36: error[mixed-script]: priorities[0].tasks[0].measures[0].title: 'Vідділу' mixes "
               "Latin and Cyrillic letters; did you mean 'Відділу'?", "Vідділу"))


def test_mixed_script_latin_i_in_a_title_line(ws: Workspace) -> None:
    ws.edit_plan(("  - КВАРТАЛЬНИЙ ПЛАН ЗАХОДІВ\n", "  - КВАРТАЛЬНИЙ ПЛАН ЗАХОДIВ\n"))
    ws.expect(("plan.yaml:4:22: error[mixed-script]: title[0]: 'ЗАХОДIВ' mixes Latin and Cyrillic letters; did "
               "you mean 'ЗАХОДІВ'?", "ЗАХОДIВ"))


def test_mixed_script_in_a_folded_scalar_points_at_its_line(ws: Workspace) -> None:
    ws.edit_plan(("            title: Робочі зустрічі з населенням\n",
                  "            title: >-\n              Робочі зустрічі з\n              населенням Vідділу\n"))
    ws.expect(("plan.yaml:19:26: error[mixed-script]: priorities[0].tasks[0].measures[0].title: 'Vідділу' mixes "
               "Latin and Cyrillic letters; did you mean 'Відділу'?", "Vідділу"))


def test_mixed_script_in_organisation(ws: Workspace) -> None:
    ws.edit_org(("    name: Відділ правопросвітництва\n", "    name: Vідділ правопросвітництва\n"))
    ws.expect(("organisation.yaml:14:11: error[mixed-script]: executors[0].name: 'Vідділ' mixes Latin and "
               "Cyrillic letters; did you mean 'Відділ'?", "Vідділ"))


def test_latin_words_and_abbreviations_are_not_mixed(ws: Workspace) -> None:
    ws.edit_plan(("            title: Робочі зустрічі з населенням\n",
                  "            title: Наповнення платформи «WikiLegalaid» та IT-відділ, e-mail\n"))
    ws.expect(exit_code=0)


def test_mixed_script_never_suggests_the_same_word(ws: Workspace) -> None:
    ws.edit_plan(("            title: Робочі зустрічі з населенням\n", "            title: Робочі Wідділу\n"))
    (line,) = headlines(ws.validate().stdout)
    assert "did you mean 'Wідділу'" not in line


# --------------------------------------------------------------------------- values


def test_value_without_indicator(ws: Workspace) -> None:
    ws.edit_plan(("            indicator: Кількість зустрічей\n", ""))
    ws.expect(("plan.yaml:20:20: error[value-without-indicator]: priorities[0].tasks[0].measures[0].value: "
               "measure '1.1.1' plans 1 but names no indicator; add 'indicator' to say what is counted", "1"))


def test_text_value_needs_no_indicator(ws: Workspace) -> None:
    ws.edit_plan(("            indicator: Кількість зустрічей\n", ""), (M1_VALUE, "            value: За потребою\n"))
    ws.expect(exit_code=0)


def test_value_without_indicator_on_a_measure_with_rows_is_reported_once(ws: Workspace) -> None:
    ws.edit_plan(("            indicator: Кількість матеріалів\n", ""))
    assert len(headlines(ws.validate().stdout)) == 1


def test_value_conflict(ws: Workspace) -> None:
    ws.edit_plan(QUARTERS, (M1_VALUE, "            value: 1\n            values: {I: 1}\n"))
    ws.expect(("plan.yaml:23:21: error[value-conflict]: priorities[0].tasks[0].measures[0].values: write either "
               "'value' (one cell for the whole period) or 'values' (one per column), not both", "{I: 1}"))


def test_unknown_column_q1_suggests_roman_numeral(ws: Workspace) -> None:
    ws.edit_plan(QUARTERS, (M1_VALUE, "            values: {Q1: 1, II: 2}\n"))
    ws.expect(("plan.yaml:22:26: error[unknown-column]: priorities[0].tasks[0].measures[0].values.Q1: unknown "
               "value column 'Q1'; expected one of I, II, III, IV, total; did you mean 'I'?", "1, II"))


def test_unknown_column_razom_suggests_total(ws: Workspace) -> None:
    ws.edit_plan(QUARTERS, (M1_VALUE, "            values: {I: 1, Разом: 1}\n"))
    ws.expect(("plan.yaml:22:35: error[unknown-column]: priorities[0].tasks[0].measures[0].values.Разом: unknown "
               "value column 'Разом'; expected one of I, II, III, IV, total; did you mean 'total'?", "1}"))


def test_unknown_column_does_not_cascade_into_totals(ws: Workspace) -> None:
    ws.edit_plan(QUARTERS, (M1_VALUE, "            values: {Q1: 1, II: 2, total: 3}\n"))
    assert rule_ids(ws.validate().stdout) == ["unknown-column"]


def test_unknown_column_values_in_a_single_value_plan(ws: Workspace) -> None:
    ws.edit_plan((M1_VALUE, "            values: {I: 1}\n"))
    ws.expect(("plan.yaml:21:21: error[unknown-column]: priorities[0].tasks[0].measures[0].values: this plan has "
               "breakdown 'single', so it has no per-period value columns; write 'value' instead of 'values'",
               "{I: 1}"))


def test_unknown_column_months_of_the_quarter(ws: Workspace) -> None:
    ws.edit_plan(("priorities:\n", "breakdown: months\npriorities:\n"),
                 (M1_VALUE, "            values: {04: 1, 07: 1}\n"))
    ws.expect(("plan.yaml:22:33: error[unknown-column]: priorities[0].tasks[0].measures[0].values.07: unknown "
               "value column '07'; expected one of 04, 05, 06, total", "1}"))


def test_funding_without_funding_columns(ws: Workspace) -> None:
    ws.edit_plan((M1_VALUE, '            value: 1\n            funding: {"2020": {city-budget: 5}}\n'))
    ws.expect(("plan.yaml:22:22: error[unknown-column]: priorities[0].tasks[0].measures[0].funding: this plan "
               "declares no funding columns; add a top-level 'funding' with its sources", "{"))


def test_funding_year_outside_the_period(ws: Workspace) -> None:
    ws.edit_plan(FUNDING, (M1_VALUE, '            value: 1\n            funding: {"2021": {city-budget: 5}}\n'))
    ws.expect(("plan.yaml:26:31: error[unknown-column]: priorities[0].tasks[0].measures[0].funding.2021: funding "
               "year '2021' is not one of 2020", "{city-budget"))


def test_funding_unknown_source_with_suggestion(ws: Workspace) -> None:
    ws.edit_plan(FUNDING, (M1_VALUE, '            value: 1\n            funding: {"2020": {city-budgt: 5}}\n'))
    ws.expect(("plan.yaml:26:44: error[unknown-column]: priorities[0].tasks[0].measures[0].funding.2020."
               "city-budgt: unknown funding source 'city-budgt'; expected one of city-budget; did you mean "
               "'city-budget'?", "5}"))


def test_funding_that_matches_the_spec_is_accepted(ws: Workspace) -> None:
    ws.edit_plan(FUNDING, (M1_VALUE, "            value: 1\n            funding:\n"
                                     "              2020:\n                city-budget: 24,4\n"))
    ws.expect(exit_code=0)


# --------------------------------------------------------------------------- funding-sum (docs/rules.md)

TASK_TITLE = "        title: Правопросвітницькі заходи для населення\n"


def _task_funding(amount: str) -> tuple[str, str]:
    return (TASK_TITLE, TASK_TITLE + f'        funding: {{"2020": {{city-budget: "{amount}"}}}}\n')


def _measure_funding(value_line: str, amount: str) -> tuple[str, str]:
    return (value_line, value_line + f'            funding: {{"2020": {{city-budget: "{amount}"}}}}\n')


def test_funding_sum_section_disagrees_with_its_items(ws: Workspace) -> None:
    ws.edit_plan(FUNDING, _task_funding("5"), _measure_funding(M1_VALUE, "2"),
                 _measure_funding("            value: 500\n", "1,5"))
    ws.expect(("plan.yaml:19:41: warning[funding-sum]: priorities[0].tasks[0].funding.2020.city-budget: task '1.1' "
               "has 5 for 2020 «Міськ. бюджет» but its items add up to 3,5 (2 + 1,5); a computed total counts the "
               "section's 5 and not its items: make them agree if the section is their sum", '"5"'), exit_code=0)


def test_funding_sum_dash_and_x_add_nothing(ws: Workspace) -> None:
    ws.edit_plan(FUNDING, _task_funding("2"), _measure_funding(M1_VALUE, "2"),
                 _measure_funding("            value: 500\n", "x"))
    ws.expect(exit_code=0)
    ws.edit_plan(_measure_funding("            value: 500\n", "x")[::-1],
                 _measure_funding("            value: 500\n", "-"))
    ws.expect(exit_code=0)


def test_funding_sum_section_alone_is_not_checked(ws: Workspace) -> None:
    """A section amount with no item amounts in that cell is the only figure: nothing to compare."""
    ws.edit_plan(FUNDING, _task_funding("24,4"))
    ws.expect(exit_code=0)


def test_funding_total_cannot_add_text(ws: Workspace) -> None:
    ws.edit_plan(FUNDING, ("      name: Міськ. бюджет\n", "      name: Міськ. бюджет\n  total: true\n"),
                 _measure_funding(M1_VALUE, "За потребою"))
    ws.expect(("plan.yaml:13:10: warning[funding-sum]: funding.total: the computed total «Усього (обчислено)» of "
               "2020 «Міськ. бюджет» cannot add the text amount 'За потребою'; its cell stays empty: write a number, "
               "«-» or x, or drop 'funding.total'", "true"), exit_code=0)


# --------------------------------------------------------------------------- missing-title


def test_missing_task_title_is_a_warning(ws: Workspace) -> None:
    ws.edit_plan(("        title: Правопросвітницькі заходи для населення\n", ""))
    ws.expect(("plan.yaml:13:13: warning[missing-title]: priorities[0].tasks[0].id: task '1.1' has no title",
               '"1.1"'), exit_code=0)


def test_missing_priority_title_is_a_warning(ws: Workspace) -> None:
    ws.edit_plan(("    title: Рівний доступ до правової допомоги\n", ""))
    ws.expect(("plan.yaml:10:9: warning[missing-title]: priorities[0].id: priority '1' has no title", '"1"'),
              exit_code=0)


def test_missing_measure_title_is_a_warning(ws: Workspace) -> None:
    ws.edit_plan(("            title: Робочі зустрічі з населенням\n", ""))
    ws.expect(("plan.yaml:16:17: warning[missing-title]: priorities[0].tasks[0].measures[0].id: measure '1.1.1' "
               "has no title", '"1.1.1"'), exit_code=0)


# --------------------------------------------------------------------------- files


def test_organisation_missing(ws: Workspace) -> None:
    ws.edit_plan(("kind: quarterly-plan\n", "organisation: org.yaml\nkind: quarterly-plan\n"))
    ws.expect(("plan.yaml:1:15: error[organisation-missing]: organisation: organisation file 'org.yaml' not "
               "found; create it or set 'organisation' to its path", "org.yaml"))


def test_organisation_missing_by_default_name(ws: Workspace) -> None:
    ws.org.unlink()
    ws.expect(("plan.yaml:1:1: error[organisation-missing]: organisation: organisation file 'organisation.yaml' "
               "not found; create it or set 'organisation' to its path", "kind:"))


def test_organisation_in_another_folder(ws: Workspace) -> None:
    (ws.root / "org").mkdir()
    ws.org.rename(ws.root / "org" / "organisation.yaml")
    ws.edit_plan(("kind: quarterly-plan\n", "organisation: org/organisation.yaml\nkind: quarterly-plan\n"))
    result = ws.expect(exit_code=0, args=("plan.yaml",))
    assert result.stdout == "2 file(s) checked: 0 error(s), 0 warning(s)\n"


def test_empty_file(ws: Workspace) -> None:
    ws.write("plan.yaml", "")
    ws.expect(("plan.yaml: error[empty-file]: the file is empty; a plan needs at least 'kind', 'period', 'title' and "
               "'priorities'", None))


def test_empty_organisation_file_is_not_told_about_plans(ws: Workspace) -> None:
    ws.write("organisation.yaml", "")
    (line,) = headlines(ws.validate().stdout)
    assert line.startswith("organisation.yaml: error[empty-file]: ")
    assert "plan" not in line.split("[empty-file]: ")[1]


def test_duplicate_key(ws: Workspace) -> None:
    ws.edit_plan(('period: "2020-Q2"\n', 'period: "2020-Q2"\nkind: annual-plan\n'))
    ws.expect(("plan.yaml:3:1: error[duplicate-key]: duplicate key 'kind' (first defined at line 1); remove or "
               "rename one of them", "kind: annual-plan"))


def test_duplicate_key_in_a_flow_mapping(ws: Workspace) -> None:
    ws.edit_plan(QUARTERS, (M1_VALUE, "            values: {I: 1, I: 2}\n"))
    ws.expect(("plan.yaml:22:28: error[duplicate-key]: duplicate key 'I' (first defined at line 22); remove or "
               "rename one of them", "I: 2"))


def test_yaml_anchor(ws: Workspace) -> None:
    ws.edit_plan(("  - label: ЗАТВЕРДЖЕНО\n", "  - label: &l ЗАТВЕРДЖЕНО\n"))
    ws.expect(("plan.yaml:6:12: error[yaml-alias]: anchors (&l) are not allowed; write values out", "&l"))


def test_yaml_alias(ws: Workspace) -> None:
    ws.edit_plan(("    person: koval\n", "    person: koval\n    position: *nothing\n"))
    ws.expect(("plan.yaml:8:15: error[yaml-alias]: aliases (*nothing) are not allowed; write the value out",
               "*nothing"))


def test_yaml_tag(ws: Workspace) -> None:
    ws.edit_plan(("  - label: ЗАТВЕРДЖЕНО\n", "  - label: !!int 5\n"))
    ws.expect(("plan.yaml:6:12: error[yaml-tag]: tag 'tag:yaml.org,2002:int' is not allowed; plans contain only "
               "plain data", "!!int"))


def test_yaml_str_tag_is_allowed(ws: Workspace) -> None:
    ws.edit_plan(("  - label: ЗАТВЕРДЖЕНО\n", "  - label: !!str 5\n"))
    ws.expect(exit_code=0)


def test_yaml_syntax_unclosed_flow_sequence(ws: Workspace) -> None:
    ws.write("plan.yaml", "kind: [quarterly-plan\nperiod: x\n")
    ws.expect(("plan.yaml:2:7: error[yaml-syntax]: invalid YAML: expected ',' or ']' in this [list] (in a [list] "
               "at line 1, column 7)", ": x"))


def test_yaml_syntax_tab_indentation(ws: Workspace) -> None:
    ws.edit_plan(('          - id: "1.1.1"\n', '\t  - id: "1.1.1"\n'))
    ws.expect(("plan.yaml:16:1: error[yaml-syntax]: tab character found; YAML indentation must use spaces, not tabs",
               "\t"))


def test_yaml_syntax_second_document(ws: Workspace) -> None:
    ws.write("plan.yaml", ws.plan.read_text(encoding="utf-8") + "---\nkind: annual-plan\n")
    ws.expect(("plan.yaml:31:1: error[yaml-syntax]: a plan file holds one YAML document; remove the extra '---'",
               "---"))


def test_yaml_syntax_complex_key(ws: Workspace) -> None:
    ws.edit_plan(("    tasks:\n", "    tasks:\n      ? [a, b]\n      : c\n"))
    ws.expect(("plan.yaml:13:9: error[yaml-syntax]: mapping keys must be plain text, not lists or mappings",
               "[a, b]"))


def test_yaml_syntax_nesting_too_deep(ws: Workspace) -> None:
    ws.write("plan.yaml", "".join(" " * i + "a:\n" for i in range(70)))
    ws.expect(("plan.yaml:65:65: error[yaml-syntax]: nesting deeper than 64 levels is not allowed", "a:"))


def test_encoding_cp1251(ws: Workspace) -> None:
    ws.write("plan.yaml", ws.plan.read_text(encoding="utf-8").encode("cp1251"))
    result = ws.validate()
    assert headlines(result.stdout) == [
        "plan.yaml:4:5: error[encoding]: byte 0xca is not valid UTF-8; the file looks like Windows-1251 (cp1251); "
        "re-save it as UTF-8"]
    assert result.exit_code == 1
    # line 4, column 5 is the first Cyrillic letter (one byte per letter in cp1251)
    assert ws.plan.read_bytes().decode("cp1251").splitlines()[3][4:] == "КВАРТАЛЬНИЙ ПЛАН ЗАХОДІВ"


def test_encoding_control_character(ws: Workspace) -> None:
    ws.write("plan.yaml", 'kind: quarterly-plan\nperiod: "2020-Q2"\ntitle: PLAN\x07\n')
    ws.expect(("plan.yaml:3:12: error[encoding]: control character #x0007 is not allowed in a YAML file", "\x07"))


def test_encoding_control_character_after_cyrillic_text(ws: Workspace) -> None:
    ws.edit_plan(("  - КВАРТАЛЬНИЙ ПЛАН ЗАХОДІВ\n", "  - КВАРТАЛЬНИЙ\x07ПЛАН\n"))
    assert headlines(ws.validate().stdout) == [
        "plan.yaml:4:16: error[encoding]: control character #x0007 is not allowed in a YAML file"]


def test_io_dangling_symlink(ws: Workspace) -> None:
    (ws.root / "old.yaml").symlink_to(ws.root / "gone.yaml")
    ws.expect(("old.yaml: error[io]: cannot read the file: No such file or directory", None))


# --------------------------------------------------------------------------- reporting


def test_all_errors_are_collected_in_line_order(ws: Workspace) -> None:
    # three independent mistakes, written in reverse order of discovery by the stages
    ws.edit_plan(("            executor: legal-education\n", "            executor: legal-educaton\n"),
                 ("    date: 2020-03-19\n", "    date: 2020-3-19\n"),
                 ("                term: Травень\n", "                term: Травень\n                ternm: x\n"))
    result = ws.expect(
        ("plan.yaml:8:11: error[invalid-date]: approval[0].date: expected a date as YYYY-MM-DD (e.g. 2020-03-19), "
         "got '2020-3-19'", "2020-3-19"),
        ("plan.yaml:18:23: error[unknown-executor]: priorities[0].tasks[0].measures[0].executor: executor "
         "'legal-educaton' is not in the organisation file; did you mean 'legal-education'?", "legal-educaton"),
        ("plan.yaml:29:17: error[unknown-key]: priorities[0].tasks[0].measures[1].rows[0]: unknown key 'ternm'; "
         "did you mean 'term'?", "ternm"),
    )
    assert result.stderr == "2 file(s) checked: 3 error(s), 0 warning(s)\n"


def test_text_output_shows_the_line_and_a_caret(ws: Workspace) -> None:
    ws.edit_plan(("            term: Квітень\n", "            term: Липень\n"))
    result = ws.validate()
    assert result.stdout == (
        "plan.yaml:19:19: error[term-outside-period]: priorities[0].tasks[0].measures[0].term: term 'Липень' names "
        "Липень, outside the plan's period 2020-Q2 (Квітень, Травень, Червень)\n"
        "   19 |             term: Липень\n"
        "      |                   ^\n"
    )
    assert result.stderr == "2 file(s) checked: 1 error(s), 0 warning(s)\n"


def test_strict_makes_warnings_fail(ws: Workspace) -> None:
    ws.edit_plan(("    date: 2020-03-19\n", "    date: 2020-04-02\n"))
    headline = ("plan.yaml:8:11: warning[approval-after-start]: approval[0].date: approved on 02.04.2020, after the "
                "period 2020-Q2 began on 01.04.2020; check the date")
    ws.expect((headline, "2020-04-02"), exit_code=0)
    result = ws.expect((headline, "2020-04-02"), exit_code=1, args=("--strict", "."))
    assert result.stderr == "2 file(s) checked: 0 error(s), 1 warning(s) (--strict: warnings fail)\n"


def test_strict_passes_a_clean_plan(ws: Workspace) -> None:
    ws.expect(exit_code=0, args=("--strict", "."))


def test_json_output(ws: Workspace) -> None:
    ws.edit_plan(("    date: 2020-03-19\n", "    date: 2020-04-02\n"),
                 ("            executor: legal-education\n", "            executor: finance\n"))
    result = ws.validate("--format", "json", ".")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "files": ["organisation.yaml", "plan.yaml"],
        "valid": False,
        "errors": 1,
        "warnings": 1,
        "diagnostics": [
            {"file": "plan.yaml", "line": 8, "column": 11, "severity": "warning", "rule": "approval-after-start",
             "path": "approval[0].date",
             "message": "approved on 02.04.2020, after the period 2020-Q2 began on 01.04.2020; check the date"},
            {"file": "plan.yaml", "line": 18, "column": 23, "severity": "error", "rule": "unknown-executor",
             "path": "priorities[0].tasks[0].measures[0].executor",
             "message": "executor 'finance' is not in the organisation file; add it to the organisation's "
                        "executors"},
        ],
    }


def test_json_output_strict_and_whole_file_diagnostics(ws: Workspace) -> None:
    ws.write("plan.yaml", "")
    result = ws.validate("--format", "json", "--strict", "plan.yaml")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["valid"] is False
    assert report["diagnostics"] == [
        {"file": "plan.yaml", "line": 0, "column": 0, "severity": "error", "rule": "empty-file", "path": "",
         "message": "the file is empty; a plan needs at least 'kind', 'period', 'title' and 'priorities'"}]


def test_json_output_of_a_valid_plan(ws: Workspace) -> None:
    result = ws.validate("--format", "json", ".")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"files": ["organisation.yaml", "plan.yaml"], "valid": True, "errors": 0,
                                         "warnings": 0, "diagnostics": []}


def test_every_rule_id_in_src_has_a_test() -> None:
    """A guard for new rules: every rule id the loader and the check stage (schema, plan and report rules)
    can emit appears in an expected headline of the tests."""
    pkg = REPO / "src" / "plandocs"
    src = "\n".join(p.read_text(encoding="utf-8") for p in [pkg / "load" / "source.py", *(pkg / "check").glob("*.py")])
    emitted = set(re.findall(r"(?:\.add|\.report|\.fail)\(\s*\"([a-z][a-z-]+)\"", src))
    tests = "\n".join(p.read_text(encoding="utf-8") for p in TESTS.glob("test_*.py"))
    tested = set(re.findall(r"(?:error|warning)\[([a-z-]+)\]", tests))
    assert emitted, "no rule ids found; has the reporting API changed?"
    assert emitted - tested == set()


def test_headlines_parser_ignores_excerpts_and_summary() -> None:
    text = ("a.yaml:1:2: error[x-y]: p: m\n    1 | a.yaml:1:2: error[x-y]: p: m\n      |  ^\n"
            "b.yaml: warning[z]: whole file\n1 file(s) checked\n")
    assert headlines(text) == ["a.yaml:1:2: error[x-y]: p: m", "b.yaml: warning[z]: whole file"]



def test_rule_ids_helper() -> None:
    assert rule_ids("a.yaml:1:2: error[x-y]: p[0].q: m [z]\nb.yaml: warning[w]: n\n") == ["x-y", "w"]
