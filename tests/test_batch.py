"""Batch rendering (issue 17): the manifest skips what did not change, a pool survives a failing document,
shards split a tree by organisation, and the bytes never depend on how the tree was rendered."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from plandocs.render.batch import BatchResult, documents, parse_shard, render_batch, shard_of
from plandocs.render.manifest import MANIFEST_NAME, Manifest

REGION = REPO / "examples" / "synthetic-region"


def _tree(tmp_path: Path, orgs: dict[str, str]) -> Path:
    """``tmp_path/project/plans/<name>`` copied from the synthetic region's ``<source>`` folder."""
    plans = tmp_path / "project" / "plans"
    for name, source in orgs.items():
        shutil.copytree(REGION / source, plans / name)
    return plans


def _names(result: BatchResult, plans: Path) -> list[str]:
    return sorted(d.job.source.relative_to(plans.resolve()).as_posix() for d in result.rendered)


@pytest.fixture
def north(tmp_path: Path) -> Path:
    """One organisation with an annual plan and four reports, and its own template folder with a logo."""
    plans = _tree(tmp_path, {"north": "north"})
    org = plans / "north" / "organisation.yaml"
    org.write_text(org.read_text(encoding="utf-8") + "templates: ../../templates\n", encoding="utf-8")
    tpl = plans.parent / "templates"
    tpl.mkdir()
    (tpl / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="2"/>', encoding="utf-8")
    (tpl / "annual-plan.html").write_text(
        '{% extends "base.html" %}{% block title %}<img src="logo.svg" alt="Герб">{{ super() }}{% endblock %}',
        encoding="utf-8")
    return plans


ALL = ["north/2021-q1.report.yaml", "north/2021-q2.report.yaml", "north/2021-q3.report.yaml",
       "north/2021-q4.report.yaml", "north/2021.yaml"]
REPORTS = ALL[:4]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def two_orgs(north: Path) -> Path:
    """``north`` (own templates, a logo, a hidden image, a bodies register) and ``south`` (defaults only)."""
    shutil.copytree(REGION / "south", north / "south")
    (north / "north" / "regional.bodies.yaml").write_text(
        "bodies:\n  - id: oblrada\n    name: Обласна рада\n", encoding="utf-8")
    org = north / "north" / "organisation.yaml"
    org.write_text(org.read_text(encoding="utf-8") + "bodies:\n  - regional.bodies.yaml\n", encoding="utf-8")
    hidden = north.parent / "templates" / ".assets"
    hidden.mkdir()
    (hidden / "seal.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="3" height="3"/>',
                                     encoding="utf-8")
    return north


SOUTH = ["south/2021-q1.report.yaml", "south/2021-q2.report.yaml", "south/2021-q3.report.yaml",
         "south/2021-q4.report.yaml", "south/2021.yaml"]


@pytest.mark.parametrize(("change", "rerendered"), [
    ("plan", ALL),  # the reports print the plan's planned values
    ("organisation", ALL),
    ("bodies register", ALL),  # the organisation's executors include the register's bodies
    ("report", ["north/2021-q2.report.yaml"]),
    ("template", ["north/2021.yaml"]),  # annual-plan.html is the plan's template only…
    ("template added in front", REPORTS),  # …and a report.html of its own replaces the default for reports
    ("image", ALL),  # every file of a template folder counts: an image may be used by any template
    ("hidden image", ALL),  # the PDF fetcher serves hidden files too
    ("option", ALL + SOUTH),
    ("SOURCE_DATE_EPOCH", ALL + SOUTH),  # it dates the PDF and the DOCX entries
    ("plandocs code", ALL + SOUTH),  # a development checkout changes without a new version number
])
def test_manifest_skips_unchanged_and_rerenders_exactly_what_depends_on_each_kind_of_input(
        two_orgs: Path, tmp_path: Path, change: str, rerendered: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    import plandocs.render.batch as batch

    plans, out = two_orgs, tmp_path / "out"
    first = render_batch([plans], out, ["html"], jobs=1)
    assert first.ok and _names(first, plans) == ALL + SOUTH
    again = render_batch([plans], out, ["html"], jobs=1)
    assert again.rendered == [] and len(again.skipped) == 10

    pdf_a = False
    templates = plans.parent / "templates"
    if change == "plan":
        _edit(plans / "north" / "2021.yaml", "Навчання працівників центру", "Навчання працівників")
    elif change == "organisation":
        _edit(plans / "north" / "organisation.yaml", "surname: Коваленко", "surname: Коваль")
    elif change == "bodies register":
        _edit(plans / "north" / "regional.bodies.yaml", "Обласна рада", "Житомирська обласна рада")
    elif change == "report":
        _edit(plans / "north" / "2021-q2.report.yaml", '"2.1.1": 4', '"2.1.1": 3')
    elif change == "template":
        _edit(templates / "annual-plan.html", 'alt="Герб"', 'alt="Герб міста"')
    elif change == "template added in front":
        (templates / "report.html").write_text('{% extends "base.html" %}', encoding="utf-8")
    elif change == "image":
        _edit(templates / "logo.svg", 'width="4"', 'width="5"')
    elif change == "hidden image":
        _edit(templates / ".assets" / "seal.svg", 'width="3"', 'width="4"')
    elif change == "SOURCE_DATE_EPOCH":
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    elif change == "plandocs code":
        monkeypatch.setattr(batch, "_code_hash", lambda: "another checkout")
    else:
        pdf_a = True
    after = render_batch([plans], out, ["html"], pdf_a=pdf_a, jobs=1)
    assert after.ok and _names(after, plans) == rerendered
    assert len(after.skipped) == 10 - len(rerendered)
    assert render_batch([plans], out, ["html"], pdf_a=pdf_a, jobs=1).rendered == []


def test_the_manifest_lists_every_input_of_a_report(two_orgs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    render_batch([two_orgs / "north" / "2021-q2.report.yaml"], out, ["html"], jobs=1)
    entries = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))["documents"]
    inputs = entries["north/2021-q2.report"]["inputs"]
    project = two_orgs.parent.resolve()
    own = sorted(Path(p).relative_to(project).as_posix() for p in inputs if project in Path(p).parents)
    used = ["base.html", "order.html", "plandocs.css", "prose.css", "report.docx", "report.html", "summary.html"]
    assert own == ["plans/north/2021-q2.report.yaml", "plans/north/2021.yaml", "plans/north/organisation.yaml",
                   "plans/north/regional.bodies.yaml", "templates/.assets/seal.svg",
                   *(f"templates/{name}" for name in used[:1]), "templates/logo.svg",
                   *(f"templates/{name}" for name in used[1:])]
    # the templates it uses count in the organisation's folder too, as missing: one added there is a change
    assert [inputs[os.fspath(project / "templates" / name)] for name in used] == [""] * len(used)
    package = sorted(Path(p).name for p in inputs if project not in Path(p).parents)
    assert package == used  # the annual plan's template of the organisation is not an input of a report


def test_force_a_deleted_output_and_a_new_format_render_again(north: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    render_batch([north], out, ["html"], jobs=1)
    assert _names(render_batch([north], out, ["html"], jobs=1, force=True), north) == ALL
    (out / "north" / "2021-q3.report.html").unlink()
    (out / "north" / "2021-q4.report.html").write_text("edited by hand", encoding="utf-8")
    plan = out / "north" / "2021.html"
    os.utime(plan, ns=(0, 0))  # restored from a CI cache: another time, the same bytes
    edited = out / "north" / "2021-q2.report.html"
    edited.write_bytes(edited.read_bytes().replace(b"<body", b"<BODY", 1))  # same size, other bytes
    assert _names(render_batch([north], out, ["html"], jobs=1), north) == REPORTS[1:]
    assert _names(render_batch([north], out, ["html", "docx"], jobs=1), north) == ALL
    assert _names(render_batch([north], out, ["pdf"], jobs=1), north) == ALL
    # each format rendered from the same inputs stays recorded: none of the three is rendered again
    assert render_batch([north], out, ["docx", "html", "pdf"], jobs=1).rendered == []


def test_unreadable_manifest_renders_everything_and_is_rewritten(north: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    render_batch([north], out, ["html"], jobs=1)
    (out / MANIFEST_NAME).write_text('{"version": 1, "documents": {"north/2021": {"sour', encoding="utf-8")
    assert _names(render_batch([north], out, ["html"], jobs=1), north) == ALL
    data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert sorted(data["documents"]) == sorted(p.removesuffix(".yaml") for p in ALL)
    assert [p.name for p in out.iterdir() if p.name.startswith(".") and p.name != MANIFEST_NAME] == []


def test_stale_outputs_are_reported_and_pruned(north: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    render_batch([north], out, ["html", "docx"], jobs=1)
    (north / "north" / "2021-q4.report.yaml").unlink()
    kept = render_batch([north], out, ["html", "docx"], jobs=1)
    assert kept.stale == ["north/2021-q4.report"] and (out / "north" / "2021-q4.report.html").exists()
    pruned = render_batch([north], out, ["html", "docx"], jobs=1, prune=True)
    assert sorted(p.name for p in pruned.pruned) == ["2021-q4.report.docx", "2021-q4.report.html"]
    assert not (out / "north" / "2021-q4.report.docx").exists() and pruned.stale == []
    assert render_batch([north], out, ["html"], jobs=1).stale == []


def test_a_failing_document_does_not_stop_the_pool(tmp_path: Path) -> None:
    plans = _tree(tmp_path, {"north": "north", "south": "south", "west": "west"})
    org = plans / "south" / "organisation.yaml"
    org.write_text(org.read_text(encoding="utf-8") + "templates: templates\n", encoding="utf-8")
    (plans / "south" / "templates").mkdir()
    (plans / "south" / "templates" / "annual-plan.html").write_text(
        '{% extends "base.html" %}{% block title %}{{ doc.no_such_field }}{% endblock %}', encoding="utf-8")
    out = tmp_path / "out"
    result = render_batch([plans], out, ["html", "pdf"], jobs=2)
    assert [source for source, _ in result.failed] == [str(plans / "south" / "2021.yaml")]
    assert "annual-plan.html:1: template error:" in result.failed[0][1]
    assert "no_such_field" in result.failed[0][1]
    assert len(result.rendered) == 14 - 1  # north and south 5 documents each, west 4
    assert not (out / "south" / "2021.pdf").exists() and (out / "south" / "2021-q4.report.pdf").exists()
    assert result.peak_rss_kib > 0
    # the failed document is not in the manifest, so the next run tries it again and skips the rest
    again = render_batch([plans], out, ["html", "pdf"], jobs=2)
    assert len(again.failed) == 1 and again.rendered == [] and len(again.skipped) == 13


@pytest.mark.parametrize("text", ["0/2", "3/2", "1/0", "2", "a/b", "1/2/3"])
def test_bad_shard_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"expected"):
        parse_shard(text)


def test_shards_are_disjoint_cover_the_tree_and_keep_organisations_together(tmp_path: Path) -> None:
    plans = _tree(tmp_path, {f"org-{i:02d}": ("north", "south", "west")[i % 3] for i in range(12)})
    everything = documents([plans], None)
    assert len(everything) == 4 * (5 + 5 + 4)
    for n in (1, 2, 3, 5):
        shards = [documents([plans], (i, n)) for i in range(1, n + 1)]
        keys = [key for shard in shards for _, key in shard]
        assert sorted(keys) == sorted(key for _, key in everything)  # cover, each exactly once
        for i, shard in enumerate(shards, start=1):
            assert all(shard_of(key, n) == i for _, key in shard)
        orgs = [{key.split("/")[0] for _, key in shard} for shard in shards]
        assert sum(len(o) for o in orgs) == 12  # an organisation is in one shard only
    assert shard_of("org-03/2021", 4) == shard_of("org-03/2021-q1.report", 4)


def _bytes(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.startswith(".")}


def test_outputs_are_byte_identical_with_one_job_two_jobs_and_in_shards(tmp_path: Path) -> None:
    orgs = {"org-a": "north", "org-b": "west", "org-c": "south", "org-d": "north"}
    plans = _tree(tmp_path, orgs)
    for folder in plans.iterdir():  # keep two documents per organisation: the test renders the tree 4 times
        for report in folder.glob("2021-q[234].report.yaml"):
            report.unlink()
    assert {shard_of(f"{o}/2021", 2) for o in orgs} == {1, 2}, "the organisations must fall into both shards"
    formats = ["docx", "html", "pdf"]
    one = render_batch([plans], tmp_path / "one", formats, jobs=1)
    two = render_batch([plans], tmp_path / "two", formats, jobs=2)
    assert one.ok and two.ok and len(one.rendered) == len(two.rendered) == 8
    sharded = tmp_path / "sharded"
    for i in (1, 2):
        assert render_batch([plans], sharded, formats, jobs=2, shard=(i, 2)).ok
    reference = _bytes(tmp_path / "one")
    assert len(reference) == 24
    assert _bytes(tmp_path / "two") == reference
    assert _bytes(sharded) == reference
    assert sorted(p.name for p in sharded.iterdir() if p.name.startswith(".")) == [
        ".plandocs-manifest.shard-1-of-2.json", ".plandocs-manifest.shard-2-of-2.json"]


def test_cli_summary_and_options(north: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_cli(["render", str(north), "-o", str(out), "--format", "html", "--jobs", "1"], tmp_path)
    assert first.exit_code == 0, first.output
    assert first.output.startswith("rendered 5 document(s) into out in ")
    assert "documents/s, peak " in first.output and " MiB per worker)" in first.output
    second = run_cli(["render", str(north), "-o", str(out), "--format", "html"], tmp_path)
    assert second.output == "rendered 0 document(s) into out; 5 unchanged (skipped)\n"
    (north / "north" / "2021-q4.report.yaml").unlink()
    third = run_cli(["render", str(north), "-o", str(out), "--format", "html"], tmp_path)
    quiet = run_cli(["render", str(north), "-o", str(out), "--format", "html", "-q"], tmp_path)
    assert quiet.exit_code == 0 and quiet.output == ""
    assert third.output.splitlines()[0] == (
        "out/north/2021-q4.report.*: stale: its source no longer exists (remove with --prune)")
    bad = run_cli(["render", str(north), "--shard", "3/2"], tmp_path)
    assert bad.exit_code == 2 and "expected 1 ≤ I ≤ N in I/N; got '3/2'" in bad.output


def test_a_killed_run_leaves_a_manifest_that_claims_nothing_untrue(north: Path, tmp_path: Path) -> None:
    import hashlib
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "out"
    render_batch([north], out, ["html"], jobs=1)
    _edit(north / "north" / "organisation.yaml", "surname: Коваленко", "surname: Коваль")
    proc = subprocess.Popen([sys.executable, "-m", "plandocs", "render", str(north), "-o", str(out), "-q",
                             "--format", "html,pdf", "--jobs", "2"], cwd=tmp_path, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(out.rglob("*.pdf")):
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the command and its workers, as when a CI job is cancelled
    proc.wait()
    data = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    for key, entry in data["documents"].items():
        for fmt, (sha256, _size, _mtime) in entry["outputs"].items():
            assert hashlib.sha256((out / f"{key}.{fmt}").read_bytes()).hexdigest() == sha256
    finished = render_batch([north], out, ["html", "pdf"], jobs=2)
    assert finished.ok and len(finished.rendered) + len(finished.skipped) == 5
    assert render_batch([north], out, ["html", "pdf"], jobs=2).rendered == []
    fresh = render_batch([north], tmp_path / "fresh", ["html", "pdf"], jobs=1)
    assert fresh.ok and _bytes(tmp_path / "fresh") == _bytes(out)


def test_workers_are_replaced_after_their_quota_without_hanging(north: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Python's pool hangs when a worker retires with documents still queued (gh-115634); the batch queues
    one document per worker, so five documents over a one-worker pool with a quota of two all complete."""
    import plandocs.render.batch as batch

    monkeypatch.setattr(batch, "TASKS_PER_WORKER", 2)
    result = render_batch([north], tmp_path / "out", ["html"], jobs=1)
    assert result.ok and len(result.rendered) == 5
    assert len({d.pid for d in result.rendered}) == 3  # 2 + 2 + 1 documents


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process tree from /proc")
def test_workers_exit_when_the_command_is_killed(north: Path, tmp_path: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    proc = subprocess.Popen([sys.executable, "-m", "plandocs", "render", str(north), "-o", str(tmp_path / "out"),
                             "-q", "--format", "pdf", "--jobs", "2"], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < 3:  # the fork server and two workers
        time.sleep(0.1)
        workers = _descendants(proc.pid) - {proc.pid}
    assert len(workers) >= 3
    proc.send_signal(signal.SIGKILL)  # the command alone: its workers are left without it
    proc.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(Path(f"/proc/{pid}").exists() for pid in workers):
        time.sleep(0.2)
    left = [pid for pid in workers if Path(f"/proc/{pid}/cmdline").exists()
            and b"multiprocessing" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    assert left == []


def test_region_summary_and_annual_report_render_only_when_what_they_read_changed(tmp_path: Path) -> None:
    plans = tmp_path / "project" / "plans"
    shutil.copytree(REGION, plans / "synth")
    shutil.copytree(REGION / "north", plans / "east")  # not a member of the region
    region = ["report", "region", "plans/synth/synthetic.region.yaml", "--period", "2021-Q3", "-o", "out",
              "--format", "html"]
    annual = ["report", "annual", "plans/synth/west/2021.yaml", "-o", "out", "--format", "html"]
    cwd = tmp_path / "project"
    summary_html, annual_html = "out/synth/2021-q3.region.html", "out/west/2021.annual-report.html"

    def rendered(args: list[str]) -> bool:
        result = run_cli(args, cwd)
        assert result.exit_code == 0, result.output
        last = result.output.splitlines()[-1]
        target = summary_html if args[1] == "region" else annual_html
        if last == f"wrote {target}":
            return True
        assert last == f"unchanged: {target} (nothing it is made from changed; --force renders it again)"
        return False

    assert rendered(region) and rendered(annual)
    assert not rendered(region) and not rendered(annual)
    _edit(plans / "east" / "2021-q3.report.yaml", '"2.1.1": 3', '"2.1.1": 2')  # outside both
    _edit(plans / "synth" / "south" / "2021-q2.report.yaml", '"2.1.1": 2', '"2.1.1": 3')  # not Q3, not west
    assert rendered(region) and not rendered(annual)  # the region validates every file of its members' folders
    _edit(plans / "synth" / "west" / "2021-q2.report.yaml", '"2.1.1": 1', '"2.1.1": 2')
    assert rendered(region) and rendered(annual)
    shutil.copy(plans / "synth" / "north" / "2021-q3.report.yaml", plans / "synth" / "west")  # a new report
    assert rendered(region) and rendered(annual)
    _edit(plans / "synth" / "synthetic.region.yaml", "name: Синтетична область", "name: Синтетичний регіон")
    assert rendered(region) and not rendered(annual)
    assert rendered([*region, "--force"]) and rendered([*annual, "--force"])
    assert not rendered(region) and not rendered(annual)
    (plans / "synth" / "synthetic.region.yaml").unlink()  # a summary whose region is gone is stale like any other
    pruned = render_batch([plans / "east" / "2021.yaml"], cwd / "out", ["html"], jobs=1, prune=True)
    assert [p.relative_to(cwd).as_posix() for p in pruned.pruned] == [summary_html]


def test_a_document_whose_input_changes_while_it_renders_is_not_recorded(
        north: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import plandocs.render.batch as batch

    render_one = batch._render
    org = north / "north" / "organisation.yaml"

    def edited_meanwhile(job: batch.Job, started: float) -> batch.Done:
        done = render_one(job, started)  # made from the organisation as validated…
        _edit(org, "surname: Коваленко", "surname: Коваль")  # …which is saved again before the run records it
        return done

    monkeypatch.setattr(batch, "_render", edited_meanwhile)
    out = tmp_path / "out"
    first = render_batch([north / "north" / "2021.yaml"], out, ["html"], jobs=1)
    assert first.ok and len(first.rendered) == 1
    assert Manifest(out).entries == {}  # no entry: the next run renders it again
    monkeypatch.setattr(batch, "_render", render_one)
    assert len(render_batch([north / "north" / "2021.yaml"], out, ["html"], jobs=1).rendered) == 1
    assert render_batch([north / "north" / "2021.yaml"], out, ["html"], jobs=1).rendered == []


def test_results_from_workers_share_the_commands_validated_plan(north: Path, tmp_path: Path) -> None:
    """The command keeps one validated plan for the plan and its reports, not a copy per document back from
    the workers (its memory would grow with the tree)."""
    result = render_batch([north], tmp_path / "out", ["html"], jobs=2)
    assert result.ok and len(result.rendered) == 5 and len({d.pid for d in result.rendered}) > 1
    assert len({id(d.job.plan) for d in result.rendered}) == 1


@pytest.mark.parametrize(("engine", "warmed", "idle"), [("typst", "typst", "weasyprint"),
                                                         ("weasyprint", "weasyprint", "typst")])
def test_a_worker_warms_the_engine_of_its_run(engine: str, warmed: str, idle: str) -> None:
    """A worker of a Typst run makes its Typst compiler before the first document and lays out nothing with
    WeasyPrint; a WeasyPrint worker does the reverse, and does not even import Typst."""
    import subprocess
    import sys

    probe = ("import os, sys\n"
             "from plandocs.render.batch import _start_worker\n"
             "import plandocs.render.pdf as pdf\n"
             "from weasyprint import document\n"
             "laid_out = []\n"
             "real = document.Document._render\n"
             "document.Document._render = classmethod(lambda cls, *a, **k: laid_out.append(1) or real(*a, **k))\n"
             f"_start_worker(os.getpid(), True, None, {engine!r})\n"
             "typst = sys.modules.get('plandocs.render.typst')\n"
             "made = typst is not None and typst._compiler.cache_info().currsize == 1\n"
             "print('typst' if made else '', 'weasyprint' if laid_out else '', 'typst' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                         cwd=REPO).stdout.split()
    assert warmed in out and idle not in out[:-1]
    assert out[-1] == str(engine == "typst")


class _KillsItsWorker:
    """A job's plan that ends the process unpickling it, as a document that crashes its worker would."""

    def __reduce__(self) -> tuple[object, tuple[int]]:
        return os._exit, (1,)


def test_a_document_that_kills_its_worker_fails_alone(tmp_path: Path) -> None:
    """The pool breaks when a worker dies; the documents it took down are retried one per process, and only
    the one that kills its process again fails, with its reason (the message, not an error of plandocs')."""
    from plandocs.check.validate import validate
    from plandocs.render.batch import Job, _pool_results

    plans = _tree(tmp_path, {"north": "north"})
    lp = validate([plans / "north" / "2021.yaml"]).plans[0]
    good = Job(lp.path.resolve(), "north/2021", ("html",), False, tmp_path / "out", lp)
    bad = Job(plans / "north" / "bad.yaml", "north/bad", ("html",), False, tmp_path / "out",
              _KillsItsWorker())  # type: ignore[arg-type]
    done = {d.job.key: d for d in _pool_results([bad, good], 2, lambda _job: None)}
    assert done["north/2021"].ok and (tmp_path / "out" / "north" / "2021.html").is_file()
    assert done["north/bad"].error == "the render process died (killed, or out of memory)"
