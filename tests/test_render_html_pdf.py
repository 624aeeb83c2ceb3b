"""HTML and PDF rendering: structure, escaping, strictness, sandbox, determinism, atomic output."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from jinja2.exceptions import SecurityError

from plandocs.check.validate import validate
from plandocs.cli import main
from plandocs.errors import TemplateFailure, UsageError
from plandocs.files.write import safe_target, write_outputs
from plandocs.render.html import render_html
from plandocs.render.manifest import MANIFEST_NAME
from plandocs.render.pdf import render_pdf
from plandocs.render.pipeline import output_relpath
from plandocs.render.templating import resolve_org_templates, template_dirs
from plandocs.view.plan import build_view

REPO = Path(__file__).parent.parent
PLANS = REPO / "plans"


def _view(org: str):  # type: ignore[no-untyped-def]
    res = validate([PLANS / org])
    assert res.ok, res.diagnostics.items
    (lp,) = res.plans
    return lp, build_view(lp.plan, lp.organisation)


class _Cells(HTMLParser):
    """Collects table rows as lists of (tag, attrs, text)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[tuple[str, dict[str, str | None], str]]] = []
        self.section = ""
        self._cell: tuple[str, dict[str, str | None]] | None = None
        self._text: list[str] = []
        self.head_rows = 0
        self.lang = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            self.lang = dict(attrs).get("lang") or ""
        if tag in ("thead", "tbody"):
            self.section = tag
        if tag == "tr":
            self.rows.append([])
            if self.section == "thead":
                self.head_rows += 1
        if tag in ("td", "th"):
            self._cell = (tag, dict(attrs))
            self._text = []
        if tag == "br" and self._cell:
            self._text.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell:
            self.rows[-1].append((self._cell[0], self._cell[1], "".join(self._text)))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell:
            self._text.append(data)


def _parse(html: str) -> _Cells:
    p = _Cells()
    p.feed(html)
    return p


def test_kalush_html_structure_merges_and_headers() -> None:
    _lp, view = _view("kalush")
    html = render_html(view, template_dirs(None))
    cells = _parse(html)
    assert cells.lang == "uk"
    assert cells.head_rows == 1
    header = [text for _, _, text in cells.rows[0]]
    assert header == [
        "п/п", "Найменування завдання", "Найменування заходу для виконання завдання",
        "Відповідальний виконавець заходу (на рівні відділу або службової особи)",
        "Термін (дата) виконання заходу", "Найменування показників результативності виконання заходу",
        "Значення показника результативності виконання заходу",
    ]
    assert all(attrs.get("scope") == "col" for _, attrs, _ in cells.rows[0])
    # the priority row spans the full width
    tag, attrs, text = cells.rows[1][0]
    assert (tag, attrs.get("colspan"), text) == (
        "th", "7", "Пріоритет I. Суб'єкти відповідного права мають рівний доступ до БПД")
    # task 1.1: № and task cells span measure 1.1.1 (7 rows) + 1.1.2 (1 row)
    first = cells.rows[2]
    assert [(t, a.get("rowspan"), x) for t, a, x in first[:3]] == [
        ("td", "8", "1"),
        ("td", "8", "1.1 Проведення інформаційно - роз'яснювальних правопросвітницьких заходів для населення, "
                    "спрямованих на підвищення рівня обізнаності про систему надання БПД"),
        ("td", "7", "1.1.1 Інформаційно-роз'яснювальні правопросвітницькі заходи (робочі та тематичні зустрічі) "
                    "для населення щодо можливості отримати БПД від держави"),
    ]
    assert [x for _, _, x in first[3:]] == [
        "Відділ правопросвітництва та надання безоплатної правової допомоги", "Квітень",
        "Кількість робочих зустрічей", "1"]
    # the next row holds only the row cells (executor, term, indicator, value); quotes become «»
    assert [x for _, _, x in cells.rows[3]] == [
        "Відділ «Болехівське бюро правової допомоги»", "Квітень", "Кількість робочих зустрічей", "1"]
    assert "«19» березня 2020\u00a0року" in html and "Желізняк Л.Б." in html


def test_zhytomyr_two_level_header_and_spanning_text_value() -> None:
    _, view = _view("zhytomyr")
    cells = _parse(render_html(view, template_dirs(None)))
    assert cells.head_rows == 2
    values_head = [(a.get("colspan"), x) for _, a, x in cells.rows[0] if a.get("colspan")]
    assert values_head == [("5", "Значення показників результативності виконання заходу по регіону в цілому та в "
                                 "розрізі виконавців окремо")]
    assert [x for _, _, x in cells.rows[1]] == ["I", "II", "III", "IV", "Разом"]
    spanning = [(a.get("colspan"), x) for row in cells.rows for _, a, x in row if x == "Відповідно до доручень КЦ"]
    assert spanning == [("5", "Відповідно до доручень КЦ"), ("5", "Відповідно до доручень КЦ")]
    # № counts tasks by the last part of their id: task 4.3 is № 3, as printed in the seed
    numbers = [x for row in cells.rows for _, a, x in row if "number" in (a.get("class") or "")]
    assert numbers[-1] == "3"


def test_kherson_funding_header_years_by_sources_and_decimal_comma() -> None:
    _, view = _view("kherson")
    cells = _parse(render_html(view, template_dirs(None)))
    assert cells.head_rows == 3
    assert [(a.get("colspan"), x) for _, a, x in cells.rows[1]] == [("2", "2008"), ("2", "2009"), ("2", "2010")]
    assert [x for _, _, x in cells.rows[2]] == ["Міськ. бюджет", "Фонд конкурсу"] * 3
    first_body = [x for _, _, x in cells.rows[3]]
    assert first_body[0] == "I." and first_body[-6:] == ["24,4", "-", "-", "-", "-", "-"]
    # the decision has no total row, so none is printed: the last row is section III's last measure
    assert not any("Усього" in x for row in cells.rows for _, _, x in row)
    assert [x for _, _, x in cells.rows[-1]][-6:] != ["29,8", "-", "-", "-", "-", "-"]


def test_kherson_computed_total_only_when_asked_and_labelled() -> None:
    """``funding.total: true`` adds «Усього (обчислено)»: sections I (24,4), II (3,8) and III (1,6); a section's
    amount stands for its sub-items, so the 0,1 of I's tasks is not added again (rule funding-sum warns)."""
    from dataclasses import replace
    lp, _ = _view("kherson")
    assert lp.plan.funding is not None and lp.plan.funding.total is False
    plan = replace(lp.plan, funding=replace(lp.plan.funding, total=True))
    cells = _parse(render_html(build_view(plan, lp.organisation), template_dirs(None)))
    last = cells.rows[-1]
    assert [(a.get("colspan"), x) for _, a, x in last] == [("4", "Усього (обчислено)"), (None, "29,8")] + \
        [(None, "-")] * 5


def test_escaping_strict_undefined_and_template_errors(tmp_path: Path) -> None:
    _lp, view = _view("kalush")
    tricky = 'Зв\'язки & <b>не тег</b> "лапки"'
    from dataclasses import replace
    html = render_html(replace(view, title=(tricky,)), template_dirs(None))
    assert "Зв&#39;язки &amp; &lt;b&gt;не тег&lt;/b&gt; &#34;лапки&#34;" in html
    assert "<b>не тег</b>" not in html
    (tmp_path / "quarterly-plan.html").write_text('{% extends "base.html" %}{% block title %}{{ doc.nonexistent }}'
                                                  '{% endblock %}', encoding="utf-8")
    with pytest.raises(TemplateFailure, match=r"quarterly-plan.html:1: template error: .*nonexistent"):
        render_html(view, template_dirs(tmp_path))


def test_user_templates_are_sandboxed_and_confined(tmp_path: Path) -> None:
    _, view = _view("kalush")
    (tmp_path / "quarterly-plan.html").write_text("{{ doc.__class__.__init__.__globals__ }}", encoding="utf-8")
    with pytest.raises((TemplateFailure, SecurityError)):
        render_html(view, template_dirs(tmp_path))
    (tmp_path / "quarterly-plan.html").write_text('{% include "../../../etc/passwd" %}', encoding="utf-8")
    with pytest.raises(TemplateFailure, match="template error"):
        render_html(view, template_dirs(tmp_path))
    outside = tmp_path / "outside"
    project = tmp_path / "project"
    outside.mkdir()
    (project / "plans" / "org").mkdir(parents=True)
    org_file = project / "plans" / "org" / "organisation.yaml"
    with pytest.raises(UsageError, match="is outside the project"):
        resolve_org_templates(org_file, "../../../outside", project)
    (project / "tpl").mkdir()
    assert resolve_org_templates(org_file, "../../tpl", project) == (project / "tpl").resolve()


def test_organisation_template_overrides_the_default(tmp_path: Path) -> None:
    _, view = _view("kalush")
    (tmp_path / "quarterly-plan.html").write_text(
        '{% extends "base.html" %}{% block title %}<h1 class="own">Власний заголовок</h1>{% endblock %}',
        encoding="utf-8")
    html = render_html(view, template_dirs(tmp_path))
    assert '<h1 class="own">Власний заголовок</h1>' in html
    assert '<h1 class="title">' not in html
    assert "Відділ «Болехівське бюро правової допомоги»" in html


def test_pdf_is_deterministic_and_has_metadata(tmp_path: Path) -> None:
    _lp, view = _view("kherson")
    html = render_html(view, template_dirs(None), paged=True)
    a = render_pdf(html, tmp_path, view.date)
    b = render_pdf(html, tmp_path, view.date)
    assert a == b
    assert a.startswith(b"%PDF-")
    info = subprocess.run(["pdfinfo", "-"], input=a, capture_output=True, check=True).stdout.decode()
    assert re.search(r"Title:\s+Основні заходи реалізації міської програми", info)
    assert re.search(r"Author:\s+Херсонська міська рада", info)
    assert re.search(r"Subject:\s+Міська програма, 2008-2010", info)
    assert "Page size:       841.89 x 595.276 pts (A4)" in info
    fonts = subprocess.run(["pdffonts", "-"], input=a, capture_output=True, check=True).stdout.decode()
    assert "Liberation-Serif" in fonts


def test_pdf_a_attaches_the_source(tmp_path: Path) -> None:
    lp, view = _view("kalush")
    html = render_html(view, template_dirs(None), paged=True)
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(render_pdf(html, tmp_path, view.date, attachments=[lp.path], pdf_a=True))
    listing = subprocess.run(["pdfdetach", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "1: 2020-q2.yaml" in listing
    xmp = subprocess.run(["pdfinfo", "-meta", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"pdfaid:part[^0-9]*3", xmp) and re.search(r"pdfaid:conformance[^A-Z]*B", xmp), xmp


def test_output_paths_mirror_plans_and_refuse_escapes(tmp_path: Path) -> None:
    assert output_relpath(PLANS / "zhytomyr" / "2023.yaml", [PLANS]) == Path("zhytomyr/2023")
    assert output_relpath(PLANS / "zhytomyr" / "2023.yaml", [PLANS / "zhytomyr"]) == Path("zhytomyr/2023")
    with pytest.raises(UsageError, match="outside the output folder"):
        safe_target(tmp_path, Path("../evil.pdf"))
    with pytest.raises(UsageError, match="must be relative"):
        safe_target(tmp_path, Path("/etc/evil.pdf"))
    (tmp_path / "link").symlink_to("/tmp")
    with pytest.raises(UsageError, match="outside the output folder"):
        safe_target(tmp_path, Path("link/evil.pdf"))


def test_write_is_atomic_and_cleans_leftovers(tmp_path: Path) -> None:
    (tmp_path / "org").mkdir()
    (tmp_path / "org" / ".plan.pdf.plandocs-tmp-999").write_bytes(b"half")
    written = write_outputs({Path("org/plan.pdf"): b"%PDF", Path("org/plan.html"): b"<html>"}, tmp_path)
    assert sorted(p.name for p in written) == ["plan.html", "plan.pdf"]
    assert sorted(p.name for p in (tmp_path / "org").iterdir()) == ["plan.html", "plan.pdf"]


def test_invalid_plan_is_reported_and_others_still_render(tmp_path: Path) -> None:
    plans = tmp_path / "plans"
    for org in ("kalush", "kherson"):
        (plans / org).mkdir(parents=True)
        for f in (PLANS / org).iterdir():
            (plans / org / f.name).write_bytes(f.read_bytes())
    bad = plans / "kherson" / "2008-2010.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("kind: city-programme", "kind: city-program"),
                   encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(plans), "-o", str(tmp_path / "out"), "--format", "html"])
    assert result.exit_code == 1
    assert "error[invalid-value]: kind: expected one of quarterly-plan, annual-plan, action-plan, city-programme, " \
           "programme; got 'city-program'; did you mean 'city-programme'?" in result.output
    assert sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*.*")) == \
        [MANIFEST_NAME, "kalush/2020-q2.html"]


def test_render_killed_midway_leaves_no_partial_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "plandocs", "render", str(PLANS), "-o", str(out),
                             "--format", "html,pdf"], cwd=REPO, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not list(out.rglob("*.pdf")):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    finished = {p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")}
    # every document that exists under its real name is complete: a PDF ends with %%EOF, HTML with </html>
    for p in finished:
        data = p.read_bytes()
        assert data.rstrip().endswith(b"%%EOF" if p.suffix == ".pdf" else b"</html>"), p
    # the next render removes what the killed one left behind and completes the set
    subprocess.run([sys.executable, "-m", "plandocs", "render", str(PLANS), "-o", str(out), "-q",
                    "--format", "html,pdf"], cwd=REPO, check=True, capture_output=True)
    # (the manifest is the one hidden file a render keeps; it records only documents written completely)
    assert [p.name for p in out.rglob(".*") if p.is_file()] == [MANIFEST_NAME]
    assert len(list(out.rglob("*.pdf"))) == 10  # five seed plans, the Odesa report, the Kharkiv form, three KMU plans



def test_organisation_templates_with_own_title_block_and_logo(tmp_path: Path) -> None:
    """An organisation points `templates:` to its folder: its title block and logo appear in HTML and PDF."""
    from PIL import Image

    project = tmp_path / "project"
    (project / "plans" / "kalush").mkdir(parents=True)
    for f in (PLANS / "kalush").glob("*.yaml"):
        (project / "plans" / "kalush" / f.name).write_bytes(f.read_bytes())
    org = project / "plans" / "kalush" / "organisation.yaml"
    org.write_text(org.read_text(encoding="utf-8") + "templates: ../../templates\n", encoding="utf-8")
    tpl = project / "templates"
    tpl.mkdir()
    Image.new("RGB", (40, 20), (20, 60, 140)).save(tpl / "logo.png")
    (tpl / "quarterly-plan.html").write_text(
        '{% extends "base.html" %}{% block title %}<img class="logo" src="logo.png" alt="Герб">'
        '<h1 class="own">{{ doc.title[0] }}</h1>{% endblock %}', encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["render", str(project / "plans"), "-o", str(out), "--format", "html,pdf"])
    assert result.exit_code == 0, result.output
    html = (out / "kalush" / "2020-q2.html").read_text(encoding="utf-8")
    assert '<img class="logo" src="logo.png" alt="Герб"><h1 class="own">КВАРТАЛЬНИЙ ПЛАН ЗАХОДІВ</h1>' in html
    images = subprocess.run(["pdfimages", "-list", str(out / "kalush" / "2020-q2.pdf")], capture_output=True,
                            text=True, check=True).stdout.splitlines()[2:]
    assert len(images) == 1 and images[0].split()[3:5] == ["40", "20"]


def test_sandbox_fast_path_knows_every_view_record() -> None:
    """The sandbox skips its per-attribute checks only for the view's own records; when they move, the
    fast path must follow them (else HTML renders a third slower with the same bytes)."""
    import dataclasses

    from plandocs.render.templating import _view_types
    from plandocs.view import types

    records = {t for t in vars(types).values() if isinstance(t, type) and dataclasses.is_dataclass(t)}
    assert records and _view_types() == records
