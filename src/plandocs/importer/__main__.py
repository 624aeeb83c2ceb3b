"""``python -m plandocs.importer``: the import command until it is registered in the CLI group."""

from .command import import_command

import_command(prog_name="plandocs import")
