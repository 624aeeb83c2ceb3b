"""Issue 16: paths that leave the project, output names that collide, and output faults (permissions, a
full disk, a folder in the way, concurrent renders), each as it was found."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import REPO, run_subprocess
from hardening_support import HARDENING, Project, make_project

REGION = REPO / "examples" / "synthetic-region"


def test_plan_file_that_links_out_of_the_project_is_not_read(tmp_path: Path) -> None:
    p = make_project(tmp_path)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.yaml").write_text("SECRET-LINE: not for the error output\n", encoding="utf-8")
    os.symlink(outside / "secret.yaml", p.org_dir / "2021.yaml")
    result = p.cli("validate", "plans")
    assert result.exit_code == 1, result.output
    assert (f"plans/t/2021.yaml: error[outside-project]: the file is a link to '{outside}/secret.yaml', "
            f"outside the project ({p.root}); it is not read") in result.output, result.output
    assert "SECRET-LINE" not in result.output


def test_report_plan_path_out_of_the_project_is_refused(tmp_path: Path) -> None:
    p = make_project(tmp_path)
    shutil.copy(HARDENING / "report-plan-etc-passwd" / "2020-q2.report.yaml", p.org_dir)
    result = p.cli("validate", "plans")
    assert result.exit_code == 1, result.output
    assert ("plans/t/2020-q2.report.yaml:1:7: error[outside-project]: plan: '../../../../../../../../etc/passwd' "
            f"leads to '/etc/passwd', outside the project ({p.root}); files may name only files inside it"
            ) in result.output, result.output
    assert "root:x:" not in result.output


def test_report_plan_path_too_long_is_a_clear_error(tmp_path: Path) -> None:
    p = make_project(tmp_path)
    shutil.copy(HARDENING / "report-plan-too-long" / "2020-q2.report.yaml", p.org_dir)
    result = p.cli("validate", "plans")
    assert result.exit_code == 1, result.output
    assert (f"plans/t/2020-q2.report.yaml:1:7: error[path-too-long]: plan: '{'a' * 60}…' cannot be a path: a name "
            "in the path is 257 bytes long; at most 255 are allowed") in result.output, result.output


def test_region_members_outside_the_project_are_refused_quickly(tmp_path: Path) -> None:
    p = make_project(tmp_path)
    shutil.copy(HARDENING / "region-members-outside" / "r.region.yaml", p.root / "plans")
    proc = run_subprocess(["report", "region", "plans/r.region.yaml", "--period", "2020-Q2", "-o", "out"], p.root)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    out = proc.stdout + proc.stderr
    for i, (text, real) in enumerate([("/", "/"), ("/etc", "/etc"), ("../../../../../../../../tmp", "/tmp")]):
        assert (f"plans/r.region.yaml:3:3: error[outside-project]: organisations[{i}]: '{text}' leads to '{real}', "
                f"outside the project ({p.root}); files may name only files inside it") in out, out


def _two_2021_plans(tmp_path: Path) -> Path:
    root = tmp_path / "region"
    for member in ("north", "south"):
        shutil.copytree(REGION / member, root / member)
    return root


def test_render_two_folders_with_the_same_file_name_keeps_both(tmp_path: Path) -> None:
    root = _two_2021_plans(tmp_path)
    proc = run_subprocess(["render", "north", "south", "-o", "out", "--format", "html", "-q"], root, timeout=120)
    assert proc.returncode == 0, proc.stderr
    north, south = (root / "out/north/2021.html").read_text(), (root / "out/south/2021.html").read_text()
    assert north != south
    assert not (root / "out/2021.html").exists()


def test_render_two_files_with_the_same_name_keeps_both(tmp_path: Path) -> None:
    root = _two_2021_plans(tmp_path)
    proc = run_subprocess(["render", "north/2021.yaml", "south/2021.yaml", "-o", "out", "--format", "html", "-q"],
                          root, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert sorted(str(p.relative_to(root / "out")) for p in (root / "out").rglob("*.html")) == \
        ["north/2021.html", "south/2021.html"]


def _previous_outputs(p: Project) -> dict[str, bytes]:
    result = p.render("--format", "docx,html")
    assert result.exit_code == 0, result.output
    return {name: (p.root / "out" / name).read_bytes() for name in p.outputs()}


def _assert_intact(p: Project, before: dict[str, bytes]) -> None:
    assert p.outputs() == sorted(before), p.outputs()  # nothing new, no temporary file
    for name, data in before.items():
        assert (p.root / "out" / name).read_bytes() == data, name


def test_folder_where_the_pdf_goes_fails_the_set_and_keeps_the_old_documents(tmp_path: Path) -> None:
    p = make_project(tmp_path)
    before = _previous_outputs(p)
    p.edit_plan("Робочі зустрічі з населенням", "Робочі зустрічі з мешканцями")
    (p.root / "out/t/2020-q2.pdf").mkdir()
    result = p.render()
    assert result.exit_code == 1, result.output
    assert ("plans/t/2020-q2.yaml: error: cannot write 'out/t/2020-q2.pdf': a folder is in the way; remove or "
            "rename it") in result.output, result.output
    (p.root / "out/t/2020-q2.pdf").rmdir()
    _assert_intact(p, before)


def test_one_unwritable_folder_does_not_stop_the_other_plans(tmp_path: Path) -> None:
    p = make_project(tmp_path)
    shutil.copytree(p.org_dir, p.root / "plans/u")
    (p.root / "out").mkdir()
    (p.root / "out/t").write_text("a file where the folder goes\n", encoding="utf-8")
    result = p.render("--format", "html")
    assert result.exit_code == 1, result.output
    assert "plans/t/2020-q2.yaml: error: cannot write 'out/t': " in result.output, result.output
    assert (p.root / "out/u/2020-q2.html").is_file()


def _mount(fs_dir: Path, options: str) -> None:
    fs_dir.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(fs_dir)], check=True)


needs_root = pytest.mark.skipif(os.geteuid() != 0 or shutil.which("mount") is None,
                                reason="mounts a small tmpfs to make a full or read-only disk: needs root")


@needs_root
@pytest.mark.parametrize("free_kib", [0, 16, 130])
def test_full_disk_is_a_clear_error_with_the_old_documents_intact(tmp_path: Path, free_kib: int) -> None:
    p = make_project(tmp_path)
    out = p.root / "out"
    _mount(out, "size=512k")
    try:
        before = _previous_outputs(p)
        used = sum(len(d) for d in before.values())
        filler = max(512 * 1024 - used - free_kib * 1024 - 8192, 0)
        if filler:
            (out / "filler").write_bytes(b"\0" * filler)
        p.edit_plan("Робочі зустрічі з населенням", ("Робочі зустрічі з мешканцями " * 600).strip())
        result = p.render("--format", "docx,html")
        (out / "filler").unlink(missing_ok=True)
        if result.exit_code == 0:  # it fitted: the new set is complete
            assert "мешканцями" in (out / "t/2020-q2.html").read_text(encoding="utf-8")
            assert zipfile.is_zipfile(out / "t/2020-q2.docx")
            assert p.outputs() == sorted(before)
            return
        assert result.exit_code == 1, result.output
        assert "plans/t/2020-q2.yaml: error: cannot write 'out/t/2020-q2." in result.output, result.output
        assert "No space left on device; nothing was replaced" in result.output, result.output
        _assert_intact(p, before)
    finally:
        subprocess.run(["umount", str(out)], check=False)


@needs_root
def test_read_only_output_mount_is_a_clear_error(tmp_path: Path) -> None:
    p = make_project(tmp_path)
    out = p.root / "out"
    _mount(out, "size=4m")
    try:
        before = _previous_outputs(p)
        subprocess.run(["mount", "-o", "remount,ro", str(out)], check=True)
        result = p.render("--format", "docx,html", "--force")  # unchanged inputs are otherwise skipped
        assert result.exit_code == 1, result.output
        assert ("plans/t/2020-q2.yaml: error: cannot write 'out/t/2020-q2.docx': Read-only file system; nothing "
                "was replaced") in result.output, result.output
        _assert_intact(p, before)
    finally:
        subprocess.run(["umount", str(out)], check=False)


@needs_root
def test_read_only_output_folder_is_a_clear_error(tmp_path: Path) -> None:
    """chmod does not stop root, so the folder is a read-only bind mount of itself."""
    p = make_project(tmp_path)
    before = _previous_outputs(p)
    folder = p.root / "out/t"
    subprocess.run(["mount", "--bind", "-o", "ro", str(folder), str(folder)], check=True)
    try:
        result = p.render("--format", "docx,html", "--force")  # unchanged inputs are otherwise skipped
        assert result.exit_code == 1, result.output
        assert "plans/t/2020-q2.yaml: error: cannot write 'out/t/2020-q2.docx': Read-only file system" \
            in result.output, result.output
        _assert_intact(p, before)
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_first_manifest_saved_by_another_run_meanwhile_is_replaced(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    # two runs into a new folder both find no manifest; the other run's file appears between our check and
    # our write, and our save must replace it rather than fail
    from plandocs.render import manifest
    from plandocs.render.manifest import Entry, Manifest, Output

    ours = Manifest(tmp_path)
    ours.record("t/2020-q2", Entry("/p/t/2020-q2.yaml", {}, "s", {"docx": Output("0" * 64, 1, 1)}))
    real_create = manifest.create_file  # type: ignore[attr-defined]  # the name the manifest calls

    def other_run_first(path: Path, data: bytes) -> None:
        path.write_text('{"version": 0, "documents": {}}\n', encoding="utf-8")
        real_create(path, data)

    monkeypatch.setattr(manifest, "create_file", other_run_first)
    ours.save()
    assert list(Manifest(tmp_path).entries) == ["t/2020-q2"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [ours.path.name]  # no temporary file left


def test_concurrent_renders_into_one_folder_all_succeed(tmp_path: Path) -> None:
    p = make_project(tmp_path)
    for name in ("u", "v", "w"):
        shutil.copytree(p.org_dir, p.root / "plans" / name)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    cmd = [sys.executable, "-m", "plandocs", "render", "plans", "-o", "out", "--format", "docx,html", "-q"]
    procs = [subprocess.Popen(cmd, cwd=p.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(6)]
    results = [(proc.wait(timeout=300), proc.stderr.read() if proc.stderr else "") for proc in procs]
    for proc in procs:
        for stream in (proc.stdout, proc.stderr):
            if stream:
                stream.close()
    assert [code for code, _ in results] == [0] * 6, results
    assert p.outputs() == sorted([".plandocs-manifest.json",  # the render manifest, written atomically too
                                  *(f"{o}/2020-q2.{f}" for o in ("t", "u", "v", "w") for f in ("docx", "html"))])
