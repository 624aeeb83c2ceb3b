"""``plandocs import``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from plandocs.cli.output import print_diagnostics
from plandocs.errors import PlandocsError
from plandocs.i18n import _


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False), default=Path("."),
              help="Folder for the YAML files (e.g. plans/ORG/).")
@click.option("--organisation", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="The organisation file whose executors and people the document names.")
@click.option("--bodies", type=click.Path(path_type=Path, dir_okay=False, exists=True),
              help="A register of bodies (*.bodies.yaml) to match executor cells to, with their variants.")
@click.option("--report", "report_path", type=click.Path(path_type=Path, dir_okay=False),
              help="Write what could not be placed to this file (default: print it).")
@click.option("--period", help="The plan's period when neither the title nor the terms name it (2024, "
              "2021-2026, 2020-Q2).")
@click.option("--allow-no-table", is_flag=True,
              help="Import a document without a measures table as prose only (no priorities).")
@click.option("--force", is_flag=True, help="Overwrite existing YAML files.")
def import_cmd(files: tuple[Path, ...], out_dir: Path, organisation: Path | None, bodies: Path | None,
               report_path: Path | None, period: str | None, allow_no_table: bool, force: bool) -> None:
    """Import Word plans and reports (DOCX; .doc, .odt, .rtf through LibreOffice) into plan YAML.

    Writes each plan (or *.report.yaml) in canonical fmt form, an organisation file when none is given
    or the document names executors or people it lacks, then validates what it wrote and prints what it
    could not place.
    """
    from plandocs.check.validate import validate
    from plandocs.files.write import create_file, replace_file, safe_target
    from plandocs.importer import ImportResult, import_document
    from plandocs.importer.unplaced import unplaced_text

    results: list[ImportResult] = []
    errors: list[str] = []
    org_text: str | None = None
    with tempfile.TemporaryDirectory(prefix="plandocs-import-") as tmp:
        current = organisation
        for f in files:
            try:
                r = import_document(f, current, allow_no_table=allow_no_table, period=period, bodies=bodies)
            except PlandocsError as e:
                errors.append(e.message)
                continue
            results.append(r)
            if r.organisation_text is not None:
                # the next document of the same organisation adds to this one
                org_text = r.organisation_text
                current = Path(tmp) / "organisation.yaml"
                current.write_text(org_text, encoding="utf-8")
    org_name: str | None = None
    if org_text is not None:
        org_name = "organisation.yaml"
        if organisation is not None and (out_dir / org_name).resolve() == organisation.resolve():
            org_name = "organisation.imported.yaml"  # never overwrite the file the import read
    elif organisation is not None:
        org_name = os.path.relpath(organisation.resolve(), out_dir.resolve())  # the plan names the given file
    targets: list[tuple[Path, str]] = []
    for r in results:
        name = r.source.stem + (".report.yaml" if r.kind == "report" else ".yaml")
        targets.append((safe_target(out_dir, Path(name)), r.referring_to(org_name) if org_name else r.text))
    if org_text is not None and org_name is not None:
        targets.append((safe_target(out_dir, Path(org_name)), org_text))
    names = [p for p, _text in targets]
    for path in sorted({p for p in names if names.count(p) > 1}):
        errors.append(_("{path}: two of the files would be imported into it; import them into different "
                        "folders").format(path=path))
    for path, _target in targets:
        if path.exists() and not force:
            errors.append(_("{path}: exists; use --force to overwrite it or -o to import elsewhere").format(path=path))
    if errors:
        raise PlandocsError("\n".join(errors))  # all problems at once, nothing written
    out_dir.mkdir(parents=True, exist_ok=True)
    for path, text in targets:
        (replace_file if path.exists() else create_file)(path, text.encode("utf-8"))
        click.echo(_("wrote {path}").format(path=path))
    report = unplaced_text(results)
    if report_path is not None:
        (replace_file if report_path.exists() else create_file)(report_path, report.encode("utf-8"))
        click.echo(_("what could not be placed: {path}").format(path=report_path))
    else:
        click.echo(report, nl=False)
    print_diagnostics(validate([p for p, _text in targets if not p.name.startswith("organisation")]), "text", False)


COMMANDS = [import_cmd]
