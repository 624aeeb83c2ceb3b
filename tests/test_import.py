"""plandocs import: header variants, failure modes, and the round trip of the seed plans."""

from __future__ import annotations

import datetime
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

import docx
import pytest
import yaml

from plandocs.importer import ImportFileError, import_document
from plandocs.importer.cells import Body, ExecutorMatcher, split_numbering, value_text
from plandocs.importer.columns import Kind, classify, period_key, recognise
from plandocs.importer.docxread import read_document
from plandocs.importer.requisites import period_of

REPO = Path(__file__).parent.parent
sys.path.insert(0, str(REPO / "scripts"))
from import_roundtrip import roundtrip  # noqa: E402

# --------------------------------------------------------------------------- header variants


@pytest.mark.parametrize(("text", "kind"), [
    ("№ з/п", Kind.NUMBER), ("п/п", Kind.NUMBER), ("№\nп/п", Kind.NUMBER),
    ("Найменування завдання", Kind.TASK), ("Завдання", Kind.TASK),
    ("Найменування заходу для виконання завдання", Kind.MEASURE), ("Зміст заходів", Kind.MEASURE),
    ("Захід", Kind.MEASURE), ("Назва завдання/заходу", Kind.MEASURE),
    ("Мета та основний результат виконання завдання", Kind.RESULT),
    ("Відповідальний виконавець заходу (на рівні відділу або службової особи)", Kind.EXECUTOR),
    ("Відповідальні за виконання", Kind.EXECUTOR), ("Відповідальний орган влади", Kind.EXECUTOR),
    ("Термін (дата) виконання заходу", Kind.TERM), ("Період реалізації", Kind.TERM),
    ("Початок", Kind.START), ("Закінчення", Kind.END),
    ("Найменування показників результативності виконання заходу", Kind.INDICATOR),
    ("Індикатори (показники) оцінки результативності цілі", Kind.INDICATOR),
    ("Значення показника результативності виконання заходу", Kind.VALUE),
    ("Фінансування, тис. грн", Kind.FUNDING), ("Підціль", Kind.PRIORITY),
    ("Очікуваний результат", Kind.EXPECTED), ("Примітка", Kind.NOTE),
    # line breaks and hyphenation inside the header
    ("Відповідаль-\nний вико-\nнавець", Kind.EXECUTOR), ("Термін\nвиконання", Kind.TERM),
    ("Найменуван\u00adня заходу", Kind.MEASURE),
])
def test_header_kind(text: str, kind: Kind) -> None:
    assert classify(text) is kind


@pytest.mark.parametrize(("text", "key"), [
    ("I", "I"), ("ІІ", "II"), ("III квартал", "III"), ("IV", "IV"), ("Разом", "total"), ("Усього", "total"),
    ("2021", "2021"), ("2021 рік", "2021"), ("Квітень", "04"), ("Не період", None),
])
def test_value_subheader(text: str, key: str | None) -> None:
    assert period_key(text) == key


def _table_doc(tmp_path: Path, rows: list[list[str]], merges: Sequence[tuple[int, int, int, int]] = (),
               before: Sequence[str] = ("План заходів на 2023 рік",)) -> Path:
    d = docx.Document()
    for line in before:
        d.add_paragraph(line)
    t = d.add_table(rows=len(rows), cols=len(rows[0]))
    for (r1, c1, r2, c2) in merges:
        t.cell(r1, c1).merge(t.cell(r2, c2))
    for ri, row in enumerate(rows):
        for ci, text in enumerate(row):
            if text:
                t.cell(ri, ci).text = text
    path = tmp_path / "plan.docx"
    d.save(str(path))
    return path


def test_two_row_header_with_quarters_and_column_numbers(tmp_path: Path) -> None:
    rows = [["№", "Найменування заходу", "Відповідальний виконавець", "Значення показника", "", "", "", ""],
            ["", "", "", "I", "II", "III", "IV", "Разом"],
            ["1", "2", "3", "4", "5", "6", "7", "8"],
            ["", "Пріоритет I. Доступ", "", "", "", "", "", ""],
            ["1", "1.1 Зустрічі", "Відділ", "1", "2", "-", "x", "3"]]
    path = _table_doc(tmp_path, rows, [(0, 3, 0, 7), (0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (3, 0, 3, 7)])
    layout = recognise(read_document(path).tables[0])
    assert layout.header_rows == 2 and layout.column_numbers
    assert [(c.kind, c.key) for c in layout.columns[3:]] == [(Kind.VALUE, k) for k in ("I", "II", "III", "IV",
                                                                                       "total")]
    data = yaml.safe_load(import_document(path).text)
    assert data["table"]["column_numbers"] is True and data["kind"] == "annual-plan" and data["period"] == "2023"
    assert data["table"]["columns"][3] == {"kind": "values", "header": "Значення показника"}
    assert data["labels"]["priority"] == "Пріоритет {roman}."
    m = data["priorities"][0]["measures"][0]
    assert (m["id"], m["title"], m["values"]) == ("1.1", "Зустрічі", {"I": 1, "II": 2, "III": "-", "IV": "x",
                                                                       "total": 3})


def test_funding_header_three_rows(tmp_path: Path) -> None:
    rows = [["№ з/п", "Зміст заходів", "Фінансування, тис. грн", "", "", ""],
            ["", "", "2008", "", "2009", ""],
            ["", "", "Міськ. бюджет", "Фонд кон- курсу", "Міськ. бюджет", "Фонд кон- курсу"],
            ["I.", "Приймальня", "24,4", "-", "1 200,5", "x"]]
    path = _table_doc(tmp_path, rows, [(0, 2, 0, 5), (1, 2, 1, 3), (1, 4, 1, 5), (0, 0, 2, 0), (0, 1, 2, 1)],
                      before=["Програма на 2008-2009 роки"])
    data = yaml.safe_load(import_document(path).text)
    assert data["kind"] == "city-programme"
    assert [s["name"] for s in data["funding"]["sources"]] == ["Міськ. бюджет", "Фонд конкурсу"]
    assert data["priorities"][0]["funding"] == {"2008": {"city-budget": "24,4", "contest-fund": "-"},
                                                "2009": {"city-budget": "1200,5", "contest-fund": "x"}}


def test_numbering_in_cells() -> None:
    assert split_numbering("Завдання 1.1 Підвищення") == split_numbering("Завдання 1.1 Підвищення")
    n = split_numbering("Захід 1.1.1.1 Підготовка")
    assert (n.label, n.ident, n.title) == ("Захід {id}", "1.1.1.1", "Підготовка")
    n = split_numbering("Пріоритет I. Суб'єкти")
    assert (n.label, n.ident, n.title) == ("Пріоритет {roman}.", "1", "Суб'єкти")
    assert value_text("1\u00a0200") == "1200" and value_text("24,4") == "24,4" and value_text("4/4") == "4/4"


def test_period_from_title() -> None:
    assert period_of("на II квартал 2020 року") == "2020-Q2"
    assert period_of("ПЛАН ДІЙ НА 2021 рік з реалізації Стратегії на 2021-2026 роки") == "2021"
    assert period_of("на 2021-2026 роки") == "2021-2026"
    assert period_of("на 2008/10 роки") == "2008-2010"
    assert period_of("НА 2024 – 2028 РОКИ") == "2024-2028"


def test_executors_several_per_cell_agreed_and_variants() -> None:
    m = ExecutorMatcher([Body("finance", "Відділ фінансів, бухгалтерського обліку та звітності"),
                         Body("minjust", "Мін'юст")], ", ")
    assert m.match("Мін’юст, Відділ фінансів, бухгалтерського обліку та звітності") == ["minjust", "finance"]
    assert m.match("МВС (за згодою)") == ["mvs"]
    assert m.created[0].external and m.unmatched[0].text == "МВС (за згодою)"


# --------------------------------------------------------------------------- failure modes


def _expect(path: Path, message: str) -> None:
    with pytest.raises(ImportFileError) as e:
        import_document(path)
    assert e.value.message == f"{path}: {message}"


def test_not_docx(tmp_path: Path) -> None:
    p = tmp_path / "plan.docx"
    p.write_text("Просто текст", encoding="utf-8")
    _expect(p, "not a DOCX file (a DOCX is a ZIP package; this one is not); save the document as Word .docx")


def test_empty_file(tmp_path: Path) -> None:
    p = tmp_path / "plan.docx"
    p.write_bytes(b"")
    _expect(p, "the file is empty (0 bytes); export the document from Word again")


def test_password_protected(tmp_path: Path) -> None:
    # an encrypted DOCX is an OLE compound file holding the EncryptionInfo and EncryptedPackage streams
    p = tmp_path / "plan.docx"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptionInfo".encode("utf-16-le"))
    _expect(p, "the document is password-protected; open it in Word, remove the password (File → Info → "
               "Protect Document) and save it again")


def test_corrupt(tmp_path: Path) -> None:
    good = _table_doc(tmp_path, [["Захід", "Виконавець"], ["a", "b"]])
    p = tmp_path / "broken.docx"
    p.write_bytes(good.read_bytes()[:-200])
    with pytest.raises(ImportFileError) as e:
        import_document(p)
    assert e.value.message.startswith(f"{p}: the DOCX package is corrupt")


def test_zip_but_not_word(tmp_path: Path) -> None:
    p = tmp_path / "plan.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("content.xml", "<x/>")
    _expect(p, "a ZIP file but not a Word document (no word/document.xml); save the document as Word .docx")


def test_empty_document(tmp_path: Path) -> None:
    p = tmp_path / "plan.docx"
    docx.Document().save(str(p))
    _expect(p, "the document is empty (no text and no table)")


def test_no_table(tmp_path: Path) -> None:
    p = tmp_path / "plan.docx"
    d = docx.Document()
    d.add_paragraph("План на 2023 рік")
    d.save(str(p))
    _expect(p, "the document has no table; plandocs imports plans whose measures are a Word table (a plan "
               "typed as paragraphs has to be put into a table first, or imported as prose only with "
               "--allow-no-table)")


def test_no_measures_table(tmp_path: Path) -> None:
    p = _table_doc(tmp_path, [["Прізвище", "Посада", "Телефон"], ["a", "b", "c"]])
    _expect(p, "no table of measures found: no table has a header naming the measures («Найменування заходу», "
               "«Захід», «Зміст заходів») or tasks")


# --------------------------------------------------------------------------- round trip of the seeds

QUOTES = "source straight quotes «\"…\"» are printed «…»; the import keeps what is printed"
EXPECTED = {
    "plans/kalush/2020-q2.yaml": 1,      # QUOTES in task 2.1
    "plans/zhytomyr/2023.yaml": 4,       # QUOTES ×3; `breakdown: quarters` spelled out though it is the default
    "plans/odesa/2021.yaml": 1,          # the signature's position, left to the person's default in the source
    "plans/pokrovsk/2021.yaml": 0,
    "plans/kherson/2008-2010.yaml": 0,
    "plans/odesa/2021-q2.report.yaml": 1,  # the signature's position, as above
    "plans/kmu/goal-12.4.yaml": 11,      # QUOTES in measure 2.2.4; TYPOGRAPHY ×10
    "plans/kmu/goal-16.2.yaml": 10,      # TYPOGRAPHY ×10
    "plans/kmu/goal-7.1.yaml": 3,        # TYPOGRAPHY ×3; prose only (no table), --period 2020
}
TYPOGRAPHY = ("the KMU sources write ’ and no-break spaces where plandocs' typesetting prints ʼ and puts them "
              "itself; the import keeps the text as typed (') and the document prints the same")


@pytest.mark.parametrize("plan", sorted(EXPECTED))
def test_roundtrip(plan: str) -> None:
    diffs = roundtrip(REPO / plan, soffice=False)
    assert len(diffs) == EXPECTED[plan], diffs
    for d in diffs:
        assert d.endswith((": quotes: the source's straight quotes are printed «…» and imported as printed",
                           ": typography: printed the same (ʼ, no-break spaces, dashes), imported as typed",
                           ".breakdown: only in source: quarters", ".position: only in import: Директор")), d


def test_repeated_header_and_row_split_at_page_break(tmp_path: Path) -> None:
    # a file without tblHeader whose header was pasted again after a page break, and a measure whose
    # row continues on the next page: the continuation repeats the measure's text (or leaves it empty)
    head = ["№ з/п", "Найменування завдання", "Найменування заходу", "Відповідальний виконавець",
            "Термін виконання"]
    rows = [head, ["1", "2", "3", "4", "5"],
            ["1", "1.1 Завдання перше", "1.1.1 Захід", "Відділ А", "Квітень"],
            head, ["1", "2", "3", "4", "5"],
            ["", "", "1.1.1 Захід", "Відділ Б", "Травень"],
            ["", "", "", "Відділ В", "Червень"]]
    path = _table_doc(tmp_path, rows, before=["План заходів на II квартал 2020 року"])
    data = yaml.safe_load(import_document(path).text)
    measures = data["priorities"][0]["tasks"][0]["measures"]
    assert [m["id"] for m in measures] == ["1.1.1"]
    assert [r["term"] for r in measures[0]["rows"]] == ["Квітень", "Травень", "Червень"]
    assert data["table"]["column_numbers"] is True and data["period"] == "2020-Q2"


def test_vertical_merges_make_the_hierarchy(tmp_path: Path) -> None:
    rows = [["Підціль", "Завдання", "Захід", "Початок", "Закінчення", "Відповідальний орган влади"],
            ["Доступ до правосуддя", "1.\tЗабезпечення", "Оновити документи", "01-01-2020", "30-11-2023",
             "Мін’юст; МВС (за згодою)"],
            ["", "", "Провести дослідження", "01-01-2020", "31-12-2023", "Мін'юст"],
            ["", "2.\tПідвищення", "Провести консультації", "01-01-2019", "31-12-2023", "Мін’юст"]]
    path = _table_doc(tmp_path, rows, [(1, 0, 3, 0), (1, 1, 2, 1)], before=["План реалізації"])
    res = import_document(path)
    data = yaml.safe_load(res.text)
    p = data["priorities"][0]
    assert (p["title"], [t["id"] for t in p["tasks"]]) == ("Доступ до правосуддя", ["1.1", "1.2"])
    m = p["tasks"][0]["measures"]
    assert [x["title"] for x in m] == ["Оновити документи", "Провести дослідження"]
    assert m[0]["term"] == {"from": datetime.date(2020, 1, 1), "to": datetime.date(2023, 11, 30)}
    assert m[0]["executor"] == ["miniust", "mvs"] and m[1]["executor"] == "miniust"
    # the title prints no period: the model derives it from the terms (2019-2023), so none is written
    assert "period" not in data and data["labels"] == {"priority": "", "task": "{n}.", "measure": ""}
    assert data["table"]["columns"][3:5] == [
        {"kind": "start", "header": "Початок", "date_format": "DD-MM-YYYY"},
        {"kind": "end", "header": "Закінчення", "date_format": "DD-MM-YYYY"}]
    assert data["table"]["columns"][0] == {"kind": "priority", "header": "Підціль"}
    org = yaml.safe_load(res.organisation_text or "")
    assert org["executors"] == [{"id": "miniust", "name": "Мін’юст"}, {"id": "mvs", "name": "МВС",
                                                                         "external": True}]


def test_report_plan_fact_note(tmp_path: Path) -> None:
    rows = [["№ з/п", "Найменування заходу", "Відповідальний виконавець", "Значення показника", "", ""],
            ["", "", "", "План", "Факт", "Примітка у разі невиконання плану"],
            ["", "Пріоритет I. Доступ", "", "", "", ""],
            ["1", "1.1.1 Зустрічі", "Відділ", "3", "2", "Карантин"],
            ["2", "1.1.2 Виступи", "Відділ", "1", "4", ""]]
    path = _table_doc(tmp_path, rows, [(0, 3, 0, 5), (0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (2, 0, 2, 5)],
                      before=["Звіт про виконання плану на 2021 рік у II кварталі"])
    res = import_document(path)
    assert res.kind == "report"
    data = yaml.safe_load(res.text)
    assert (data["plan"], data["period"]) == ("2021.yaml", "2021-Q2")
    assert data["facts"] == {"1.1.1": {"fact": 2, "note": "Карантин"}, "1.1.2": 4}


def test_latin_letters_inside_cyrillic_words_kept(tmp_path: Path) -> None:
    rows = [["Найменування заходу", "Відповідальний виконавець", "Термін виконання"],
            ["Прaвова допомога", "Відділ", "Квітень"]]  # the «a» is Latin
    data = yaml.safe_load(import_document(_table_doc(tmp_path, rows, before=["План на 2023 рік"])).text)
    assert data["priorities"][0]["measures"][0]["title"] == "Прaвова допомога"


def test_every_word_placed_or_reported(tmp_path: Path) -> None:
    rows = [["Найменування заходу", "Відповідальний виконавець", "Термін виконання", "Бюджетна програма"],
            ["Зустрічі", "Відділ", "Квітень", "КПКВК 3601170"]]
    res = import_document(_table_doc(tmp_path, rows, before=["План на 2023 рік"]))
    assert [(u.where, u.text, u.why) for u in res.unplaced] == [
        ("table 2, row 2, column 4", "КПКВК 3601170", "column «Бюджетна програма» has no place in the plan model"),
        ("table header, column 4", "Бюджетна програма", "the header of a column the plan model has no place for")]


def test_through_libreoffice(tmp_path: Path) -> None:
    # the seed rendered, saved by LibreOffice as another word processor would, imported: same plan
    assert roundtrip(REPO / "plans/kalush/2020-q2.yaml", soffice=True) == [
        ".priorities[1].tasks[0].title: quotes: the source's straight quotes are printed «…» and imported as "
        "printed"]


@pytest.mark.parametrize("fmt", ["odt", "doc", "rtf"])
def test_other_word_formats_are_converted(tmp_path: Path, fmt: str) -> None:
    # the rendered seed saved by LibreOffice as .odt, .doc, .rtf imports as the DOCX does
    from plandocs.render import render

    render([REPO / "plans/kalush/2020-q2.yaml"], tmp_path / "out", formats=("docx",))
    src = next((tmp_path / "out").rglob("*.docx"))
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                    fmt, "--outdir", str(tmp_path / fmt), str(src)], check=True, capture_output=True,
                   timeout=180)
    org = REPO / "plans/kalush/organisation.yaml"
    converted = yaml.safe_load(import_document(tmp_path / fmt / f"2020-q2.{fmt}", org).text)
    direct = yaml.safe_load(import_document(src, org).text)
    assert converted["priorities"] == direct["priorities"]
    assert converted["title"] == direct["title"] and converted["approval"] == direct["approval"]


# --------------------------------------------------------------------------- the command


def test_command_writes_validates_and_refuses_to_overwrite(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from plandocs.cli import main

    rows = [["Найменування заходу", "Відповідальний виконавець", "Термін виконання", "Бюджетна програма"],
            ["Зустрічі", "Відділ правопросвітництва", "Квітень", "КПКВК 3601170"]]
    src = _table_doc(tmp_path, rows, before=["План на 2023 рік"])
    out = tmp_path / "plans" / "org"
    args = ["import", str(src), "-o", str(out), "--report", str(tmp_path / "unplaced.txt")]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    assert sorted(p.name for p in out.iterdir()) == ["organisation.yaml", "plan.yaml"]
    # no priority rows in the document: one untitled priority holds the measures, and validate says so
    assert first.output.endswith("warning[missing-title]: priorities[0].id: priority '1' has no title\n"
                                 '   19 |   - id: "1"\n      |         ^\n'
                                 "2 file(s) checked: 0 error(s), 1 warning(s)\n")
    report = (tmp_path / "unplaced.txt").read_text(encoding="utf-8")
    assert "table 2, row 2, column 4: column «Бюджетна програма» has no place in the plan model\n    КПКВК 3601170" \
        in report
    assert "executor «Відділ правопросвітництва» matched nothing: added as 'viddil-pravoprosvitnytstva'" in report
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 1
    assert f"{out / 'plan.yaml'}: exists; use --force to overwrite it or -o to import elsewhere" in again.output


def test_command_error_without_traceback(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from plandocs.cli import main

    bad = tmp_path / "plan.docx"
    bad.write_text("не docx", encoding="utf-8")
    res = CliRunner().invoke(main, ["import", str(bad), "-o", str(tmp_path / "out")])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert res.output == (f"Error: {bad}: not a DOCX file (a DOCX is a ZIP package; this one is not); save the "
                          "document as Word .docx\n")
    assert not (tmp_path / "out").exists()


def test_bodies_register_and_variants(tmp_path: Path) -> None:
    rows = [["Найменування заходу", "Відповідальний орган влади", "Термін виконання"],
            ["Законопроєкт", "Міністерство юстиції України; Генеральна прокуратура України (за згодою)", "2020"],
            ["Моніторинг", "Мінюст", "2021"]]
    res = import_document(_table_doc(tmp_path, rows, before=["План на 2020-2021 роки"]),
                          bodies=REPO / "tests/fixtures/import/central.bodies.yaml")
    data = yaml.safe_load(res.text)
    assert [m["executor"] for m in data["priorities"][0]["measures"]] == [["minjust", "prosecutor-general"],
                                                                          "minjust"]
    org = yaml.safe_load(res.organisation_text or "")
    assert org["executors"] == [{"id": "minjust", "name": "Мін’юст"},
                                {"id": "prosecutor-general", "name": "Генеральна прокуратура України",
                                 "external": True}]
    assert res.executors is not None and [(m.text, m.body.id) for m in res.executors.fuzzy] == [
        ("Мінюст", "minjust")]


KMU = Path(os.environ.get("PLANDOCS_KMU", REPO.parent / "shared" / "samples" / "kmu"))


@pytest.mark.parametrize("goal", ["12.4", "16.2"])
def test_kmu_table_equals_the_hand_transcription(goal: str) -> None:
    src = next(KMU.glob(f"*Ціль {goal}.*.docx"))
    res = import_document(src, bodies=REPO / "tests/fixtures/import/kmu.bodies.yaml")
    expected = yaml.safe_load((REPO / f"tests/fixtures/import/kmu-{goal}.priorities.yaml").read_text("utf-8"))
    assert yaml.safe_load(res.text)["priorities"] == expected["priorities"]
    assert res.executors is not None and res.executors.unmatched == []


def test_command_several_files_share_one_organisation(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from plandocs.cli import main

    docs = []
    for name, body in (("a", "Мін’юст"), ("b", "МВС")):
        (tmp_path / name).mkdir()
        rows = [["Найменування заходу", "Відповідальний орган влади", "Термін виконання"],
                ["Захід", body, "2021"]]
        src = _table_doc(tmp_path / name, rows, before=["План на 2021 рік"])
        docs.append(str(src.rename(tmp_path / f"{name}.docx")))
    out = tmp_path / "plans" / "org"
    same = CliRunner().invoke(main, ["import", docs[0], docs[0], "-o", str(out)])
    assert same.output == (f"Error: {out / 'a.yaml'}: two of the files would be imported into it; import them "
                           "into different folders\n")
    res = CliRunner().invoke(main, ["import", *docs, "-o", str(out)])
    assert res.exit_code == 0, res.output
    org = yaml.safe_load((out / "organisation.yaml").read_text(encoding="utf-8"))
    assert [e["id"] for e in org["executors"]] == ["miniust", "mvs"]
    assert res.output.splitlines()[:3] == [f"wrote {out / 'a.yaml'}", f"wrote {out / 'b.yaml'}",
                                           f"wrote {out / 'organisation.yaml'}"]
    assert res.output.endswith("3 file(s) checked: 0 error(s), 2 warning(s)\n")


def test_kmu_layout_as_the_forms_table_declaration() -> None:
    from plandocs.importer.forms import table_declaration

    doc = read_document(next(KMU.glob("*Ціль 12.4.*.docx")))
    expected = yaml.safe_load((REPO / "tests/fixtures/import/kmu-12.4.prose.yaml").read_text("utf-8"))
    assert table_declaration(recognise(doc.tables[0]), "DD-MM-YYYY") == expected["table"]


def test_kmu_prose_as_the_forms_markdown() -> None:
    from plandocs.importer.docxread import Para
    from plandocs.importer.forms import markdown_paragraph

    doc = read_document(next(KMU.glob("*Ціль 12.4.*.docx")))
    expected = yaml.safe_load((REPO / "tests/fixtures/import/kmu-12.4.prose.yaml").read_text("utf-8"))
    want = [p for s in expected["sections"] for p in s["paragraphs"]]
    # the title and the two chapter headings are not paragraphs; the rest in document order
    got = [markdown_paragraph(b) for b in doc.blocks if isinstance(b, Para) and b.text.strip()][1:]
    got = [p for p in got if p not in ("**1.\tПРОБЛЕМА ПОЛІТИКИ**", "**2.\tПРОПОНОВАНИЙ КУРС ПОЛІТИКИ**")]
    assert len(got) == len(want) == 59
    # two paragraphs differ: the document has a space at the start of a bold run that the hand
    # transcription dropped («що**Україна …**»); the import keeps it before the marker
    differ = [(w, g) for w, g in zip(want, got, strict=True) if w != g]
    assert [g for _, g in differ] == [w.replace("що**Україна", "що **Україна").replace("перебуває**8", "перебуває **8")
                                      .replace("Уповноважений).**Уповноважений", "Уповноважений). **Уповноважений")
                                      for w, _ in differ]
    assert len(differ) == 2


def test_command_plan_names_the_given_organisation(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from plandocs.cli import main
    from plandocs.render import render

    render([REPO / "plans/kalush/2020-q2.yaml"], tmp_path / "out", formats=("docx",))
    out = tmp_path / "plans" / "kalush"
    org = tmp_path / "plans" / "shared" / "organisation.yaml"  # inside the project: paths may not leave it
    org.parent.mkdir(parents=True)
    shutil.copy(REPO / "plans/kalush/organisation.yaml", org)
    res = CliRunner().invoke(main, ["import", str(next((tmp_path / "out").rglob("*.docx"))), "-o", str(out),
                                    "--organisation", str(org)])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == ["2020-q2.yaml"]  # no organisation file: nothing new
    data = yaml.safe_load((out / "2020-q2.yaml").read_text(encoding="utf-8"))
    assert (out / data["organisation"]).resolve() == org.resolve()
    assert res.output.endswith("2 file(s) checked: 0 error(s), 1 warning(s)\n")


def test_appendix_stamp(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("Додаток 3\nдо рішення обласної ради\nвід _________№ ________")
    d.add_paragraph("ЗАХОДИ ПРОГРАМИ НА 2024 – 2028 РОКИ")
    t = d.add_table(rows=2, cols=3)
    for ci, text in enumerate(["Перелік заходів Програми", "Виконавці", "Термін виконання заходу"]):
        t.cell(0, ci).text = text
    for ci, text in enumerate(["Змагання", "Департамент", "2024"]):
        t.cell(1, ci).text = text
    d.save(str(tmp_path / "p.docx"))
    data = yaml.safe_load(import_document(tmp_path / "p.docx").text)
    assert data["approval"] == [{"label": "Додаток 3",
                                 "position": "до рішення обласної ради\nвід _________№ ________"}]
    assert data["period"] == "2024-2028"


def test_imported_latin_letters_are_flagged_by_validate(tmp_path: Path) -> None:
    from plandocs.check import validate

    rows = [["Найменування заходу", "Відповідальний виконавець", "Термін виконання"],
            ["Прaвова допомога", "Відділ", "Квітень"]]  # Latin «a»
    res = import_document(_table_doc(tmp_path, rows, before=["План на 2023 рік", "Пріоритет I. Доступ"]))
    folder = tmp_path / "plans" / "org"
    folder.mkdir(parents=True)
    (folder / "plan.yaml").write_text(res.text, encoding="utf-8")
    (folder / "organisation.yaml").write_text(res.organisation_text or "", encoding="utf-8")
    rules = [d.rule for d in validate([folder / "plan.yaml"]).diagnostics.errors]
    assert rules == ["mixed-script"]


def test_source_column_with_sub_rows_and_printed_totals(tmp_path: Path) -> None:
    rows = [["№ з/п", "Назва напряму діяльності (пріоритетні завдання)", "Перелік заходів Програми",
             "Джерела фінан-\nсування", "Обсяги фінансування, тис. грн", ""],
            ["", "", "", "", "2024", "2025"],
            ["1", "Спорт", "Змагання", "Обласний бюджет", "10,0", "12,0"],
            ["", "", "", "Місцеві бюджети", "1,0", "-"],
            ["Усього:", "", "", "Обласний бюджет", "10,0", "12,0"],
            ["", "", "", "Місцеві бюджети", "1,0", "-"],
            ["Разом:", "", "", "", "11,0", "12,0"]]
    merges = [(0, 4, 0, 5), (0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2), (0, 3, 1, 3),
              (2, 0, 3, 0), (2, 1, 3, 1), (2, 2, 3, 2), (4, 0, 5, 2), (6, 0, 6, 3)]
    res = import_document(_table_doc(tmp_path, rows, merges, before=["Програма на 2024-2025 роки"]))
    data = yaml.safe_load(res.text)
    assert data["funding"]["sources"] == [{"id": "oblast-budget", "name": "Обласний бюджет"},
                                          {"id": "local-budget", "name": "Місцеві бюджети"}]
    assert data["kind"] == "programme" and data["funding"]["unit"] == "тис. грн"
    p = data["priorities"][0]
    assert p["title"] == "Спорт"
    ids = [s["id"] for s in data["funding"]["sources"]]
    assert p["measures"][0]["funding"] == {"2024": {ids[0]: "10,0", ids[1]: "1,0"},
                                           "2025": {ids[0]: "12,0", ids[1]: "-"}}
    # the printed totals are the plan's funding.totals, checked by a rule against the measures
    assert data["funding"]["totals"] == {"label": "Усього:", "grand_label": "Разом:", "amounts": {
        "2024": {ids[0]: "10,0", ids[1]: "1,0"}, "2025": {ids[0]: "12,0", ids[1]: "-"}}}
    assert data["table"]["columns"][1] == {"kind": "priority",
                                           "header": "Назва напряму діяльності (пріоритетні завдання)"}
    assert data["table"]["columns"][3] == {"kind": "source", "header": "Джерела фінан-\nсування"}


@pytest.mark.parametrize(("printed", "typed"), [
    ("на 2021–2026\u00a0роки", "на 2021-2026 роки"),
    ("Л.Б.\u00a0Желізняк", "Л.Б. Желізняк"),
    ("звʼязок", "зв'язок"),
    ("№\u00a0236рг", "№ 236рг"),
    ("за номером 0 800 213\u00a0103", "за номером 0 800 213\u00a0103"),  # the author's own no-break space
])
def test_import_keeps_text_as_typed_not_as_typeset(printed: str, typed: str) -> None:
    from plandocs.view.typography import plain, text

    assert plain(printed) == typed
    assert text(typed) == text(printed)
