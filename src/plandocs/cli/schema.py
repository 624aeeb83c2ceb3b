"""``plandocs schema``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from plandocs.files.kinds import FileKind


@click.command("schema")
@click.argument("kind", type=click.Choice([k.value for k in FileKind]), default="plan")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file instead of stdout.")
def schema_cmd(kind: str, output: Path | None) -> None:
    """Print the JSON Schema of plan, organisation, report or region files, for editors' YAML language servers."""
    from plandocs.check.schema import json_schema
    from plandocs.model.records import RECORD_CLASSES

    text = json.dumps(json_schema(RECORD_CLASSES[FileKind(kind)]), ensure_ascii=False, indent=2)
    if output is None:
        click.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")


COMMANDS = [schema_cmd]
