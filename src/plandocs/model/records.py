"""The plan and organisation data model.

Each record is a keyword-only dataclass; each field's ``doc`` is its documentation and also becomes the
``description`` in the JSON Schema (``plandocs schema``) that editors show while you type.  Field order is
the canonical key order of the YAML files.  Positions (``loc``, ``locs``) and key paths are filled in by the
loader and excluded from equality, so two plans that say the same thing compare equal however they are
formatted.
"""

from __future__ import annotations

import datetime as _dt
import typing
from dataclasses import MISSING, dataclass, field, fields
from decimal import Decimal
from enum import StrEnum
from typing import Any

from plandocs.errors import Loc
from plandocs.files.kinds import FileKind
from plandocs.model.values import Period, Term, Value, ValueKind, parse_period

_NO_LOC = Loc("")


def doc(text: str, default: Any = MISSING, factory: Any = MISSING) -> Any:
    """A dataclass field carrying its documentation."""
    if default in (list, dict) or (isinstance(default, type) and issubclass(default, Record)):
        factory, default = default, MISSING
    if factory is not MISSING:
        return field(default_factory=factory, metadata={"doc": text})
    if default is not MISSING:
        return field(default=default, metadata={"doc": text})
    return field(metadata={"doc": text})


@dataclass(kw_only=True, repr=False, eq=False)
class Record:
    """Base of every record: where it was written."""

    KEY_ORDER: typing.ClassVar[tuple[str, ...]] = ()
    """Canonical key order where it differs from the field order (inherited fields come first)."""

    DERIVED: typing.ClassVar[tuple[str, ...]] = ()
    """Required fields that :meth:`derive` may fill in when the file leaves them out."""

    loc: Loc = field(default=_NO_LOC, compare=False, repr=False)
    """Position of the record's mapping."""
    path: str = field(default="", compare=False, repr=False)
    """Key path of the record, e.g. ``priorities[0].tasks[1]``."""
    locs: dict[str, Loc] = field(default_factory=dict, compare=False, repr=False)
    """Position of each key's value, by key."""

    # One generic __eq__ and __repr__ instead of a generated pair per record class: importing the model is on
    # the start-up path of `plandocs validate`, and code generation for ~25 classes is most of its cost.
    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in fields(self) if f.compare)

    __hash__ = None  # type: ignore[assignment]  # records are mutable, like dataclasses with eq=True

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
        return f"{type(self).__name__}({shown})"

    def loc_of(self, key: str) -> Loc:
        return self.locs.get(key, self.loc)

    @classmethod
    def derive(cls, values: dict[str, Any]) -> dict[str, Any]:
        """Fill in the ``DERIVED`` fields the file leaves out (from the converted ``values``)."""
        return values

    def path_of(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key


class Lines(tuple[str, ...]):
    """One or more lines of text: a string or a list of strings."""


class IdList(tuple[str, ...]):
    """One id or a list of ids."""


class Format(str):
    """A label format or separator: may be empty (``""`` prints nothing) or whitespace (``"\\n"``)."""


# --------------------------------------------------------------------------- enums


class NameStyle(StrEnum):
    """How people's names are printed in stamps and signatures."""

    INITIALS_SURNAME = "initials-surname"
    """``Л.Б. Желізняк`` (the seeds' style)."""
    SURNAME_INITIALS = "surname-initials"
    """``Желізняк Л.Б.``"""
    GIVEN_NAME_SURNAME = "given-name-surname"
    """``Лариса ЖЕЛІЗНЯК`` (ДСТУ 4163:2020); needs ``given_name`` for every person."""


class PlanKind(StrEnum):
    """The document form; it decides the default columns, breakdown and template."""

    QUARTERLY_PLAN = "quarterly-plan"
    """Квартальний план заходів: one value per executor row for the quarter (seed 001)."""
    ANNUAL_PLAN = "annual-plan"
    """Річний план with quarters I–IV and a total (seeds 000, 002)."""
    ACTION_PLAN = "action-plan"
    """План дій of a multi-year strategy: terms in years, indicators without values (seed 003)."""
    CITY_PROGRAMME = "city-programme"
    PROGRAMME = "programme"
    """Регіональна (обласна) програма: measures with funding per year and source, as an oblast council
    approves them (the Kharkiv form); its table is usually declared with ``table:``."""
    """Міська програма with funding per year and source (seed 004)."""


class Breakdown(StrEnum):
    """The period columns of planned values."""

    SINGLE = "single"
    """One value column for the whole period."""
    QUARTERS = "quarters"
    """Columns I, II, III, IV and total."""
    MONTHS = "months"
    """Columns 01..12 (or the quarter's three months) and total."""
    YEARS = "years"
    """One column per year of the period and total."""
    NONE = "none"
    """No value columns (indicators only)."""


class Column(StrEnum):
    """Columns of the measures table, in the order they may appear."""

    NUMBER = "number"
    """№ з/п."""
    TASK = "task"
    """Найменування завдання."""
    RESULT = "result"
    """Мета та основний результат виконання завдання."""
    MEASURE = "measure"
    """Найменування заходу."""
    TERM = "term"
    """Термін виконання."""
    EXECUTOR = "executor"
    """Відповідальний виконавець."""
    INDICATOR = "indicator"
    """Найменування показника результативності."""
    VALUES = "values"
    """Planned values by period (see ``breakdown``)."""
    FUNDING = "funding"
    """Funding per year and source (see ``funding``)."""
    PRIORITY = "priority"
    """The priority (subgoal, напрям) in its own column, merged over its rows."""
    START = "start"
    """Початок: the first date of a ``{from:, to:}`` term."""
    END = "end"
    """Закінчення: the last date of a ``{from:, to:}`` term."""
    TOTAL = "total"
    """Разом: the row's total value alone."""
    SOURCE = "source"
    """Джерела фінансування: the source of each funding sub-row."""
    EXPECTED = "expected"
    """Очікуваний результат of a measure."""
    NOTE = "note"
    """Примітка of a measure."""


class DateFormat(StrEnum):
    """How the dates of a ``{from:, to:}`` term are printed."""

    DMY_DOT = "DD.MM.YYYY"
    """01.07.2020 (the default)."""
    DMY_DASH = "DD-MM-YYYY"
    """01-07-2020 (the KMU implementation plans)."""
    ISO = "YYYY-MM-DD"
    """2020-07-01."""


class HeadingRows(StrEnum):
    """Whether priorities or tasks get full-width heading rows in the table."""

    HEADING = "heading"
    """A full-width row with the label and title."""
    NONE = "none"
    """No heading row (the title stands in its own column, or nowhere)."""


class Emphasis(StrEnum):
    """How the texts of a column are emphasised, as the original form prints them."""

    ITALIC = "italic"
    """Italic (Zhytomyr's task titles and indicators, seed 002)."""
    BOLD = "bold"
    """Bold."""


class ProseFormat(StrEnum):
    """How paragraphs of prose fields are read."""

    PLAIN = "plain"
    """Printed as written; a paragraph starting with «- » is a list item (the seeds)."""
    MARKDOWN = "markdown"
    """The Markdown subset of docs/forms.md: ``##`` headings, ``- `` bullets, ``**bold**``, ``*italic*``,
    links and footnotes."""


class Numbering(StrEnum):
    """What the № column counts."""

    TASKS_IN_PLAN = "tasks-in-plan"
    """Tasks numbered 1..N through the whole plan (seeds 000, 001)."""
    TASKS_IN_PRIORITY = "tasks-in-priority"
    """Tasks numbered from 1 in each priority (seed 002)."""
    TASK_ID = "task-id"
    """Tasks numbered by the last part of their id: task «4.3» is № 3 (seed 002)."""
    MEASURES_IN_TASK = "measures-in-task"
    """Measures numbered from 1 in each task (seed 003)."""
    PRIORITIES = "priorities"
    """Only priorities are numbered, with their label (seed 004)."""


class SectionInsert(StrEnum):
    """Generated content placed at the end of a prose section."""

    GOALS = "goals"
    """The list of priorities and tasks (strategic and operational goals)."""
    TABLE = "table"
    """The measures table."""


# --------------------------------------------------------------------------- organisation


@dataclass(kw_only=True, repr=False, eq=False)
class OrganisationName(Record):
    nominative: str = doc("Full name in the nominative: «Калуський місцевий центр …».")
    genitive: str = doc("Full name in the genitive, as titles use it: «План … Калуського місцевого центру …». "
                        "Not derived automatically.")


@dataclass(kw_only=True, repr=False, eq=False)
class PersonName(Record):
    surname: str = doc("Surname (прізвище), e.g. «Желізняк».")
    initials: str | None = doc("Initials, e.g. «Л.Б.».", None)
    given_name: str | None = doc("Given name (власне ім'я), needed for the ДСТУ 4163:2020 style.", None)


@dataclass(kw_only=True, repr=False, eq=False)
class Person(PersonName):
    KEY_ORDER = ("id", "surname", "initials", "given_name", "position")
    id: str = doc("Stable id used to refer to this person from plans, e.g. «zhelizniak».")
    position: str | None = doc("Position as printed above the name, e.g. «Директор».", None)


@dataclass(kw_only=True, repr=False, eq=False)
class Executor(Record):
    id: str = doc("Stable id used by plans instead of the full name, e.g. «bureau-bolekhiv».")
    name: str = doc("Name as printed in the executor column.")
    external: bool = doc("An executor from another body: printed with «(за згодою)».", False)
    consent: str | None = doc("What an external executor is printed with instead of «(за згодою)», "
                              "e.g. «(за згодами)».", None)
    variants: list[str] = doc("Other spellings of the name that plans may write instead of the id "
                              "(«Мін'юст» for «Мін’юст»); they resolve to this id.", list)


@dataclass(kw_only=True, repr=False, eq=False)
class Bodies(Record):
    """A register of bodies (``*.bodies.yaml``) that many organisations' plans name as executors."""

    bodies: list[Executor] = doc("The bodies: ministries, agencies, councils, with ids, names and variants.")


@dataclass(kw_only=True, repr=False, eq=False)
class Margins(Record):
    """Page margins in millimetres (ДСТУ 4163:2020: left 30, right 10, top and bottom 20)."""

    top: int = doc("Top margin, mm.", 20)
    right: int = doc("Right margin, mm.", 10)
    bottom: int = doc("Bottom margin, mm.", 20)
    left: int = doc("Left margin, mm.", 30)


@dataclass(kw_only=True, repr=False, eq=False)
class Organisation(Record):
    name: OrganisationName = doc("Full name of the organisation in two cases.")
    short_name: str | None = doc("Short name, e.g. «Калуський МЦ».", None)
    region: str | None = doc("Region (область), e.g. «Івано-Франківська область».", None)
    name_style: NameStyle = doc("How names of people are printed.", NameStyle.INITIALS_SURNAME)
    stamp_name_style: NameStyle | None = doc("How names are printed in approval stamps where the organisation "
                                             "writes them otherwise than elsewhere (Житомир: «Мілчан А.В.»); "
                                             "defaults to name_style.", None)
    executor_separator: Format = doc("Printed between several executors of one row.", Format("; "))
    head: str | None = doc("Id of the head of the organisation among ``people``.", None)
    people: list[Person] = doc("People who approve, sign and acknowledge documents.", list)
    executors: list[Executor] = doc("Departments, bureaus and officials that plans name as executors.", list)
    bodies: Lines = doc("Registers of bodies (``*.bodies.yaml``, relative to this file) whose ids plans may "
                        "use as executors besides ``executors``.", Lines())
    margins: Margins = doc("Page margins of this organisation's documents.", Margins)
    font_size: int = doc("Body font size in points (12–14).", 12)
    templates: str | None = doc(
        "Folder with the organisation's own templates (<kind>.html, <kind>.docx), relative to this file; "
        "templates it does not provide come from plandocs.", None)


# --------------------------------------------------------------------------- stamps and signatures


@dataclass(kw_only=True, repr=False, eq=False)
class Act(Record):
    name: str = doc("The approving act, e.g. «рішенням міської ради» or «наказом».")
    date: _dt.date = doc("Date of the act (YYYY-MM-DD).")
    number: str = doc("Number of the act, e.g. «821» or «236рг».")


@dataclass(kw_only=True, repr=False, eq=False)
class Signatory(Record):
    label: str | None = doc(
        "Heading word: «ЗАТВЕРДЖЕНО», «ПОГОДЖЕНО», «Ознайомлений». Defaults by place in the document.", None)
    act: Act | None = doc("The act that approves the document (for «ЗАТВЕРДЖЕНО рішенням …»).", None)
    position: str | None = doc("Position of the person, as printed; defaults to the person's position.", None)
    person: str | PersonName | None = doc(
        "Id of a person of the organisation, or a mapping with surname, initials and given_name.", None)
    signature: str | None = doc("What stands in the signature place, e.g. «(підпис)» or «_____».", None)
    date: _dt.date | None = doc("Date of signing (YYYY-MM-DD).", None)


# --------------------------------------------------------------------------- prose


@dataclass(kw_only=True, repr=False, eq=False)
class Order(Record):
    """An order (розпорядження, наказ) that approves the plan and precedes it."""

    header: Lines = doc("Lines above the document name: «УКРАЇНА», «ПОКРОВСЬКА МІСЬКА РАДА», …", Lines())
    kind: str = doc("Document name, e.g. «РОЗПОРЯДЖЕННЯ МІСЬКОГО ГОЛОВИ» or «НАКАЗ».")
    date: _dt.date = doc("Date of the order.")
    number: str = doc("Number of the order, e.g. «236рг».")
    place: str | None = doc("Place of issue, e.g. «м.Покровськ».", None)
    title: Lines = doc("Heading of the order: «Про затвердження …».")
    preamble: str | None = doc("Text before the numbered items.", None)
    items: list[str] = doc("Numbered items of the order.", list)
    signature: Signatory | None = doc("Who signs the order.", None)


@dataclass(kw_only=True, repr=False, eq=False)
class Section(Record):
    title: str = doc("Chapter heading, e.g. «ВСТУП».")
    paragraphs: list[str] = doc("Paragraphs of the chapter; a paragraph starting with «- » is a list item.",
                                list)
    insert: SectionInsert | None = doc("Generated content placed after the paragraphs.", None)
    paragraphs_after: list[str] = doc("Paragraphs after the generated content.", list)


# --------------------------------------------------------------------------- the table


@dataclass(kw_only=True, repr=False, eq=False)
class FundingSource(Record):
    id: str = doc("Stable id of the source, e.g. «city-budget».")
    name: str = doc("Column header, e.g. «Міськ. бюджет».")


Funding = dict[str, dict[str, Value]]
"""Funding of a row: year → source id → amount."""


@dataclass(kw_only=True, repr=False, eq=False)
class FundingTotals(Record):
    """Total rows under the table, as the form prints them (amounts as written, checked by a rule)."""

    label: str = doc("Label of the per-source total rows, e.g. «Усього:».", "Усього")
    grand_label: str | None = doc("Label of a row with the sum over the sources, e.g. «Разом:»; computed, "
                                  "printed only when given.", None)
    amounts: Funding = doc("The totals as printed: year → source id → amount; each must equal the sum of "
                           "the measures' amounts when the plan has any.", dict)


@dataclass(kw_only=True, repr=False, eq=False)
class FundingSpec(Record):
    unit: str = doc("Unit of the amounts, printed in the header: «тис. грн», «млн грн».", "тис. грн")
    sources: list[FundingSource] = doc("Funding sources, one column each per year.")
    years: list[int] | None = doc("Years with funding columns; defaults to the years of the period.", None)
    totals: FundingTotals | None = doc("Total rows as printed (the Kharkiv form's «Усього:» per source "
                                       "and «Разом:»).", None)
    total: bool = doc("Print a computed row «Усього (обчислено)» under the table: each column summed over the "
                      "plan (a section's amount stands for its items). Off unless the approved document has "
                      "such a row (a written one goes in 'totals'); the sums are checked by the rule funding-sum.",
                      False)


@dataclass(kw_only=True, repr=False, eq=False)
class TableColumn(Record):
    """A column of the table (``kind`` with options) or a group of columns under one header (``group``)."""

    KEY_ORDER = ("kind", "group", "header", "width", "merge", "date_format", "emphasis", "labels", "total", "columns")
    kind: Column | None = doc("What the column prints: number, priority, task, result, measure, executor, term, "
                              "start, end, indicator, values, total, source, funding, expected, note.", None)
    group: str | None = doc("Header text of a group: one header cell over the ``columns`` under it.", None)
    header: str | None = doc("Header text of the column; a line break prints as one. Defaults by kind.", None)
    width: float | None = doc("Relative width of the column (all widths are scaled to the text width).", None)
    merge: bool = doc("Merge equal cells vertically (priority, task and result columns).", True)
    date_format: DateFormat | None = doc("How dates are printed in start, end and term columns: DD.MM.YYYY, "
                                         "DD-MM-YYYY or YYYY-MM-DD.", None)
    emphasis: Emphasis | None = doc(
        "Emphasis of the column's texts in every row, as the original form prints them: italic or bold (a style "
        "of the form, not of single words). The labels of ``labels:`` («Завдання 1.2», «Захід 1.1.1.1») stay "
        "upright; the header does too.", None)
    labels: dict[str, str] = doc("Sub-header texts of a values column that differ from its keys, e.g. "
                                 "{I: І квартал, total: Усього}.", dict)
    total: bool | None = doc("Whether a values column has its total sub-column (default: where the breakdown "
                             "has more than one column).", None)
    columns: list[Column | TableColumn] = doc("The columns under a group.", list)


@dataclass(kw_only=True, repr=False, eq=False)
class Table(Record):
    """The declaration of the table: its columns left to right and how its rows are laid out."""

    columns: list[Column | TableColumn] | None = doc(
        "Columns left to right: a kind (``measure``), a mapping with kind and options "
        "(``{kind: start, header: Початок, date_format: DD-MM-YYYY}``), or a group "
        "(``{group: Термін виконання, columns: [start, end]}``). Defaults by kind.", None)
    column_numbers: bool = doc("Print a row of column numbers 1…N under the header (repeated on every page).",
                               False)
    priority_rows: HeadingRows | None = doc("Full-width heading rows for priorities; default «heading», «none» "
                                            "when a priority column is declared.", None)
    task_rows: HeadingRows | None = doc("Full-width heading rows for tasks; default «heading» when no task "
                                        "column is declared.", None)


@dataclass(kw_only=True, repr=False, eq=False)
class Labels(Record):
    priority: Format = doc("How a priority row is labelled; {id}, {n} and {roman} are replaced.", Format("{id}."))
    task: Format = doc("How a task is labelled before its title, e.g. «Завдання {id}»; empty for none.",
                       Format("{id}"))
    measure: Format = doc("How a measure is labelled before its title, e.g. «Захід {id}»; empty for none.",
                          Format("{id}"))
    number: Numbering = doc("What the № column counts.", Numbering.TASKS_IN_PLAN)


@dataclass(kw_only=True, repr=False, eq=False)
class RowData(Record):
    """Cells shared by measures and their executor rows."""

    executor: IdList | None = doc(
        "Lead executor: an id or a list of ids (from the organisation's ``executors`` or its bodies "
        "registers), or a name or spelling variant of one.", None)
    co_executors: IdList | None = doc("Co-executors, printed after the lead executor.", None)
    term: Term | None = doc(
        "Term: «Квітень», «Квітень Червень», «Протягом кварталу», «2021-2022», or {from: …, to: …}.", None)
    indicator: str | None = doc("Name of the performance indicator.", None)
    value: Value | None = doc(
        "One planned value for the whole period (spans all value columns): 1, «не менше 85 %», "
        "«4/4», «За потребою», «-».", None)
    values: dict[str, Value] | None = doc(
        "Planned values by column: I, II, III, IV (quarters), 01..12 (months) or years, and total.", None)


@dataclass(kw_only=True, repr=False, eq=False)
class Row(RowData):
    """One executor row of a measure; unset cells are taken from the measure."""


@dataclass(kw_only=True, repr=False, eq=False)
class Measure(RowData):
    KEY_ORDER = ("id", "title", "result", "executor", "co_executors", "term", "indicator", "value", "values",
                 "funding", "expected", "note", "rows")
    id: str = doc("Measure id, numbered under its task: «1.2.3» under task «1.2».")
    title: str | None = doc("Name of the measure (without its number).", None)
    result: str | None = doc("Goal/expected result, when it differs from the task's.", None)
    funding: Funding | None = doc("Funding by year and source id.", None)
    expected: str | None = doc("Expected result of the measure (the «Очікуваний результат» column).", None)
    note: str | None = doc("Note (the «Примітка» column).", None)
    rows: list[Row] = doc("Executor rows; each inherits the measure's cells it does not set.", list)


@dataclass(kw_only=True, repr=False, eq=False)
class Task(Record):
    id: str = doc("Task (operational goal) id, numbered under its priority: «1.2» under priority «1».")
    label: Format | None = doc("This task's label where the original writes it otherwise than ``labels.task`` "
                               "does, e.g. «Завдання {id}:» with a colon; {id}, {n} and {roman} are replaced.",
                               None)
    title: str | None = doc("Name of the task.", None)
    result: str | None = doc("Goal and main result of the task (мета та основний результат).", None)
    executor: IdList | None = doc("Executor of the task as a whole, where the form shows one.", None)
    term: Term | None = doc("Term of the task as a whole, where the form shows one.", None)
    funding: Funding | None = doc("Funding of the task as a whole.", None)
    indicators: list[str] = doc("Performance indicators of the task as a whole (an ``indicator`` column "
                                "prints them on the task's row).", list)
    measures: list[Measure] = doc("Measures of the task; a task without measures still gets its row.", list)


@dataclass(kw_only=True, repr=False, eq=False)
class Priority(Record):
    id: str = doc("Priority (strategic goal) id: «1», «2», …")
    title: str | None = doc("Name of the priority.", None)
    executor: IdList | None = doc("Executor of the priority as a whole, where the form shows one.", None)
    term: Term | None = doc("Term of the priority as a whole, where the form shows one.", None)
    funding: Funding | None = doc("Funding of the priority as a whole.", None)
    indicators: list[str] = doc("Performance indicators of the priority (KMU «Показники результативності» "
                                "of a subgoal).", list)
    tasks: list[Task] = doc("Tasks (operational goals) of the priority.", list)
    measures: list[Measure] = doc("Measures directly under the priority, for forms without tasks.", list)


@dataclass(kw_only=True, repr=False, eq=False)
class Plan(Record):
    DERIVED = ("period",)
    organisation: str = doc("Path of the organisation file, relative to the plan.", "organisation.yaml")
    kind: PlanKind = doc("Document form.")
    period: Period = doc("Period: «2020-Q2», «2023» or «2021-2026». Where the document prints none, it may be "
                         "left out: it is then the years the measures' terms name.")
    horizon: Period | None = doc(
        "Period that measures' terms may span when it is longer than the plan's own, e.g. «2021-2026» for "
        "the 2021 action plan of a 2021–2026 strategy. Terms must still overlap the plan's period.", None)
    number: str | None = doc("The plan's own number or code, e.g. the goal «12.4» of a KMU implementation plan "
                             "(metadata; the title prints what it says).", None)
    title: Lines = doc("Title lines of the document, printed centred and bold.")
    prose: ProseFormat = doc("How paragraphs of sections are read: plain (as written) or markdown (the subset "
                             "of docs/forms.md).", ProseFormat.PLAIN)
    approval: list[Signatory] = doc("Approval stamps (гриф затвердження), printed top right.", list)
    order: Order | None = doc("An order that approves the plan and is printed before it.", None)
    contents: bool = doc("Print a table of contents of the sections.", False)
    sections: list[Section] = doc("Prose chapters; one of them may insert the table.", list)
    table: Table | None = doc("The table's columns, headers and layout (docs/forms.md); replaces ``columns``, "
                              "``headers`` and ``column_numbers``.", None)
    columns: list[Column] | None = doc("Columns of the table; defaults by kind (older form of ``table``).", None)
    headers: dict[Column, str] = doc("Header texts that differ from the defaults, by column (older form of "
                                     "``table``).", dict)
    column_numbers: bool = doc("Print a row of column numbers 1…N under the header (older form of ``table``).",
                               False)
    breakdown: Breakdown | None = doc("Value columns; defaults by kind.", None)
    funding: FundingSpec | None = doc("Funding columns (city programmes).", None)
    labels: Labels = doc("Labels and numbering of rows.", Labels)
    priorities: list[Priority] = doc("The plan's priorities (strategic goals) with their tasks and measures.")
    signatures: list[Signatory] = doc("Signatures under the document.", list)
    agreements: list[Signatory] = doc("Agreement stamps (ПОГОДЖЕНО).", list)
    acknowledgements: list[Signatory] = doc("Acknowledgements (Ознайомлений) with dates.", list)

    @classmethod
    def derive(cls, values: dict[str, Any]) -> dict[str, Any]:
        """``period`` from the years of the terms (a year, or a range of years), when it is left out."""
        if "period" in values or "priorities" not in values:
            return values
        years: set[int] = set()
        for p in values["priorities"]:
            for node in (p, *p.tasks, *p.measures, *(m for t in p.tasks for m in t.measures)):
                for rec in (node, *getattr(node, "rows", ())):
                    if rec.term is not None:
                        years.update(rec.term.years)
        if not years:
            return values
        text = str(min(years)) if min(years) == max(years) else f"{min(years)}-{max(years)}"
        return {**values, "period": parse_period(text)}


# --------------------------------------------------------------------------- defaults by kind

DEFAULT_COLUMNS: dict[PlanKind, tuple[Column, ...]] = {
    PlanKind.QUARTERLY_PLAN: (Column.NUMBER, Column.TASK, Column.MEASURE, Column.EXECUTOR, Column.TERM,
                              Column.INDICATOR, Column.VALUES),
    PlanKind.ANNUAL_PLAN: (Column.NUMBER, Column.TASK, Column.RESULT, Column.MEASURE, Column.EXECUTOR,
                           Column.INDICATOR, Column.VALUES),
    PlanKind.ACTION_PLAN: (Column.NUMBER, Column.MEASURE, Column.EXECUTOR, Column.TERM, Column.INDICATOR),
    PlanKind.CITY_PROGRAMME: (Column.NUMBER, Column.MEASURE, Column.TERM, Column.EXECUTOR, Column.FUNDING),
    PlanKind.PROGRAMME: (Column.NUMBER, Column.PRIORITY, Column.MEASURE, Column.TERM, Column.EXECUTOR, Column.SOURCE,
                         Column.FUNDING, Column.EXPECTED),
}

DEFAULT_BREAKDOWN: dict[PlanKind, Breakdown] = {
    PlanKind.QUARTERLY_PLAN: Breakdown.SINGLE,
    PlanKind.ANNUAL_PLAN: Breakdown.QUARTERS,
    PlanKind.ACTION_PLAN: Breakdown.NONE,
    PlanKind.CITY_PROGRAMME: Breakdown.NONE,
    PlanKind.PROGRAMME: Breakdown.NONE,
}


def column_entries(plan: Plan) -> tuple[Column | TableColumn, ...]:
    """The declared columns (``table.columns``, else the older ``columns``, else the kind's defaults)."""
    if plan.table is not None and plan.table.columns is not None:
        return tuple(plan.table.columns)
    return tuple(plan.columns) if plan.columns is not None else DEFAULT_COLUMNS[plan.kind]


def leaf_columns(entries: typing.Iterable[Column | TableColumn]) -> typing.Iterator[Column | TableColumn]:
    """The columns of ``entries`` left to right, groups opened."""
    for e in entries:
        if isinstance(e, TableColumn) and e.kind is None:
            yield from leaf_columns(e.columns)
        else:
            yield e


def kind_of_column(entry: Column | TableColumn) -> Column:
    if isinstance(entry, Column):
        return entry
    assert entry.kind is not None, "groups are opened by leaf_columns"
    return entry.kind


def plan_columns(plan: Plan) -> tuple[Column, ...]:
    """The kinds of the plan's columns, left to right."""
    return tuple(kind_of_column(e) for e in leaf_columns(column_entries(plan)))


def has_column_numbers(plan: Plan) -> bool:
    return plan.table.column_numbers if plan.table is not None else plan.column_numbers


def plan_breakdown(plan: Plan) -> Breakdown:
    return plan.breakdown if plan.breakdown is not None else DEFAULT_BREAKDOWN[plan.kind]


TOTAL = "total"
"""Key of the total column in ``values``."""


def value_keys(plan: Plan) -> tuple[str, ...]:
    """Keys allowed in ``values`` for the plan's breakdown (``total`` last)."""
    b = plan_breakdown(plan)
    if b is Breakdown.QUARTERS:
        return ("I", "II", "III", "IV", TOTAL)
    if b is Breakdown.MONTHS:
        return (*(f"{m:02d}" for m in plan.period.months), TOTAL)
    if b is Breakdown.YEARS:
        return (*(str(y) for y in plan.period.years), TOTAL)
    return ()


@dataclass(frozen=True)
class EffectiveRow:
    """An executor row with the measure's cells filled in (what the table prints)."""

    measure: Measure
    row: Row | None
    """The row as written, or ``None`` when the measure has no ``rows``."""
    executor: IdList | None
    co_executors: IdList | None
    term: Term | None
    indicator: str | None
    value: Value | None
    values: dict[str, Value] | None

    @property
    def record(self) -> RowData:
        return self.row if self.row is not None else self.measure

    def loc_of(self, key: str) -> Loc:
        if self.row is not None and key in self.row.locs:
            return self.row.locs[key]
        return self.measure.loc_of(key)

    def path_of(self, key: str) -> str:
        if self.row is not None and key in self.row.locs:
            return self.row.path_of(key)
        return self.measure.path_of(key)


def effective_rows(measure: Measure) -> list[EffectiveRow]:
    """The measure's rows with inherited cells; a measure without ``rows`` is one row."""
    if not measure.rows:
        return [EffectiveRow(measure, None, measure.executor, measure.co_executors, measure.term,
                             measure.indicator, measure.value, measure.values)]
    out = []
    for row in measure.rows:
        own_values = row.value is not None or row.values is not None
        out.append(EffectiveRow(
            measure, row,
            row.executor if row.executor is not None else measure.executor,
            row.co_executors if row.co_executors is not None else measure.co_executors,
            row.term if row.term is not None else measure.term,
            row.indicator if row.indicator is not None else measure.indicator,
            row.value if own_values else measure.value,
            row.values if own_values else measure.values,
        ))
    return out


def fold_name(name: str) -> str:
    """A body's name compared alike however its apostrophes, spaces and case are written."""
    return " ".join(name.translate(_APOSTROPHES).split()).casefold()


_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "‘": "'", "`": "'"})


def resolve_executor(org: Organisation, ref: str) -> Executor | None:
    """The executor an id, name or spelling variant names (ids first, then names and variants)."""
    for e in org.executors:
        if e.id == ref:
            return e
    key = fold_name(ref)
    for e in org.executors:
        if fold_name(e.name) == key or any(fold_name(v) == key for v in e.variants):
            return e
    return None


def sum_as_written(amounts: typing.Sequence[Value]) -> Decimal | None:
    """The sum of numeric amounts with as many decimals as the most precise one (2407,77 + 2100,0 = 4507,77;
    5235,2 + 2100,0 = 7335,2); ``None`` when none is a number."""
    numbers = [a.number for a in amounts if a.kind is ValueKind.NUMBER and a.number is not None]
    if not numbers:
        return None
    total = sum(numbers, Decimal(0))
    places = max((-e for n in numbers if isinstance(e := n.as_tuple().exponent, int)), default=0)
    return total.quantize(Decimal(1).scaleb(-places)) if places > 0 else total.quantize(Decimal(1))


def plan_funding_totals(plan: Plan) -> dict[tuple[str, str], Decimal]:
    """(year, source) → the plan's amounts summed; an amount given for a priority or task covers its children,
    so their own amounts are not added again."""
    totals: dict[tuple[str, str], Decimal] = {}

    def add(funding: Funding | None) -> bool:
        if not funding:
            return False
        for year, amounts in funding.items():
            for src, v in amounts.items():
                if v.kind is ValueKind.NUMBER and v.number is not None:
                    totals[(year, src)] = totals.get((year, src), Decimal(0)) + v.number
        return True

    for p in plan.priorities:
        if add(p.funding):
            continue
        for m in p.measures:
            add(m.funding)
        for t in p.tasks:
            if not add(t.funding):
                for m in t.measures:
                    add(m.funding)
    return totals


def all_measures(plan: Plan) -> list[tuple[Priority, Task | None, Measure]]:
    """Every measure in document order with its priority and task."""
    out: list[tuple[Priority, Task | None, Measure]] = []
    for p in plan.priorities:
        for m in p.measures:
            out.append((p, None, m))
        for t in p.tasks:
            for m in t.measures:
                out.append((p, t, m))
    return out


# --------------------------------------------------------------------------- execution reports


class FactStatus(StrEnum):
    """Why a measure has no fact in a report."""

    NOT_DUE = "not-due"
    """The measure was not due in the reported period."""
    CANCELLED = "cancelled"
    """The measure was cancelled; the note says by what decision."""


@dataclass(kw_only=True, repr=False, eq=False)
class FactRow(Record):
    fact: Value | None = doc("What was done: a number, text or a compound count like «4/4».", None)
    status: FactStatus | None = doc("not-due or cancelled instead of a fact (a note is required).", None)
    note: str | None = doc("Explanation, required where the plan was missed (Примітка).", None)


@dataclass(kw_only=True, repr=False, eq=False)
class Fact(FactRow):
    """The fact of one measure; a bare value is shorthand for ``{fact: value}``."""

    rows: dict[str, Value | FactRow | None] = doc(
        "Facts per executor row, keyed by the row's executor id (ids joined with '+' for a row with several).",
        dict)


@dataclass(kw_only=True, repr=False, eq=False)
class Report(Record):
    plan: str = doc("Path of the approved plan, relative to this file; planned values come from it.")
    period: Period = doc("Reported period: a quarter of the plan's year («2021-Q2») or the plan's period.")
    title: Lines | None = doc("Title lines; default: «Звіт про виконання плану … у II кварталі».", None)
    facts: dict[str, Value | Fact | None] = doc(
        "Facts by measure id: a value, or a mapping with fact, note, status, rows; empty while not filled in.", dict)
    signatures: list[Signatory] = doc("Signatures under the report.", list)
    acknowledgements: list[Signatory] = doc("Acknowledgements (Ознайомлений) with dates.", list)


@dataclass(kw_only=True, repr=False, eq=False)
class Region(Record):
    """A region whose organisations report for the same periods (for regional summaries)."""

    name: str = doc("Name of the region as printed, e.g. «Житомирська область».")
    organisations: list[str] = doc("Folders of the organisations (relative to this file), in print order.")
    title: Lines | None = doc("Title lines of the summary; a default names the region and period.", None)


RECORD_CLASSES: dict[FileKind, type[Record]] = {
    FileKind.PLAN: Plan, FileKind.ORGANISATION: Organisation, FileKind.REPORT: Report, FileKind.REGION: Region,
    FileKind.BODIES: Bodies,
}
"""The record each kind of file holds."""


def funding_amount(cells: list[Value]) -> Decimal | str | None:
    """The sum of funding cells as docs/rules.md («Sums and counts») defines it: numbers add up, «-» (nothing
    planned) and ``x`` (not applicable) add nothing; a text amount makes the sum unknown (returned as that
    text). ``None`` when no cell holds a number."""
    total: Decimal | None = None
    for v in cells:
        if v.kind is ValueKind.NUMBER and v.number is not None:
            total = (total or Decimal(0)) + v.number
        elif v.kind not in (ValueKind.DASH, ValueKind.NOT_APPLICABLE):
            return v.text
    return total


def funding_cell(funding: Funding | None, year: str, source: str) -> Value | None:
    """One amount of a row's funding, or ``None`` when the row does not write it."""
    return (funding or {}).get(year, {}).get(source)


def funding_parts(node: Priority | Task) -> list[Funding | None]:
    """The funding of a section's items: its tasks (or, for a task without amounts, its measures) and measures."""
    parts: list[Funding | None] = [m.funding for m in node.measures]
    for t in getattr(node, "tasks", ()):
        parts.extend([t.funding] if t.funding else [m.funding for m in t.measures])
    return parts


def plan_funding_cells(plan: Plan, year: str, source: str) -> list[Value]:
    """The amounts the computed total of one funding column adds: a section's (priority's or task's) own
    amount stands for its items, whose amounts are then not added again."""
    out: list[Value] = []

    def take(f: Funding | None) -> bool:
        v = funding_cell(f, year, source)
        if f:
            if v is not None:
                out.append(v)
            return True
        return False

    for p in plan.priorities:
        if take(p.funding):
            continue
        for m in p.measures:
            take(m.funding)
        for t in p.tasks:
            if not take(t.funding):
                for m in t.measures:
                    take(m.funding)
    return out
