"""Issue 16: inputs that validated and then crashed or hung a later stage, or hung validate itself. Each
fixture in ``tests/fixtures/hardening/inputs/`` is the plan as found (on top of the valid plan)."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from conftest import headlines, run_subprocess
from hardening_support import HARDENING, Project, make_project
from plandocs.model.values import ValueKind, parse_value

INPUTS = HARDENING / "inputs"


def _with_plan(tmp_path: Path, fixture: str) -> Project:
    p = make_project(tmp_path)
    shutil.copy(INPUTS / fixture, p.plan)
    return p


@pytest.mark.parametrize(("fixture", "headline"), [
    ("control-vt-in-cell.yaml", "plans/t/2020-q2.yaml:24:24: error[control-character]: the value holds the "
     "character U+000B, which no document format can hold; remove it"),
    ("control-nul-in-title.yaml", "plans/t/2020-q2.yaml:4:5: error[control-character]: the value holds the "
     "character U+0000, which no document format can hold; remove it"),
    ("control-fffe.yaml", "plans/t/2020-q2.yaml:17:20: error[control-character]: the value holds the "
     "character U+FFFE, which no document format can hold; remove it"),
    ("lone-surrogate.yaml", "plans/t/2020-q2.yaml:23:33: error[yaml-syntax]: invalid YAML: found invalid "
     "Unicode character escape code (in a quoted text)"),  # the YAML parser refuses it first
    ("long-word-6000.yaml", "plans/t/2020-q2.yaml:23:20: error[too-large]: a word of 6000 characters without "
     "a space; at most 300 are allowed (no document could break it across lines)"),
])
def test_values_no_document_can_hold_are_refused_by_validate(tmp_path: Path, fixture: str, headline: str) -> None:
    p = _with_plan(tmp_path, fixture)
    result = p.cli("validate", "plans")
    assert result.exit_code == 1, result.output
    assert headlines(result.stdout) == [headline], result.output


def test_approval_in_year_2999_renders_a_docx(tmp_path: Path) -> None:
    p = _with_plan(tmp_path, "approval-2999.yaml")
    result = p.render("--format", "docx")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(p.root / "out/t/2020-q2.docx") as z:
        assert {i.date_time for i in z.infolist()} == {(2107, 12, 31, 23, 59, 58)}
        assert "2999" in z.read("word/document.xml").decode()


def test_a_20000_digit_percent_value_is_refused_at_once(tmp_path: Path) -> None:
    p = _with_plan(tmp_path, "percent-20000-digits.yaml")
    proc = run_subprocess(["validate", "plans"], p.root, timeout=20)
    assert proc.returncode == 1, proc.stderr
    assert "plans/t/2020-q2.yaml:25:20: error[too-large]: a value of 20002 characters; at most 20000 are allowed" \
        in proc.stdout


@pytest.mark.parametrize(("text", "kind", "number"), [
    ("1" * 80_000 + "x", ValueKind.TEXT, None),
    ("не менше " + "1" * 80_000 + " %", ValueKind.PERCENT, "1" * 80_000),
    ("24,5 %", ValueKind.PERCENT, "24.5"),
    ("5.5.5%", ValueKind.PERCENT, "5.5"),
])
def test_percent_values_parse_in_one_pass(text: str, kind: ValueKind, number: str | None) -> None:
    """The lazy-prefix regular expression took 8.6 s on 20,000 digits and a letter; the scan is linear."""
    v = parse_value(text)
    assert v.kind is kind
    assert (None if v.number is None else str(v.number)) == number


def test_a_million_keys_are_refused_at_once(tmp_path: Path) -> None:
    p = make_project(tmp_path)
    with open(p.org_dir / "2021.yaml", "w", encoding="utf-8") as fh:
        fh.write("kind: quarterly-plan\nextra:\n")
        fh.writelines(f"  k{i}: {i}\n" for i in range(1_000_000))
    proc = run_subprocess(["validate", "plans/t/2021.yaml"], p.root, timeout=60)
    assert proc.returncode == 1, proc.stderr
    assert headlines(proc.stdout) == ["plans/t/2021.yaml:50000:11: error[too-large]: more than 100000 keys, values "
                                      "and items in one file; split the file"]


def test_report_signatory_who_is_not_a_person_is_a_validate_error(tmp_path: Path) -> None:
    p = make_project(tmp_path)
    shutil.copy(INPUTS / "report-unknown-signatory.report.yaml", p.org_dir / "2020-q2.report.yaml")
    result = p.cli("validate", "plans")
    assert result.exit_code == 1, result.output
    assert headlines(result.stdout) == [
        "plans/t/2020-q2.report.yaml:7:13: error[unknown-person]: signatures[0].person: person 'nobody' is not in "
        "the organisation file; add the person to the organisation's people or write {surname: …, initials: …}"]
    result = p.render()
    assert result.exit_code == 1, result.output


def test_report_fact_of_4301_digits_is_a_clear_error(tmp_path: Path) -> None:
    p = make_project(tmp_path)
    shutil.copy(INPUTS / "report-huge-fact.report.yaml", p.org_dir / "2020-q2.report.yaml")
    result = p.cli("validate", "plans")
    assert result.exit_code == 1, result.output
    assert headlines(result.stdout) == [
        "plans/t/2020-q2.report.yaml:4:12: error[too-large]: a word of 4301 characters without a space; at most "
        "300 are allowed (no document could break it across lines)"]


@pytest.mark.parametrize(("fixture", "headline"), [
    ("org-zwj-id.yaml", "plans/t/organisation.yaml:17:9: error[look-alike-id]: executors[2].id: executor id "
     "'bureau\\u200ddolyna' holds the invisible character U+200D (ZERO WIDTH JOINER); ids must be visible text, "
     "or two ids that print the same would differ"),
    ("org-trailing-space-id.yaml", "plans/t/organisation.yaml:17:9: error[look-alike-id]: executors[2].id: "
     "executor id 'bureau-dolyna ' holds a space at its start or end; ids must be visible text, or two ids that "
     "print the same would differ"),
])
def test_ids_that_look_like_another_are_refused(tmp_path: Path, fixture: str, headline: str) -> None:
    p = make_project(tmp_path)
    shutil.copy(INPUTS / fixture, p.org)
    result = p.cli("validate", "plans")
    assert result.exit_code == 1, result.output
    assert headlines(result.stdout) == [headline], result.output


def test_pdf_a_is_reproducible(tmp_path: Path) -> None:
    """The attached YAML's dates came from the clock (local time labelled Z); now from the document."""
    p = make_project(tmp_path)
    first = p.render("--format", "pdf", "--pdf-a")
    assert first.exit_code == 0, first.output
    data = (p.root / "out/t/2020-q2.pdf").read_bytes()
    os.utime(p.plan, (1_000_000_000, 1_000_000_000))  # another file time must not matter either
    second = p.render("--format", "pdf", "--pdf-a")
    assert second.exit_code == 0, second.output
    assert (p.root / "out/t/2020-q2.pdf").read_bytes() == data
    assert b"D:20200319000000Z" in data or b"D:20200319000000+00'00" in data


def test_annual_rollup_with_an_unknown_signatory_is_a_clear_error(tmp_path: Path) -> None:
    """``report annual`` ended in ``KeyError`` in the view when a quarter's signatory was no person."""
    from conftest import REPO

    root = tmp_path / "proj"
    shutil.copytree(REPO / "examples/synthetic-region/north", root / "plans/north")
    shutil.copy(INPUTS / "report-unknown-signatory-q4.report.yaml", root / "plans/north/2021-q4.report.yaml")
    p = Project(root)
    result = p.cli("report", "annual", "plans/north/2021.yaml", "-o", "out", "--format", "html")
    assert result.exit_code == 1, result.output
    assert headlines(result.output) == [
        "plans/north/2021-q4.report.yaml:9:13: error[unknown-person]: signatures[0].person: person 'nobody' is not "
        "in the organisation file; add the person to the organisation's people or write {surname: …, initials: …}"]
    assert not (root / "out").exists()
