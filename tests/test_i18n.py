"""The Ukrainian interface (issue 13): gettext catalogues made with Babel, chosen by --lang, PLANDOCS_LANG
or the locale; plural forms; rule ids, positions and JSON keys stay as they are in English.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import click
import pytest
from click.testing import CliRunner

from plandocs import i18n
from plandocs.cli import main

REPO = Path(__file__).parent.parent
VALID = Path(__file__).parent / "fixtures" / "valid"


def _i18n_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("i18n_script", REPO / "scripts" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def _english_afterwards() -> object:
    yield None
    i18n.set_language(None)


def test_every_message_has_a_ukrainian_translation() -> None:
    script = _i18n_script()
    po = script._read(script.PO)
    template = script.template()
    assert len(template) > 140  # the extraction found the code's messages, the help texts and click's words
    assert script.untranslated(po, template) == []


def test_the_shipped_catalogue_is_compiled_from_the_po() -> None:
    script = _i18n_script()
    assert script.MO.read_bytes() == script.compiled(script._read(script.PO)), "run scripts/i18n.py compile"


@pytest.mark.parametrize(("n", "text"), [(0, "0 помилок"), (1, "1 помилка"), (2, "2 помилки"), (4, "4 помилки"),
                                         (5, "5 помилок"), (11, "11 помилок"), (12, "12 помилок"),
                                         (21, "21 помилка"), (22, "22 помилки"), (25, "25 помилок"),
                                         (101, "101 помилка"), (111, "111 помилок")])
def test_plural_forms(n: int, text: str) -> None:
    i18n.set_language("uk")
    assert i18n.ngettext("{n} error(s)", "{n} error(s)", n).format(n=n) == text
    i18n.set_language("en")
    assert i18n.ngettext("{n} error(s)", "{n} error(s)", n).format(n=n) == f"{n} error(s)"


@pytest.mark.parametrize(("environ", "lang"), [
    ({"LANG": "uk_UA.UTF-8"}, "uk"), ({"LANG": "en_GB.UTF-8"}, "en"), ({}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "uk_UA.UTF-8"}, "uk"), ({"LANGUAGE": "uk:en", "LANG": "C"}, "uk"),
    ({"LANG": "uk_UA.UTF-8", "PLANDOCS_LANG": "en"}, "en"), ({"LANG": "C.UTF-8", "PLANDOCS_LANG": "uk"}, "uk"),
])
def test_language_from_the_environment(monkeypatch: pytest.MonkeyPatch, environ: dict[str, str], lang: str) -> None:
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG", "PLANDOCS_LANG"):
        monkeypatch.delenv(var, raising=False)
    for var, value in environ.items():
        monkeypatch.setenv(var, value)
    assert i18n.language() == lang


def _broken(tmp_path: Path) -> Path:
    for f in VALID.iterdir():
        (tmp_path / f.name).write_text(f.read_text(encoding="utf-8").replace(
            "executor: legal-education", "executor: legal-educaton"), encoding="utf-8")
    return tmp_path


def _validate(cwd: Path, *args: str, **environ: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG",
                                                               "PLANDOCS_LANG")}
    return subprocess.run([sys.executable, "-m", "plandocs", "validate", ".", *args], cwd=cwd,
                          env={**base, "PYTHONIOENCODING": "utf-8", **environ}, capture_output=True, text=True,
                          encoding="utf-8", timeout=30, check=False)


def test_ukrainian_locale_same_positions_and_rule_ids(tmp_path: Path) -> None:
    folder = _broken(tmp_path)
    en = _validate(folder, LANG="C.UTF-8")
    uk = _validate(folder, LANG="uk_UA.UTF-8")
    assert en.returncode == uk.returncode == 1
    assert uk.stdout.splitlines()[0] == (
        "plan.yaml:18:23: помилка[unknown-executor]: priorities[0].tasks[0].measures[0].executor: виконавця "
        "'legal-educaton' немає у файлі організації; можливо, 'legal-education'?")
    heads = [(line.split(": ")[0], line.split("[")[1].split("]")[0]) for line in en.stdout.splitlines()
             if ": error[" in line]
    assert heads == [(line.split(": ")[0], line.split("[")[1].split("]")[0]) for line in uk.stdout.splitlines()
                     if ": помилка[" in line]
    assert len(heads) == 2
    assert uk.stderr.strip() == "перевірено 2 файли: 2 помилки, 0 попереджень"
    assert en.stderr.strip() == "2 file(s) checked: 2 error(s), 0 warning(s)"
    # --lang and PLANDOCS_LANG choose too, and --lang en wins over a Ukrainian locale
    assert _validate(folder, "--lang", "uk", LANG="C.UTF-8").stderr == uk.stderr
    assert _validate(folder, PLANDOCS_LANG="uk").stderr == uk.stderr
    assert _validate(folder, "--lang=en", LANG="uk_UA.UTF-8").stdout == en.stdout


def test_json_keeps_english_keys_rule_ids_and_severities(tmp_path: Path) -> None:
    out = json.loads(_validate(_broken(tmp_path), "--format", "json", LANG="uk_UA.UTF-8").stdout)
    assert set(out) == {"files", "valid", "errors", "warnings", "diagnostics"}
    d = out["diagnostics"][0]
    assert (d["rule"], d["severity"], d["line"], d["column"]) == ("unknown-executor", "error", 18, 23)


def _commands(cmd: click.Command, path: list[str]) -> list[list[str]]:
    out = [path]
    if isinstance(cmd, click.Group):
        for name, sub in sorted(cmd.commands.items()):
            out += _commands(sub, [*path, name])
    return out


@pytest.mark.parametrize("path", _commands(main, []), ids=lambda p: " ".join(p) or "plandocs")
def test_help_of_every_command_is_ukrainian(path: list[str]) -> None:
    unset: dict[str, str | None] = {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "PLANDOCS_LANG": None}
    en = CliRunner().invoke(main, [*path, "--help"], prog_name="plandocs", env={**unset, "LANG": "C.UTF-8"})
    uk = CliRunner().invoke(main, [*path, "--help"], prog_name="plandocs", env={**unset, "LANG": "uk_UA.UTF-8"})
    assert en.exit_code == uk.exit_code == 0, uk.output
    assert en.output.startswith("Usage: plandocs")
    assert uk.output.startswith("Використання: plandocs")
    assert "Показати цю довідку і вийти." in uk.output
    en_lines = {line.strip() for line in en.output.splitlines() if len(line.strip()) > 25}
    uk_lines = {line.strip() for line in uk.output.splitlines() if len(line.strip()) > 25}
    # no long line of English help survives; option names with their choices stay as they are
    assert {line for line in en_lines & uk_lines if " " in line and not line.startswith("-")} == set()
    # every help text of the command and of each option has a Ukrainian translation, and that is what is printed
    # (compared with whitespace collapsed: click wraps the text to the terminal's width)
    i18n.set_language("uk")
    # click also wraps after a hyphen («HTML-» / «шаблонами»): a space after a hyphen is not compared
    printed = " ".join(uk.output.split()).replace("- ", "-")
    cmd = _command(path)
    for text in _help_texts(cmd):
        shown = i18n._(inspect.cleandoc(text))
        assert shown != inspect.cleandoc(text) and _CYRILLIC.search(shown), f"untranslated help: {text!r}"
        first = " ".join(shown.split("\b")[0].split()).replace("- ", "-")[:60]  # the start of its first paragraph
        assert first in printed, (first, uk.output)
    # click's own words in the option list: [required], [default: …]
    for english in ("[required]", "default:", "env var:", "Usage:", "Options:", "Commands:", "Show this message"):
        assert english not in uk.output, english


_CYRILLIC = re.compile(r"[а-яіїєґ]", re.IGNORECASE)


def _command(path: list[str]) -> click.Command:
    cmd: click.Command = main
    for name in path:
        assert isinstance(cmd, click.Group)
        cmd = cmd.commands[name]
    return cmd


def _help_texts(cmd: click.Command) -> list[str]:
    """The English help of a command and its options, as written (click keeps the originals once translated)."""
    texts = []
    for obj, attr in [(cmd, "help"), (cmd, "short_help"), *((p, "help") for p in cmd.params
                                                              if isinstance(p, click.Option))]:
        text = vars(obj).get("_plandocs_original_help", {}).get(attr, getattr(obj, attr, None))
        if text:
            texts.append(text)
    return texts


def test_english_reads_no_catalogue(tmp_path: Path) -> None:
    code = ("import sys\nfrom plandocs.cli import main\nfrom plandocs import i18n\n"
            "try:\n    main(['validate', '.'])\nexcept SystemExit:\n    pass\n"
            "print('catalogue', i18n._catalogue)")
    base = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "PLANDOCS_LANG")}
    proc = subprocess.run([sys.executable, "-c", code], cwd=_broken(tmp_path), env={**base, "LANG": "C.UTF-8"},
                          capture_output=True, text=True, timeout=30, check=False)
    assert proc.stdout.splitlines()[-1] == "catalogue None"


def test_schema_descriptions_in_ukrainian_keys_unchanged() -> None:
    en = json.loads(CliRunner().invoke(main, ["schema", "plan", "--lang", "en"]).stdout)
    uk = json.loads(CliRunner().invoke(main, ["schema", "plan", "--lang", "uk"]).stdout)
    assert en["properties"]["organisation"]["description"] == "Path of the organisation file, relative to the plan."
    assert uk["properties"]["organisation"]["description"] == "Шлях до файлу організації відносно плану."
    assert uk["$defs"]["Row"]["description"] == "Один рядок виконавця заходу; незадані клітинки беруться із заходу."

    def strip(node: object) -> object:  # everything but the descriptions is the same
        if isinstance(node, dict):
            return {k: strip(v) for k, v in node.items() if k != "description"}
        return [strip(v) for v in node] if isinstance(node, list) else node

    assert strip(uk) == strip(en)
