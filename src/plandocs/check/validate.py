"""Stage 2, validate: find plan files, load them with their organisations, check every rule.

:func:`validate` is the one public entry point; it never raises for bad input and never prints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from plandocs.check.report_rules import check_report
from plandocs.check.rules import check_bodies, check_organisation, check_plan
from plandocs.check.schema import to_record
from plandocs.errors import Diagnostics, Loc
from plandocs.files.discovery import discover, display_path
from plandocs.files.kinds import ORGANISATION_FILE, FileKind, kind_of
from plandocs.files.paths import Refusal, confine, inside, project_root
from plandocs.i18n import _
from plandocs.load.source import Source, load_source
from plandocs.model.records import Bodies, Organisation, Plan, Report


@dataclass(frozen=True)
class LoadedPlan:
    """A plan that passed validation (warnings allowed), with its organisation."""

    path: Path
    """The plan file."""
    plan: Plan
    organisation: Organisation
    organisation_path: Path


@dataclass(frozen=True)
class LoadedReport:
    """A report that passed validation, with its plan."""

    path: Path
    report: Report
    plan: LoadedPlan


@dataclass
class ValidationResult:
    """What :func:`validate` found."""

    files: list[str] = field(default_factory=list)
    """Every file that was checked, as displayed."""
    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    plans: list[LoadedPlan] = field(default_factory=list)
    """Plans without errors."""
    reports: list[LoadedReport] = field(default_factory=list)
    """Reports without errors (their plans are valid too)."""
    invalid: list[str] = field(default_factory=list)
    """Plan files with errors (their own or their organisation's)."""
    lines: dict[str, list[str]] = field(default_factory=dict)
    """Source lines of every checked file, for excerpts."""

    @property
    def ok(self) -> bool:
        return not self.diagnostics.errors


class _Validator:
    def __init__(self) -> None:
        self.result = ValidationResult()
        self.orgs: dict[Path, Organisation | None] = {}
        self.plans: dict[Path, LoadedPlan | None] = {}
        self.registers: dict[Path, Bodies | None] = {}

    def source(self, path: Path) -> Source:
        name = display_path(path)
        src = load_source(name if Path(name).exists() else path, self.result.diagnostics)
        self.result.lines[src.path] = src.lines
        if src.path not in self.result.files:
            self.result.files.append(src.path)
        return src

    def organisation(self, path: Path) -> Organisation | None:
        key = path.resolve()
        if key in self.orgs:
            return self.orgs[key]
        diags = self.result.diagnostics
        before = len(diags.errors)
        src = self.source(path)
        org = to_record(src.root, Organisation, diags) if src.root is not None else None
        if org is not None:
            check_organisation(org, src.lines, diags)
            self.add_bodies(org, path)
        if len(diags.errors) > before:
            org = None
        self.orgs[key] = org
        return org

    def bodies(self, path: Path) -> Bodies | None:
        """A bodies register, loaded once however many organisations name it."""
        key = path.resolve()
        if key in self.registers:
            return self.registers[key]
        diags = self.result.diagnostics
        before = len(diags.errors)
        src = self.source(path)
        reg = to_record(src.root, Bodies, diags) if src.root is not None else None
        if reg is not None:
            check_bodies(reg, src.lines, diags)
        self.registers[key] = reg if len(diags.errors) == before else None
        return self.registers[key]

    def add_bodies(self, org: Organisation, org_path: Path) -> None:
        """The organisation's executors extended with the bodies of the registers it names."""
        diags = self.result.diagnostics
        own = {e.id for e in org.executors}
        for i, name in enumerate(org.bodies):
            key = f"bodies[{i}]" if len(org.bodies) > 1 else "bodies"
            path = org_path.parent / name
            if not inside(path, project_root(org_path)):
                diags.add("bodies-missing", _("bodies register '{name}' is outside the project ({root}); keep "
                                              "registers inside the repository").format(
                    name=name, root=project_root(org_path)), org.loc_of(key), key)
                continue
            if not path.is_file() or kind_of(path) is not FileKind.BODIES:
                diags.add("bodies-missing", _("bodies register '{file}' not found; 'bodies' names *.bodies.yaml files "
                                              "relative to the organisation file").format(file=display_path(path)),
                          org.loc_of(key), key)
                continue
            reg = self.bodies(path)
            if reg is None:
                diags.add("bodies-missing", _("the bodies register '{file}' has errors").format(
                    file=display_path(path)), org.loc_of(key), key)
                continue
            for body in reg.bodies:
                if body.id in own:
                    diags.add("duplicate-id", _("executor id '{id}' is also a body of '{file}'; rename one of them")
                              .format(id=body.id, file=display_path(path)), org.loc, "executors")
                    continue
                own.add(body.id)
                org.executors.append(body)

    def plan(self, path: Path) -> LoadedPlan | None:
        key = path.resolve()
        if key not in self.plans:
            self.plans[key] = self._plan(path)
        return self.plans[key]

    def report(self, path: Path) -> None:
        diags = self.result.diagnostics
        before = len(diags.errors)
        src = self.source(path)
        report = to_record(src.root, Report, diags) if src.root is not None else None
        loaded: LoadedPlan | None = None
        if report is not None:
            plan_path = confine(path.parent, report.plan, project_root(path))
            if isinstance(plan_path, Refusal):
                diags.add(plan_path.rule, plan_path.message, report.loc_of("plan"), "plan")
            elif not plan_path.is_file():
                diags.add("plan-missing", _("plan file '{file}' not found; 'plan' names the approved plan, "
                                            "relative to the report").format(file=display_path(plan_path)),
                          report.loc_of("plan"), "plan")
            else:
                loaded = self.plan(plan_path)
                if loaded is None:
                    diags.add("plan-missing", _("the plan '{file}' has errors; the report can be checked once "
                                                "they are fixed").format(file=display_path(plan_path)),
                              report.loc_of("plan"), "plan")
                else:
                    check_report(report, loaded.plan, src.lines, diags, loaded.organisation)
        if report is None or loaded is None or len(diags.errors) > before:
            self.result.invalid.append(src.path)
        else:
            self.result.reports.append(LoadedReport(path, report, loaded))

    def _plan(self, path: Path) -> LoadedPlan | None:
        diags = self.result.diagnostics
        before = len(diags.errors)
        src = self.source(path)
        plan = to_record(src.root, Plan, diags) if src.root is not None else None
        org: Organisation | None = None
        org_path = confine(path.parent, plan.organisation if plan else ORGANISATION_FILE, project_root(path))
        if plan is not None:
            if isinstance(org_path, Refusal):
                diags.add(org_path.rule, org_path.message, plan.loc_of("organisation"), "organisation")
            elif org_path.is_file():
                org = self.organisation(org_path)
            else:
                diags.add("organisation-missing",
                          _("organisation file '{file}' not found; create it or set 'organisation' to its path")
                          .format(file=display_path(org_path)), plan.loc_of("organisation"), "organisation")
            check_plan(plan, org, src.lines, diags)
        if plan is None or org is None or isinstance(org_path, Refusal) or len(diags.errors) > before:
            self.result.invalid.append(src.path)
            return None
        return LoadedPlan(path, plan, org, org_path)


def validate(paths: list[Path]) -> ValidationResult:
    """Check every plan and organisation file under ``paths``; collect all problems."""
    v = _Validator()
    files = discover(paths)
    for f in files:  # plans first, so that reports find them checked
        kind = kind_of(f)
        if kind is FileKind.ORGANISATION:
            v.organisation(f)
        elif kind is FileKind.BODIES:
            v.bodies(f)
        elif kind is FileKind.PLAN:
            loaded = v.plan(f)
            if loaded is not None:
                v.result.plans.append(loaded)
    for f in files:
        if kind_of(f) is FileKind.REPORT:
            v.report(f)
    return v.result


__all__ = ["LoadedPlan", "Loc", "ValidationResult", "validate"]
