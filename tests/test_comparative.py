"""The comparative table of an amended plan (issue 15): rows, emphasis, DOCX runs, CLI.

Every seed plan has two versions under tests/fixtures/amend/ (scripts/make_amend_fixtures.py) with one
change of every kind; expected.json lists them from the edits themselves, so the table must name each of
them and nothing else.
"""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from plandocs.review.amend import Amendment, comparative_document, tracked_document, versions
from plandocs.review.comparative import ComparisonRow, Headings, comparative_view, comparison_rows
from plandocs.review.diff.compare import compare_plans
from plandocs.view.types import Span
from review_support import REVIEW, GitRepo, cli, edit

AMEND = Path(__file__).parent / "fixtures" / "amend"
SEEDS = ("kalush", "zhytomyr", "odesa", "pokrovsk", "kherson")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FIELD_LABELS = {"value": ("Значення показника", "Фінансування"), "term": ("Термін виконання",),
                "executor": ("Відповідальний виконавець",), "title": ("Захід",)}


def rows_of(seed: str) -> list[ComparisonRow]:
    result = Amendment()
    pair = versions([str(AMEND / seed / "before.yaml"), str(AMEND / seed / "after.yaml")], [], Path.cwd(), result)
    assert pair is not None, result.diagnostics.items
    old, new = pair
    changes, _ = compare_plans(old.plan, new.plan)
    return comparison_rows(changes, old.plan, new.plan, [new.organisation, old.organisation])


def text(lines: tuple[tuple[Span, ...], ...], mark: str | None = None) -> str:
    return "\n".join("".join(s.text for s in line if mark is None or s.mark == mark) for line in lines)


def marked(lines: tuple[tuple[Span, ...], ...], mark: str) -> list[str]:
    return [s.text for line in lines for s in line if s.mark == mark]


@pytest.mark.parametrize("seed", SEEDS)
def test_the_table_names_every_change_and_nothing_else(seed: str) -> None:
    expected = json.loads((AMEND / seed / "expected.json").read_text(encoding="utf-8"))["rows"]
    rows = rows_of(seed)
    kinds = {"value": "changed", "term": "changed", "executor": "changed", "title": "changed"}
    want = Counter((kinds.get(e["kind"], e["kind"]), e["id"]) for e in expected if e["kind"] != "requisite")
    want = Counter({k: 1 for k in want})  # several edits of one measure make one row
    got = Counter((r.kind, r.id) for r in rows if r.kind != "requisite")
    assert got == want
    requisites = [r for r in rows if r.kind == "requisite"]
    assert [r.id.split(".")[0].split("[")[0] for r in requisites] == \
        [e["field"].split("[")[0] for e in expected if e["kind"] == "requisite"]
    by_id = {r.id: r for r in rows}
    for e in expected:
        if e["kind"] not in FIELD_LABELS:
            continue
        row = by_id[e["id"]]
        assert any(label in text(row.after) for label in FIELD_LABELS[e["kind"]]), (e, text(row.after))
        assert marked(row.after, "new") or marked(row.before, "old"), e
    for r in rows:  # struck words only on the left, bold words only on the right
        assert not marked(r.after, "old") and not marked(r.before, "new"), r.id


def test_kalush_rows_word_by_word() -> None:
    rows = {r.id: r for r in rows_of("kalush")}
    r = rows["1.1.2"]
    assert text(r.before[:1]).startswith("Захід 1.1.2. Поширення інформаційних матеріалів (брошур/буллетів) з питань")
    assert marked(r.before, "old") == ["/буллетів", "500"]
    assert marked(r.after, "new") == [", буклетів, листівок", "600"]
    assert text(r.before) .splitlines()[1:] == ["…", "Значення показника результативності: 500"]
    r = rows["2.1.1"]  # a value or executor change names the measure and its title
    assert text(r.after).splitlines()[0].startswith("Захід 2.1.1. Робочі зустрічі з адвокатами")
    assert marked(r.before, "old") == ["Відділ організації надання безоплатної вторинної правової допомоги та "
                                       "роботи з її надавачами"]
    assert marked(r.after, "new") == ["Директор МЦ"]
    assert text(rows["1.2.7"].before) == "Відсутній."
    assert text(rows["1.2.7"].after, "new").startswith("Захід 1.2.7. Правопросвітницькі заходи для внутрішньо")
    assert text(rows["1.3.8"].after) == "Виключено."
    assert text(rows["approval[0].date"].before) == "Гриф затвердження, дата: 19.03.2020"
    assert marked(rows["approval[0].date"].after, "new") == ["26.03.2020"]
    r = rows["5"]  # the priority's children follow its new number in one row, not seventeen
    assert r.kind == "renumbered" and r.changes == 18
    assert marked(r.before, "old")[:3] == ["4", "4.1", "4.1.1"]
    assert marked(r.after, "new")[-1] == "5.5.3"


def docx_rows(data: bytes) -> list[list[etree._Element]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    tables = [t for t in root.iter(f"{W}tbl") if "Редакція до змін" in "".join(t.itertext())]
    assert len(tables) == 1
    return [list(tr.iter(f"{W}tc")) for tr in tables[0].iter(f"{W}tr")]


def runs(tc: etree._Element, prop: str) -> list[str]:
    return ["".join(r.itertext()) for r in tc.iter(f"{W}r") if r.find(f"{W}rPr/{W}{prop}") is not None]


def test_docx_rows_and_emphasis_runs() -> None:
    result = comparative_document([str(AMEND / "kalush" / "before.yaml"), str(AMEND / "kalush" / "after.yaml")],
                                  [], "docx")
    assert result.data is not None
    table = docx_rows(result.data)
    assert ["".join(tc.itertext()) for tc in table[0]] == ["№\u00a0з/п", "Редакція до змін", "Редакція зі змінами"]
    assert [["".join(table[i][0].itertext())] for i in range(1, len(table))] == [[str(i)] for i in range(1, 8)]
    _, before, after = table[2]  # measure 1.1.2: title words and the value
    assert runs(before, "strike") == ["/буллетів", "500"]
    assert runs(after, "b") == [", буклетів, листівок", "600"]
    assert runs(before, "b") == [] and runs(after, "strike") == []
    assert runs(table[1][2], "b") == ["26.03.2020"]
    assert runs(table[4][1], "i") == ["Відсутній."]  # the added measure
    assert all(t for t in runs(table[5][1], "strike"))  # the removed one, struck through
    assert "".join(table[5][2].itertext()) == "Виключено."


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_the_same_plans_give_the_same_bytes(fmt: str) -> None:
    args = [str(AMEND / "kherson" / "before.yaml"), str(AMEND / "kherson" / "after.yaml")]
    first, second = comparative_document(args, [], fmt), comparative_document(args, [], fmt)
    assert first.data is not None and first.data == second.data


def test_headings_and_orientation_options() -> None:
    args = [str(AMEND / "odesa" / "before.yaml"), str(AMEND / "odesa" / "after.yaml")]
    html = comparative_document(args, [], "html", headings=Headings.CURRENT_PROPOSED).data
    assert html is not None
    page = html.decode()
    assert "<th scope=\"col\" class=\"head a-center b\">Чинна редакція</th>" in page
    assert "<del>аграріями</del>" in page and "<ins>фермерами</ins>" in page
    assert "size: A4 portrait" in page
    wide = comparative_document(args, [], "docx", orientation="landscape").data
    assert wide is not None
    with zipfile.ZipFile(io.BytesIO(wide)) as z:
        assert b'w:orient="landscape"' in z.read("word/document.xml")


def test_cli_writes_the_table_and_needs_a_file(tmp_path: Path) -> None:
    before, after = str(AMEND / "pokrovsk" / "before.yaml"), str(AMEND / "pokrovsk" / "after.yaml")
    res = cli(["diff", before, after, "--format", "docx"], tmp_path)
    assert res.exit_code == 2
    assert "--format docx writes a document: name it with -o FILE" in res.output
    res = cli(["diff", before, after, "--format", "pdf", "-o", "table.pdf"], tmp_path)
    assert res.exit_code == 1, res.output
    assert "wrote table.pdf: 7 row(s)" in res.output
    assert (tmp_path / "table.pdf").read_bytes().startswith(b"%PDF")


def test_cli_between_git_revisions(tmp_path: Path) -> None:
    repo = GitRepo.create(tmp_path)
    org = (AMEND / "kherson" / "organisation.yaml").read_text(encoding="utf-8")
    repo.write("plans/org/organisation.yaml", org)
    repo.write("plans/org/plan.yaml", (AMEND / "kherson" / "before.yaml").read_text(encoding="utf-8"))
    repo.commit("approved")
    repo.write("plans/org/plan.yaml", (AMEND / "kherson" / "after.yaml").read_text(encoding="utf-8"))
    repo.commit("amended")
    proc = repo.plandocs("diff", "HEAD~1", "HEAD", "--format", "html", "-o", "out/table.html", "--",
                         "plans/org/plan.yaml")
    assert proc.returncode == 1, proc.stderr
    page = (repo.root / "out" / "table.html").read_text(encoding="utf-8")
    assert "<del>821</del>" in page and "<ins>821/1</ins>" in page
    proc = repo.plandocs("diff", "HEAD~1", "HEAD", "--format", "html", "-o", "t.html")
    assert proc.returncode == 2
    assert "a comparative table compares one plan" in proc.stderr


def test_broken_version_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "after.yaml"
    bad.write_text((AMEND / "kalush" / "after.yaml").read_text(encoding="utf-8").replace(
        "kind: quarterly-plan", "kind: quarterly-plann"), encoding="utf-8")
    (tmp_path / "organisation.yaml").write_text((AMEND / "kalush" / "organisation.yaml").read_text(
        encoding="utf-8"), encoding="utf-8")
    res = cli(["diff", str(AMEND / "kalush" / "before.yaml"), "after.yaml", "--format", "docx", "-o", "t.docx"],
              tmp_path)
    assert res.exit_code == 2
    assert "after.yaml:3:7: error[invalid-value]: kind: expected one of quarterly-plan" in res.output
    assert "the plan could not be compared (see above); nothing written" in res.output
    assert not (tmp_path / "t.docx").exists()


def test_no_changes_is_a_table_saying_so(tmp_path: Path) -> None:
    same = str(AMEND / "kalush" / "before.yaml")
    res = cli(["diff", same, same, "--format", "html", "-o", "same.html"], tmp_path)
    assert res.exit_code == 0
    assert "wrote same.html: 0 row(s), 0 change(s)" in res.output
    page = (tmp_path / "same.html").read_text(encoding="utf-8")
    assert '<td colspan="2" class="text a-left">Змін немає.</td>' in page


def tracked(seed: str) -> bytes:
    result = tracked_document([str(AMEND / seed / "before.yaml"), str(AMEND / seed / "after.yaml")], [])
    assert result.data is not None and result.unplaced == 0
    return result.data


def body_xml(data: bytes) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read("word/document.xml"))


def test_tracked_changes_docx_marks_words_rows_and_is_reproducible() -> None:
    data = tracked("kalush")
    assert data == tracked("kalush")
    root = body_xml(data)
    deleted = ["".join(t.text or "" for t in d.iter(f"{W}delText")) for d in root.iter(f"{W}del")
               if d.getparent() is not None and d.getparent().tag == f"{W}p"]
    inserted = ["".join(t.text or "" for t in i.iter(f"{W}t")) for i in root.iter(f"{W}ins")
                if i.getparent() is not None and i.getparent().tag == f"{W}p"]
    assert {"19", "500", "Травень", "/буллетів"} <= set(deleted)
    assert {"26", "600", "Червень", ", буклетів, листівок"} <= set(inserted)
    rows = {tag: ["".join(tr.itertext()) for tr in root.iter(f"{W}tr") if tr.find(f"{W}trPr/{W}{tag}") is not None]
            for tag in ("ins", "del")}
    assert [r[:30] for r in rows["ins"]] == ["1.2.7 Правопросвітницькі заход"]
    assert [r[:30] for r in rows["del"]] == ["1.3.8 Надання консультацій з п"]
    assert {d.get(f"{W}author") for d in root.iter(f"{W}ins", f"{W}del")} == {"plandocs"}


def test_libreoffice_opens_the_tracked_changes(tmp_path: Path) -> None:
    (tmp_path / "tracked.docx").write_bytes(tracked("kherson"))
    proc = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
                           "--convert-to", "odt", "--outdir", str(tmp_path), str(tmp_path / "tracked.docx")],
                          capture_output=True, text=True, timeout=180, check=False)
    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(tmp_path / "tracked.odt") as z:
        content = etree.fromstring(z.read("content.xml"))
    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    regions = list(content.iter(f"{{{text_ns}}}changed-region"))
    kinds = Counter(child.tag.split("}")[1] for r in regions for child in r if child.tag.startswith(f"{{{text_ns}}}"))
    assert kinds["insertion"] > 0 and kinds["deletion"] > 0
    removed = " ".join("".join(r.itertext()) for r in regions).replace("\u00ad", "")  # the table's soft hyphens
    assert "Березень" in removed  # the old term of 1.3.5, kept as a deletion LibreOffice can accept or reject
    assert "проводити громадсько-творчі акції" in removed  # the removed measure 2.4


def test_cli_tracked_needs_docx(tmp_path: Path) -> None:
    before, after = str(AMEND / "odesa" / "before.yaml"), str(AMEND / "odesa" / "after.yaml")
    res = cli(["diff", before, after, "--format", "pdf", "--tracked", "-o", "t.pdf"], tmp_path)
    assert res.exit_code == 2
    assert "Error: --tracked writes a DOCX with tracked changes: use --format docx" in res.output
    res = cli(["diff", before, after, "--format", "docx", "--tracked", "-o", "t.docx"], tmp_path)
    assert res.exit_code == 1
    assert "wrote t.docx: " in res.output and " revision mark(s) for " in res.output


MOVED = """          - id: "1.2.1"
            title: Наповнення сторінки у соціальній мережі Facebook
            executor: legal-education
            indicator: кількість публікацій
            values: {I: 60, II: 60, III: 60, IV: 60, total: 240}
"""
TASK_12 = '      - id: "1.2"\n        title: Популяризація системи безоплатної правової допомоги\n'


def pair_rows(tmp_path: Path, old: str, new: str) -> dict[str, ComparisonRow]:
    shutil.copy(REVIEW / "organisation.yaml", tmp_path / "organisation.yaml")
    (tmp_path / "old.yaml").write_text(old, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
    result = Amendment()
    pair = versions([str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml")], [], Path.cwd(), result)
    assert pair is not None, result.diagnostics.items
    changes, _ = compare_plans(pair[0].plan, pair[1].plan)
    return {r.id: r for r in comparison_rows(changes, pair[0].plan, pair[1].plan, [pair[1].organisation])}


def test_executor_rows_and_a_moved_measure(tmp_path: Path) -> None:
    quarterly = (REVIEW / "quarterly.yaml").read_text(encoding="utf-8")
    amended = edit(quarterly, ("                term: Травень\n", "                term: Червень\n"),
                   ("              - executor: bureau-rohatyn\n                term: Квітень Червень\n", ""))
    rows = pair_rows(tmp_path, quarterly, amended)
    r = rows["1.1.1"]
    assert (r.kind, r.changes) == ("changed", 2)
    assert text(r.before).splitlines()[2:] == [
        "Термін виконання (виконавець: Долинське бюро правової допомоги): Травень",
        "Відповідальний виконавець: Рогатинське бюро правової допомоги; Термін виконання: Квітень Червень; "
        "Найменування показника результативності: Кількість робочих зустрічей; "
        "Значення показника результативності: 1"]
    assert marked(r.before, "old") == ["Травень", "Рогатинське бюро правової допомоги", "Квітень Червень",
                                       "Кількість робочих зустрічей", "1"]
    assert text(r.after).splitlines()[2:] == [
        "Термін виконання (виконавець: Долинське бюро правової допомоги): Червень",
        "Відповідальний виконавець: Виключено."]
    annual = (REVIEW / "annual.yaml").read_text(encoding="utf-8")
    rows = pair_rows(tmp_path, annual, edit(annual, (TASK_12 + "        measures:\n" + MOVED, MOVED + TASK_12)))
    r = rows["1.2.1"]
    assert r.kind == "moved" and list(rows) == ["1.2.1"]
    assert text(r.before).splitlines()[1:] == ["…", "У складі завдання 1.2."]
    assert marked(r.after, "new") == ["1.1"]


def test_long_rows_turn_the_page_landscape() -> None:
    rows = rows_of("kalush")
    old, new = (versions([str(AMEND / "kalush" / n) for n in ("before.yaml", "after.yaml")], [], Path.cwd(),
                         Amendment()) or (None, None))
    assert old is not None and new is not None
    assert comparative_view(rows, old.plan, new.plan, new.organisation).kind == "comparative"
    wide = [*rows, ComparisonRow("changed", "measure", "9.9.9", ((Span("слово " * 300),),), ((Span("слово " * 300),),),
                                 1)]
    view = comparative_view(wide, old.plan, new.plan, new.organisation)
    assert (view.kind, view.page.orientation, view.table.widths) == ("comparative-landscape", "landscape",
                                                                     (12.0, 122.5, 122.5))
