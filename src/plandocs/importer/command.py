"""The ``plandocs import`` command (registered in the CLI group after the restructure; until then
``python -m plandocs.importer``)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from ..errors import Diagnostics, PlandocsError
from .build import ImportResult, import_document


def _write(path: Path, text: str) -> None:
    """Atomic write: a temporary file in the same folder, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def unplaced_text(results: list[ImportResult]) -> str:
    lines: list[str] = []
    for r in results:
        lines.append(f"# {r.source}: {r.words_unplaced} of {r.words_total} words not placed")
        for u in r.unplaced:
            lines.append(f"{u.where}: {u.why}")
            lines.extend("    " + ln for ln in u.text.splitlines())
        ex = r.executors
        if ex is not None:
            for m in ex.unmatched:
                hint = f"; closest: {', '.join(m.suggestions)}" if m.suggestions else ""
                lines.append(f"executor «{m.text}» matched nothing: added as '{m.body.id}'{hint}")
            for m in ex.fuzzy:
                lines.append(f"executor «{m.text}» matched '{m.body.id}' ({m.body.name}) by spelling variant")
        lines.extend(f"note: {n}" for n in r.notes)
    return "\n".join(lines) + "\n"


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("."),
              help="Folder for the YAML files (e.g. plans/ORG/).")
@click.option("--organisation", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="The organisation file whose executors and people the document names.")
@click.option("--report", "report_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Write what could not be placed here (default: print it).")
@click.option("--period", help="The plan's period when neither the title nor the terms name it (2024, "
              "2021-2026, 2020-Q2).")
@click.option("--allow-no-table", is_flag=True,
              help="Import a document without a measures table as prose only (no priorities).")
@click.option("--force", is_flag=True, help="Overwrite existing YAML files.")
def import_command(files: tuple[Path, ...], out_dir: Path, organisation: Path | None, report_path: Path | None,
                   period: str | None, allow_no_table: bool, force: bool) -> None:
    """Import Word plans and reports (DOCX; .doc/.odt/.rtf through LibreOffice) into plan YAML."""
    results: list[ImportResult] = []
    errors: list[str] = []
    for f in files:
        try:
            results.append(import_document(f, organisation, allow_no_table=allow_no_table, period=period))
        except PlandocsError as e:
            errors.append(e.message)
    targets: list[tuple[Path, str]] = []
    for r in results:
        name = r.source.stem + (".report.yaml" if r.kind == "report" else ".yaml")
        targets.append((out_dir / name, r.text))
        if r.organisation_text is not None:
            org_target = out_dir / "organisation.yaml"
            if organisation is not None and org_target.resolve() == organisation.resolve():
                org_target = out_dir / "organisation.imported.yaml"
            targets.append((org_target, r.organisation_text))
    for path, _ in targets:
        if path.exists() and not force:
            errors.append(f"{path}: exists; use --force to overwrite it or -o to import elsewhere")
    if errors:
        raise PlandocsError("\n".join(errors))
    for path, text in targets:
        _write(path, text)
        click.echo(f"wrote {path}")
    report = unplaced_text(results)
    if report_path is not None:
        _write(report_path, report)
        click.echo(f"what could not be placed: {report_path}")
    else:
        click.echo(report, nl=False)
    from ..validate import validate

    written = [p for p, _ in targets if not p.name.startswith("organisation")]
    result = validate(written)
    diags: Diagnostics = result.diagnostics
    for d in diags.sorted():
        click.echo(d.headline())
    click.echo(f"validated {len(written)} file(s): {len(diags.errors)} error(s), {len(diags.warnings)} warning(s)")
