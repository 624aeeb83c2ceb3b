"""Synthetic plans of any size, in the format of a seed plan (its header kept, its measures generated),
for the scale parts of the benchmarks. Standard library only."""

from __future__ import annotations

import shutil
from pathlib import Path

from harness import PLANS  # sibling module: the scripts run as benchmarks/<name>.py

QUARTERLY_SEED = PLANS / "kalush" / "2020-q2.yaml"
"""A quarterly plan: measures with one value and executor rows with a month each."""
ANNUAL_SEED = PLANS / "zhytomyr" / "2023.yaml"
"""An annual plan: quarters I–IV and a total per row."""

_TERMS = ("Квітень", "Травень", "Червень")
_ROW_EXECUTORS = ("legal-education", "legal-aid-organisation", "finance", "bureau-bolekhiv",
                  "bureau-burshtyn", "bureau-dolyna", "bureau-perehinske", "bureau-rohatyn",
                  "bureau-rozhniativ", "director")
_TITLES = (
    "Організація та проведення правопросвітницьких заходів для внутрішньо переміщених осіб",
    "Забезпечення роботи консультаційних пунктів доступу до безоплатної правової допомоги у приміщеннях "
    "органів місцевого самоврядування, центрів надання адміністративних послуг та бібліотек",
    "Проведення інформаційних зустрічей з працівниками центрів, які надають безоплатну правову допомогу, "
    "та адвокатами системи з метою аналізу практики, обговорення шляхів вирішення проблемних питань, "
    "вивчення потреби у навчанні та поширення кращих практик захисту",
)
_INDICATORS = ("кількість заходів", "кількість проведених зустрічей", "кількість осіб, яким надано допомогу")


def plan_header(seed_plan: Path) -> str:
    """Everything of the seed plan before its ``priorities:`` key: kind, period, approval, columns…"""
    out: list[str] = []
    for line in seed_plan.read_text(encoding="utf-8").splitlines():
        if line.startswith("priorities:"):
            return "\n".join(out) + "\n"
        out.append(line)
    raise ValueError(f"{seed_plan} has no top-level 'priorities:' key")


def quarterly_plan(measures: int, rows_per_measure: int = 3, measures_per_task: int = 10) -> str:
    """A Q2 quarterly plan in the Kalush format: ``measures`` measures, each with executor rows."""
    n_tasks = -(-measures // measures_per_task)
    tasks_per_priority = max(10, -(-n_tasks // 10))  # at most 10 priorities: their labels are roman numerals
    lines = [plan_header(QUARTERLY_SEED).rstrip("\n"), "priorities:"]
    for i in range(measures):
        t_index, m_no = divmod(i, measures_per_task)
        p_index, t_no = divmod(t_index, tasks_per_priority)
        pid, tid, mid = f"{p_index + 1}", f"{p_index + 1}.{t_no + 1}", f"{p_index + 1}.{t_no + 1}.{m_no + 1}"
        if t_no == 0 and m_no == 0:
            lines += [f'  - id: "{pid}"',
                      f"    title: Синтетичний пріоритет {pid} для вимірювання швидкодії перевірки",
                      "    tasks:"]
        if m_no == 0:
            lines += [f'      - id: "{tid}"',
                      f"        title: Синтетичне завдання {tid} з проведення правопросвітницьких заходів",
                      "        measures:"]
        lines += [f'          - id: "{mid}"',
                  f"            title: Інформаційно-роз'яснювальний захід {mid} для населення щодо "
                  "можливості отримати безоплатну правову допомогу",
                  "            indicator: Кількість робочих зустрічей",
                  f"            value: {i % 7 + 1}",
                  "            rows:"]
        for r in range(rows_per_measure):
            lines += [f"              - executor: {_ROW_EXECUTORS[(i + r) % len(_ROW_EXECUTORS)]}",
                      f"                term: {_TERMS[(i + r) % len(_TERMS)]}"]
    return "\n".join(lines) + "\n"


def _quarters(i: int) -> str:
    q = [(i + k) % 5 + 1 for k in range(4)]
    return f"{{I: {q[0]}, II: {q[1]}, III: {q[2]}, IV: {q[3]}, total: {sum(q)}}}"


def annual_plan(measures: int, measures_per_task: int = 8, tasks_per_priority: int = 5) -> str:
    """An annual plan in the Zhytomyr format (quarters I-IV and total) with ``measures`` measures; of every
    four measures one has three executor rows, one two, two a single row (1.75 rows per measure)."""
    lines = [plan_header(ANNUAL_SEED).rstrip("\n"), "priorities:"]
    for i in range(measures):
        t_index, m_no = divmod(i, measures_per_task)
        p_index, t_no = divmod(t_index, tasks_per_priority)
        pid, tid = f"{p_index + 1}", f"{p_index + 1}.{t_no + 1}"
        mid = f"{tid}.{m_no + 1}"
        if t_no == 0 and m_no == 0:
            lines += [f'  - id: "{pid}"',
                      f"    title: Синтетичний пріоритет {pid} — підвищення рівня правової обізнаності людей",
                      "    tasks:"]
        if m_no == 0:
            lines += [f'      - id: "{tid}"',
                      f"        title: Синтетичне завдання {tid} — підвищення спроможності людей самостійно "
                      "ідентифікувати правові потреби та правові проблеми",
                      "        result: Обізнаність громадян про права та захист в разі їх порушення",
                      "        measures:"]
        lines += [f'          - id: "{mid}"',
                  f"            title: {_TITLES[i % len(_TITLES)]} ({mid})"]
        if m_no == measures_per_task // 2:
            lines.append("            result: Відновлення порушених прав людей, які належать до найбільш "
                         "вразливих соціальних груп")
        indicator = f"            indicator: {_INDICATORS[i % len(_INDICATORS)]}"
        shape = i % 4
        if shape == 0:
            lines += [indicator,
                      "            rows:",
                      "              - executor: legal-aid-head",
                      f"                values: {_quarters(i)}",
                      "              - executor: director",
                      f"                values: {_quarters(i + 2)}",
                      "              - executor: [legal-aid-head, director]",
                      "                value: Постійно (за потреби)"]
        elif shape == 2:
            lines += [indicator,
                      "            rows:",
                      "              - executor: legal-aid-head",
                      f"                values: {_quarters(i)}",
                      "              - executor: director",
                      "                values: {I: 1, III: 1, total: 2}"]
        elif shape == 1:
            lines += ["            executor: legal-aid-head", indicator, f"            values: {_quarters(i)}"]
        else:
            lines += ["            executor: [legal-aid-head, director]", indicator,
                      "            value: При наявності коштів"]
    return "\n".join(lines) + "\n"


def write_plan(folder: Path, seed_plan: Path, text: str) -> Path:
    """``folder/<seed name>`` holding ``text``, beside a copy of the seed's organisation; returns the plan."""
    folder.mkdir(parents=True)
    shutil.copyfile(seed_plan.parent / "organisation.yaml", folder / "organisation.yaml")
    plan = folder / seed_plan.name
    plan.write_text(text, encoding="utf-8")
    return plan
