"""Broken files of every kind: each gives exit status 1 and a diagnostic that names the file (and the line
where there is one) — never a traceback, never a hang.

Every case runs twice: in-process through click's CliRunner (so an uncaught exception is seen as such) and
as a real ``python -m plandocs`` process with a timeout (so a hang or a crash of the C parser fails the
test).  Both must print the same report.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import VALID, assert_clean_exit, headlines, run_cli, run_subprocess
from plandocs.check.validate import validate
from plandocs.model.records import Plan, all_measures

VALID_PLAN = (VALID / "plan.yaml").read_text(encoding="utf-8")

BILLION_LAUGHS = (
    b'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    + b"".join(
        f"{c}: &{c} [{','.join(['*' + p] * 9)}]\n".encode()
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
)

CASES = [
    pytest.param(
        b'kind: quarterly-plan\nperiod: "2020-Q2\ntitle: x\n',
        # the end of the file is where libyaml notices; the error points where the quote was opened
        ["plan.yaml:2:9: error[yaml-syntax]: invalid YAML: the file ends inside an unfinished construct (a quoted "
         "text that was opened here is not closed)"],
        id="unclosed-quote"),
    pytest.param(
        b"kind: quarterly-plan\n- period\n",
        ["plan.yaml:2:1: error[yaml-syntax]: invalid YAML: expected a 'key: value' line at this indentation (in a "
         "mapping)"],
        id="list-item-in-a-mapping"),
    pytest.param(
        'kind: quarterly-plan\nperiod: "2020-Q2"\ntitle:\n\t- План\n'.encode(),
        ["plan.yaml:4:1: error[yaml-syntax]: tab character found; YAML indentation must use spaces, not tabs"],
        id="tab-indentation"),
    pytest.param(
        VALID_PLAN.encode("cp1251"),
        ["plan.yaml:4:5: error[encoding]: byte 0xca is not valid UTF-8; the file looks like Windows-1251 (cp1251); "
         "re-save it as UTF-8"],
        id="cp1251"),
    pytest.param(
        VALID_PLAN.encode("utf-16"),
        ["plan.yaml: error[encoding]: this is not a text file (it contains NUL bytes or is UTF-16); save the plan "
         "as UTF-8 text"],
        id="utf-16"),
    pytest.param(
        VALID_PLAN.encode("utf-16-le"),
        ["plan.yaml: error[encoding]: this is not a text file (it contains NUL bytes or is UTF-16); save the plan "
         "as UTF-8 text"],
        id="utf-16-without-bom"),
    pytest.param(
        b"",
        ["plan.yaml: error[empty-file]: the file is empty; a plan needs at least 'kind', 'period', 'title' "
         "and 'priorities'"],
        id="empty"),
    pytest.param(
        b"\n   \n\n",
        ["plan.yaml: error[empty-file]: the file is empty; a plan needs at least 'kind', 'period', 'title' "
         "and 'priorities'"],
        id="blank-lines"),
    pytest.param(
        "# План на II квартал\n\n  # ще не заповнено\n".encode(),
        ["plan.yaml: error[empty-file]: the file is empty; a plan needs at least 'kind', 'period', 'title' "
         "and 'priorities'"],
        id="comments-only"),
    pytest.param(
        b"- kind: quarterly-plan\n",
        ["plan.yaml:1:1: error[type]: the top level of a plan file must be a mapping of keys, got a list"],
        id="list-at-top"),
    pytest.param(
        b"quarterly-plan\n",
        ["plan.yaml:1:1: error[type]: the top level of a plan file must be a mapping of keys, got a single value"],
        id="scalar-at-top"),
    pytest.param(
        VALID_PLAN.replace("approval:", "aproval:")
        .replace("                term: Травень\n", "                trem: Травень\n").encode(),
        ["plan.yaml:5:1: error[unknown-key]: unknown key 'aproval'; did you mean 'approval'?",
         "plan.yaml:28:17: error[unknown-key]: priorities[0].tasks[0].measures[1].rows[0]: unknown key 'trem'; "
         "did you mean 'term'?"],
        id="unknown-keys"),
    pytest.param(
        VALID_PLAN.replace("priorities:\n", "prioritys:\n").encode(),
        # the misspelt key is reported once, as unknown with its fix, not also as a missing 'priorities'
        ["plan.yaml:9:1: error[unknown-key]: unknown key 'prioritys'; did you mean 'priorities'?"],
        id="misspelt-required-key"),
    pytest.param(
        (VALID_PLAN + 'period: "2020-Q3"\n').encode(),
        ["plan.yaml:31:1: error[duplicate-key]: duplicate key 'period' (first defined at line 2); remove or rename "
         "one of them"],
        id="duplicate-keys"),
    pytest.param(
        BILLION_LAUGHS,
        ["plan.yaml:1:4: error[yaml-alias]: anchors (&a) are not allowed; write values out"],
        id="billion-laughs"),
    pytest.param(
        b"kind: " + b"{a: " * 5_000 + b"1" + b"}" * 5_000 + b"\n",
        ["plan.yaml:1:259: error[yaml-syntax]: nesting deeper than 64 levels is not allowed"],
        id="5000-nested-mappings"),
    pytest.param(
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + random.Random(7).randbytes(4096),
        ["plan.yaml: error[encoding]: this is not a text file (it contains NUL bytes or is UTF-16); save the plan "
         "as UTF-8 text"],
        id="binary-with-nul"),
    pytest.param(
        random.Random(7).randbytes(200).replace(b"\x00", b"\x01"),
        ["plan.yaml:1:2: error[encoding]: byte 0xb4 is not valid UTF-8; save the file as UTF-8"],
        id="binary-without-nul"),
]


DEPTH_ERROR = "error[yaml-syntax]: nesting deeper than 64 levels is not allowed"

# Nesting inside the top-level mapping: the value of 'kind' opens level 2, so the 65th level is the 64th
# opener. libyaml stops at 1,000 levels by itself since PyYAML 6.0.3; the diagnostic must not change.
NESTING: dict[str, tuple[Callable[[int], bytes], int]] = {
    "flow-lists": (lambda n: b"kind: " + b"[" * n + b"1" + b"]" * n + b"\n", 6 + 63 + 1),
    "flow-mappings": (lambda n: b"kind: " + b"{a: " * n + b"1" + b"}" * n + b"\n", 6 + 63 * 4 + 1),
    "block-lists": (lambda n: b"kind:\n" + b"- " * n + b"1\n", 2 * 63 + 1),
    "unclosed-brackets": (lambda n: b"kind: " + b"[" * n + b"\n", 6 + 63 + 1),
}


@pytest.mark.parametrize("levels", [64, 65, 1_000, 10_000, 100_000])
@pytest.mark.parametrize("style", sorted(NESTING))
def test_nesting_limit_whatever_the_parser(tmp_path: Path, style: str, levels: int) -> None:
    make, col = NESTING[style]
    cwd = _workspace(tmp_path, make(levels - 1))  # the top-level mapping is the first level
    lines = headlines(run_cli(["validate", "plan.yaml"], cwd).stdout)
    line = 2 if style == "block-lists" else 1
    if levels <= 64:
        assert not any(DEPTH_ERROR in h for h in lines)
    else:
        assert lines == [f"plan.yaml:{line}:{col}: {DEPTH_ERROR}"]


def _workspace(tmp_path: Path, data: bytes) -> Path:
    shutil.copy(VALID / "organisation.yaml", tmp_path / "organisation.yaml")
    (tmp_path / "plan.yaml").write_bytes(data)
    return tmp_path


def _check_both(cwd: Path, args: list[str], exit_code: int) -> str:
    """Run in-process and as a process; both must agree and be clean. Returns stdout."""
    result = run_cli(args, cwd)
    assert_clean_exit(result)
    proc = run_subprocess(args, cwd)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    assert (result.exit_code, proc.returncode) == (exit_code, exit_code), result.output
    assert proc.stdout == result.stdout
    assert proc.stderr == result.stderr
    return result.stdout


@pytest.mark.parametrize(("data", "expected"), CASES)
def test_broken_plan(tmp_path: Path, data: bytes, expected: list[str]) -> None:
    cwd = _workspace(tmp_path, data)
    stdout = _check_both(cwd, ["validate", "plan.yaml"], exit_code=1)
    assert headlines(stdout) == expected


def test_cp1251_message_is_actionable(tmp_path: Path) -> None:
    cwd = _workspace(tmp_path, VALID_PLAN.encode("cp1251"))
    (line,) = headlines(run_cli(["validate", "plan.yaml"], cwd).stdout)
    assert "Windows-1251" in line
    assert "re-save it as UTF-8" in line


def test_utf8_with_bom_is_accepted(tmp_path: Path) -> None:
    cwd = _workspace(tmp_path, b"\xef\xbb\xbf" + VALID_PLAN.encode())
    stdout = _check_both(cwd, ["validate", "plan.yaml"], exit_code=0)
    assert stdout == "2 file(s) checked: 0 error(s), 0 warning(s)\n"


def test_utf8_with_bom_keeps_columns(tmp_path: Path) -> None:
    # the BOM is not a character of line 1: the key still starts in column 1
    cwd = _workspace(tmp_path, b"\xef\xbb\xbf" + VALID_PLAN.replace("kind:", "knd:").encode())
    assert headlines(run_cli(["validate", "plan.yaml"], cwd).stdout) == [
        "plan.yaml:1:1: error[unknown-key]: unknown key 'knd'; did you mean 'kind'?",
    ]


def test_windows_line_endings_are_accepted(tmp_path: Path) -> None:
    cwd = _workspace(tmp_path, VALID_PLAN.replace("\n", "\r\n").encode())
    assert _check_both(cwd, ["validate", "plan.yaml"], exit_code=0) == "2 file(s) checked: 0 error(s), 0 warning(s)\n"


@pytest.mark.parametrize("document", [
    b'kind: !!python/object/apply:os.system ["echo hacked > hacked.txt"]\n',
    b'!!python/object/apply:os.system ["echo hacked > hacked.txt"]\n',
    b'kind: !!python/object/new:subprocess.check_output [["touch", "hacked.txt"]]\n',
])
def test_python_tags_never_execute(tmp_path: Path, document: bytes) -> None:
    cwd = _workspace(tmp_path, document)
    stdout = _check_both(cwd, ["validate", "plan.yaml"], exit_code=1)
    (line,) = headlines(stdout)
    assert "error[yaml-tag]: tag 'tag:yaml.org,2002:python/object/" in line
    assert line.endswith("is not allowed; plans contain only plain data")
    assert not (cwd / "hacked.txt").exists()
    assert "hacked\n" not in stdout.replace("echo hacked", "")


def test_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli(["validate", "missing.yaml"], tmp_path)
    assert_clean_exit(result)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "Error: no such file or folder: missing.yaml\n"
    proc = run_subprocess(["validate", "missing.yaml"], tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr) == (2, "", "Error: no such file or folder: missing.yaml\n")


def test_directory_named_like_a_plan(tmp_path: Path) -> None:
    (tmp_path / "2020-q2.yaml").mkdir()
    result = run_cli(["validate", "2020-q2.yaml"], tmp_path)
    assert_clean_exit(result)
    assert result.exit_code != 0
    assert "2020-q2.yaml" in result.output


def test_directory_named_like_a_plan_inside_a_folder_is_walked(tmp_path: Path) -> None:
    shutil.copytree(VALID, tmp_path / "plans" / "2020-q2.yaml")
    stdout = _check_both(tmp_path, ["validate", "plans"], exit_code=0)
    assert stdout == "2 file(s) checked: 0 error(s), 0 warning(s)\n"


# --------------------------------------------------------------------------- YAML 1.1 traps


def _load(tmp_path: Path, plan_text: str) -> Plan:
    cwd = _workspace(tmp_path, plan_text.encode())
    result = validate([cwd / "plan.yaml"])
    assert [d.headline() for d in result.diagnostics] == []
    (loaded,) = result.plans
    return loaded.plan


TRAPS = """\
kind: quarterly-plan
period: 2020-Q2
title:
  - no
  - 1.0
approval:
  - label: on
    person: koval
    signature: yes
    date: 2020-03-19
priorities:
  - id: 2
    title: off
    tasks:
      - id: 2.10
        title: Null-terminated
        measures:
          - id: 2.10.1
            title: n
            executor: legal-education
            term: Квітень
            indicator: 0x1F
            value: 01
          - id: 2.10.2
            title: y
            executor: [legal-education]
            term: Травень
            indicator: 1e3
            value: 1_000
"""


def test_yaml11_numbers_stay_text(tmp_path: Path) -> None:
    plan = _load(tmp_path, TRAPS)
    assert [(p.id, t.id if t else None, m.id) for p, t, m in all_measures(plan)] == [
        ("2", "2.10", "2.10.1"), ("2", "2.10", "2.10.2")]
    m1, m2 = (m for _, _, m in all_measures(plan))
    assert m1.value is not None and m1.value.text == "01"
    assert m1.indicator == "0x1F"
    assert m2.indicator == "1e3"
    assert m2.value is not None and m2.value.text == "1_000"
    assert plan.title == ("no", "1.0")
    assert str(plan.period) == "2020-Q2"


def test_yaml11_booleans_stay_text(tmp_path: Path) -> None:
    plan = _load(tmp_path, TRAPS)
    (stamp,) = plan.approval
    assert (stamp.label, stamp.signature) == ("on", "yes")
    assert plan.priorities[0].title == "off"
    m1, m2 = (m for _, _, m in all_measures(plan))
    assert (m1.title, m2.title) == ("n", "y")
    assert plan.priorities[0].tasks[0].title == "Null-terminated"


def test_number_value_keeps_its_written_text(tmp_path: Path) -> None:
    plan = _load(tmp_path, TRAPS)
    m1, _ = (m for _, _, m in all_measures(plan))
    assert m1.value is not None
    assert str(m1.value.number) == "1"  # the number is 1, the printed text stays "01"
