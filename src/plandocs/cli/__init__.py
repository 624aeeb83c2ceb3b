"""The command line: each command parses its options, calls one stage function and prints its result.

One module per command group; diagnostics are printed by :mod:`.output` only. Heavy libraries (docxtpl,
WeasyPrint, difflib, the YAML emitter) are imported inside the commands that need them, so
``plandocs validate`` starts fast enough for pre-commit hooks.
"""

from __future__ import annotations

import click

from plandocs import __version__
from plandocs.cli import hooks, init, render, report, review, schema, serve, validate
from plandocs.cli.language import LocalisedGroup, lang_option


@click.group(cls=LocalisedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="plandocs")
@lang_option
def main() -> None:
    """Plans and reports of Ukrainian public bodies, from YAML to signed-ready documents."""


for _module in (validate, render, report, schema, review, serve, init, hooks):
    for _command in _module.COMMANDS:
        main.add_command(_command)

__all__ = ["main"]
