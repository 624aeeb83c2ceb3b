#!/usr/bin/env python3
"""Check the editor kit `plandocs init` writes with the real YAML language server, over stdio.

What VS Code's YAML extension does, done by hand: start `yaml-language-server --stdio` (npm package
yaml-language-server, installed into .cache/npm-tools on first use), hand it the settings of the new
repository's .vscode/settings.json, open its files and check that

1. the organisation file, the plan and a report get no schema diagnostics (the globs pick the right schema);
2. completion on an empty `executor:` offers exactly the organisation's executor ids;
3. an executor id with a typo is flagged as the user types;
4. after the server formats a plan (the Odesa seed plan, full of `{I: 1}` mappings, and the new plan),
   `plandocs fmt --check` still passes; with bracketSpacing left at the server's default it would not,
   which shows the setting is what makes the difference.

Usage: scripts/check_editor_kit.py [--plandocs PATH]   (exit 0 when every check passes)
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

from checklist import Checks  # sibling module

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / ".cache" / "npm-tools"
SERVER_PACKAGE = "yaml-language-server@1.19.2"  # 2.x needs Node 22; Debian's Node is 20
SERVER = TOOLS / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"


def ensure_server() -> Path:
    if not SERVER.exists():
        TOOLS.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", "--prefix", str(TOOLS),
                        SERVER_PACKAGE], check=True)
    return SERVER


class Server:
    """A minimal LSP client: JSON-RPC with Content-Length framing over the server's stdin/stdout."""

    def __init__(self, root: Path, settings: dict[str, Any]) -> None:
        self.proc = subprocess.Popen(["node", str(ensure_server()), "--stdio"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.settings = settings
        self.next_id = 0
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        self.diag_event = threading.Condition()
        self.responses: dict[int, Any] = {}
        self.resp_event = threading.Condition()
        threading.Thread(target=self._reader, daemon=True).start()
        self.request("initialize", {"processId": os.getpid(), "rootUri": root.as_uri(),
                                    "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
                                    "capabilities": {"workspace": {"configuration": True},
                                                     "textDocument": {"completion": {"completionItem": {}}}}})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": settings})

    def _send(self, msg: dict[str, Any]) -> None:
        body = json.dumps(msg).encode()
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _reader(self) -> None:
        out = self.proc.stdout
        assert out is not None
        while True:
            length = 0
            while (line := out.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            if not length:
                return
            msg = json.loads(out.read(length))
            if "id" in msg and "method" in msg:  # a request from the server
                self._answer(msg)
            elif "id" in msg:
                with self.resp_event:
                    self.responses[msg["id"]] = msg
                    self.resp_event.notify_all()
            elif msg.get("method") == "textDocument/publishDiagnostics":
                with self.diag_event:
                    self.diagnostics[msg["params"]["uri"]] = msg["params"]["diagnostics"]
                    self.diag_event.notify_all()

    def _answer(self, msg: dict[str, Any]) -> None:
        result: Any = None
        if msg["method"] == "workspace/configuration":
            result = [self.settings.get(item.get("section", ""), None) for item in msg["params"]["items"]]
        self._send({"jsonrpc": "2.0", "id": msg["id"], "result": result})

    def notify(self, method: str, params: Any) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: Any, timeout: float = 30) -> Any:
        self.next_id += 1
        rid = self.next_id
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        with self.resp_event:
            if not self.resp_event.wait_for(lambda: rid in self.responses, timeout):
                raise TimeoutError(f"no answer to {method}")
            msg = self.responses.pop(rid)
        if "error" in msg:
            raise RuntimeError(f"{method}: {msg['error']}")
        return msg.get("result")

    def open(self, path: Path, text: str, version: int = 1) -> str:
        uri = path.as_uri()
        with self.diag_event:
            self.diagnostics.pop(uri, None)
        if version == 1:
            self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml",
                                                                  "version": 1, "text": text}})
        else:
            self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                                   "contentChanges": [{"text": text}]})
        return uri

    def wait_diagnostics(self, uri: str, timeout: float = 30) -> list[dict[str, Any]]:
        with self.diag_event:
            if not self.diag_event.wait_for(lambda: uri in self.diagnostics, timeout):
                raise TimeoutError(f"no diagnostics for {uri}")
            return self.diagnostics[uri]

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=10)
            self.notify("exit", None)
            self.proc.wait(timeout=10)
        except (TimeoutError, subprocess.TimeoutExpired, BrokenPipeError):
            self.proc.kill()
            self.proc.wait()


def nested_settings(flat: dict[str, Any]) -> dict[str, Any]:
    """VS Code's dotted keys ("yaml.format.bracketSpacing") as the nested sections a server is sent."""
    out: dict[str, Any] = {}
    for key, value in flat.items():
        if key.startswith("["):
            continue  # language-specific editor settings are the editor's, not the server's
        node = out
        *parents, last = key.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = value
    return out


def apply_edits(text: str, edits: list[dict[str, Any]]) -> str:
    lines = text.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))

    def offset(pos: dict[str, int]) -> int:
        return offsets[min(pos["line"], len(lines))] + pos["character"]

    for e in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        start, end = offset(e["range"]["start"]), offset(e["range"]["end"])
        text = text[:start] + e["newText"] + text[end:]
    return text




def fmt_check(plandocs: str, repo: Path, rel: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([plandocs, "fmt", "--check", rel], cwd=repo, capture_output=True, text=True)


def make_repo(plandocs: str, where: Path) -> Path:
    repo = where / "plans-repo"
    subprocess.run([plandocs, "init", str(repo), "--id", "test", "--kind", "annual-plan", "--period", "2027",
                    "--name", "Тестовий місцевий центр з надання безоплатної правової допомоги",
                    "--genitive", "Тестового місцевого центру з надання безоплатної правової допомоги",
                    "--head-surname", "Коваль", "--head-initials", "О.П.", "--head-position", "Директор",
                    "--department", "legal-education=Відділ правопросвітництва",
                    "--department", "bureau-dolyna=Відділ \"Долинське бюро правової допомоги\"",
                    "--ci", "gitlab"], check=True, capture_output=True)
    return repo


def run(plandocs: str) -> int:
    checks = Checks()
    with tempfile.TemporaryDirectory(prefix="plandocs-editor-") as tmp:
        repo = make_repo(plandocs, Path(tmp))
        settings = nested_settings(json.loads((repo / ".vscode/settings.json").read_text(encoding="utf-8")))
        org_dir = repo / "plans" / "test"
        plan = org_dir / "2027.yaml"
        shutil.copy(ROOT / "plans/odesa/2021.yaml", org_dir / "2021.yaml")
        shutil.copy(ROOT / "plans/odesa/organisation.yaml", repo / "plans" / "odesa-organisation.yaml")
        odesa = org_dir / "2021.yaml"
        odesa.write_text(odesa.read_text(encoding="utf-8").replace("organisation: organisation.yaml",
                                                                   "organisation: ../odesa-organisation.yaml"),
                         encoding="utf-8")
        subprocess.run([plandocs, "report", "new", str(plan), "--period", "2027-Q1"], cwd=repo, check=True,
                       capture_output=True)
        report = org_dir / "2027-q1.report.yaml"

        server = Server(repo, settings)
        try:
            for path in (org_dir / "organisation.yaml", plan, report):
                text = path.read_text(encoding="utf-8")
                uri = server.open(path, text)
                diags = server.wait_diagnostics(uri)
                checks.check(not diags, f"{path.relative_to(repo)}: no schema diagnostics",
                             json.dumps(diags, ensure_ascii=False)[:600])
                # and the schema is really applied: an unknown top-level key is flagged
                uri = server.open(path, text + "unknwn_key: 1\n", version=2)
                diags = server.wait_diagnostics(uri)
                checks.check(any("unknwn_key" in d["message"] or d["range"]["start"]["line"] == text.count("\n")
                                 for d in diags), f"{path.relative_to(repo)}: an unknown key is flagged",
                             json.dumps(diags, ensure_ascii=False)[:600])
                server.open(path, text, version=3)

            text = plan.read_text(encoding="utf-8")
            line_no, line = next((i, ln) for i, ln in enumerate(text.splitlines()) if "executor: legal-education" in ln)
            blank = text.replace(line, line.split("executor:")[0] + "executor: ", 1)
            uri = server.open(plan, blank, version=12)
            col = len(line.split("executor:")[0] + "executor: ")
            result = server.request("textDocument/completion", {"textDocument": {"uri": uri},
                                                                "position": {"line": line_no, "character": col}})
            items = result.get("items", result) if isinstance(result, dict) else (result or [])
            labels = sorted(i["label"] for i in items if i["label"] != "null")  # the field is optional
            checks.check(labels == ["bureau-dolyna", "legal-education"],
                         "completion on `executor:` offers the organisation's executor ids", f"got {labels}")

            typo = text.replace("executor: legal-education", "executor: legal-educaton", 1)
            uri = server.open(plan, typo, version=13)
            diags = server.wait_diagnostics(uri)
            flagged = [d for d in diags if d["range"]["start"]["line"] == line_no]
            checks.check(bool(flagged), "a mistyped executor id is flagged on its line",
                         json.dumps(diags, ensure_ascii=False)[:600])
            server.open(plan, text, version=14)

            for path in (odesa, plan):
                original = path.read_text(encoding="utf-8")
                uri = server.open(path, original, version=15 if path == plan else 1)
                edits = server.request("textDocument/formatting", {
                    "textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": True}}) or []
                path.write_text(apply_edits(original, edits), encoding="utf-8")
                res = fmt_check(plandocs, repo, str(path.relative_to(repo)))
                checks.check(res.returncode == 0,
                             f"{path.relative_to(repo)}: fmt --check passes after the server formatted it "
                             f"({len(edits)} edit(s))", res.stdout + res.stderr)
                path.write_text(original, encoding="utf-8")
        finally:
            server.close()

        # The control: the same server with its default bracketSpacing breaks the canonical form.
        default = json.loads(json.dumps(settings))
        default["yaml"]["format"].pop("bracketSpacing", None)
        server = Server(repo, default)
        try:
            original = odesa.read_text(encoding="utf-8")
            uri = server.open(odesa, original)
            edits = server.request("textDocument/formatting", {
                "textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": True}}) or []
            odesa.write_text(apply_edits(original, edits), encoding="utf-8")
            res = fmt_check(plandocs, repo, str(odesa.relative_to(repo)))
            changed = sum(1 for a, b in zip(original.splitlines(), odesa.read_text(encoding="utf-8").splitlines(),
                                            strict=False) if a != b)
            checks.check(res.returncode == 1, f"control: without bracketSpacing false the server rewrites "
                                              f"{changed} line(s) of the Odesa plan and fmt --check fails")
        finally:
            server.close()
    print(f"{checks.passed} passed, {checks.failed} failed")
    return 1 if checks.failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plandocs", default=shutil.which("plandocs") or str(ROOT / ".venv/bin/plandocs"))
    args = parser.parse_args()
    return run(args.plandocs)


if __name__ == "__main__":
    sys.exit(main())
