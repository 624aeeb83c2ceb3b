"""The command line as a user runs it: real processes, exit statuses 0 / 1 / 2, stdout vs stderr."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import plandocs
from conftest import REPO, SUBPROCESS_TIMEOUT, Workspace, run_subprocess


def test_module_entry_valid_plans_exit_0() -> None:
    proc = run_subprocess(["validate", "plans"], REPO)
    assert proc.returncode == 0, proc.stderr
    assert re.fullmatch(r"\d+ file\(s\) checked: 0 error\(s\), \d+ warning\(s\)\n", proc.stderr)
    assert "Traceback" not in proc.stdout + proc.stderr


def test_module_entry_invalid_plan_exit_1(ws: Workspace) -> None:
    ws.edit_plan(("            executor: legal-education\n", "            executor: finance\n"))
    proc = run_subprocess(["validate", "plan.yaml"], ws.root)
    assert proc.returncode == 1
    assert proc.stdout == (
        "plan.yaml:18:23: error[unknown-executor]: priorities[0].tasks[0].measures[0].executor: executor 'finance' "
        "is not in the organisation file; add it to the organisation's executors\n"
        "   18 |             executor: finance\n"
        "      |                       ^\n")
    assert proc.stderr == "2 file(s) checked: 1 error(s), 0 warning(s)\n"


def test_module_entry_strict_exit_1_on_warnings(ws: Workspace) -> None:
    ws.edit_plan(("    date: 2020-03-19\n", "    date: 2020-04-02\n"))
    assert run_subprocess(["validate", "plan.yaml"], ws.root).returncode == 0
    proc = run_subprocess(["validate", "--strict", "plan.yaml"], ws.root)
    assert proc.returncode == 1
    assert proc.stderr == "2 file(s) checked: 0 error(s), 1 warning(s) (--strict: warnings fail)\n"


def test_module_entry_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = run_subprocess(["validate", "nowhere"], tmp_path)
    assert (missing.returncode, missing.stdout, missing.stderr) == (2, "", "Error: no such file or folder: nowhere\n")
    bad_option = run_subprocess(["validate", "--format", "xml", "."], tmp_path)
    assert bad_option.returncode == 2
    assert "Invalid value for '--format'" in bad_option.stderr
    no_plans_folder = run_subprocess(["validate"], tmp_path)
    assert (no_plans_folder.returncode, no_plans_folder.stderr) == (2, "Error: no such file or folder: plans\n")


def test_console_script(ws: Workspace) -> None:
    script = Path(sys.executable).parent / "plandocs"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    version = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT,
                             env=env, check=False)
    assert (version.returncode, version.stdout) == (0, f"plandocs, version {plandocs.__version__}\n")
    ok = subprocess.run([script, "validate", "."], cwd=ws.root, capture_output=True, text=True, encoding="utf-8",
                        timeout=SUBPROCESS_TIMEOUT, env=env, check=False)
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "2 file(s) checked: 0 error(s), 0 warning(s)\n", "")


def test_validate_help_documents_exit_statuses() -> None:
    proc = run_subprocess(["validate", "--help"], REPO)
    assert proc.returncode == 0
    assert "Exit status: 0 valid, 1 invalid, 2 usage error." in proc.stdout
