"""``plandocs fmt``: one canonical form, comments kept, data never changed, files written atomically."""

from __future__ import annotations

import ast
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from plandocs.check.schema import to_record
from plandocs.errors import Diagnostics
from plandocs.load.source import parse_text
from plandocs.model.records import Organisation, Plan, Report
from plandocs.review.emit import ScalarKind, double_quoted, scalar_style
from plandocs.review.fmt import canonical_text, record_class
from review_support import PLANS, REPO, REVIEW, cli

SEED_FILES = sorted(PLANS.rglob("*.yaml"))
FIXTURES = [REVIEW / "annual.yaml", REVIEW / "quarterly.yaml", REVIEW / "organisation.yaml"]


def fmt_text(text: str, cls: type = Plan, name: str = "plan.yaml") -> str:
    diags = Diagnostics()
    out = canonical_text(name, text, cls, diags)
    assert out is not None, [d.headline() for d in diags]
    return out


def data(text: str, cls: type) -> object:
    diags = Diagnostics()
    root = parse_text("x.yaml", text, diags)
    assert root is not None
    rec = to_record(root, cls, diags)
    assert rec is not None and not diags.errors
    return rec


def without_comments(text: str) -> str:
    return "".join(line for line in text.splitlines(keepends=True) if not line.lstrip().startswith("#"))


# --------------------------------------------------------------------------- the canonical form


def test_shuffled_reindented_plan_is_restored_with_its_comments() -> None:
    shuffled = (REVIEW / "shuffled.yaml").read_text(encoding="utf-8")
    canonical = (REVIEW / "canonical.yaml").read_text(encoding="utf-8")
    assert fmt_text(shuffled) == canonical
    assert data(shuffled, Plan) == data(canonical, Plan)


def test_seed_plans_are_in_canonical_form() -> None:
    result = cli(["fmt", "--check", "plans/"], REPO)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr == f"0 file(s) would be reformatted, {len(SEED_FILES)} already canonical\n"


@pytest.mark.parametrize("path", SEED_FILES + FIXTURES, ids=lambda p: str(p.relative_to(REPO)))
def test_any_layout_of_the_same_data_formats_to_the_same_file(path: Path) -> None:
    """PyYAML writes the same data with sorted keys, 4 spaces, single quotes and lines folded at 40
    columns; formatting that gives back the file (without its comments, which PyYAML drops)."""
    text = path.read_text(encoding="utf-8")
    redumped = yaml.safe_dump(yaml.safe_load(text), sort_keys=True, indent=4, allow_unicode=True, width=40)
    assert redumped != without_comments(text)
    cls = record_class(path)
    out = fmt_text(redumped, cls, path.name)
    assert out == without_comments(text)
    assert data(out, cls) == data(text, cls) == data(redumped, cls)


@pytest.mark.parametrize("path", [*SEED_FILES, *FIXTURES, REVIEW / "shuffled.yaml"],
                         ids=lambda p: str(p.relative_to(REPO)))
def test_formatting_twice_changes_nothing(path: Path) -> None:
    cls = record_class(path)
    once = fmt_text(path.read_text(encoding="utf-8"), cls, path.name)
    assert fmt_text(once, cls, path.name) == once


def test_comments_attach_to_the_next_key_and_stay_at_line_ends() -> None:
    text = (
        "# yaml-language-server: $schema=../../schemas/organisation.schema.json\n"
        "\n"
        "executors:  # departments\n"
        "  # the legal department\n"
        "  - name: Юридичний відділ   # as printed\n"
        "    id: legal\n"
        "# about the name\n"
        "name:\n"
        "  genitive: Центру\n"
        "  # nominative case\n"
        "  nominative: Центр\n"
        "\n"
        "\n"
        "head: koval  # the director\n"
        "people:\n"
        "  - {id: koval, surname: Коваль}\n"
        "# trailing\n"
    )
    assert fmt_text(text, Organisation, "organisation.yaml") == (
        "# yaml-language-server: $schema=../../schemas/organisation.schema.json\n"
        "\n"
        "# about the name\n"
        "name:\n"
        "  # nominative case\n"
        "  nominative: Центр\n"
        "  genitive: Центру\n"
        "\n"
        "head: koval  # the director\n"
        "people:\n"
        "  - id: koval\n"
        "    surname: Коваль\n"
        "executors:  # departments\n"
        "  # the legal department\n"
        "  - id: legal\n"
        "    name: Юридичний відділ  # as printed\n"
        "# trailing\n"
    )


def test_dict_keys_follow_columns_quarters_and_funding_sources() -> None:
    text = """kind: city-programme
period: "2008-2010"
title: Програма
columns: [number, measure, funding, term]
headers: {term: Термін, number: №, funding: Фінансування}
funding:
  sources: [{name: Фонд, id: fund}, {id: city, name: Місто}]
priorities:
  - id: "1"
    measures:
      - id: "1.1"
        funding:
          "2010": {city: 1, fund: x}
          "2008": {city: "24,4", fund: "-"}
"""
    assert fmt_text(text) == """kind: city-programme
period: "2008-2010"
title: Програма
columns:
  - number
  - measure
  - funding
  - term
headers:
  number: №
  funding: Фінансування
  term: Термін
funding:
  sources:
    - id: fund
      name: Фонд
    - id: city
      name: Місто
priorities:
  - id: "1"
    measures:
      - id: "1.1"
        funding:
          "2008":
            fund: "-"
            city: 24,4
          "2010":
            fund: x
            city: 1
"""


def test_values_in_flow_when_short_block_when_a_comma_number_or_long_text() -> None:
    text = """kind: annual-plan
period: "2023"
title: План
priorities:
  - id: "1"
    measures:
      - id: "1.1"
        values:
          total: 4
          IV: 1
          I: 3
      - id: "1.2"
        values: {I: "2,5", total: "2,5"}
      - id: "1.3"
        values: {I: Постійно протягом року за потреби громадян та партнерів центру у громадах, total: "-"}
"""
    assert fmt_text(text).split("priorities:\n", 1)[1] == """  - id: "1"
    measures:
      - id: "1.1"
        values: {I: 3, IV: 1, total: 4}
      - id: "1.2"
        values:
          I: 2,5
          total: 2,5
      - id: "1.3"
        values:
          I: Постійно протягом року за потреби громадян та партнерів центру у громадах
          total: "-"
"""


def test_text_with_line_breaks_becomes_a_literal_block_never_folded() -> None:
    long_title = "дуже довга назва заходу " * 12
    text = (f'kind: quarterly-plan\nperiod: "2020-Q2"\ntitle: "Рядок один\\nрядок два"\npriorities:\n'
            f'  - id: "1"\n    title: "{long_title.strip()}"\n')
    out = fmt_text(text)
    assert "title: |-\n  Рядок один\n  рядок два\n" in out
    assert f"    title: {long_title.strip()}\n" in out


def test_report_facts_keep_measure_ids_quoted_and_short_facts_in_flow() -> None:
    text = """plan: 2021.yaml
period: 2021-Q2
facts:
  1.1.1: 1
  "1.2": '4/4'
  1.3.1:
    note: "перенесено"
    fact: 0
"""
    assert fmt_text(text, Report, "x.report.yaml") == """plan: 2021.yaml
period: "2021-Q2"
facts:
  "1.1.1": 1
  "1.2": 4/4
  "1.3.1": {fact: 0, note: перенесено}
"""


@pytest.mark.parametrize(("text", "kind", "flow", "style"), [
    ("Квітень", ScalarKind.TEXT, False, "plain"),
    ("1", ScalarKind.NUMBER, False, "plain"),
    ("24,4", ScalarKind.NUMBER, False, "plain"),
    ("24,4", ScalarKind.NUMBER, True, "double"),  # a comma ends a plain scalar inside [..] and {..}
    ("1", ScalarKind.TEXT, False, "double"),  # text that other YAML readers take for a number
    ("2021", ScalarKind.TEXT, False, "double"),
    ("2021-2022", ScalarKind.TEXT, False, "plain"),
    ("010", ScalarKind.NUMBER, False, "double"),  # an octal number in YAML 1.1
    ("1_000", ScalarKind.NUMBER, False, "double"),
    ("0o17", ScalarKind.TEXT, False, "double"),  # an octal number in YAML 1.2
    ("4/4", ScalarKind.NUMBER, False, "plain"),
    ("-", ScalarKind.NUMBER, False, "double"),
    ("x", ScalarKind.NUMBER, False, "plain"),
    ("yes", ScalarKind.TEXT, False, "double"),
    ("No", ScalarKind.TEXT, False, "double"),
    ("y", ScalarKind.TEXT, False, "double"),
    ("null", ScalarKind.TEXT, False, "double"),
    ("~", ScalarKind.TEXT, False, "double"),
    ("true", ScalarKind.BOOL, False, "plain"),
    ("true", ScalarKind.TEXT, False, "double"),
    (".inf", ScalarKind.NUMBER, False, "double"),
    ("2020-03-19", ScalarKind.DATE, False, "plain"),
    ("2020-03-19", ScalarKind.TEXT, False, "double"),
    ("ЗАТВЕРДЖЕНО:", ScalarKind.TEXT, False, "double"),
    ("Примітка: текст", ScalarKind.TEXT, False, "double"),
    ("текст #1", ScalarKind.TEXT, False, "double"),
    ("текст#1", ScalarKind.TEXT, False, "plain"),
    ("{id}", ScalarKind.TEXT, False, "double"),
    ("Захід {id}", ScalarKind.TEXT, False, "plain"),
    ("- пункт", ScalarKind.TEXT, False, "double"),
    ("Відділ \"Болехівське бюро\"", ScalarKind.TEXT, False, "plain"),
    ("\"Болехівське бюро\"", ScalarKind.TEXT, False, "double"),
    ("'цитата'", ScalarKind.TEXT, False, "double"),
    (" пробіл", ScalarKind.TEXT, False, "double"),
    ("", ScalarKind.TEXT, False, "double"),
    ("a, b", ScalarKind.TEXT, True, "double"),
    ("1.2.3", ScalarKind.ID, False, "double"),
    ("legal-education", ScalarKind.TEXT, True, "plain"),
])
def test_plain_only_when_safe(text: str, kind: ScalarKind, flow: bool, style: str) -> None:
    assert scalar_style(text, kind, flow) == style


def test_double_quoted_escapes() -> None:
    assert double_quoted('a "b" \\ c\n\td\u2028') == '"a \\"b\\" \\\\ c\\n\\td\\u2028"'
    assert yaml.safe_load("k: " + double_quoted('a "b" \\ c\n\td\u2028')) == {"k": 'a "b" \\ c\n\td\u2028'}


# --------------------------------------------------------------------------- the command


def copy_plans(tmp_path: Path) -> Path:
    shutil.copy(REVIEW / "organisation.yaml", tmp_path / "organisation.yaml")
    shutil.copy(REVIEW / "shuffled.yaml", tmp_path / "plan.yaml")
    shutil.copy(REVIEW / "annual.yaml", tmp_path / "2023.yaml")
    return tmp_path


def test_check_lists_files_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    copy_plans(tmp_path)
    before = (tmp_path / "plan.yaml").read_bytes()
    result = cli(["fmt", "--check", "."], tmp_path)
    assert result.exit_code == 1
    assert result.stdout == "would reformat plan.yaml\n"
    assert result.stderr == "1 file(s) would be reformatted, 2 already canonical\n"
    assert (tmp_path / "plan.yaml").read_bytes() == before


def test_diff_option_prints_a_unified_diff(tmp_path: Path) -> None:
    copy_plans(tmp_path)
    result = cli(["fmt", "--diff", "plan.yaml"], tmp_path)
    assert result.exit_code == 1
    assert result.stdout.startswith("--- a/plan.yaml\n+++ b/plan.yaml\n@@ -1,45 +1,44 @@\n")
    assert "+period: \"2020-Q2\"\n" in result.stdout


def test_fmt_rewrites_atomically_and_keeps_the_file_mode(tmp_path: Path) -> None:
    copy_plans(tmp_path)
    plan = tmp_path / "plan.yaml"
    os.chmod(plan, 0o640)
    result = cli(["fmt", "."], tmp_path)
    assert result.exit_code == 0
    assert result.stdout == "reformatted plan.yaml\n"
    assert result.stderr == "1 file(s) reformatted, 2 already canonical\n"
    assert plan.read_text(encoding="utf-8") == (REVIEW / "canonical.yaml").read_text(encoding="utf-8")
    assert stat.S_IMODE(plan.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["2023.yaml", "organisation.yaml", "plan.yaml"]
    again = cli(["fmt", "."], tmp_path)
    assert (again.exit_code, again.stdout) == (0, "")


def test_default_path_is_the_plans_folder(tmp_path: Path) -> None:
    (tmp_path / "plans").mkdir()
    copy_plans(tmp_path / "plans")
    result = cli(["fmt", "--check"], tmp_path)
    assert result.stdout == "would reformat plans/plan.yaml\n"


def test_file_with_errors_is_reported_and_left_alone(tmp_path: Path) -> None:
    copy_plans(tmp_path)
    bad = (REVIEW / "annual.yaml").read_text(encoding="utf-8").replace("    person: bondar\n",
                                                                        "    persn: bondar\n")
    (tmp_path / "2023.yaml").write_text(bad, encoding="utf-8")
    (tmp_path / "broken.yaml").write_text("kind: [annual-plan\n", encoding="utf-8")
    result = cli(["fmt", "2023.yaml", "broken.yaml"], tmp_path)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "2023.yaml:68:5: error[unknown-key]: signatures[0]: unknown key 'persn'; did you mean 'person'?",
        "   68 |     persn: bondar",
        "      |     ^",
        "broken.yaml:1:7: error[yaml-syntax]: invalid YAML: expected ',' or ']' in this [list] (in a [list])",
        "    1 | kind: [annual-plan",
        "      |       ^",
        "0 file(s) reformatted, 0 already canonical, 2 not formatted because of errors",
    ]
    assert (tmp_path / "2023.yaml").read_text(encoding="utf-8") == bad


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = cli(["fmt", "nope.yaml"], tmp_path)
    assert result.exit_code == 2
    assert "no such file or folder: nope.yaml" in result.stderr


def test_validate_does_not_import_the_review_stages() -> None:
    """fmt, diff, new and git live in modules that only their commands import (validate must start fast)."""
    code = ("import sys; from plandocs.cli import main\n"
            "try:\n    main(['validate', 'plans'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('plandocs.')))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False,
                          timeout=60)
    loaded = set(ast.literal_eval(proc.stdout.strip().splitlines()[-1]))
    assert "plandocs.cli.review" in loaded
    assert not {m for m in loaded if m.startswith(("plandocs.review", "plandocs.render", "plandocs.reports"))}
