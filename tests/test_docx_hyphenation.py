"""The DOCX carries its own hyphenation points (issue 10: «допомо-ги» in LibreOffice before).

Word's and LibreOffice's automatic hyphenation has no minimum of letters on each side of a break, so the
renderer turns it off and puts ``w:softHyphen`` into the measures table's body text at pyphen's points, with
three letters at least before and after and only in words of seven letters or more (the PDF's
``hyphenate-limit-chars: 7 3 3``). Header cells, stamps, titles and signatures get none.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from conftest import PLANS
from plandocs.check.validate import validate
from plandocs.render.docx import render_docx
from plandocs.render.docx_hyphens import hyphenation_points, run_content
from plandocs.view.plan import build_view
from plandocs.view.types import DocumentView

TEMPLATES = Path(__file__).parent.parent / "src" / "plandocs" / "templates"
NAMES = ("kalush", "kherson", "odesa", "pokrovsk", "zhytomyr")
SOFT = "\u00ad"


@cache
def views() -> dict[str, DocumentView]:
    result = validate([PLANS])
    assert result.ok
    return {lp.path.parent.name: build_view(lp.plan, lp.organisation) for lp in result.plans}


@cache
def rendered(name: str) -> bytes:
    view = views()[name]
    return render_docx(view, TEMPLATES / f"{view.kind}.docx")


def broken(text: str) -> str:
    return "".join(text[i - 1:i] + SOFT if i in set(hyphenation_points(text)) else text[i - 1:i]
                   for i in range(1, len(text) + 1))


def marked_text(p: Any) -> str:
    """A paragraph's text with U+00AD where it holds a ``w:softHyphen``."""
    return "".join(SOFT if el.tag == qn("w:softHyphen") else el.text or "" for el in p.iter(qn("w:t"),
                                                                                          qn("w:softHyphen")))


def paragraphs(data: bytes) -> list[Any]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return list(root.iter(qn("w:p")))


# --------------------------------------------------------------------------- the points


@pytest.mark.parametrize(("word", "expected"), [
    ("допомоги", "допо\u00adмоги"),  # not «допомо-ги»: two letters after
    ("кварталу", "ква\u00adр\u00adталу"),  # not «квартал-у»
    ("системи", "сис\u00adтеми"),  # seven letters: hyphenated, as in the PDF
    ("правда", "правда"),  # six letters: never
    ("розʼяснення", "розʼя\u00adс\u00adне\u00adння"),  # never beside the apostrophe («роз-ʼяснення»)
    ("COVID-19", "COVID-19"),
    ("97-вр", "97-вр"),
])
def test_hyphenation_points_keep_three_letters_each_side(word: str, expected: str) -> None:
    assert broken(word) == expected


def test_a_compound_is_hyphenated_part_by_part() -> None:
    # «Івано» is too short, and no soft hyphen stands beside the compound's own hyphen
    assert broken("Івано-Франківській") == "Івано-" + broken("Франківській")
    assert broken("Франківській").startswith("Фра\u00ad")


def test_run_content_escapes_and_keeps_spaces() -> None:
    assert run_content(" a < b ", hyphenate=True) == '<w:t xml:space="preserve"> a &lt; b </w:t>'
    assert run_content("допомоги", hyphenate=True) == "<w:t>допо</w:t><w:softHyphen/><w:t>моги</w:t>"
    assert run_content("допомоги", hyphenate=False) == "<w:t>допомоги</w:t>"
    assert run_content("a\rb", hyphenate=False) == "<w:t>a&#13;b</w:t>"


# --------------------------------------------------------------------------- the rendered documents


@pytest.mark.parametrize("name", NAMES)
def test_no_automatic_hyphenation(name: str) -> None:
    with zipfile.ZipFile(io.BytesIO(rendered(name))) as z:
        settings = etree.fromstring(z.read("word/settings.xml"))
    assert settings.find(qn("w:autoHyphenation")) is None


def test_the_templates_ask_for_no_automatic_hyphenation() -> None:
    for path in sorted(TEMPLATES.glob("*.docx")):
        with zipfile.ZipFile(path) as z:
            assert b"autoHyphenation" not in z.read("word/settings.xml"), path.name


def test_an_organisations_template_asking_for_automatic_hyphenation_gets_none(tmp_path: Path) -> None:
    view = views()["kalush"]
    own = tmp_path / "own.docx"
    with zipfile.ZipFile(TEMPLATES / f"{view.kind}.docx") as src, zipfile.ZipFile(own, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "word/settings.xml":
                data = re.sub(rb"(<w:defaultTabStop [^>]*/>)", rb"\1<w:autoHyphenation/>", data, count=1)
                assert b"autoHyphenation" in data
            dst.writestr(item, data)
    with zipfile.ZipFile(io.BytesIO(render_docx(view, own))) as z:
        assert b"autoHyphenation" not in z.read("word/settings.xml")


APOSTROPHES = "'’ʼ"
WORD_END = re.compile(r"(?:[^\W\d_]|['’])*$")
WORD_START = re.compile(r"(?:[^\W\d_]|['’])*")


def letters(s: str) -> int:
    return sum(ch not in APOSTROPHES for ch in s)


@pytest.mark.parametrize("name", NAMES)
def test_every_soft_hyphen_has_three_letters_each_side(name: str) -> None:
    found = 0
    for p in paragraphs(rendered(name)):
        text = marked_text(p)
        for i in (i for i, ch in enumerate(text) if ch == SOFT):
            found += 1
            before = WORD_END.search(text[:i].replace(SOFT, ""))
            after = WORD_START.match(text[i + 1:].replace(SOFT, ""))
            assert before and after, (name, text)
            b, a = letters(before.group()), letters(after.group())
            assert b >= 3 and a >= 3 and b + a >= 7, (name, text, i)
    assert found > 500, name


def test_kalush_body_cells_carry_the_points_and_the_text_stays_whole() -> None:
    doc = Document(io.BytesIO(rendered("kalush")))
    table = max(doc.tables, key=lambda t: len(t.rows))
    (cell, *_more) = [c for row in table.rows for c in row.cells
                      if c.text == "Відділ «Долинське бюро правової допомоги»"]
    assert marked_text(cell.paragraphs[0]._p) == ("Відділ «Доли\u00adн\u00adське бюро "
                                                  "пра\u00adво\u00adвої допо\u00adмоги»")  # not «допомо-ги»
    assert all(SOFT not in p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs)


@pytest.mark.parametrize("name", NAMES)
def test_headers_stamps_titles_and_signatures_have_no_soft_hyphen(name: str) -> None:
    data = rendered(name)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        styles = etree.fromstring(z.read("word/styles.xml"))
    unhyphenated = {s.get(qn("w:styleId")) for s in styles.iter(qn("w:style"))
                    if s.find(f"{qn('w:pPr')}/{qn('w:suppressAutoHyphens')}") is not None}
    assert {"PlanStamp", "PlanTitle", "PlanSignature"} <= unhyphenated
    checked = 0
    for p in paragraphs(data):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        direct = p.find(f"{qn('w:pPr')}/{qn('w:suppressAutoHyphens')}") is not None
        if direct or (style is not None and style.get(qn("w:val")) in unhyphenated):
            checked += 1
            assert p.find(f".//{qn('w:softHyphen')}") is None, marked_text(p)
    assert checked > 5


# --------------------------------------------------------------------------- as LibreOffice lays it out


def _line_end_fragments(pdf: Path) -> list[str]:
    """The letters before a hyphen that ends a line, in every line of ``pdf`` (pdftotext -bbox-layout)."""
    html = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True,
                          timeout=60).stdout
    root = etree.fromstring(html, etree.HTMLParser(encoding="utf-8"))
    ends = ["".join(line.itertext()).split()[-1] for line in root.iter("line") if "".join(line.itertext()).split()]
    return [m.group(1) for w in ends if (m := re.search(r"((?:[^\W\d_]|['’])+)[-\u00ad]$", w))]


def _allowed_fragments(data: bytes) -> set[str]:
    """What may stand before a line-end hyphen: a word's letters up to one of its soft hyphens (from its start
    or from an earlier soft hyphen), or a compound's part before its own hyphen."""
    allowed: set[str] = set()
    for p in paragraphs(data):
        text = marked_text(p)
        for word in re.findall(r"(?:[^\W\d_]|['’\u00ad])+", text):
            pieces = word.split(SOFT)
            allowed |= {"".join(pieces[j:i]).casefold() for i in range(1, len(pieces)) for j in range(i)}
        allowed |= {m.casefold() for m in re.findall(r"((?:[^\W\d_]|['’])+)[-\u2010]", text.replace(SOFT, ""))}
    return allowed


def test_libreoffice_breaks_kalush_only_at_its_soft_hyphens(tmp_path: Path) -> None:
    data = rendered("kalush")
    (tmp_path / "kalush.docx").write_bytes(data)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "kalush.docx")],
                   check=True, capture_output=True, timeout=180)
    fragments = _line_end_fragments(tmp_path / "kalush.pdf")
    allowed = _allowed_fragments(data)
    assert len(fragments) > 50  # body cells are hyphenated
    assert [f for f in fragments if f.casefold() not in allowed] == []
    assert [f for f in fragments if letters(f) < 3] == []
