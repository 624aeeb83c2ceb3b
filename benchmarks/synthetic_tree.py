"""A synthetic national tree of free legal aid centres: plans/centre-NNN/ with an organisation, an annual
plan of 40–60 measures and its four quarterly reports.

Standard library only, so the benchmark's parent process can write the tree without the project's
virtualenv.  The tree is deterministic for a given ``seed``: the same arguments write the same bytes.  The
shape of the plans follows ``plans/zhytomyr/2023.yaml`` (annual plan, quarters I–IV with a total, merged
task cells, measures with one to three executor rows), so each plan makes a PDF of 15–20 pages.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

YEAR = 2023
QUARTERS = ("I", "II", "III", "IV")
MEASURES = (40, 60)
"""Inclusive range of the number of measures in a plan."""
MEASURES_PER_TASK = (3, 6)
TASKS_PER_PRIORITY = (2, 4)

_CITIES = (
    "Вінницький", "Волинський", "Дніпровський", "Житомирський", "Запорізький", "Івано-Франківський",
    "Київський", "Кропивницький", "Луцький", "Львівський", "Миколаївський", "Одеський", "Полтавський",
    "Рівненський", "Сумський", "Тернопільський", "Ужгородський", "Харківський", "Херсонський",
    "Хмельницький", "Черкаський", "Чернівецький", "Чернігівський",
)
_SURNAMES = ("Коваленко", "Бондаренко", "Ткаченко", "Кравченко", "Олійник", "Шевчук", "Поліщук", "Мельник")
_TITLES = (
    "Організація та проведення правопросвітницьких заходів для внутрішньо переміщених осіб",
    "Забезпечення роботи консультаційних пунктів доступу до безоплатної правової допомоги у приміщеннях "
    "органів місцевого самоврядування, центрів надання адміністративних послуг та бібліотек",
    "Проведення інформаційних зустрічей з працівниками центрів, які надають безоплатну правову допомогу, "
    "та адвокатами системи з метою аналізу практики, обговорення шляхів вирішення проблемних питань",
    "Підготовка та поширення інформаційних матеріалів з актуальних правових питань",
    "Надання методичної допомоги бюро правової допомоги з питань документування звернень клієнтів",
)
_INDICATORS = ("кількість заходів", "кількість проведених зустрічей", "кількість осіб, яким надано допомогу",
               "кількість підготовлених матеріалів")
_EXECUTORS = ("director", "legal-aid-head", "legal-education", "bureau-1", "bureau-2")


@dataclass(frozen=True)
class Centre:
    """One generated centre: its folder and the files in it."""

    folder: Path
    organisation: Path
    plan: Path
    reports: tuple[Path, ...]

    @property
    def documents(self) -> tuple[Path, ...]:
        """The files ``plandocs render`` turns into documents: the plan and its reports."""
        return (self.plan, *self.reports)


def centre_name(index: int) -> str:
    return f"centre-{index + 1:03d}"


def organisation_yaml(index: int) -> str:
    city = _CITIES[index % len(_CITIES)]
    head = _SURNAMES[index % len(_SURNAMES)]
    return f"""\
# A synthetic organisation (benchmarks/synthetic_tree.py), not a real body.
name:
  nominative: {city} місцевий центр № {index + 1} з надання безоплатної правничої допомоги
  genitive: {city[:-2]}ого місцевого центру № {index + 1} з надання безоплатної правничої допомоги
short_name: {city} МЦ № {index + 1}
name_style: initials-surname
executor_separator: ", "
head: director
people:
  - id: director
    surname: {head}
    initials: А.В.
    position: Директор місцевого центру з надання безоплатної правничої допомоги
  - id: legal-aid-head
    surname: Шаль
    initials: Т.О.
    position: Начальник відділу безоплатної правової допомоги
executors:
  - id: director
    name: директор центру
  - id: legal-aid-head
    name: Начальник відділу безоплатної правової допомоги
  - id: legal-education
    name: Відділ правопросвітництва та надання безоплатної первинної правової допомоги
  - id: bureau-1
    name: Перше бюро правової допомоги
  - id: bureau-2
    name: Друге бюро правової допомоги
"""


@dataclass(frozen=True)
class _Row:
    executor: tuple[str, ...]
    values: dict[str, int] | None
    """Planned value per quarter (absent quarters: nothing planned); None for a text value."""


@dataclass(frozen=True)
class _Measure:
    id: str
    title: str
    indicator: str
    rows: tuple[_Row, ...]


def _plan_measures(rng: random.Random, count: int) -> list[list[list[_Measure]]]:
    """Priorities → tasks → measures, ``count`` measures in all."""
    priorities: list[list[list[_Measure]]] = []
    made = 0
    while made < count:
        p_no = len(priorities) + 1
        tasks: list[list[_Measure]] = []
        for t_no in range(1, rng.randint(*TASKS_PER_PRIORITY) + 1):
            measures: list[_Measure] = []
            for m_no in range(1, rng.randint(*MEASURES_PER_TASK) + 1):
                if made == count:
                    break
                mid = f"{p_no}.{t_no}.{m_no}"
                shape = rng.randrange(8)
                n_rows = 3 if shape == 0 else 2 if shape in (1, 2) else 1
                rows = []
                for r in range(n_rows):
                    if shape == 7:
                        rows.append(_Row((_EXECUTORS[0], _EXECUTORS[1]), None))
                        continue
                    quarters = [q for q in QUARTERS if rng.random() < 0.75] or ["I"]
                    rows.append(_Row((_EXECUTORS[(made + r) % len(_EXECUTORS)],),
                                     {q: rng.randint(1, 12) for q in quarters}))
                measures.append(_Measure(mid, f"{rng.choice(_TITLES)} ({mid})", rng.choice(_INDICATORS),
                                         tuple(rows)))
                made += 1
            if measures:
                tasks.append(measures)
        priorities.append(tasks)
    return priorities


def _values(values: dict[str, int]) -> str:
    parts = [f"{q}: {values[q]}" for q in QUARTERS if q in values]
    return "{" + ", ".join(parts) + f", total: {sum(values.values())}" + "}"


def plan_yaml(index: int, priorities: list[list[list[_Measure]]]) -> str:
    city = _CITIES[index % len(_CITIES)]
    lines = [
        "# A synthetic annual plan (benchmarks/synthetic_tree.py).",
        "organisation: organisation.yaml",
        "kind: annual-plan",
        f'period: "{YEAR}"',
        "title:",
        f"  - Річний план діяльності {city[:-2]}ого місцевого центру № {index + 1} з надання безоплатної "
        f"правничої допомоги на {YEAR} рік",
        "approval:",
        "  - label: ЗАТВЕРДЖЕНО",
        "    person: director",
        "    signature: (підпис)",
        f"    date: {YEAR - 1}-12-{20 + index % 9:02d}",
        "columns: [number, task, result, measure, executor, indicator, values]",
        "breakdown: quarters",
        "labels:",
        '  priority: "{id}."',
        "  task: Завдання {id}",
        "  measure: Захід {id}",
        "  number: task-id",
        "priorities:",
    ]
    for p_no, tasks in enumerate(priorities, start=1):
        lines += [f'  - id: "{p_no}"',
                  f"    title: Пріоритет {p_no} — підвищення рівня правової свідомості та правової культури людей",
                  "    tasks:"]
        for t_no, measures in enumerate(tasks, start=1):
            lines += [f'      - id: "{p_no}.{t_no}"',
                      f"        title: Завдання {p_no}.{t_no} — підвищення спроможності людей самостійно "
                      "ідентифікувати правові потреби та правові проблеми",
                      "        result: Обізнаність громадян про права та захист в разі їх порушення",
                      "        measures:"]
            for m in measures:
                lines += [f'          - id: "{m.id}"', f"            title: {m.title}",
                          f"            indicator: {m.indicator}"]
                if len(m.rows) == 1:
                    lines += _row_lines(m.rows[0], "            ")
                else:
                    lines.append("            rows:")
                    for row in m.rows:
                        body = _row_lines(row, "                ")
                        lines += ["              - " + body[0].lstrip(), *body[1:]]
    lines += ["signatures:", "  - person: director"]
    return "\n".join(lines) + "\n"


def _row_lines(row: _Row, indent: str) -> list[str]:
    executor = row.executor[0] if len(row.executor) == 1 else "[" + ", ".join(row.executor) + "]"
    value = "value: Постійно (за потреби)" if row.values is None else f"values: {_values(row.values)}"
    return [f"{indent}executor: {executor}", f"{indent}{value}"]


def report_yaml(priorities: list[list[list[_Measure]]], quarter: int, rng: random.Random) -> str:
    """Facts for every row due in the quarter: mostly the plan, sometimes more, sometimes less with a note."""
    q = QUARTERS[quarter - 1]
    lines = ["# A synthetic quarterly report (benchmarks/synthetic_tree.py).", f"plan: {YEAR}.yaml",
             f'period: "{YEAR}-Q{quarter}"', "facts:"]
    for tasks in priorities:
        for measures in tasks:
            for m in measures:
                facts = [_fact(row, q, rng) for row in m.rows]
                if all(f is None for f in facts):
                    continue
                if len(m.rows) == 1:
                    lines.append(f'  "{m.id}": {facts[0]}')
                    continue
                lines.append(f'  "{m.id}":')
                lines.append("    rows:")
                for row, fact in zip(m.rows, facts, strict=True):
                    if fact is not None:
                        lines.append(f"      {'+'.join(row.executor)}: {fact}")
    lines += ["signatures:", "  - person: director"]
    return "\n".join(lines) + "\n"


def _fact(row: _Row, q: str, rng: random.Random) -> str | None:
    if row.values is None:
        return "Виконано"
    planned = row.values.get(q)
    if planned is None:
        return None
    roll = rng.random()
    if roll < 0.1:
        return f"{{fact: {planned - 1}, note: Захід перенесено на наступний квартал}}"
    return str(planned + 1 if roll < 0.3 else planned)


def write_tree(base: Path, orgs: int = 100, seed: int = 17) -> list[Centre]:
    """Write ``base/plans/centre-NNN/`` for ``orgs`` centres; returns them in order."""
    centres = []
    for index in range(orgs):
        rng = random.Random(f"{seed}-{index}")
        folder = base / "plans" / centre_name(index)
        folder.mkdir(parents=True, exist_ok=True)
        priorities = _plan_measures(rng, rng.randint(*MEASURES))
        org = folder / "organisation.yaml"
        org.write_text(organisation_yaml(index), encoding="utf-8")
        plan = folder / f"{YEAR}.yaml"
        plan.write_text(plan_yaml(index, priorities), encoding="utf-8")
        reports = []
        for quarter in range(1, 5):
            report = folder / f"{YEAR}-q{quarter}.report.yaml"
            report.write_text(report_yaml(priorities, quarter, rng), encoding="utf-8")
            reports.append(report)
        centres.append(Centre(folder, org, plan, tuple(reports)))
    return centres


def change_plan(plan: Path, mark: str = "змінено") -> None:
    """Change one printed word of a plan (the first measure's title), as an editor would."""
    text = plan.read_text(encoding="utf-8")
    head, sep, rest = text.partition("            title: ")
    if not sep:
        raise ValueError(f"{plan} has no measure title to change")
    plan.write_text(f"{head}{sep}({mark}) {rest}", encoding="utf-8")
