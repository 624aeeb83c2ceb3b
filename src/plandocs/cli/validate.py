"""``plandocs validate``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from plandocs.check.validate import validate
from plandocs.cli.options import targets
from plandocs.cli.output import passes, print_diagnostics
from plandocs.errors import EXIT_INVALID


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github", "gitlab"]), default="text",
              show_default=True, help="Output for people, for machines, as GitHub annotations or as a GitLab "
              "code-quality report.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def validate_cmd(paths: tuple[Path, ...], fmt: str, strict: bool) -> None:
    """Check plan and organisation files (default: the plans/ folder).

    Prints every problem as FILE:LINE:COL: error[RULE]: MESSAGE with the offending line.
    Exit status: 0 valid, 1 invalid, 2 usage error.
    """
    result = validate(targets(paths))
    print_diagnostics(result, fmt, strict)
    if not passes(result, strict):
        sys.exit(EXIT_INVALID)


COMMANDS = [validate_cmd]
