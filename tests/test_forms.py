"""The forms users bring (issue 11, docs/forms.md): the table declaration, the KMU implementation plans and the
Kharkiv programme form, and the model gaps they exposed — each with the behaviour its fix gives."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from conftest import FIXTURES, PLANS, Workspace
from plandocs.check.validate import LoadedPlan, validate
from plandocs.model.records import Column, Plan, TableColumn, column_entries, kind_of_column, leaf_columns
from plandocs.render.pipeline import render
from plandocs.view.plan import build_view
from plandocs.view.prose import parse_block
from plandocs.view.types import BlockKind, DocumentView, Inline, Row
from test_seed_words import docx_text, html_text, pdf_words, words

SAMPLES = Path(__file__).parent.parent.parent / "shared" / "samples" / "kmu"
KMU = {"12.4": "goal-12.4.yaml", "16.2": "goal-16.2.yaml", "7.1": "goal-7.1.yaml"}
SEED_PLANS = ("kalush/2020-q2.yaml", "zhytomyr/2023.yaml", "odesa/2021.yaml", "pokrovsk/2021.yaml",
              "kherson/2008-2010.yaml")


def load(path: Path) -> LoadedPlan:
    result = validate([path])
    assert result.ok, result.diagnostics.items
    (lp,) = [lp for lp in result.plans if lp.path.resolve() == path.resolve()]
    return lp


def view_of(path: Path) -> DocumentView:
    lp = load(path)
    return build_view(lp.plan, lp.organisation)


def texts(row: Row) -> list[str]:
    return [c.text for c in row.cells]


@pytest.fixture
def fws(tmp_path: Path) -> Workspace:
    """A copy of tests/fixtures/forms: a programme in the Kharkiv form with a bodies register."""
    for f in (FIXTURES / "forms").iterdir():
        shutil.copy(f, tmp_path / f.name)
    return Workspace(tmp_path)


# --------------------------------------------------------------------------- the declaration


def test_the_five_seeds_read_the_same_with_the_older_keys() -> None:
    """The seeds declare ``table:``; the same columns and headers written the older way (top-level ``columns``
    and ``headers``) give an equal view, so plans written before the declaration keep working unchanged."""
    for name in SEED_PLANS:
        lp = load(PLANS / name)
        plan = lp.plan
        assert plan.table is not None and plan.columns is None, name
        entries = list(leaf_columns(column_entries(plan)))
        kinds = [kind_of_column(e) for e in entries]
        headers = {e.kind: e.header for e in entries if isinstance(e, TableColumn) and e.kind and e.header}
        older = replace(plan, table=None, columns=kinds, headers=headers, column_numbers=plan.table.column_numbers)
        # a column's emphasis (Zhytomyr's italics) is a style only the declaration can give
        upright = replace(plan, table=replace(plan.table, columns=[
            replace(e, emphasis=None) if isinstance(e, TableColumn) else e for e in plan.table.columns or ()]))
        assert build_view(older, lp.organisation) == build_view(upright, lp.organisation), name


def test_groups_and_value_labels_build_a_multi_row_header(ws: Workspace) -> None:
    ws.edit_plan(('kind: quarterly-plan\n', '''kind: annual-plan
table:
  column_numbers: true
  columns:
    - number
    - measure
    - group: Термін виконання
      columns:
        - {kind: start, header: Початок, date_format: DD-MM-YYYY}
        - {kind: end, header: Закінчення, date_format: DD-MM-YYYY}
    - indicator
    - {kind: values, header: Значення показника, labels: {I: І кв., total: Усього}}
'''), ('period: "2020-Q2"', 'period: "2020"'),
        ("            term: Квітень\n", "            term: {from: 2020-04-01, to: 2020-06-30}\n"),
        ("            value: 1\n", "            values: {I: 1, II: 2, total: 3}\n"))
    view = view_of(ws.plan)
    head = view.table.head
    assert [(c.text, c.rowspan, c.colspan) for c in head[0].cells] == [
        ("№ з/п", 2, 1), ("Найменування заходу", 2, 1), ("Термін виконання", 1, 2),
        ("Найменування показника результативності", 2, 1), ("Значення показника", 1, 5)]
    assert texts(head[1]) == ["Початок", "Закінчення", "І кв.", "II", "III", "IV", "Усього"]
    assert texts(head[2]) == [str(i) for i in range(1, 11)]
    first = view.table.body[2]  # after the priority and task heading rows
    assert texts(first)[2:4] == ["01-04-2020", "30-06-2020"]
    assert texts(first)[-5:] == ["1", "2", "", "", "3"]


@pytest.mark.parametrize(("edit", "headline"), [
    (("title:\n", "columns: [number, measure]\ntable:\n  columns: [number, measure]\ntitle:\n"),
     "plan.yaml:3:10: error[table-keys]: columns: 'columns' and 'table' both declare the table; move 'columns' into "
     "'table' (docs/forms.md)"),
    (("title:\n", "table:\n  columns: [number, measure, number]\ntitle:\n"),
     "plan.yaml:4:12: error[unknown-column]: table.columns: column 'number' is declared twice (columns 1 and 3); "
     "each kind prints once"),
    (("title:\n", "table:\n  columns: [number, measure, source]\ntitle:\n"),
     "plan.yaml:4:12: error[unknown-column]: table.columns: a 'source' column prints one sub-row per funding "
     "source; it needs a 'funding' column and a top-level 'funding' with the sources"),
    (("title:\n", "table:\n  columns:\n    - {kind: measure, group: Заходи}\ntitle:\n"),
     "plan.yaml:5:7: error[unknown-column]: table.columns[0]: a column entry has either 'kind' or 'group', not both "
     "('measure', 'Заходи')"),
    (("title:\n", "table:\n  columns: [number, mesure]\ntitle:\n"),
     "plan.yaml:4:21: error[invalid-value]: table.columns[1]: expected one of number, task, result, measure, term, "
     "executor, indicator, values, funding, priority, start, end, total, source, expected, note; got 'mesure'; "
     "did you mean 'measure'?"),
])
def test_table_declaration_mistakes(ws: Workspace, edit: tuple[str, str], headline: str) -> None:
    ws.edit_plan(edit)
    assert ws.validate().exit_code == 1
    assert headline in ws.validate().stdout, ws.validate().stdout


# --------------------------------------------------------------------------- the KMU implementation plans


def test_kmu_table_merges_subgoal_and_task_and_prints_dates_as_written() -> None:
    view = view_of(PLANS / "kmu" / KMU["12.4"])
    assert texts(view.table.head[0]) == ["Підціль", "Завдання", "Захід", "Початок", "Закінчення",
                                         "Відповідальний орган влади"]
    body = view.table.body
    first = body[0].cells
    assert (first[0].text, first[0].rowspan) == (
        "Підвищення рівня правової культури населення, обізнаності осіб щодо можливості вирішення проблем у "
        "правовий спосіб", 5)
    assert first[1].text.startswith("1. Забезпечення осіб") and first[1].rowspan == 1
    assert [c.text for c in first[3:]] == ["01-01-2020", "30-11-2023",
                                           "Координаційний центр з надання правової допомоги; Мін’юст"]
    assert body[1].cells[0].text.startswith("2. Підвищення правової обізнаності") and body[1].cells[0].rowspan == 4
    # no priority heading rows: 31 measures, 31 rows
    assert len(body) == 31
    assert texts(body[3])[-1] == ("Координаційний центр з надання правової допомоги; Мін’юст; органи місцевого "
                                  "самоврядування (за згодами)")
    assert "Генеральна прокуратура України (за згодою)" in texts(body[6])[-1]


def test_kmu_plans_derive_their_period_from_the_terms() -> None:
    assert str(load(PLANS / "kmu" / KMU["12.4"]).plan.period) == "2019-2023"
    assert str(load(PLANS / "kmu" / KMU["16.2"]).plan.period) == "2019-2022"


@pytest.fixture(scope="module")
def kmu_rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("kmu")
    result = render([PLANS / "kmu"], out, ("docx", "html", "pdf"))
    assert result.ok, result.failed
    return out / "kmu"


def _output_text(path: Path) -> str:
    if path.suffix == ".docx":
        return docx_text(path)
    if path.suffix == ".html":
        return html_text(path)
    return pdf_words(path)[0]


@pytest.mark.parametrize("fmt", ["docx", "html", "pdf"])
@pytest.mark.parametrize("goal", sorted(KMU))
def test_kmu_recall_of_the_originals_words_is_one(kmu_rendered: Path, goal: str, fmt: str) -> None:
    """Every word of the Cabinet's DOCX (paragraphs and table cells) is in the rendered document."""
    (original,) = SAMPLES.glob(f"*Ціль {goal}.*.docx")
    source = words(docx_text(original))
    rendered = words(_output_text(kmu_rendered / Path(KMU[goal]).with_suffix(f".{fmt}")))
    missing = sorted(source - rendered)
    assert len(source) > 300
    assert missing == [], f"recall {1 - len(missing) / len(source):.4f}: {missing}"


def test_kmu_docx_has_vertical_merges_and_real_prose_styles(kmu_rendered: Path) -> None:
    document = docx.Document(str(kmu_rendered / "goal-16.2.docx"))
    (table,) = document.tables
    merges = [[_v_merge(tc) for tc in tr.tc_lst][:2] for tr in table._tbl.tr_lst[1:]]
    assert merges == [["restart", None], ["continue", None], ["continue", None], ["continue", None],
                      ["restart", None], ["continue", None]]
    styled = {(p.style.name if p.style else "", p.text) for p in document.paragraphs}
    assert ("Heading 2", "1.1. Проблема") in styled
    assert ("List Bullet", "Укласти угоди про запровадження безвізового режиму поїздок") in styled
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "Показники результативності:" in bold


def _v_merge(tc: object) -> str | None:
    """``restart``, ``continue`` (an empty ``w:vMerge``) or None."""
    pr = getattr(tc, "tcPr", None)
    merge = pr.find(qn("w:vMerge")) if pr is not None else None
    return None if merge is None else merge.get(qn("w:val")) or "continue"


def test_kmu_html_prints_headings_lists_and_bold(kmu_rendered: Path) -> None:
    page = (kmu_rendered / "goal-12.4.html").read_text(encoding="utf-8")
    assert "<h3>1.1. Проблема</h3>" in page
    assert "<li>Не менш як 50\u00a0% населення України" in page  # no-break space before % (view.typography)
    assert "<strong>16 категорій осіб</strong>" in page
    assert '<sup class="note">[1]</sup>' in page


def test_a_plan_without_a_table_prints_no_table_and_no_landscape_page(kmu_rendered: Path) -> None:
    page = (kmu_rendered / "goal-7.1.html").read_text(encoding="utf-8")
    assert "<table" not in page
    document = docx.Document(str(kmu_rendered / "goal-7.1.docx"))
    assert document.tables == []
    assert [s.orientation for s in document.sections] == [0]  # one portrait section


def test_a_table_that_ends_the_document_leaves_no_blank_portrait_page(kmu_rendered: Path) -> None:
    document = docx.Document(str(kmu_rendered / "goal-16.2.docx"))
    body = list(document.element.body.iterchildren())
    assert body[-1].tag == qn("w:sectPr")
    assert document.sections[-1].orientation == 1  # the table's landscape section ends the document
    after = body[[i for i, el in enumerate(body) if el.tag == qn("w:tbl")][-1] + 1:-1]
    assert len(after) == 1 and not "".join(t.text or "" for t in after[0].iter(qn("w:t")))


# --------------------------------------------------------------------------- the Kharkiv form


def test_kharkiv_form_has_twelve_numbered_columns_source_rows_and_totals() -> None:
    view = view_of(PLANS / "kharkiv-oblast" / "2024-2028.yaml")
    head = view.table.head
    assert view.table.columns == 12
    assert texts(head[0]) == [
        "№ з/п", "Назва напряму діяльності (пріоритетні завдання)", "Перелік заходів Програми",
        "Термін виконання заходу", "Виконавці", "Джерела фінансування",
        "Орієнтовані обсяги фінансування (вартість), тис. грн., у тому числі за роками:", "Очікуваний результат"]
    assert texts(head[1]) == ["2024", "2025", "2026", "2027", "2028"]
    assert texts(head[2]) == [str(i) for i in range(1, 13)]
    total_oblast, total_communities, grand = view.table.body
    assert texts(total_oblast) == ["Усього:", "Обласний бюджет", "2407,77", "5235,2", "4235,2", "4235,2", "4235,2", ""]
    assert (total_oblast.cells[0].rowspan, total_oblast.cells[0].colspan) == (2, 5)
    assert texts(total_communities) == ["Бюджети сіл, селищ, міст територіальних громад", *["2100,0"] * 5, ""]
    assert texts(grand) == ["Разом:", "4507,77", "7335,2", "6335,2", "6335,2", "6335,2", ""]


def test_source_column_gives_one_sub_row_per_source(fws: Workspace) -> None:
    view = view_of(fws.plan)
    body = view.table.body
    assert [(c.text, c.rowspan) for c in body[0].cells] == [
        ("1.", 3), ("Розвиток мережі закладів", 3), ("1.1 Ремонт спортивних залів", 2), ("2024-2025", 2),
        ("Управління молоді та спорту; органи місцевого самоврядування (за згодами)", 2), ("Обласний бюджет", 1),
        ("100,5", 1), ("150", 1), ("Відремонтовано 4 зали", 2)]
    assert texts(body[1]) == ["Місцеві бюджети", "2100,0", "2100,0"]
    assert texts(body[2])[0] == "1.2 Придбання інвентарю"
    assert texts(body[-1]) == ["Разом:", "2250,5", "2300,0", ""]  # decimals as written: 200 + 2100,0


def test_written_funding_totals_are_checked(fws: Workspace) -> None:
    fws.edit_plan(('oblast: 150,5', 'oblast: 150'))
    fws.expect(("plan.yaml:37:17: error[funding-total-mismatch]: funding.totals.amounts.2024.oblast: the total for "
                "oblast in 2024 is 150 but the measures' amounts add up to 150,5", "150"))


# --------------------------------------------------------------------------- bodies and executors


def test_an_executor_written_as_a_spelling_variant_resolves_to_the_body(fws: Workspace) -> None:
    fws.edit_plan(("executor: sport\n", "executor: [sport, \"Мін'юст\"]\n", ))
    view = view_of(fws.plan)
    assert texts(view.table.body[2])[2] == "Управління молоді та спорту; Мін’юст"


def test_an_unknown_executor_name_suggests_the_body(fws: Workspace) -> None:
    fws.edit_plan(("executor: sport\n", "executor: Мінюст\n"))
    fws.expect(("plan.yaml:64:19: error[unknown-executor]: priorities[0].measures[1].executor: executor 'Мінюст' "
                "is not in the organisation file; did you mean 'Мін’юст' (minjust)?", "Мінюст"))


def test_co_executors_print_after_the_lead(fws: Workspace) -> None:
    fws.edit_plan(("executor: sport\n", "executor: sport\n        co_executors: [minjust, prosecutor-general]\n"))
    view = view_of(fws.plan)
    assert texts(view.table.body[2])[2] == ("Управління молоді та спорту; Мін’юст; Генеральна прокуратура України "
                                            "(за згодою)")


def test_a_missing_bodies_register_is_named(fws: Workspace) -> None:
    fws.edit_org(("bodies: test.bodies.yaml", "bodies: tset.bodies.yaml"))
    result = fws.validate()
    assert "organisation.yaml:7:9: error[bodies-missing]: bodies: bodies register 'tset.bodies.yaml' not found; " \
        "'bodies' names *.bodies.yaml files relative to the organisation file" in result.stdout, result.stdout


def test_a_name_two_bodies_share_is_an_error(fws: Workspace) -> None:
    path = fws.root / "test.bodies.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("- Міністерство юстиції України",
                                                             "- Генеральна прокуратура України"),
                    encoding="utf-8")
    result = fws.validate()
    assert "test.bodies.yaml:7:11: error[duplicate-id]: bodies[1].name: 'Генеральна прокуратура України' also names " \
        "body 'minjust'; a name or variant must name one body" in result.stdout, result.stdout


# --------------------------------------------------------------------------- terms, numerals, periods


def test_a_text_term_of_two_dates_is_not_a_year_range(ws: Workspace) -> None:
    """The bug: «01-01-2019 – 31-12-2022» was read as the years 2019–2031."""
    ws.edit_plan(('period: "2020-Q2"', 'period: "2019-2022"'), ("date: 2020-03-19", "date: 2018-12-19"),
                 ("            term: Квітень\n", "            term: '01-01-2019 – 31-12-2022'\n"),
                 ("                term: Травень\n", "                term: Травень 2020\n"),
                 ("                term: Червень\n", "                term: Червень 2020\n"))
    ws.expect(exit_code=0)
    term = load(ws.plan).plan.priorities[0].tasks[0].measures[0].term
    assert term is not None and term.years == (2019, 2020, 2021, 2022)


def test_term_order_names_both_dates_of_a_text_term(ws: Workspace) -> None:
    ws.edit_plan(("            term: Квітень\n", "            term: '30.06.2020 – 01.04.2020'\n"))
    ws.expect(("plan.yaml:19:19: error[term-order]: priorities[0].tasks[0].measures[0].term: the term "
               "'30.06.2020 – 01.04.2020' ends (01.04.2020) before it starts (30.06.2020); write the earlier date "
               "first", "'30.06"))


@pytest.mark.parametrize(("word", "latin"), [("VІІІ", "VIII"), ("ХVI", "XVI")])
def test_roman_numerals_with_cyrillic_look_alikes_suggest_the_latin_form(ws: Workspace, word: str,
                                                                         latin: str) -> None:
    ws.edit_plan(("  - КВАРТАЛЬНИЙ ПЛАН ЗАХОДІВ\n", f"  - {word} скликання\n"))
    ws.expect((f"plan.yaml:4:5: error[mixed-script]: title[0]: '{word}' mixes Latin and Cyrillic letters; a Roman "
               f"numeral is written in Latin letters: did you mean '{latin}'?", word))


def test_period_is_derived_from_the_terms_when_left_out(ws: Workspace) -> None:
    ws.edit_plan(('period: "2020-Q2"\n', ""), ("            term: Квітень\n", "            term: 2021-2022\n"),
                 ("                term: Травень\n", "                term: Травень 2021\n"),
                 ("                term: Червень\n", "                term: Червень 2021\n"))
    assert str(load(ws.plan).plan.period) == "2021-2022"


def test_period_left_out_without_terms_says_so(ws: Workspace) -> None:
    ws.edit_plan(('period: "2020-Q2"\n', ""), ("            term: Квітень\n", ""),
                 ("                term: Травень\n", ""), ("                term: Червень\n", ""))
    ws.expect(("plan.yaml:1:1: error[missing-key]: missing required key 'period' (Period: «2020-Q2», «2023» or "
               "«2021-2026». Where the document prints none, it may be left out: it is then the years the measures' "
               "terms name.) — or terms to derive it from", "kind"))


# --------------------------------------------------------------------------- rows the table used to lose


def test_a_task_without_measures_gets_its_row(ws: Workspace) -> None:
    ws.edit_plan(("    tasks:\n", "    tasks:\n      - id: \"1.0\"\n        title: Завдання без заходів\n"))
    body = view_of(ws.plan).table.body
    assert texts(body[1])[:3] == ["1", "1.0 Завдання без заходів", ""]


def test_indicators_of_a_task_print_on_its_row(ws: Workspace) -> None:
    ws.edit_plan(("title:\n", "table:\n  columns: [number, measure, executor, term, indicator, values]\ntitle:\n"),
                 ("        title: Правопросвітницькі заходи для населення\n",
                  "        title: Правопросвітницькі заходи для населення\n        term: Квітень\n"
                  "        indicators: [Рівень обізнаності, Кількість звернень]\n"))
    task_row = view_of(ws.plan).table.body[1]
    assert task_row.kind == "task"
    assert texts(task_row)[1] == "1.1 Правопросвітницькі заходи для населення"
    assert texts(task_row)[4] == "Рівень обізнаності\nКількість звернень"


# --------------------------------------------------------------------------- the Markdown subset


def test_markdown_blocks_and_inlines() -> None:
    assert parse_block("## 1.1. Проблема").kind is BlockKind.HEADING2
    assert parse_block("### Деталі").kind is BlockKind.HEADING3
    bullet = parse_block("- **Показники** і *курсив*")
    assert bullet.kind is BlockKind.BULLET
    assert bullet.inlines == (Inline("Показники", bold=True), Inline(" і "), Inline("курсив", italic=True))
    note = parse_block("[^2]: *Джерело*")
    assert (note.kind, note.label, note.inlines) == (BlockKind.FOOTNOTE, "2", (Inline("Джерело", italic=True),))
    assert parse_block("Текст[^2].").inlines == (Inline("Текст"), Inline("2", note=True), Inline("."))
    assert parse_block("[сайт](https://minjust.gov.ua)").inlines == (Inline("сайт", href="https://minjust.gov.ua"),)
    # what is not the subset prints as written
    assert parse_block("[сайт](javascript:alert(1))").text == "[сайт](javascript:alert(1))"
    assert parse_block("2 * 3 = 6").text == "2 * 3 = 6"
    assert parse_block("<b>x</b> \\*").text == "<b>x</b> *"
    assert parse_block("рядок\\\nдругий").inlines == (Inline("рядок"), Inline("", br=True), Inline("другий"))


def test_plain_prose_is_not_interpreted(ws: Workspace) -> None:
    ws.edit_plan(("priorities:\n", "sections:\n  - title: ВСТУП\n    paragraphs: ['## не заголовок **x**']\n"
                                   "priorities:\n"))
    (section,) = view_of(ws.plan).sections
    assert (section.paragraphs, section.blocks) == (("## не заголовок **x**",), ())


def test_plans_keep_their_columns_without_a_declaration(ws: Workspace) -> None:
    plan: Plan = load(ws.plan).plan
    assert plan.table is None
    assert [c.text for c in view_of(ws.plan).table.head[0].cells][:2] == ["№ з/п", "Найменування завдання"]
    assert Column.VALUES in [e for e in column_entries(plan)]


def test_a_bodies_register_outside_the_project_is_refused(fws: Workspace,
                                                          tmp_path_factory: pytest.TempPathFactory) -> None:
    (fws.root / ".git").mkdir()  # the workspace is the project
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "x.bodies.yaml"
    shutil.copy(fws.root / "test.bodies.yaml", elsewhere)
    fws.edit_org(("bodies: test.bodies.yaml", f"bodies: {elsewhere}"))
    result = fws.validate()
    assert f"organisation.yaml:7:9: error[bodies-missing]: bodies: bodies register '{elsewhere}' is outside the " \
        f"project ({fws.root.resolve()}); keep registers inside the repository" in result.stdout, result.stdout
