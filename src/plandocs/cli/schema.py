"""``plandocs schema``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from plandocs.errors import UsageError
from plandocs.files.kinds import FileKind
from plandocs.i18n import _


@click.command("schema")
@click.argument("kind", type=click.Choice([k.value for k in FileKind]), default="plan")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file instead of stdout.")
@click.option("--organisation", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Plan schema of this organisation: its executor and people ids, so editors complete them.")
def schema_cmd(kind: str, output: Path | None, organisation: Path | None) -> None:
    """Print the JSON Schema of plan, organisation, report or region files, for editors' YAML language servers.

    With --organisation ORG/organisation.yaml the plan schema accepts only that organisation's executor
    and people ids (and offers them for completion).
    """
    from plandocs.check.schema import json_schema
    from plandocs.model.records import RECORD_CLASSES

    schema = json_schema(RECORD_CLASSES[FileKind(kind)])
    if organisation is not None:
        if kind != FileKind.PLAN:
            raise UsageError(_("--organisation narrows the plan schema; it does not apply to '{kind}'")
                             .format(kind=kind))
        schema = _organisation_schema(schema, organisation)
    text = json.dumps(schema, ensure_ascii=False, indent=2)
    if output is None:
        click.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")


def _organisation_schema(schema: dict[str, Any], path: Path) -> dict[str, Any]:
    from plandocs.check.orgschema import organisation_schema
    from plandocs.check.schema import to_record
    from plandocs.check.validate import validate
    from plandocs.cli.output import print_diagnostics
    from plandocs.errors import Diagnostics
    from plandocs.files.kinds import kind_of
    from plandocs.load.source import load_source
    from plandocs.model.records import Organisation

    result = validate([path])
    if kind_of(path) is not FileKind.ORGANISATION or not result.ok:
        print_diagnostics(result, "text", strict=False)
        raise UsageError(_("--organisation: {file} is not a valid organisation.yaml; fix the errors above first")
                         .format(file=path))
    src = load_source(path, Diagnostics())
    org = to_record(src.root, Organisation, Diagnostics()) if src.root is not None else None
    if not isinstance(org, Organisation):  # validate() passed, so it loads; this keeps the types honest
        raise UsageError(_("--organisation: {file} could not be read").format(file=path))
    return organisation_schema(schema, org, path.resolve().parent.name)


COMMANDS = [schema_cmd]
