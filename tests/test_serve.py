"""``plandocs serve``: the live page in a real headless Chromium, and the server's guarantees over HTTP.

Each test serves a scratch copy of the smallest valid plan (a git repository, for the diff page) on a free
port; the browser tests drive Debian's chromium through chromedriver.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import PLANS, VALID, run_cli
from serve_support import Served, chromium, fetch, frame_text, running_server, wait_for

PLAN = "org/plan.yaml"
TITLE = "Робочі зустрічі з населенням"
GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "Test",
           "GIT_COMMITTER_EMAIL": "t@example.org", "GIT_CONFIG_NOSYSTEM": "1"}


def git(root: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV, "HOME": str(root.parent)}
    return subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    root = tmp_path / "plans"
    shutil.copytree(VALID, root / "org")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "plans")
    with running_server(root) as s:
        yield s


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as driver:
        yield driver


def edit(root: Path, old: str, new: str) -> None:
    """Save the plan with ``old`` replaced once, as an editor does (the whole file rewritten in place)."""
    path = root / PLAN
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in the plan"
    path.write_text(text.replace(old, new), encoding="utf-8")


def problems(driver: Any) -> list[list[str]]:
    """Text and editor link of each problem shown (read in one go: the panel is replaced on every update)."""
    found: list[list[str]] = driver.execute_script(
        "return Array.from(document.querySelectorAll('#problems li'))"
        ".map(li => [li.innerText, li.querySelector('a.where').href])")
    return found


def panel(driver: Any) -> str:
    text: str = driver.execute_script("return document.getElementById('panel').innerText")
    return text


def test_page_follows_saves_errors_and_fixes_without_reload(served: Served, browser: Any) -> None:
    browser.get(f"{served.url}/view/{PLAN}")
    wait_for(browser, lambda: TITLE in frame_text(browser), "the document")
    assert panel(browser).startswith("valid")
    browser.execute_script("window.sameDocument = true")  # gone if the page itself were reloaded

    edit(served.root, TITLE, "Зустрічі з мешканцями громади")
    wait_for(browser, lambda: "Зустрічі з мешканцями громади" in frame_text(browser), "the saved change")
    assert TITLE not in frame_text(browser)

    edit(served.root, "title: Зустрічі з мешканцями громади", "title: [Зустрічі з мешканцями громади")
    wait_for(browser, lambda: "error[yaml-syntax]" in panel(browser), "the YAML error")
    assert problems(browser) == [[
        "org/plan.yaml:18:21: error[yaml-syntax] invalid YAML: expected ',' or ']' in this [list] "
        "(in a [list] at line 17, column 20)\n"
        "   18 |             executor: legal-education\n"
        "      |                     ^",
        f"vscode://file{served.root / PLAN}:18:21"]]
    assert panel(browser).startswith("1 error(s)")
    assert "below is the last version that validated" in panel(browser)
    assert "Зустрічі з мешканцями громади" in frame_text(browser)  # the last good document stays

    edit(served.root, "title: [Зустрічі з мешканцями громади", "title: Зустрічі з мешканцями міста")
    wait_for(browser, lambda: "Зустрічі з мешканцями міста" in frame_text(browser), "the fixed document")
    assert panel(browser).startswith("valid")
    assert problems(browser) == []
    assert browser.execute_script("return window.sameDocument") is True


def test_index_lists_files_with_status_and_follows_saves(served: Served, browser: Any) -> None:
    browser.get(served.url + "/")
    def rows() -> list[str]:
        found: list[str] = browser.execute_script(
            "return Array.from(document.querySelectorAll('table.files tr'))"
            ".map(r => Array.from(r.cells).map(c => c.innerText).join(' '))")
        return found

    assert rows() == ["file kind status", "organisation.yaml organisation valid", "plan.yaml plan valid"]
    edit(served.root, "kind: quarterly-plan", "kind: quarterly-plann")
    wait_for(browser, lambda: rows()[2] == "plan.yaml plan 1 error(s)", "the plan's error in the list")


def test_document_is_what_render_makes(served: Served, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = run_cli(["render", str(served.root), "-o", str(out), "--format", "html,docx,pdf", "-q"], tmp_path)
    assert result.exit_code == 0, result.output
    status, body, headers = served.get(f"/doc/{PLAN}")
    assert status == 200
    assert body == (out / "org" / "plan.html").read_bytes()
    assert headers["content-security-policy"].startswith("default-src 'none'")
    assert fetch(f"{served.url}/download/pdf/{PLAN}") == (out / "org" / "plan.pdf").read_bytes()
    assert fetch(f"{served.url}/download/docx/{PLAN}") == (out / "org" / "plan.docx").read_bytes()


def test_downloads_follow_the_content_and_are_refused_while_it_has_errors(served: Served) -> None:
    plan = served.root / PLAN
    original = plan.read_text(encoding="utf-8")
    first = served.get(f"/download/docx/{PLAN}")[2]["etag"]
    edit(served.root, "value: 500", "value: 700")
    served.wait_state(PLAN, lambda s: s["version"] >= 2, "refreshed")
    changed = served.get(f"/download/docx/{PLAN}")[2]["etag"]
    plan.write_text(original, encoding="utf-8")  # back to the first content: the same document again
    served.wait_state(PLAN, lambda s: s["version"] >= 3, "refreshed")
    assert (first != changed, served.get(f"/download/docx/{PLAN}")[2]["etag"]) == (True, first)

    edit(served.root, "kind: quarterly-plan", "kind: quarterly-plann")
    served.wait_state(PLAN, lambda s: "error(s)" in s["panel"], "invalid")
    status, body, _ = served.get(f"/download/pdf/{PLAN}")
    assert (status, body.decode()) == (409, "'org/plan.yaml' has errors; fix them to download the PDF")


def test_organisation_errors_show_on_the_plan_page(served: Served) -> None:
    org = served.root / "org" / "organisation.yaml"
    text = org.read_text(encoding="utf-8")
    org.write_text(text.replace("    name: Відділ правопросвітництва", "    nmae: Відділ правопросвітництва"),
                   encoding="utf-8")
    state = served.wait_state(PLAN, lambda s: "error(s)" in s["panel"], "the organisation's error")
    assert ('<a class="where" href="vscode://file' + str(org) + ':14:5" title="open in the editor">'
            'org/organisation.yaml:14:5</a>:\n<span class="rule">error[unknown-key]</span> <code>executors[0]</code>: '
            "unknown key &#39;nmae&#39;; did you mean &#39;name&#39;?") in state["panel"]
    assert state["key"] != ""  # the last good document is still shown
    assert served.get(f"/doc/{PLAN}")[0] == 200


def test_foreign_host_names_are_refused(served: Served) -> None:
    """A web page that rebinds its own name to 127.0.0.1 must not be able to read the preview."""
    assert served.get("/", host="evil.example")[:2] == (400, b"Invalid host header")
    assert served.get("/", host="localhost:8000")[0] == 200


def test_paths_outside_the_folder_are_refused(served: Served, tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("kind: quarterly-plan\ntitle: [SECRET]\n", encoding="utf-8")
    (served.root / "org" / "link.yaml").symlink_to(secret)
    served.wait_state("", lambda s: s["version"] >= 2, "refreshed after the link appeared")
    cases = {
        "/view/../secret.yaml": "'../secret.yaml' is outside the served folder",
        "/doc/..%2F..%2Fetc%2Fpasswd": "'../../etc/passwd' is outside the served folder",
        "/download/pdf/org/%2e%2e/%2e%2e/secret.yaml": "'org/../../secret.yaml' is outside the served folder",
        "/doc//etc/passwd": "'/etc/passwd' is not a path inside the served folder",
        "/view/org/link.yaml": "'org/link.yaml' is outside the served folder",
        "/diff/org/link.yaml": "'org/link.yaml' is outside the served folder",
    }
    for path, message in cases.items():
        status, body, _ = served.get(path)
        assert (path, status, body.decode()) == (path, 403, message)
    status, body, _ = served.get("/")
    assert b"link.yaml" not in body and b"SECRET" not in body
    status, body, _ = served.get("/doc/.git/config")
    assert (status, body.decode()) == (
        404, "'.git/config' is not a plan, report or organisation file in the served folder")


def test_survives_half_written_deleted_and_renamed_files(served: Served) -> None:
    plan = served.root / PLAN
    good = plan.read_bytes()
    _, first, _ = served.get(f"/doc/{PLAN}")
    plan.write_bytes(good[: len(good) // 2] + b"\xd0")  # cut mid-line, inside a two-byte letter
    state = served.wait_state(PLAN, lambda s: "error(s)" in s["panel"], "the half-written file's errors")
    assert "org/plan.yaml:" in state["panel"] and "error[encoding]" in state["panel"]
    assert served.get(f"/doc/{PLAN}")[1] == first  # the last good document is still served

    plan.unlink()
    state = served.wait_state(PLAN, lambda s: "is gone" in s["panel"], "the deletion")
    assert "org/plan.yaml is gone (deleted or renamed); the last version seen is shown." in state["panel"]
    assert served.get(f"/doc/{PLAN}")[1] == first
    served.wait_state("", lambda s: "plan.yaml" not in s["panel"], "the file gone from the list")

    (served.root / "org" / "renamed.yaml").write_bytes(good)
    state = served.wait_state("org/renamed.yaml", lambda s: s["key"] != "", "the renamed plan rendered")
    assert served.get("/doc/org/renamed.yaml")[1] == first
    assert served.get("/")[0] == 200


def test_diff_page_shows_the_plan_changes_since_the_last_commit(served: Served) -> None:
    import json

    assert json.loads(fetch(f"{served.url}/api/diff/{PLAN}"))["panel"] == (
        "<p>No changes to the plan since the last commit.</p>")
    edit(served.root, TITLE, "Робочі зустрічі з мешканцями")
    edit(served.root, "value: 500", "value: 700")
    status, body, _ = served.get(f"/diff/{PLAN}")
    assert status == 200
    page = body.decode()
    assert page[page.index('<pre class="diff">'):page.index("</pre>")].splitlines() == [
        '<pre class="diff"><span class="diff-strong">org/plan.yaml</span>',
        '  <span class="diff-head"><span class="diff-strong">priority 1: Рівний доступ до правової допомоги'
        '</span></span>',
        '    <span class="diff-strong">1.1.1</span> title: Робочі зустрічі з <span class="diff-del"><span>'
        'населенням</span></span><span class="diff-ins"><span>мешканцями</span></span>',
        '    <span class="diff-strong">1.1.2</span> value: <span class="diff-del">500</span> → '
        '<span class="diff-ins">700</span> — Поширення інформаційних матеріалів',
    ]
    live = json.loads(fetch(f"{served.url}/api/diff/{PLAN}"))["panel"]  # what the open page fetches on a save
    assert live == page[page.index('<div id="panel">') + len('<div id="panel">'):page.index("</div>")]


def test_diff_page_outside_git_says_why(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    shutil.copytree(VALID, root / "org")
    with running_server(root) as s:
        status, body, _ = s.get(f"/diff/{PLAN}")
    assert status == 200
    assert f'<p class="note">{root} is not inside a git repository, so revisions cannot be compared</p>' \
        in body.decode()


def test_nothing_is_written_into_the_plans_folder(served: Served) -> None:
    def tree() -> dict[str, tuple[int, int]]:
        return {str(p.relative_to(served.root)): (p.stat().st_mtime_ns, p.stat().st_size)
                for p in served.root.rglob("*") if p.is_file()}

    before = tree()
    for path in ("/", f"/view/{PLAN}", f"/doc/{PLAN}", f"/download/docx/{PLAN}", f"/download/pdf/{PLAN}",
                 f"/diff/{PLAN}", "/view/org/organisation.yaml"):
        assert served.get(path)[0] == 200, path
    assert tree() == before


def _listening_addresses(port: int) -> list[str]:
    """Local addresses of the sockets listening on ``port``, from the kernel's table (state 0A = LISTEN)."""
    found = []
    for table in (Path("/proc/net/tcp"), Path("/proc/net/tcp6")):
        if not table.exists():  # a kernel without IPv6
            continue
        for line in table.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            addr, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.append(addr)
    return found


def test_cli_serves_on_localhost_and_stops_on_ctrl_c_with_a_page_open(tmp_path: Path) -> None:
    import signal
    import sys
    import urllib.request

    root = tmp_path / "plans"
    shutil.copytree(VALID, root / "org")
    proc = subprocess.Popen([sys.executable, "-m", "plandocs", "serve", str(root), "--port", "0"],
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    try:
        assert proc.stderr is not None
        first = proc.stderr.readline()
        assert first.startswith(f"serving {root} at http://127.0.0.1:") and first.endswith("/ (Ctrl+C stops)\n")
        url = first.split(" at ")[1].split(" ")[0]
        port = int(url.rsplit(":", 1)[1].rstrip("/"))
        assert _listening_addresses(port) == ["0100007F"]  # 127.0.0.1 only
        index = fetch(url)
        assert b'href="/view/org/plan.yaml"' in index
        with urllib.request.urlopen(url + "events", timeout=30) as events:  # an open page holds a stream
            assert events.readline() == b"retry: 1000\n"
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=20) == 0
        assert "Traceback" not in proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_cli_port_in_use_is_a_usage_error(tmp_path: Path) -> None:
    import socket

    from conftest import run_subprocess

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = run_subprocess(["serve", str(VALID), "--port", str(port)], tmp_path)
    assert (proc.returncode, proc.stderr) == (
        2, f"Error: cannot listen on 127.0.0.1:{port}: Address already in use; choose another --port\n")


def test_a_save_rechecks_the_documents_of_other_folders_that_read_the_file(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    shutil.copytree(VALID, root / "org")
    (root / "other").mkdir()
    text = (VALID / "plan.yaml").read_text(encoding="utf-8")
    (root / "other" / "plan.yaml").write_text("organisation: ../org/organisation.yaml\n" + text, encoding="utf-8")
    with running_server(root) as s:
        assert "valid" in s.state("other/plan.yaml")["panel"]
        org = root / "org" / "organisation.yaml"
        org.write_text(org.read_text(encoding="utf-8").replace("    name: Відділ правопросвітництва",
                                                               "    nmae: Відділ правопросвітництва"),
                       encoding="utf-8")
        state = s.wait_state("other/plan.yaml", lambda st: "error(s)" in st["panel"], "the shared organisation's error")
        assert "org/organisation.yaml:14:5</a>:\n<span class=\"rule\">error[unknown-key]</span>" in state["panel"]


def test_a_renamed_folder_is_followed(served: Served) -> None:
    (served.root / "org").rename(served.root / "moved")
    state = served.wait_state("", lambda st: "moved" in st["panel"], "the renamed folder in the list")
    assert '<a href="/view/moved/plan.yaml">plan.yaml</a>' in state["panel"]
    assert 'href="/view/org/plan.yaml"' not in state["panel"]
    assert served.wait_state("moved/plan.yaml", lambda st: st["key"] != "", "rendered")["panel"].startswith(
        '<p><span class="status ok" id="status">valid</span>')


def test_a_save_during_a_check_is_not_mistaken_for_the_checked_version(tmp_path: Path) -> None:
    """Two saves in quick succession: the second may land while the first is being checked (the largest seed
    plan makes that window wide), and the document must end as the second, not as the first under the
    second's name."""
    root = tmp_path / "plans"
    shutil.copytree(PLANS / "pokrovsk", root / "pokrovsk")
    plan = root / "pokrovsk" / "2021.yaml"
    original = plan.read_text(encoding="utf-8")
    title = "    title: Забезпечення доступності соціальних послуг у територіальній громаді\n"
    assert original.count(title) == 1
    with running_server(root) as s:
        for i, pause in enumerate((0.0, 0.02, 0.04, 0.06, 0.08, 0.1)):
            plan.write_text(original, encoding="utf-8")
            time.sleep(pause)
            plan.write_text(original.replace(title, title.rstrip() + f" (правка {i})\n"), encoding="utf-8")
            deadline = time.monotonic() + 15
            while f"(правка {i})".encode() not in s.get("/doc/pokrovsk/2021.yaml")[1]:
                assert time.monotonic() < deadline, f"round {i}: the second save never showed"
                time.sleep(0.05)
