"""``plandocs report new|annual|region``: execution reports and their roll-ups."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from plandocs.check.validate import LoadedPlan, ValidationResult, validate
from plandocs.cli.options import PERIOD, formats_option, output_folder, pdf_engine_option
from plandocs.cli.output import print_diagnostics
from plandocs.errors import EXIT_INVALID, Diagnostics, UsageError
from plandocs.files.discovery import display_path
from plandocs.files.paths import Refusal, confine, project_root
from plandocs.i18n import _
from plandocs.model.values import Period

if TYPE_CHECKING:
    from plandocs.render.batch import RollupResult


@click.group("report")
def report_group() -> None:
    """Execution reports: start a facts file, roll quarters up into a year, summarise a region."""


def _load_plan(path: Path) -> LoadedPlan:
    result = validate([path])
    loaded = next((lp for lp in result.plans if lp.path.resolve() == path.resolve()), None)
    if loaded is None:
        print_diagnostics(result, "text", strict=False)
        raise UsageError(_("{file} is not a valid plan; fix the errors above first").format(file=path))
    return loaded


@report_group.command("new")
@click.argument("plan", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--period", type=PERIOD, required=True,
              help="Reported period, e.g. 2021-Q2 (a quarter of the plan's year).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Where to write (default: beside the plan, e.g. 2021-q2.report.yaml).")
def report_new_cmd(plan: Path, period: Period, output: Path | None) -> None:
    """Write the skeleton of a facts file: every measure due in PERIOD, with the plan shown as comments."""
    from plandocs.reports.skeleton import new_report

    loaded = _load_plan(plan)
    target = new_report(plan, loaded.plan, period, output)
    click.echo(_("wrote {file}; fill in the facts, then run plandocs validate").format(file=display_path(target)),
               err=True)


FORCE = click.option("--force", is_flag=True,
                     help="Render even when nothing it is made from changed since the last time.")


def _wrote(result: RollupResult) -> None:
    files = ", ".join(display_path(p) for p in result.written)
    if result.rendered:
        click.echo(_("wrote {files}").format(files=files), err=True)
    else:
        click.echo(_("unchanged: {files} (nothing it is made from changed; --force renders it again)").format(
            files=files), err=True)


@report_group.command("annual")
@click.argument("plan", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@output_folder()
@formats_option
@pdf_engine_option
@FORCE
def report_annual_cmd(plan: Path, out_dir: Path, formats: tuple[str, ...], pdf_engine: str, force: bool) -> None:
    """The annual report of PLAN from its quarterly reports: cumulative facts against the annual targets.

    Rendered only when one of the files it is made from changed since the last time (the output folder's
    manifest records them); --force renders it anyway."""
    from plandocs.load import files_read
    from plandocs.render.batch import render_rollup
    from plandocs.render.pipeline import annual_report_rel
    from plandocs.reports.rollup import annual_rollup, quarter_name
    from plandocs.view.rollup import build_annual_view

    diags = Diagnostics()
    with files_read() as read:
        rollup = annual_rollup(plan, diags)
    if rollup is None or diags.errors:
        print_diagnostics(ValidationResult(diagnostics=diags), "text", strict=False)
        sys.exit(EXIT_INVALID)
    if rollup.missing:
        click.echo(_("missing quarterly reports: {quarters}").format(
            quarters=", ".join(quarter_name(q) for q in rollup.missing)), err=True)
    _wrote(render_rollup(plan, annual_report_rel(plan), build_annual_view(rollup), read, out_dir, formats,
                         force=force, pdf_engine=pdf_engine))


@report_group.command("region")
@click.argument("region", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--period", type=PERIOD, required=True,
              help="Period of the reports: 2021-Q2, or 2021 for annual roll-ups.")
@output_folder()
@formats_option
@pdf_engine_option
@FORCE
def report_region_cmd(region: Path, period: Period, out_dir: Path, formats: tuple[str, ...], pdf_engine: str,
                      force: bool) -> None:
    """Summary of REGION's organisations for PERIOD: the region as a whole and each organisation.

    Rendered only when one of the files it is made from (the region file, its organisations' plans,
    reports and organisation files, the files in their folders) changed since the last time; --force
    renders it anyway."""
    from plandocs.load import files_read
    from plandocs.render.batch import render_rollup
    from plandocs.render.pipeline import region_report_rel
    from plandocs.reports.rollup import region_rollup
    from plandocs.view.rollup import build_region_view

    diags = Diagnostics()
    with files_read() as read:
        rollup = region_rollup(region, period, diags)
    if diags.items:
        print_diagnostics(ValidationResult(diagnostics=diags), "text", strict=False)
    if rollup is None:
        sys.exit(EXIT_INVALID)
    if rollup.missing:
        click.echo(_("no report for the period: {names}").format(names=", ".join(m.name for m in rollup.missing)),
                   err=True)
    members = [m for m in (confine(region.parent, f, project_root(region)) for f in rollup.region.organisations)
               if not isinstance(m, Refusal)]
    _wrote(render_rollup(region, region_report_rel(rollup, region), build_region_view(rollup), read,
                         out_dir, formats, folders=members, force=force, pdf_engine=pdf_engine))
    if diags.errors:
        sys.exit(EXIT_INVALID)


COMMANDS = [report_group]
