"""The civil servant's workplace (issue 13): ``plandocs init``, the pre-commit hooks with the real pre-commit
tool, CI output formats, the organisation's schema, and the git drivers' fallback, in real git repositories.

pre-commit runs the hooks ``plandocs init`` writes (``repo: local``, ``language: system``), so no network is
needed; ``plandocs`` and ``pre-commit`` come from the interpreter's bin folder, put first on PATH.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from plandocs.cli.annotations import github_annotations, gitlab_code_quality
from plandocs.errors import Diagnostic, Loc, Severity
from plandocs.files.dependents import with_dependents
from review_support import REPO, cli, env

BIN = Path(sys.executable).parent
TIMEOUT = 120
ORG = "test"
PLAN = f"plans/{ORG}/2027.yaml"
ORG_FILE = f"plans/{ORG}/organisation.yaml"
INIT_ARGS = ["--id", ORG, "--kind", "annual-plan", "--period", "2027",
             "--name", "Тестовий місцевий центр з надання безоплатної правової допомоги",
             "--genitive", "Тестового місцевого центру з надання безоплатної правової допомоги",
             "--short-name", "Тестовий МЦ", "--head-surname", "Коваль", "--head-initials", "О.П.",
             "--head-position", "Директор", "--department", "legal-education=Відділ правопросвітництва",
             "--department", "bureau-dolyna=Відділ \"Долинське бюро правової допомоги\"", "--ci", "github"]
INIT_FILES = [ORG_FILE, PLAN, "schemas/plan.schema.json", "schemas/organisation.schema.json",
              "schemas/report.schema.json", "schemas/region.schema.json", "schemas/bodies.schema.json",
              f"schemas/{ORG}.plan.schema.json",
              ".vscode/settings.json", ".vscode/extensions.json", ".pre-commit-config.yaml", ".gitattributes",
              ".gitignore", "requirements.txt", ".github/workflows/plans.yml", "README.md"]


class Repo:
    """A folder made by ``plandocs init``, then a git repository with the pre-commit hooks installed."""

    def __init__(self, tmp: Path) -> None:
        self.root = tmp / "plans-repo"
        self.home = tmp / "home"
        self.home.mkdir()
        self.env = {**env(self.home), "PRE_COMMIT_HOME": str(tmp / "pre-commit-cache")}

    def run(self, *args: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
        e = self.env if path is None else {**self.env, "PATH": path}
        return subprocess.run(list(args), cwd=self.root, env=e, capture_output=True, text=True, encoding="utf-8",
                              timeout=TIMEOUT, check=False)

    def ok(self, *args: str) -> str:
        proc = self.run(*args)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout + proc.stderr

    def read(self, rel: str) -> str:
        return (self.root / rel).read_text(encoding="utf-8")

    def write(self, rel: str, text: str) -> None:
        (self.root / rel).write_text(text, encoding="utf-8")

    def edit(self, rel: str, old: str, new: str) -> None:
        text = self.read(rel)
        assert text.count(old) == 1, f"{old!r} must occur once in {rel}"
        self.write(rel, text.replace(old, new))

    def commit(self, message: str) -> subprocess.CompletedProcess[str]:
        return self.run("git", "commit", "-qm", message)


def init_repo(tmp: Path, git: bool = True) -> Repo:
    repo = Repo(tmp)
    proc = subprocess.run([str(BIN / "plandocs"), "init", str(repo.root), *INIT_ARGS], env=repo.env,
                          capture_output=True, text=True, encoding="utf-8", timeout=TIMEOUT, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    if git:
        repo.ok("git", "init", "-q", "-b", "main")
        repo.ok(str(BIN / "pre-commit"), "install")
    return repo


# --------------------------------------------------------------------------- plandocs init


def test_init_then_git_pre_commit_validate_render_all_pass(tmp_path: Path) -> None:
    repo = init_repo(tmp_path)
    written = sorted(str(p.relative_to(repo.root)) for p in repo.root.rglob("*") if p.is_file()
                     and ".git" not in p.relative_to(repo.root).parts)
    assert written == sorted(INIT_FILES)
    repo.ok("git", "add", "-A")
    out = repo.ok(str(BIN / "pre-commit"), "run", "--all-files")
    assert "plandocs fmt" in out and "plandocs validate" in out and "Passed" in out
    assert "2 file(s) checked: 0 error(s), 0 warning(s)" in repo.ok(str(BIN / "plandocs"), "validate")
    assert repo.ok(str(BIN / "plandocs"), "render").startswith("rendered 1 document(s) into output in ")
    assert sorted(p.name for p in (repo.root / "output" / ORG).iterdir()) == ["2027.docx", "2027.html", "2027.pdf"]
    assert repo.commit("start").returncode == 0  # through the installed hook


def test_init_writes_the_organisation_and_plan_asked_for(tmp_path: Path) -> None:
    repo = init_repo(tmp_path, git=False)
    org = yaml.safe_load(repo.read(ORG_FILE))
    assert org["name"]["genitive"] == "Тестового місцевого центру з надання безоплатної правової допомоги"
    assert [(e["id"], e["name"]) for e in org["executors"]] == [
        ("legal-education", "Відділ правопросвітництва"),
        ("bureau-dolyna", 'Відділ "Долинське бюро правової допомоги"')]
    assert org["people"] == [{"id": "head", "surname": "Коваль", "initials": "О.П.", "position": "Директор"}]
    plan = yaml.safe_load(repo.read(PLAN))
    assert plan["title"] == ["РІЧНИЙ ПЛАН ДІЯЛЬНОСТІ",
                             "Тестового місцевого центру з надання безоплатної правової допомоги", "на 2027 рік"]
    assert plan["priorities"][0]["tasks"][0]["measures"][0]["executor"] == "legal-education"
    settings = json.loads(repo.read(".vscode/settings.json"))
    assert settings["yaml.format.bracketSpacing"] is False
    assert settings["yaml.schemas"][f"./schemas/{ORG}.plan.schema.json"] == [f"plans/{ORG}/[0-9]*[0-9].yaml"]
    assert repo.read("requirements.txt").splitlines()[-1] == "plandocs==0.1.0"


@pytest.mark.parametrize(("kind", "period", "title"), [
    ("quarterly-plan", "2027-Q3", "на III квартал 2027 року"),
    ("action-plan", "2027", "на 2027 рік"),
    ("city-programme", "2027-2029", "на 2027–2029 роки"),
])
def test_init_every_kind_validates_and_is_canonical(tmp_path: Path, kind: str, period: str, title: str) -> None:
    args = [a for a in INIT_ARGS]
    args[args.index("--kind") + 1], args[args.index("--period") + 1] = kind, period
    assert cli(["init", "repo", *args], tmp_path).exit_code == 0
    plan = f"repo/plans/{ORG}/{period.lower()}.yaml"
    assert yaml.safe_load((tmp_path / plan).read_text(encoding="utf-8"))["title"][-1] == title
    result = cli(["validate", f"repo/plans/{ORG}"], tmp_path)
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output
    fmt = cli(["fmt", "--check", f"repo/plans/{ORG}"], tmp_path)
    assert fmt.exit_code == 0, fmt.output


def test_init_never_overwrites_and_writes_nothing_then(tmp_path: Path) -> None:
    (tmp_path / "repo").mkdir()
    (tmp_path / "repo" / "README.md").write_text("mine\n", encoding="utf-8")
    result = cli(["init", "repo", *INIT_ARGS], tmp_path)
    assert result.exit_code == 2
    assert ("Error: repo: nothing written, because these files exist already and init never overwrites: "
            "README.md; run init in a new folder or move them away") in result.output
    assert [p.name for p in (tmp_path / "repo").iterdir()] == ["README.md"]
    assert (tmp_path / "repo" / "README.md").read_text(encoding="utf-8") == "mine\n"


def test_init_without_a_terminal_names_the_missing_options(tmp_path: Path) -> None:
    result = cli(["init", "repo", "--id", "x"], tmp_path)
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: not a terminal, so nothing can be asked (--ask asks anyway); give --name, --genitive, --head-surname, "
        "--head-initials, --head-position, --kind, --ci, --department ID=NAME")


def test_init_refuses_ids_plans_cannot_use(tmp_path: Path) -> None:
    args = [a.replace("legal-education=", "Legal Ed=") for a in INIT_ARGS]
    args[args.index("--period") + 1] = "2027-Q1"
    result = cli(["init", "repo", *args], tmp_path)
    assert result.exit_code == 2
    assert result.output.strip() == (
        "Error: --department: id 'Legal Ed' must be lowercase Latin letters, digits and hyphens; "
        "--period: '2027-Q1' is not a period of a annual-plan; expected a year such as 2026")
    assert not (tmp_path / "repo").exists()


def test_init_asks_for_what_the_options_do_not_give(tmp_path: Path) -> None:
    answers = ["kyiv", "Київський центр", "Київського центру", "", "", "Шевченко", "Т.Г.", "",
               "quarterly-plan", "gitlab", "Відділ правопросвітництва", "legal-education", ""]
    import contextlib

    from click.testing import CliRunner

    from plandocs.cli import main

    with contextlib.chdir(tmp_path):
        result = CliRunner().invoke(main, ["init", "repo", "--ask", "--period", "2027-Q2"],
                                    input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.output
    org = yaml.safe_load((tmp_path / "repo/plans/kyiv/organisation.yaml").read_text(encoding="utf-8"))
    assert org["name"] == {"nominative": "Київський центр", "genitive": "Київського центру"}
    assert org["executors"] == [{"id": "legal-education", "name": "Відділ правопросвітництва"}]
    assert org["people"] == [{"id": "head", "surname": "Шевченко", "initials": "Т.Г.", "position": "Директор"}]
    assert (tmp_path / "repo/.gitlab-ci.yml").exists()
    assert (tmp_path / "repo/plans/kyiv/2027-q2.yaml").exists()


# --------------------------------------------------------------------------- pre-commit that cannot be fooled


def _second_plan(repo: Repo) -> None:
    """A second plan naming bureau-dolyna in three rows: what an executor's removal breaks."""
    text = repo.read(PLAN).replace('period: "2027"', 'period: "2028"').replace("на 2027 рік", "на 2028 рік")
    text = text.replace("executor: legal-education", "executor: bureau-dolyna")
    repo.write(f"plans/{ORG}/2028.yaml", text)


def test_removing_an_executor_is_caught_in_the_plans_that_name_it(tmp_path: Path) -> None:
    repo = init_repo(tmp_path)
    _second_plan(repo)
    repo.ok("git", "add", "-A")
    assert repo.commit("start").returncode == 0
    repo.edit(ORG_FILE, '  - id: bureau-dolyna\n    name: Відділ "Долинське бюро правової допомоги"\n', "")
    repo.ok("git", "add", ORG_FILE)
    proc = repo.commit("drop the Dolyna bureau")
    assert proc.returncode == 1
    out = proc.stdout + proc.stderr
    assert f"also checking 2 file(s) that depend on the changed ones: plans/{ORG}/2027.yaml, plans/{ORG}/2028.yaml" \
        in out
    assert (f"plans/{ORG}/2028.yaml:24:23: error[unknown-executor]: priorities[0].tasks[0].measures[0].executor: "
            "executor 'bureau-dolyna' is not in the organisation file") in out
    assert "commit stopped: fix the problems above, `git add` the files and commit again" in out
    assert repo.ok("git", "log", "--format=%s").split() == ["start"]


def test_deleting_the_organisation_file_is_caught(tmp_path: Path) -> None:
    repo = init_repo(tmp_path)
    repo.ok("git", "add", "-A")
    assert repo.commit("start").returncode == 0
    repo.ok("git", "rm", "-q", ORG_FILE)
    proc = repo.commit("remove the organisation")
    assert proc.returncode == 1
    assert (f"{PLAN}:3:15: error[organisation-missing]: organisation: organisation file "
            f"'plans/{ORG}/organisation.yaml' not found") in proc.stdout + proc.stderr


def test_fmt_hook_rewrites_and_stops_the_commit_once(tmp_path: Path) -> None:
    repo = init_repo(tmp_path)
    repo.ok("git", "add", "-A")
    assert repo.commit("start").returncode == 0
    canonical = repo.read(PLAN)
    repo.edit(PLAN, "values: {I: 1, II: 1, III: 1, IV: 1, total: 4}",
              "values: { I: 1, II: 1, III: 1, IV: 1, total: 4 }")
    repo.ok("git", "add", PLAN)
    proc = repo.commit("spaces")
    assert proc.returncode == 1
    out = proc.stdout + proc.stderr
    assert f"reformatted {PLAN}" in out
    assert "commit stopped: plandocs fmt rewrote 1 file(s) in the canonical form; look at the change (`git diff`), " \
           "`git add` the file(s) and commit again" in out
    assert repo.read(PLAN) == canonical
    repo.ok("git", "add", PLAN)
    proc = repo.commit("spaces")  # nothing left to change: the commit goes through (and holds no change)
    assert proc.returncode == 1 and "nothing to commit" in proc.stdout + proc.stderr


def test_dependents_of_a_plan_are_its_reports(tmp_path: Path) -> None:
    org = tmp_path / "plans" / "org"
    org.mkdir(parents=True)
    (org / "organisation.yaml").write_text("name: {}\n", encoding="utf-8")
    (org / "2021.yaml").write_text("kind: annual-plan\n", encoding="utf-8")
    (org / "2022.yaml").write_text("organisation: ../other/organisation.yaml\n", encoding="utf-8")
    (org / "2021-q1.report.yaml").write_text("plan: 2021.yaml\n", encoding="utf-8")
    (tmp_path / "plans" / "r.region.yaml").write_text("organisations: [org]\n", encoding="utf-8")
    roots = [tmp_path / "plans"]
    deps = with_dependents([org / "2021.yaml"], roots)
    assert [p.name for p in deps.files] == ["2021.yaml", "r.region.yaml", "2021-q1.report.yaml"]
    deps = with_dependents([org / "organisation.yaml"], roots)
    assert sorted(p.name for p in deps.added) == ["2021-q1.report.yaml", "2021.yaml", "r.region.yaml"]
    deps = with_dependents([tmp_path / "plans" / "other" / "organisation.yaml"], roots)  # deleted or never there
    assert [p.name for p in deps.files] == ["r.region.yaml", "2022.yaml"]  # the region holds 2022.yaml


# --------------------------------------------------------------------------- CI formats


DIAGS = [
    Diagnostic("unknown-executor", "executor 'x' is not in the organisation file, 50% sure\nsecond line",
               Loc("plans/a, b/p.yaml", 24, 23), "priorities[0].executor"),
    Diagnostic("term-outside-period", "term is outside the period", Loc("plans/p.yaml", 3, 1),
               severity=Severity.WARNING),
    Diagnostic("term-outside-period", "term is outside the period", Loc("plans/p.yaml", 9, 1),
               severity=Severity.WARNING),
]


def test_github_annotations_escape_data_and_properties() -> None:
    assert github_annotations(DIAGS).splitlines() == [
        "::error file=plans/a%2C b/p.yaml,line=24,col=23,title=plandocs unknown-executor::priorities[0].executor: "
        "executor 'x' is not in the organisation file, 50%25 sure%0Asecond line",
        "::warning file=plans/p.yaml,line=3,col=1,title=plandocs term-outside-period::term is outside the period",
        "::warning file=plans/p.yaml,line=9,col=1,title=plandocs term-outside-period::term is outside the period",
    ]


def test_gitlab_code_quality_report() -> None:
    issues = json.loads(gitlab_code_quality(DIAGS))
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        ("unknown-executor", "major", {"path": "plans/a, b/p.yaml", "lines": {"begin": 24}}),
        ("term-outside-period", "minor", {"path": "plans/p.yaml", "lines": {"begin": 3}}),
        ("term-outside-period", "minor", {"path": "plans/p.yaml", "lines": {"begin": 9}}),
    ]
    assert issues[0]["description"].startswith("priorities[0].executor: executor 'x'")
    assert len({i["fingerprint"] for i in issues}) == 3
    # a fingerprint does not move with the line, so GitLab sees an unchanged problem as unchanged
    moved = json.loads(gitlab_code_quality([Diagnostic(d.rule, d.message, Loc(d.loc.file, d.loc.line + 5, 1), d.path,
                                                       d.severity) for d in DIAGS]))
    assert [i["fingerprint"] for i in moved] == [i["fingerprint"] for i in issues]


def test_validate_format_github_and_gitlab_on_a_broken_plan(tmp_path: Path) -> None:
    assert cli(["init", "repo", *INIT_ARGS], tmp_path).exit_code == 0
    (tmp_path / "repo" / PLAN).write_text((tmp_path / "repo" / PLAN).read_text(encoding="utf-8").replace(
        "executor: legal-education", "executor: legal-educaton"), encoding="utf-8")
    gh = cli(["validate", "--format", "github", f"repo/{PLAN}"], tmp_path)
    assert gh.exit_code == 1
    assert gh.stdout.splitlines() == [
        f"::error file=repo/{PLAN},line=24,col=23,title=plandocs unknown-executor::"
        "priorities[0].tasks[0].measures[0].executor: executor 'legal-educaton' is not in the organisation file; "
        "did you mean 'legal-education'?"]
    gl = cli(["validate", "--format", "gitlab", f"repo/{PLAN}"], tmp_path)
    assert gl.exit_code == 1
    assert [(i["check_name"], i["location"]["lines"]["begin"]) for i in json.loads(gl.stdout)] == [
        ("unknown-executor", 24)]


# --------------------------------------------------------------------------- the organisation's schema


def test_schema_of_an_organisation_lists_its_ids(tmp_path: Path) -> None:
    result = cli(["schema", "plan", "--organisation", str(REPO / "plans/kalush/organisation.yaml")], tmp_path)
    assert result.exit_code == 0, result.output
    schema = json.loads(result.stdout)
    assert schema["$id"] == "urn:plandocs:0.1.0:plan:kalush"
    assert schema["x-plandocs-version"] == "0.1.0"
    org = yaml.safe_load((REPO / "plans/kalush/organisation.yaml").read_text(encoding="utf-8"))
    ids = [e["id"] for e in org["executors"]]
    row = schema["$defs"]["Row"]["properties"]["executor"]["anyOf"][0]["anyOf"]
    assert row[0]["enum"] == ids
    assert row[1]["items"]["enum"] == ids
    assert schema["$defs"]["Signatory"]["properties"]["person"]["anyOf"][0]["enum"] == ["zhelizniak"]
    bad = cli(["schema", "report", "--organisation", str(REPO / "plans/kalush/organisation.yaml")], tmp_path)
    assert bad.exit_code == 2
    assert "Error: --organisation narrows the plan schema; it does not apply to 'report'" in bad.output


# --------------------------------------------------------------------------- git drivers


def test_git_setup_drivers_fall_back_when_plandocs_is_missing(tmp_path: Path) -> None:
    repo = init_repo(tmp_path, git=False)
    repo.ok("git", "init", "-q", "-b", "main")
    repo.ok(str(BIN / "plandocs"), "git-setup")
    repo.ok("git", "add", "-A")
    repo.ok("git", "commit", "-qm", "start")
    repo.edit(PLAN, "III: 1, IV: 1, total: 4", "III: 2, IV: 1, total: 5")
    with_plandocs = repo.ok("git", "diff")
    assert with_plandocs.splitlines()[-1] == "    1.1.1 Q3: 1 → 2; total: 4 → 5 — Перший захід"
    # a PATH with git but without plandocs: the drivers fall back to a plain diff instead of dying
    git_only = tmp_path / "git-only"
    git_only.mkdir()
    for tool in ("git", "sh", "diff", "cat"):
        found = shutil.which(tool, path=os.environ["PATH"])
        assert found, tool
        (git_only / tool).symlink_to(found)
    proc = repo.run("git", "diff", path=str(git_only))
    assert proc.returncode == 0, proc.stderr
    assert "-            values: {I: 1, II: 1, III: 1, IV: 1, total: 4}" in proc.stdout.splitlines()
    assert "+            values: {I: 1, II: 1, III: 2, IV: 1, total: 5}" in proc.stdout.splitlines()
    repo.ok("git", "commit", "-qam", "more")
    proc = repo.run("git", "log", "-p", "-1", "--format=%s", path=str(git_only))
    assert proc.returncode == 0, proc.stderr
    assert "+            values: {I: 1, II: 1, III: 2, IV: 1, total: 5}" in proc.stdout.splitlines()
    # with plandocs: log -p shows cells, blame annotates cells, blame-yaml the YAML lines
    log = repo.ok("git", "log", "-p", "-1", "--format=%s").splitlines()
    assert "+1.1.1 | Q3 | 2" in log
    assert "1.1.1 | Q3 | 2" in repo.ok("git", "blame", PLAN)
    assert "values: {I: 1, II: 1, III: 2, IV: 1, total: 5}" in repo.ok("git", "blame-yaml", PLAN)


def test_git_setup_cache_is_invalidated_by_the_command(tmp_path: Path) -> None:
    repo = init_repo(tmp_path, git=False)
    repo.ok("git", "init", "-q", "-b", "main")
    repo.ok(str(BIN / "plandocs"), "git-setup", "--cache")
    repo.ok("git", "add", "-A")
    repo.ok("git", "commit", "-qm", "start")
    repo.edit(PLAN, "III: 1, IV: 1, total: 4", "III: 2, IV: 1, total: 5")
    repo.ok("git", "commit", "-qam", "more")
    assert "+1.1.1 | Q3 | 2" in repo.ok("git", "log", "-p", "-1", "--format=%s").splitlines()
    assert repo.ok("git", "config", "diff.plandocs.cachetextconv").strip() == "true"
    # git keeps the cache in notes, valid for exactly this textconv command, which names the plandocs release
    notes = repo.ok("git", "log", "-1", "--format=%s", "refs/notes/textconv/plandocs").strip()
    assert notes == repo.ok("git", "config", "diff.plandocs.textconv").strip()
    assert "plandocs-textconv-0.1.0" in notes


# --------------------------------------------------------------------------- progress line


def _render(tmp_path: Path, *args: str, terminal: bool) -> tuple[str, str]:
    """``plandocs render`` as a real process, its stderr on a pseudo-terminal or a pipe; (stdout, stderr)."""
    import pty

    environ = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS", "GITLAB_CI")}
    environ.update(TERM="xterm", COLUMNS="200", PYTHONIOENCODING="utf-8")
    cmd = [sys.executable, "-m", "plandocs", "render", *args, "-o", str(tmp_path / "out"), "--format", "html"]
    if not terminal:
        done = subprocess.run(cmd, cwd=REPO, env=environ, capture_output=True, text=True, timeout=TIMEOUT)
        return done.stdout, done.stderr
    master, slave = pty.openpty()
    with subprocess.Popen(cmd, cwd=REPO, env=environ, stdout=subprocess.PIPE, stderr=slave) as proc:
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the other end closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        out = proc.stdout.read().decode() if proc.stdout else ""
        proc.wait(TIMEOUT)
    os.close(master)
    return out, b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_progress_line_on_a_terminal(tmp_path: Path) -> None:
    _, err = _render(tmp_path, "plans/kalush", "plans/pokrovsk", "--jobs", "1", terminal=True)
    err = re.sub(r" in [0-9.]+ s \([0-9.]+ documents/s, peak [0-9]+ MiB per worker\)\n$", "\n", err)
    assert err == ("\r\x1b[K[0/2] plans/kalush/2020-q2.yaml"
                   "\r\x1b[K[1/2] plans/kalush/2020-q2.yaml"
                   "\r\x1b[K[1/2] plans/pokrovsk/2021.yaml"
                   "\r\x1b[K[2/2] plans/pokrovsk/2021.yaml"
                   "\r\x1b[K"  # cleared before the summary, which stands alone
                   f"4 file(s) checked: 0 error(s), 1 warning(s)\nrendered 2 document(s) into {tmp_path / 'out'}\n")


def test_no_progress_in_a_log_and_nothing_with_q(tmp_path: Path) -> None:
    out, err = _render(tmp_path, "plans/pokrovsk", terminal=False)
    assert "[1/1]" not in err and "\x1b" not in err
    assert err.splitlines()[-1].startswith(f"rendered 1 document(s) into {tmp_path / 'out'} in ")
    out, err = _render(tmp_path, "plans/pokrovsk", "-q", terminal=False)
    assert (out, err) == ("", "")


def test_init_offers_exactly_the_kinds_it_has_a_first_plan_for() -> None:
    import click as _click

    from plandocs.cli.init import init_cmd
    from plandocs.scaffold import KINDS

    kind = next(p for p in init_cmd.params if p.name == "kind")
    assert isinstance(kind.type, _click.Choice)
    assert list(kind.type.choices) == [k.value for k in KINDS]
