"""Issue 13, finished: the messages added by the hardening, amend and scale work speak Ukrainian too.

A static walk (``i18n_coverage``) fails on any new English message that does not go through gettext; the
tests below run one failure mode of each area for real, in both languages, and compare the exact text.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import urllib.request
from pathlib import Path

import pytest

from conftest import VALID, headlines, run_cli
from hardening_support import HARDENING, Project, make_project
from i18n_coverage import Finding, findings, package_sources, report
from plandocs import i18n

INPUTS = HARDENING / "inputs"


@pytest.fixture(autouse=True)
def _environment_language_afterwards() -> object:
    yield None
    i18n.set_language(None)


# --------------------------------------------------------------------------- the static walk


def test_every_message_of_the_package_goes_through_gettext() -> None:
    found = findings(package_sources())
    assert found == [], "wrap these in _() / ngettext() (or, if they are no messages, allow-list them):\n" + \
        report(found)


_ERRORS = '''
import click

class PlandocsError(click.ClickException):
    pass

class UsageError(PlandocsError):
    pass
'''


@pytest.mark.parametrize(("source", "expected"), [
    # an f-string raised as an error of the tree, through a subclass defined elsewhere
    ("from errors import UsageError\nclass Late(UsageError):\n    pass\n"
     "def f(x):\n    raise Late(f'cannot open {x}')\n",
     [Finding("m.py", 5, "Late", "cannot open …")]),
    # a message echoed by click
    ("import click\ndef f():\n    click.echo('all plans are valid', err=True)\n",
     [Finding("m.py", 3, "echo", "all plans are valid")]),
    # a diagnostic's message, positional, into Diagnostics.add(rule, message, …)
    ("class Diagnostics:\n    def add(self, rule, message, loc):\n        pass\n"
     "def f(d, n):\n    d.add('too-large', f'a value of {n} characters', None)\n",
     [Finding("m.py", 5, "add", "a value of … characters")]),
    # built in a local name first, and joined from a list
    ("from errors import PlandocsError\ndef f(p):\n    problems = []\n    problems.append(f'{p}: exists already')\n"
     "    raise PlandocsError('; '.join(problems))\n",
     [Finding("m.py", 4, "PlandocsError", "…: exists already")]),
    # a dataclass with a message field, by keyword
    ("from dataclasses import dataclass\n@dataclass\nclass Refusal:\n    rule: str\n    message: str\n"
     "def f(p):\n    return Refusal('outside-project', message=f'{p} leads outside the project')\n",
     [Finding("m.py", 7, "Refusal", "… leads outside the project")]),
    # a plain ValueError that a caller shows, and the preview's answer to a browser
    ("def f(t):\n    raise ValueError(f'expected I/N, got {t}')\n",
     [Finding("m.py", 2, "raise ValueError", "expected I/N, got …")]),
    ("def f(rel):\n    return Response(f'{rel} has errors', status_code=409)\n",
     [Finding("m.py", 2, "Response", "… has errors")]),
    # a note collected for the CLI to print
    ("def f(self, n):\n    self.notes.append(f'{n} paragraphs have underlined words')\n",
     [Finding("m.py", 2, "append", "… paragraphs have underlined words")]),
    # what a function named for a piece of a message returns
    ("def _column_hint(alias):\n    return f\"; did you mean '{alias}'?\"\n",
     [Finding("m.py", 2, "return of _column_hint", "; did you mean '…'?")]),
    # not messages: wrapped texts, texts without words, internal errors, keys
    ("import click\nfrom i18n import _\nfrom errors import UsageError\n"
     "def f(x, d):\n    click.echo(_('wrote {x}').format(x=x))\n    click.echo(f'{x}: {d}')\n"
     "    click.echo(d['some key'])\n    raise UsageError(_('no plan {x}').format(x=x))\n"
     "def g(tp):\n    raise TypeError(f'no converter for {tp}')\n",
     []),
], ids=["error-subclass", "echo", "diagnostic", "local-name", "dataclass-field", "value-error", "response",
        "note", "returned-hint", "not-messages"])
def test_the_walk_flags_a_planted_message(source: str, expected: list[Finding]) -> None:
    assert findings({"errors.py": _ERRORS, "m.py": source}) == expected


# --------------------------------------------------------------------------- one failure mode per area


def _headline(p: Project, lang: str) -> list[str]:
    result = p.cli("--lang", lang, "validate", "plans")
    assert result.exit_code == 1, result.output
    heads = [line for line in result.stdout.splitlines() if line.startswith("plans/")]  # helpers know English only
    assert len(heads) == len(headlines(result.stdout.replace(": помилка[", ": error["))), result.output
    return heads


def _with(tmp_path: Path, fixture: str, target: str = "plan") -> Project:
    p = make_project(tmp_path)
    shutil.copy(INPUTS / fixture, p.plan if target == "plan" else p.org)
    return p


def test_too_large_in_both_languages(tmp_path: Path) -> None:
    p = _with(tmp_path, "long-word-6000.yaml")
    assert _headline(p, "uk") == [
        "plans/t/2020-q2.yaml:23:20: помилка[too-large]: слово завдовжки 6000 символів без пробілу; дозволено "
        "щонайбільше 300 (жоден документ не зміг би перенести його на інший рядок)"]
    assert _headline(p, "en") == [
        "plans/t/2020-q2.yaml:23:20: error[too-large]: a word of 6000 characters without a space; at most 300 are "
        "allowed (no document could break it across lines)"]


def test_control_character_in_both_languages(tmp_path: Path) -> None:
    p = _with(tmp_path, "control-vt-in-cell.yaml")
    assert _headline(p, "uk") == [
        "plans/t/2020-q2.yaml:24:24: помилка[control-character]: значення містить символ U+000B, якого не може "
        "містити жоден формат документів; видаліть його"]
    assert _headline(p, "en") == [
        "plans/t/2020-q2.yaml:24:24: error[control-character]: the value holds the character U+000B, which no "
        "document format can hold; remove it"]


def test_look_alike_id_in_both_languages(tmp_path: Path) -> None:
    p = _with(tmp_path, "org-zwj-id.yaml", "org")
    assert _headline(p, "uk") == [
        "plans/t/organisation.yaml:17:9: помилка[look-alike-id]: executors[2].id: id виконавця "
        "'bureau\\u200ddolyna' містить невидимий символ U+200D (ZERO WIDTH JOINER); id мають бути видимим "
        "текстом, інакше два id, що друкуються однаково, різнилися б"]
    assert _headline(p, "en") == [
        "plans/t/organisation.yaml:17:9: error[look-alike-id]: executors[2].id: executor id 'bureau\\u200ddolyna' "
        "holds the invisible character U+200D (ZERO WIDTH JOINER); ids must be visible text, or two ids that "
        "print the same would differ"]


def test_outside_project_in_both_languages(tmp_path: Path) -> None:
    p = make_project(tmp_path)
    shutil.copy(HARDENING / "report-plan-etc-passwd" / "2020-q2.report.yaml", p.org_dir)
    assert _headline(p, "uk") == [
        "plans/t/2020-q2.report.yaml:1:7: помилка[outside-project]: plan: '../../../../../../../../etc/passwd' веде "
        f"до '/etc/passwd', за межі проєкту ({p.root}); файли можуть посилатися лише на файли всередині нього"]
    assert _headline(p, "en") == [
        "plans/t/2020-q2.report.yaml:1:7: error[outside-project]: plan: '../../../../../../../../etc/passwd' leads "
        f"to '/etc/passwd', outside the project ({p.root}); files may name only files inside it"]


def test_term_order_keeps_its_rule_id_in_ukrainian(tmp_path: Path) -> None:
    """The rule was recognised by the English words of its message, so Ukrainian got another rule id."""
    p = make_project(tmp_path)
    p.edit_plan("            term: Квітень\n", "            term: 10.04.2020 – 01.04.2020\n")
    assert _headline(p, "uk") == [
        "plans/t/2020-q2.yaml:19:19: помилка[term-order]: priorities[0].tasks[0].measures[0].term: термін "
        "'10.04.2020 – 01.04.2020' закінчується (01.04.2020) раніше, ніж починається (10.04.2020); спершу "
        "запишіть ранішу дату"]
    assert _headline(p, "en") == [
        "plans/t/2020-q2.yaml:19:19: error[term-order]: priorities[0].tasks[0].measures[0].term: the term "
        "'10.04.2020 – 01.04.2020' ends (01.04.2020) before it starts (10.04.2020); write the earlier date first"]


def _render_error(p: Project, lang: str, fmt: str) -> str:
    """The one error line of a render in its own worker process (``--jobs 2``), which must speak ``lang``."""
    result = p.cli("--lang", lang, "render", "plans", "-o", "out", "-q", "--format", fmt, "--jobs", "2")
    assert result.exit_code == 1, result.output
    assert p.outputs() == []
    lines = [line for line in result.output.splitlines() if line.startswith("plans/t/2020-q2.yaml: ")]
    assert len(lines) == 1, result.output
    return lines[0]


def test_pdf_fetch_refusal_in_both_languages(tmp_path: Path) -> None:
    p = make_project(tmp_path, "fetch-file-url")
    assert _render_error(p, "uk", "pdf") == (
        "plans/t/2020-q2.yaml: помилка: PDF: відмовлено в завантаженні 'file:///etc/passwd': шаблон може "
        "використовувати лише файли зі своєї теки шаблонів і власних шаблонів plandocs")
    assert _render_error(p, "en", "pdf") == (
        "plans/t/2020-q2.yaml: error: PDF: refused to fetch 'file:///etc/passwd': a template may use only files "
        "inside its template folder and plandocs' own templates")


def test_sandbox_refusal_in_both_languages(tmp_path: Path) -> None:
    p = make_project(tmp_path, "docx-exec")
    assert _render_error(p, "uk", "docx") == (
        "plans/t/2020-q2.yaml: помилка: tpl/quarterly-plan.docx: помилка шаблону: доступ до атрибута '__init__' "
        "об'єкта 'type' небезпечний.")
    assert _render_error(p, "en", "docx") == (
        "plans/t/2020-q2.yaml: error: tpl/quarterly-plan.docx: template error: access to attribute '__init__' of "
        "'type' object is unsafe.")


def test_sandbox_recursion_in_both_languages(tmp_path: Path) -> None:
    p = make_project(tmp_path, "sandbox-recursion")
    assert _render_error(p, "uk", "html") == (
        "plans/t/2020-q2.yaml: помилка: tpl/quarterly-plan.html:1: помилка шаблону: шаблон викликає сам себе "
        "надто глибоко (макрос чи include без кінця)")
    assert _render_error(p, "en", "html") == (
        "plans/t/2020-q2.yaml: error: tpl/quarterly-plan.html:1: template error: the template calls itself too "
        "deeply (a macro or include without an end)")


def test_output_error_in_both_languages(tmp_path: Path) -> None:
    p = make_project(tmp_path)
    (p.root / "out" / "t" / "2020-q2.html").mkdir(parents=True)
    for lang, line in (("uk", "plans/t/2020-q2.yaml: помилка: не вдається записати 'out/t/2020-q2.html': на "
                              "цьому місці тека; видаліть або перейменуйте її"),
                       ("en", "plans/t/2020-q2.yaml: error: cannot write 'out/t/2020-q2.html': a folder is in "
                              "the way; remove or rename it")):
        result = p.cli("--lang", lang, "render", "plans", "-o", "out", "-q", "--format", "html", "--jobs", "1")
        assert result.exit_code == 1, result.output
        assert line in result.output.splitlines(), result.output


@pytest.mark.parametrize(("n", "uk", "en"), [
    (1, "сформовано 1 документ у out; 1 без змін (пропущено)",
     "rendered 1 document(s) into out; 1 unchanged (skipped)"),
    (2, "сформовано 2 документи у out; 2 без змін (пропущено)",
     "rendered 2 document(s) into out; 2 unchanged (skipped)"),
    (5, "сформовано 5 документів у out; 5 без змін (пропущено)",
     "rendered 5 document(s) into out; 5 unchanged (skipped)"),
])
def test_batch_summary_plural_forms(n: int, uk: str, en: str) -> None:
    from plandocs.check.validate import ValidationResult, validate
    from plandocs.cli.render import summary
    from plandocs.render.batch import BatchResult, Done, Job

    source = Path(__file__).parent.parent / "plans" / "kalush" / "2020-q2.yaml"
    job = Job(source, "kalush/2020-q2", ("html",), False, Path("out"), validate([source]).plans[0])
    result = BatchResult(ValidationResult(), rendered=[Done(job, 0.0)] * n, skipped=[Path("x.yaml")] * n)
    i18n.set_language("uk")
    assert summary(result, "out").split(" за ")[0] == uk
    i18n.set_language("en")
    assert summary(result, "out").split(" in ")[0] == en


@pytest.mark.parametrize(("lang", "expected"), [
    ("uk", ["## Зміни планів", "",
            "**1 зміна, 1 файл**: забагато для одного коментаря, тому показано лише підсумок і перші зміни; "
            "[повний перелік](https://ci.example/run/1).", "",
            "- `new.yaml`: 1 зміна (1 змінено)", "", "",
            "*… ще 1 зміну не показано (усього 1); [повний перелік](https://ci.example/run/1).*"]),
    ("en", ["## Plan changes", "",
            "**1 change(s) in 1 file(s)**: too many for one comment, so only a summary and the first changes are "
            "shown; [the full list](https://ci.example/run/1).", "",
            "- `new.yaml`: 1 change(s) (1 changed)", "", "",
            "*… 1 more change(s) not shown (1 in all); [the full list](https://ci.example/run/1).*"]),
])
def test_shortened_pull_request_comment_in_both_languages(tmp_path: Path, lang: str, expected: list[str]) -> None:
    from plandocs.review.diff import plan_diff
    from plandocs.review.diff.output import render_markdown

    shutil.copy(VALID / "organisation.yaml", tmp_path / "organisation.yaml")
    text = (VALID / "plan.yaml").read_text(encoding="utf-8")
    (tmp_path / "old.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(text.replace("term: Квітень", "term: Травень"), encoding="utf-8")
    i18n.set_language(lang)
    with contextlib.chdir(tmp_path):
        result = plan_diff(["old.yaml", "new.yaml"], [], cwd=tmp_path)
    assert render_markdown(result, limit=120, link="https://ci.example/run/1").splitlines() == expected


def test_comparative_table_sentence_in_both_languages(tmp_path: Path) -> None:
    shutil.copy(VALID / "organisation.yaml", tmp_path / "organisation.yaml")
    text = (VALID / "plan.yaml").read_text(encoding="utf-8")
    (tmp_path / "old.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(text.replace("term: Квітень", "term: Травень"), encoding="utf-8")
    for lang, line in (("uk", "записано t.html: 1 рядок, 1 зміна"), ("en", "wrote t.html: 1 row(s), 1 change(s)")):
        result = run_cli(["--lang", lang, "diff", "old.yaml", "new.yaml", "--format", "html", "-o", "t.html"],
                         tmp_path)
        assert result.exit_code == 1, result.output  # diff(1): 1 when something changed
        assert line in result.output.splitlines(), result.output


def test_import_error_in_both_languages(tmp_path: Path) -> None:
    for lang, text in (("uk", "Помилка: nothing.docx: такого файлу немає"),
                       ("en", "Error: nothing.docx: no such file")):
        result = run_cli(["--lang", lang, "import", "nothing.docx", "-o", "plans/x"], tmp_path)
        assert result.exit_code == 1, result.output
        assert text in result.output.splitlines(), result.output


def test_serve_pages_and_errors_in_both_languages(tmp_path: Path) -> None:
    from serve_support import running_server

    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(VALID / "organisation.yaml", root / "organisation.yaml")
    (root / "plan.yaml").write_text((VALID / "plan.yaml").read_text(encoding="utf-8").replace(
        "executor: legal-education", "executor: legal-educaton"), encoding="utf-8")
    for lang, missing, head, status, problem in (
            ("uk", "'nothere.yaml' не є файлом плану, звіту чи організації в теці перегляду",
             "<tr><th>файл</th><th>вид</th><th>стан</th></tr>", "<td>план</td>\n<td class=\"bad\">2 помилки</td>",
             'title="відкрити в редакторі">plan.yaml:18:23</a>:\n<span class="rule">помилка[unknown-executor]</span>'),
            ("en", "'nothere.yaml' is not a plan, report or organisation file in the served folder",
             "<tr><th>file</th><th>kind</th><th>status</th></tr>", "<td>plan</td>\n<td class=\"bad\">2 error(s)</td>",
             'title="open in the editor">plan.yaml:18:23</a>:\n<span class="rule">error[unknown-executor]</span>')):
        i18n.set_language(lang)
        with running_server(root) as s:
            code, body, _headers = s.get("/view/nothere.yaml")
            assert (code, body.decode()) == (404, missing)
            s.wait_state("", lambda st: "bad" in st["panel"], "the plan's error in the list")
            with urllib.request.urlopen(s.url + "/", timeout=30) as resp:
                page = resp.read().decode()
            assert f'<html lang="{lang}">' in page
            assert head in page and status in page, page
            with urllib.request.urlopen(s.url + "/view/plan.yaml", timeout=30) as resp:
                page = resp.read().decode()
            assert problem in page, page


def test_english_locale_still_reads_no_catalogue_after_the_new_messages() -> None:
    """Wrapping the messages must not load the catalogue for English (validate's start-up)."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "PLANDOCS_LANG")}
    code = ("from plandocs.files.paths import confine\nfrom pathlib import Path\nfrom plandocs import i18n\n"
            "confine(Path('.'), '../../x', Path('.').resolve())\nprint(i18n._catalogue)")
    proc = subprocess.run([sys.executable, "-c", code], env={**env, "LANG": "C.UTF-8"}, capture_output=True,
                          text=True, timeout=30, check=False)
    assert proc.stdout.strip() == "None", proc.stderr
