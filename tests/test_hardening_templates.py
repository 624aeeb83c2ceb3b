"""Issue 16: an organisation's templates are untrusted. Each case is the payload that worked, rendered for
real into DOCX, HTML and PDF through the CLI; the fixture folder ``tests/fixtures/hardening/<case>/``
holds the template exactly as found."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from hardening_support import HARDENING, Project, embedded_files, make_project

REFUSED = "plans/t/2020-q2.yaml: error: "


def _no_documents(p: Project) -> None:
    assert p.outputs() == [], p.outputs()


def test_docx_template_cannot_run_code(tmp_path: Path) -> None:
    p = make_project(tmp_path, "docx-exec")
    result = p.render()
    assert result.exit_code == 1, result.output
    # the sandbox stops at the first dunder: ``cycler`` is a class there
    assert (f"{REFUSED}tpl/quarterly-plan.docx: template error: "
            "access to attribute '__init__' of 'type' object is unsafe.") in result.output, result.output
    assert "uid=" not in result.output
    _no_documents(p)


def test_docx_template_include_is_a_clear_error(tmp_path: Path) -> None:
    p = make_project(tmp_path, "docx-include")
    result = p.render("--format", "docx")
    assert result.exit_code == 1, result.output
    assert (f"{REFUSED}tpl/quarterly-plan.docx: template error: "
            "a DOCX template cannot include other templates ('base.html')") in result.output, result.output
    _no_documents(p)


def test_docx_template_range_bomb_is_a_clear_error(tmp_path: Path) -> None:
    p = make_project(tmp_path, "docx-overflow")
    result = p.render("--format", "docx")
    assert result.exit_code == 1, result.output
    assert (f"{REFUSED}tpl/quarterly-plan.docx: template error: "
            "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).") in result.output
    _no_documents(p)


def test_docx_template_that_is_not_a_zip(tmp_path: Path) -> None:
    p = make_project(tmp_path, "docx-not-zip")
    result = p.render("--format", "docx")
    assert result.exit_code == 1, result.output
    assert (f"{REFUSED}tpl/quarterly-plan.docx: not a Word document (.docx is a zip package); "
            "save the template from Word or LibreOffice as .docx") in result.output, result.output
    _no_documents(p)


@pytest.mark.parametrize(("case", "message"), [
    ("sandbox-overflow", "Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000)."),
    ("sandbox-recursion", "the template calls itself too deeply (a macro or include without an end)"),
])
def test_html_sandbox_limits_are_clear_errors(tmp_path: Path, case: str, message: str) -> None:
    p = make_project(tmp_path, case)
    result = p.render("--format", "html")
    assert result.exit_code == 1, result.output
    assert f"{REFUSED}tpl/quarterly-plan.html:1: template error: {message}" in result.output, result.output
    _no_documents(p)


@pytest.mark.parametrize(("case", "url"), [
    ("fetch-file-url", "file:///etc/passwd"),
    ("fetch-parent", "file://{root}/plans/t/organisation.yaml"),  # WeasyPrint asks for the joined URL
    ("fetch-http-import", "http://127.0.0.1:9/x.css"),
    ("fetch-http-img", "http://127.0.0.1:9/i.png"),
    ("fetch-http-background", "http://127.0.0.1:9/bg.png"),
])
def test_pdf_fetches_outside_the_template_folders_are_refused(tmp_path: Path, case: str, url: str) -> None:
    p = make_project(tmp_path, case)
    url = url.format(root=p.root)
    result = p.render()
    assert result.exit_code == 1, result.output
    assert (f"{REFUSED}PDF: refused to fetch '{url}': a template may use only files inside its template "
            "folder and plandocs' own templates") in result.output, result.output
    _no_documents(p)  # no PDF with the file embedded, and no DOCX/HTML of a set that failed


def test_pdf_attachment_inside_the_template_folder_still_works(tmp_path: Path) -> None:
    p = make_project(tmp_path, "fetch-allowed")
    result = p.render()
    assert result.exit_code == 0, result.output
    assert embedded_files(p.root / "out/t/2020-q2.pdf") == ["notes.txt"]


def test_template_that_is_a_symlink_out_of_the_project_is_refused(tmp_path: Path) -> None:
    p = make_project(tmp_path, "fetch-allowed")
    (p.root / "tpl/quarterly-plan.html").unlink()
    os.symlink("/etc/passwd", p.root / "tpl/quarterly-plan.html")
    result = p.render("--format", "html")
    assert result.exit_code == 1, result.output
    assert (f"{REFUSED}template 'quarterly-plan.html' is a link to '/etc/passwd', outside its template "
            "folder; templates must be real files inside it") in result.output, result.output
    assert "root:" not in result.output
    _no_documents(p)


def test_default_templates_render_docx_with_the_sandbox(tmp_path: Path) -> None:
    """The sandboxed DOCX path still renders the shipped templates (their text reaches the document)."""
    p = make_project(tmp_path)
    result = p.render("--format", "docx")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(p.root / "out/t/2020-q2.docx") as z:
        # the table's words carry soft hyphens between their w:t pieces
        text = z.read("word/document.xml").decode().replace("</w:t><w:softHyphen/><w:t>", "")
        assert "Робочі зустрічі з населенням" in text


PAYLOADS = (HARDENING / "sandbox-payloads.txt").read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("fmt", ["html", "docx"])
@pytest.mark.parametrize("payload", PAYLOADS)
def test_sandbox_holds_against_escape_payloads(tmp_path: Path, payload: str, fmt: str) -> None:
    """What held for HTML (15 payloads) now holds for DOCX too: a clear error, no output, no code run."""
    from docx import Document

    p = make_project(tmp_path, "fetch-allowed")
    if fmt == "html":
        (p.root / "tpl/quarterly-plan.html").write_text(payload + "\n", encoding="utf-8")
    else:
        d = Document()
        d.add_paragraph(payload)
        d.save(str(p.root / "tpl/quarterly-plan.docx"))
    result = p.render("--format", fmt)
    assert "uid=" not in result.output and "<class" not in result.output
    assert result.exit_code == 1, result.output
    assert f"{REFUSED}tpl/quarterly-plan.{fmt}" in result.output, result.output
    _no_documents(p)
