"""``plandocs init``: a repository of plans from nothing.

:func:`init_repository` is the one public entry point.  It fills the package's scaffold files (this folder)
with an organisation's names, head and departments and writes, under a folder:

- ``plans/ORG/organisation.yaml`` and a first plan of the chosen kind, in canonical form (``fmt --check``
  passes) and valid (``validate`` and ``render`` pass);
- ``schemas/``: the JSON Schemas, one of them for this organisation's plans (its executor and people ids);
- ``.vscode/settings.json`` mapping file globs to those schemas, ``.pre-commit-config.yaml``,
  ``.gitattributes``, ``.gitignore``, ``requirements.txt``, a CI file for GitHub or GitLab, a README.

Nothing is ever overwritten: when any target exists nothing at all is written.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from dataclasses import dataclass
from enum import StrEnum
from importlib.resources import files
from pathlib import Path
from string import Template

from plandocs import __version__
from plandocs.errors import Diagnostics, UsageError
from plandocs.i18n import N_, _
from plandocs.model.records import Organisation, Plan, PlanKind
from plandocs.model.values import MONTHS_NOMINATIVE, roman

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
"""Ids of organisations and executors: what plans write, so plain lowercase Latin, digits and hyphens."""


class CI(StrEnum):
    """Which CI file to write."""

    GITHUB = "github"
    GITLAB = "gitlab"
    NONE = "none"


@dataclass(frozen=True)
class Department:
    """An executor of the new organisation."""

    id: str
    """Stable id plans use, e.g. «legal-education»."""
    name: str
    """Name as printed in the executor column."""


@dataclass(frozen=True)
class InitSpec:
    """Everything ``plandocs init`` asks for."""

    org_id: str
    """Folder name under plans/ and part of the schema's name, e.g. «kalush»."""
    nominative: str
    """Full name in the nominative."""
    genitive: str
    """Full name in the genitive, as the plan's title uses it."""
    short_name: str | None
    """Short name, e.g. «Калуський МЦ»."""
    region: str | None
    """Region (область)."""
    head_surname: str
    """Surname of the head, who approves and signs."""
    head_initials: str
    """Initials of the head, e.g. «Л.Б.»."""
    head_position: str
    """Position of the head as printed above the name."""
    departments: tuple[Department, ...]
    """Executors; at least one."""
    kind: PlanKind
    """Form of the first plan."""
    period: str
    """Period of the first plan: «2026-Q1», «2026» or «2026-2028»."""
    ci: CI
    """CI file to write."""
    today: _dt.date
    """Date of the approval stamp of the first plan."""


PLAN_TITLES = {
    PlanKind.QUARTERLY_PLAN: "КВАРТАЛЬНИЙ ПЛАН ЗАХОДІВ",
    PlanKind.ANNUAL_PLAN: "РІЧНИЙ ПЛАН ДІЯЛЬНОСТІ",
    PlanKind.ACTION_PLAN: "ПЛАН ДІЙ",
    PlanKind.CITY_PROGRAMME: "ПРОГРАМА",
}
KIND_NAMES_UK = {
    PlanKind.QUARTERLY_PLAN: "квартальний план заходів",
    PlanKind.ANNUAL_PLAN: "річний план з кварталами I–IV",
    PlanKind.ACTION_PLAN: "план дій (терміни в роках)",
    PlanKind.CITY_PROGRAMME: "міська програма з фінансуванням за роками",
}
KINDS = tuple(PLAN_TITLES)
"""The kinds a first plan can be made of: those with a scaffold file (plan-KIND.yaml.tmpl)."""
CI_FILES = {CI.GITHUB: ".github/workflows/plans.yml", CI.GITLAB: ".gitlab-ci.yml"}


def default_period(kind: PlanKind, today: _dt.date) -> str:
    """The period a new plan is usually made for: the next quarter, the next year, three years."""
    if kind is PlanKind.QUARTERLY_PLAN:
        q = (today.month - 1) // 3 + 2
        return f"{today.year + (q > 4)}-Q{(q - 1) % 4 + 1}"
    year = today.year + 1
    return f"{year}-{year + 2}" if kind is PlanKind.CITY_PROGRAMME else str(year)


_PERIOD_SHAPES = {
    PlanKind.QUARTERLY_PLAN: (re.compile(r"^(\d{4})-Q([1-4])$"), N_("a quarter such as 2026-Q1")),
    PlanKind.ANNUAL_PLAN: (re.compile(r"^(\d{4})$"), N_("a year such as 2026")),
    PlanKind.ACTION_PLAN: (re.compile(r"^(\d{4})$"), N_("a year such as 2026")),
    PlanKind.CITY_PROGRAMME: (re.compile(r"^(\d{4})-(\d{4})$"), N_("a range of years such as 2026-2028")),
}


def _period_parts(kind: PlanKind, period: str) -> tuple[int, int]:
    pattern, shape = _PERIOD_SHAPES[kind]
    m = pattern.match(period)
    if m is None or (kind is PlanKind.CITY_PROGRAMME and int(m[2]) < int(m[1])):
        raise UsageError(_("--period: '{period}' is not a period of a {kind}; expected {shape}").format(
            period=period, kind=kind.value, shape=_(shape)))
    return int(m[1]), int(m[2]) if m.lastindex == 2 else int(m[1])


def _period_title(kind: PlanKind, period: str) -> str:
    first, second = _period_parts(kind, period)
    if kind is PlanKind.QUARTERLY_PLAN:
        return f"на {roman(second)} квартал {first} року"
    if kind is PlanKind.CITY_PROGRAMME:
        return f"на {first}–{second} роки"
    return f"на {first} рік"


def _term(kind: PlanKind, period: str) -> str:
    first, second = _period_parts(kind, period)
    if kind is PlanKind.QUARTERLY_PLAN:
        return MONTHS_NOMINATIVE[(second - 1) * 3].capitalize()
    return f"{first}-{second}" if kind is PlanKind.CITY_PROGRAMME else str(first)


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is YAML's); fmt makes it plain where safe."""
    return json.dumps(text, ensure_ascii=False)


def _scaffold(name: str) -> str:
    return files(__package__).joinpath(name).read_text(encoding="utf-8")


def check_spec(spec: InitSpec) -> None:
    """Refuse ids that plans could not use and names that are empty, naming every problem at once."""
    problems = []
    if not ID_RE.match(spec.org_id):
        problems.append(_("--id: '{id}' must be lowercase Latin letters, digits and hyphens, e.g. kalush").format(
            id=spec.org_id))
    for field_name, value in (("--name", spec.nominative), ("--genitive", spec.genitive),
                              ("--head-surname", spec.head_surname), ("--head-initials", spec.head_initials),
                              ("--head-position", spec.head_position)):
        if not value.strip():
            problems.append(_("{option}: must not be empty").format(option=field_name))
    if not spec.departments:
        problems.append(_("--department: give at least one, as ID=NAME, e.g. legal-education='Відділ …'"))
    seen: set[str] = set()
    for d in spec.departments:
        if not ID_RE.match(d.id):
            problems.append(_("--department: id '{id}' must be lowercase Latin letters, digits and hyphens").format(
                id=d.id))
        if d.id in seen:
            problems.append(_("--department: id '{id}' is given twice").format(id=d.id))
        if not d.name.strip():
            problems.append(_("--department: '{id}' has an empty name").format(id=d.id))
        seen.add(d.id)
    try:
        _period_parts(spec.kind, spec.period)
    except UsageError as exc:
        problems.append(exc.format_message())
    if problems:
        raise UsageError("; ".join(problems))


def _organisation_text(spec: InitSpec) -> str:
    executors = "\n".join(f"  - id: {d.id}\n    name: {_q(d.name)}" for d in spec.departments)
    return Template(_scaffold("organisation.yaml.tmpl")).substitute(
        name_nominative=_q(spec.nominative), name_genitive=_q(spec.genitive),
        short_name_line=f"short_name: {_q(spec.short_name)}\n" if spec.short_name else "",
        region_line=f"region: {_q(spec.region)}\n" if spec.region else "",
        head_id="head", head_surname=_q(spec.head_surname), head_initials=_q(spec.head_initials),
        head_position=_q(spec.head_position), executors=executors)


def _plan_text(spec: InitSpec) -> str:
    first, second = _period_parts(spec.kind, spec.period)
    funding = "\n".join(f'          "{year}": {{local-budget: 0}}' for year in range(first, second + 1))
    return Template(_scaffold(f"plan-{spec.kind.value}.yaml.tmpl")).substitute(
        period=_q(spec.period), name_genitive=_q(spec.genitive), period_title=_q(_period_title(spec.kind, spec.period)),
        head_id="head", approval_date=spec.today.isoformat(), executor_id=spec.departments[0].id,
        term=_q(_term(spec.kind, spec.period)), funding=funding)


def plan_file_name(spec: InitSpec) -> str:
    return f"{spec.period.lower()}.yaml"


def _schemas(spec: InitSpec, organisation: Organisation) -> dict[str, str]:
    from plandocs.check.orgschema import organisation_schema
    from plandocs.check.schema import json_schema
    from plandocs.model.records import RECORD_CLASSES

    out = {f"schemas/{kind.value}.schema.json": json.dumps(json_schema(cls), ensure_ascii=False, indent=2) + "\n"
           for kind, cls in RECORD_CLASSES.items()}
    own = organisation_schema(json_schema(Plan), organisation, spec.org_id)
    out[f"schemas/{spec.org_id}.plan.schema.json"] = json.dumps(own, ensure_ascii=False, indent=2) + "\n"
    return out


def _vscode_settings(spec: InitSpec) -> str:
    # Plan files are named after their period (2026-q1.yaml, 2026.yaml, 2026-2028.yaml): a digit first and
    # last, so the glob leaves out organisation.yaml and the *.report.yaml files, which have schemas of their own.
    plan_schemas = f'    "./schemas/{spec.org_id}.plan.schema.json": ["plans/{spec.org_id}/[0-9]*[0-9].yaml"]'
    return Template(_scaffold("vscode-settings.json.tmpl")).substitute(plan_schemas=plan_schemas)


def planned_files(spec: InitSpec) -> dict[str, str]:
    """Every file ``init`` writes, by path relative to the folder, with its text."""
    from plandocs.check.schema import to_record
    from plandocs.load.source import parse_text
    from plandocs.review.fmt import canonical_text

    check_spec(spec)
    org_dir = f"plans/{spec.org_id}"
    diags = Diagnostics()
    org_text = canonical_text(f"{org_dir}/organisation.yaml", _organisation_text(spec), Organisation, diags)
    plan_text = canonical_text(f"{org_dir}/{plan_file_name(spec)}", _plan_text(spec), Plan, diags)
    root = parse_text("organisation.yaml", org_text or "", diags)
    organisation = to_record(root, Organisation, diags) if root is not None else None
    if org_text is None or plan_text is None or organisation is None or diags.errors:
        # The scaffold and the checked spec always load; reaching this is a bug in plandocs, not in the input.
        raise UsageError(_("internal error: the scaffold does not load: {problems}").format(
            problems="; ".join(d.headline() for d in diags.errors)))
    out = {
        f"{org_dir}/organisation.yaml": org_text,
        f"{org_dir}/{plan_file_name(spec)}": plan_text,
        **_schemas(spec, organisation),
        ".vscode/settings.json": _vscode_settings(spec),
        ".vscode/extensions.json": _scaffold("vscode-extensions.json"),
        ".pre-commit-config.yaml": _scaffold("pre-commit-config.yaml"),
        ".gitattributes": _scaffold("gitattributes"),
        ".gitignore": _scaffold("gitignore"),
        "requirements.txt": Template(_scaffold("requirements.txt.tmpl")).substitute(version=__version__),
    }
    if spec.ci is not CI.NONE:
        out[CI_FILES[spec.ci]] = _scaffold("github-plans.yml" if spec.ci is CI.GITHUB else "gitlab-ci.yml")
    out["README.md"] = Template(_scaffold("README.md.tmpl")).substitute(
        name_nominative=spec.nominative, name_genitive=spec.genitive, short_name=spec.short_name or spec.nominative,
        version=__version__, org_id=spec.org_id, plan_file=plan_file_name(spec), kind_uk=KIND_NAMES_UK[spec.kind],
        ci_file=CI_FILES.get(spec.ci, "немає"))
    return out


def init_repository(folder: Path, spec: InitSpec) -> list[Path]:
    """Write the repository of plans under ``folder``; return the written files in order.

    Raises :class:`UsageError` (writing nothing) when any of the files already exists.
    """
    from plandocs.files.write import write_outputs

    texts = planned_files(spec)
    existing = [rel for rel in texts if (folder / rel).exists() or (folder / rel).is_symlink()]
    if existing:
        raise UsageError(_("{folder}: nothing written, because these files exist already and init never overwrites: "
                           "{files}; run init in a new folder or move them away").format(
            folder=folder, files=", ".join(existing)))
    folder.mkdir(parents=True, exist_ok=True)
    written = write_outputs({Path(rel): text.encode("utf-8") for rel, text in texts.items()}, folder)
    return written


__all__ = ["CI", "KINDS", "Department", "InitSpec", "default_period", "init_repository", "planned_files"]
