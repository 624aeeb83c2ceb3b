"""The command line: parses options, calls one stage function, prints its result.

Heavy libraries (docxtpl, WeasyPrint) are imported only inside the commands that need them, so
``plandocs validate`` starts fast enough for pre-commit hooks.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from plandocs import __version__
from plandocs.check.validate import LoadedPlan, ValidationResult, display_path, validate
from plandocs.errors import EXIT_INVALID, Diagnostic, Severity, source_excerpt

if TYPE_CHECKING:  # the view module is only needed by the render commands
    from plandocs.view.plan import DocumentView

DEFAULT_PLANS = Path("plans")


def _style(text: str, severity: Severity) -> str:
    return click.style(text, fg="red" if severity is Severity.ERROR else "yellow", bold=True)


def format_diagnostic(d: Diagnostic, lines: list[str], color: bool = False) -> str:
    head = d.headline()
    if color:
        head = head.replace(f"{d.severity.value}[{d.rule}]", _style(f"{d.severity.value}[{d.rule}]", d.severity))
    excerpt = source_excerpt(lines, d.loc)
    return f"{head}\n{excerpt}" if excerpt else head


def print_diagnostics(result: ValidationResult, fmt: str, strict: bool) -> None:
    diags = result.diagnostics.sorted()
    if fmt == "json":
        import json

        click.echo(json.dumps({
            "files": result.files,
            "valid": _passes(result, strict),
            "errors": len(result.diagnostics.errors),
            "warnings": len(result.diagnostics.warnings),
            "diagnostics": [d.to_json() for d in diags],
        }, ensure_ascii=False, indent=2))
        return
    color = sys.stdout.isatty()
    for d in diags:
        click.echo(format_diagnostic(d, result.lines.get(d.loc.file, []), color))
    n_err, n_warn = len(result.diagnostics.errors), len(result.diagnostics.warnings)
    summary = f"{len(result.files)} file(s) checked: {n_err} error(s), {n_warn} warning(s)"
    if strict and n_warn:
        summary += " (--strict: warnings fail)"
    click.echo(summary, err=bool(diags))


def _passes(result: ValidationResult, strict: bool) -> bool:
    return result.ok and not (strict and result.diagnostics.warnings)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="plandocs")
def main() -> None:
    """Plans and reports of Ukrainian public bodies, from YAML to signed-ready documents."""


@main.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output for people or for machines.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def validate_cmd(paths: tuple[Path, ...], fmt: str, strict: bool) -> None:
    """Check plan and organisation files (default: the plans/ folder).

    Prints every problem as FILE:LINE:COL: error[RULE]: MESSAGE with the offending line.
    Exit status: 0 valid, 1 invalid, 2 usage error.
    """
    targets = list(paths) or [DEFAULT_PLANS]
    result = validate(targets)
    print_diagnostics(result, fmt, strict)
    if not _passes(result, strict):
        sys.exit(EXIT_INVALID)


def _formats(value: str) -> list[str]:
    from plandocs.render.pipeline import FORMATS

    chosen = [f.strip().lower() for f in value.split(",") if f.strip()]
    bad = [f for f in chosen if f not in FORMATS]
    if bad or not chosen:
        raise click.BadParameter(f"expected a comma-separated list of {', '.join(FORMATS)}; got '{value}'")
    return [f for f in FORMATS if f in chosen]


@main.command("render")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("output"), show_default=True, help="Folder for the documents (mirrors plans/).")
@click.option("--format", "fmt", default="docx,html,pdf", show_default=True,
              help="Comma-separated formats to render.")
@click.option("--pdf-a", is_flag=True, help="Make PDF/A-3b with the source YAML attached.")
@click.option("--quiet", "-q", is_flag=True, help="Do not show progress.")
def render_cmd(paths: tuple[Path, ...], out_dir: Path, fmt: str, pdf_a: bool, quiet: bool) -> None:
    """Render plans (default: plans/) into DOCX, HTML and PDF under the output folder.

    Invalid plans are not rendered: their errors are shown and the exit status is 1; the other plans
    still render. Files are written atomically, so a failed render leaves no partial document.
    """
    from plandocs.render.pipeline import RenderedPlan, render

    formats = _formats(fmt)
    targets = list(paths) or [DEFAULT_PLANS]

    def progress(i: int, n: int, done: RenderedPlan) -> None:
        if not quiet:
            outs = ", ".join(display_path(p) for p in done.outputs)
            click.echo(f"[{i}/{n}] {display_path(done.source)} → {outs} ({done.seconds:.1f} s)", err=True)

    result = render(targets, out_dir, formats, pdf_a=pdf_a, progress=progress)
    if result.validation.diagnostics.items:
        print_diagnostics(result.validation, "text", strict=False)
    for source, message in result.failed:
        click.echo(f"{source}: error: {message}", err=True)
    n_bad = len(result.validation.invalid) + len(result.failed)
    click.echo(f"rendered {len(result.rendered)} plan(s) into {display_path(out_dir)}"
               + (f"; {n_bad} plan(s) not rendered" if n_bad else ""), err=True)
    if not result.ok:
        sys.exit(EXIT_INVALID)


@main.group("report")
def report_group() -> None:
    """Execution reports: start a facts file, roll quarters up into a year, summarise a region."""


def _load_plan(path: Path) -> LoadedPlan:
    from plandocs.errors import UsageError

    result = validate([path])
    loaded = next((lp for lp in result.plans if lp.path.resolve() == path.resolve()), None)
    if loaded is None:
        print_diagnostics(result, "text", strict=False)
        raise UsageError(f"{path} is not a valid plan; fix the errors above first")
    return loaded


@report_group.command("new")
@click.argument("plan", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--period", required=True, help="Reported period, e.g. 2021-Q2 (a quarter of the plan's year).")
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False),
              help="Where to write (default: beside the plan, e.g. 2021-q2.report.yaml).")
def report_new_cmd(plan: Path, period: str, output: Path | None) -> None:
    """Write the skeleton of a facts file: every measure due in PERIOD, with the plan shown as comments."""
    from plandocs.reports.skeleton import new_report

    loaded = _load_plan(plan)
    target = new_report(plan, loaded.plan, period, output)
    click.echo(f"wrote {display_path(target)}; fill in the facts, then run plandocs validate", err=True)


def _write_rollup(view: DocumentView, rel: Path, out_dir: Path, fmt: str, dirs: list[Path]) -> list[Path]:
    from plandocs.files.write import write_outputs
    from plandocs.render.pipeline import output_file, render_view

    formats = _formats(fmt)
    docs = render_view(view, dirs, formats)
    return write_outputs({output_file(rel, f): docs[f] for f in formats}, out_dir)


@report_group.command("annual")
@click.argument("plan", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("output"), show_default=True)
@click.option("--format", "fmt", default="docx,html,pdf", show_default=True)
def report_annual_cmd(plan: Path, out_dir: Path, fmt: str) -> None:
    """The annual report of PLAN from its quarterly reports: cumulative facts against the annual targets."""
    from plandocs.errors import Diagnostics
    from plandocs.render.templating import template_dirs
    from plandocs.reports.rollup import annual_rollup, quarter_name
    from plandocs.view.rollup import build_annual_view

    diags = Diagnostics()
    rollup = annual_rollup(plan, diags)
    if rollup is None or diags.errors:
        print_diagnostics(ValidationResult(diagnostics=diags), "text", strict=False)
        sys.exit(EXIT_INVALID)
    if rollup.missing:
        click.echo("missing quarterly reports: " + ", ".join(quarter_name(q) for q in rollup.missing), err=True)
    rel = Path(plan.resolve().parent.name) / f"{plan.stem}.annual-report"
    written = _write_rollup(build_annual_view(rollup), rel, out_dir, fmt, template_dirs(None))
    click.echo("wrote " + ", ".join(display_path(p) for p in written), err=True)


@report_group.command("region")
@click.argument("region", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--period", required=True, help="Period of the reports: 2021-Q2, or 2021 for annual roll-ups.")
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
              default=Path("output"), show_default=True)
@click.option("--format", "fmt", default="docx,html,pdf", show_default=True)
def report_region_cmd(region: Path, period: str, out_dir: Path, fmt: str) -> None:
    """Summary of REGION's organisations for PERIOD: the region as a whole and each organisation."""
    from plandocs.errors import Diagnostics
    from plandocs.render.templating import template_dirs
    from plandocs.reports.rollup import region_rollup
    from plandocs.view.rollup import build_region_view

    diags = Diagnostics()
    rollup = region_rollup(region, period, diags)
    if diags.items:
        print_diagnostics(ValidationResult(diagnostics=diags), "text", strict=False)
    if rollup is None:
        sys.exit(EXIT_INVALID)
    if rollup.missing:
        click.echo("no report for the period: " + ", ".join(m.name for m in rollup.missing), err=True)
    rel = Path(region.parent.name) / f"{period.lower()}.region"
    written = _write_rollup(build_region_view(rollup), rel, out_dir, fmt, template_dirs(None))
    click.echo("wrote " + ", ".join(display_path(p) for p in written), err=True)
    if diags.errors:
        sys.exit(EXIT_INVALID)


@main.command("schema")
@click.argument("kind", type=click.Choice(["plan", "organisation", "report", "region"]), default="plan")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file instead of stdout.")
def schema_cmd(kind: str, output: Path | None) -> None:
    """Print the JSON Schema of plan, organisation, report or region files, for editors' YAML language servers."""
    import json

    from plandocs.check.schema import json_schema
    from plandocs.model.records import Organisation, Plan, Region, Report

    cls = {"plan": Plan, "organisation": Organisation, "report": Report, "region": Region}[kind]
    text = json.dumps(json_schema(cls), ensure_ascii=False, indent=2)
    if output is None:
        click.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")


def _register_review_commands() -> None:
    """fmt, diff, new and the git helpers live in cli_review (issue 5); their heavy imports stay lazy."""
    from plandocs.cli.review import register

    register(main)


_register_review_commands()
