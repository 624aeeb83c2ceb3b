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
from enum import StrEnum
from typing import Any

from plandocs.errors import Loc
from plandocs.files.kinds import FileKind
from plandocs.model.values import Period, Term, Value

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
    executor_separator: Format = doc("Printed between several executors of one row.", Format("; "))
    head: str | None = doc("Id of the head of the organisation among ``people``.", None)
    people: list[Person] = doc("People who approve, sign and acknowledge documents.", list)
    executors: list[Executor] = doc("Departments, bureaus and officials that plans name as executors.", list)
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


@dataclass(kw_only=True, repr=False, eq=False)
class FundingSpec(Record):
    unit: str = doc("Unit of the amounts, printed in the header.", "тис. грн")
    sources: list[FundingSource] = doc("Funding sources, one column each per year.")
    years: list[int] | None = doc("Years with funding columns; defaults to the years of the period.", None)


Funding = dict[str, dict[str, Value]]
"""Funding of a row: year → source id → amount."""


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

    executor: IdList | None = doc("Executor id or list of ids (from the organisation's ``executors``).", None)
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
    KEY_ORDER = ("id", "title", "result", "executor", "term", "indicator", "value", "values", "funding", "rows")
    id: str = doc("Measure id, numbered under its task: «1.2.3» under task «1.2».")
    title: str | None = doc("Name of the measure (without its number).", None)
    result: str | None = doc("Goal/expected result, when it differs from the task's.", None)
    funding: Funding | None = doc("Funding by year and source id.", None)
    rows: list[Row] = doc("Executor rows; each inherits the measure's cells it does not set.", list)


@dataclass(kw_only=True, repr=False, eq=False)
class Task(Record):
    id: str = doc("Task (operational goal) id, numbered under its priority: «1.2» under priority «1».")
    title: str | None = doc("Name of the task.", None)
    result: str | None = doc("Goal and main result of the task (мета та основний результат).", None)
    executor: IdList | None = doc("Executor of the task as a whole, where the form shows one.", None)
    term: Term | None = doc("Term of the task as a whole, where the form shows one.", None)
    funding: Funding | None = doc("Funding of the task as a whole.", None)
    measures: list[Measure] = doc("Measures of the task.", list)


@dataclass(kw_only=True, repr=False, eq=False)
class Priority(Record):
    id: str = doc("Priority (strategic goal) id: «1», «2», …")
    title: str | None = doc("Name of the priority.", None)
    executor: IdList | None = doc("Executor of the priority as a whole, where the form shows one.", None)
    term: Term | None = doc("Term of the priority as a whole, where the form shows one.", None)
    funding: Funding | None = doc("Funding of the priority as a whole.", None)
    tasks: list[Task] = doc("Tasks (operational goals) of the priority.", list)
    measures: list[Measure] = doc("Measures directly under the priority, for forms without tasks.", list)


@dataclass(kw_only=True, repr=False, eq=False)
class Plan(Record):
    organisation: str = doc("Path of the organisation file, relative to the plan.", "organisation.yaml")
    kind: PlanKind = doc("Document form.")
    period: Period = doc("Period: «2020-Q2», «2023» or «2021-2026».")
    horizon: Period | None = doc(
        "Period that measures' terms may span when it is longer than the plan's own, e.g. «2021-2026» for "
        "the 2021 action plan of a 2021–2026 strategy. Terms must still overlap the plan's period.", None)
    title: Lines = doc("Title lines of the document, printed centred and bold.")
    approval: list[Signatory] = doc("Approval stamps (гриф затвердження), printed top right.", list)
    order: Order | None = doc("An order that approves the plan and is printed before it.", None)
    contents: bool = doc("Print a table of contents of the sections.", False)
    sections: list[Section] = doc("Prose chapters; one of them may insert the table.", list)
    columns: list[Column] | None = doc("Columns of the table; defaults by kind.", None)
    headers: dict[Column, str] = doc("Header texts that differ from the defaults, by column.", dict)
    column_numbers: bool = doc("Print a row of column numbers 1…N under the header (repeated on every page).",
                               False)
    breakdown: Breakdown | None = doc("Value columns; defaults by kind.", None)
    funding: FundingSpec | None = doc("Funding columns (city programmes).", None)
    labels: Labels = doc("Labels and numbering of rows.", Labels)
    priorities: list[Priority] = doc("The plan's priorities (strategic goals) with their tasks and measures.")
    signatures: list[Signatory] = doc("Signatures under the document.", list)
    agreements: list[Signatory] = doc("Agreement stamps (ПОГОДЖЕНО).", list)
    acknowledgements: list[Signatory] = doc("Acknowledgements (Ознайомлений) with dates.", list)


# --------------------------------------------------------------------------- defaults by kind

DEFAULT_COLUMNS: dict[PlanKind, tuple[Column, ...]] = {
    PlanKind.QUARTERLY_PLAN: (Column.NUMBER, Column.TASK, Column.MEASURE, Column.EXECUTOR, Column.TERM,
                              Column.INDICATOR, Column.VALUES),
    PlanKind.ANNUAL_PLAN: (Column.NUMBER, Column.TASK, Column.RESULT, Column.MEASURE, Column.EXECUTOR,
                           Column.INDICATOR, Column.VALUES),
    PlanKind.ACTION_PLAN: (Column.NUMBER, Column.MEASURE, Column.EXECUTOR, Column.TERM, Column.INDICATOR),
    PlanKind.CITY_PROGRAMME: (Column.NUMBER, Column.MEASURE, Column.TERM, Column.EXECUTOR, Column.FUNDING),
}

DEFAULT_BREAKDOWN: dict[PlanKind, Breakdown] = {
    PlanKind.QUARTERLY_PLAN: Breakdown.SINGLE,
    PlanKind.ANNUAL_PLAN: Breakdown.QUARTERS,
    PlanKind.ACTION_PLAN: Breakdown.NONE,
    PlanKind.CITY_PROGRAMME: Breakdown.NONE,
}


def plan_columns(plan: Plan) -> tuple[Column, ...]:
    return tuple(plan.columns) if plan.columns is not None else DEFAULT_COLUMNS[plan.kind]


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
        return [EffectiveRow(measure, None, measure.executor, measure.term, measure.indicator,
                             measure.value, measure.values)]
    out = []
    for row in measure.rows:
        own_values = row.value is not None or row.values is not None
        out.append(EffectiveRow(
            measure, row,
            row.executor if row.executor is not None else measure.executor,
            row.term if row.term is not None else measure.term,
            row.indicator if row.indicator is not None else measure.indicator,
            row.value if own_values else measure.value,
            row.values if own_values else measure.values,
        ))
    return out


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
}
"""The record each kind of file holds."""
