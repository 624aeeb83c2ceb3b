"""``plandocs render``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from plandocs.cli.options import formats_option, output_folder, targets
from plandocs.cli.output import print_diagnostics
from plandocs.errors import EXIT_INVALID
from plandocs.files.discovery import display_path


class ShardType(click.ParamType[tuple[int, int], object]):
    """``--shard 2/4`` → (2, 4)."""

    name = "I/N"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> tuple[int, int]:
        if isinstance(value, tuple):
            return value
        from plandocs.render.batch import parse_shard

        try:
            return parse_shard(str(value))
        except ValueError as exc:
            self.fail(str(exc), param, ctx)


@click.command("render")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@output_folder("Folder for the documents (mirrors plans/).")
@formats_option
@click.option("--pdf-a", is_flag=True, help="Make PDF/A-3b with the source YAML attached.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Documents rendered at once, each in its own process  [default: the number of cores].")
@click.option("--force", is_flag=True, help="Render every document, even those that did not change.")
@click.option("--prune", is_flag=True, help="Remove the outputs of plans and reports that no longer exist.")
@click.option("--shard", type=ShardType(), default=None,
              help="Render only shard I of N (a stable subset by organisation), e.g. one CI runner of a matrix.")
@click.option("--quiet", "-q", is_flag=True, help="Do not show progress.")
def render_cmd(paths: tuple[Path, ...], out_dir: Path, formats: tuple[str, ...], pdf_a: bool, jobs: int | None,
               force: bool, prune: bool, shard: tuple[int, int] | None, quiet: bool) -> None:
    """Render plans and reports (default: plans/) into DOCX, HTML and PDF under the output folder.

    Only documents whose inputs changed since the last render are rendered (the manifest in the output
    folder records them); --force renders all. Invalid plans are not rendered: their errors are shown and
    the exit status is 1; the other documents still render. Files are written atomically, so a failed or
    killed render leaves no partial document.
    """
    from plandocs.cli.progress import BatchProgress, summary
    from plandocs.render.batch import render_batch

    progress = BatchProgress(quiet)
    try:
        result = render_batch(targets(paths), out_dir, formats, pdf_a=pdf_a, jobs=jobs or os.cpu_count(),
                              force=force, prune=prune, shard=shard, progress=progress)
    finally:
        progress.finish()
    if result.validation.diagnostics.items:
        print_diagnostics(result.validation, "text", strict=False)
    for source, message in result.failed:
        click.echo(f"{source}: error: {message}", err=True)
    for key in result.stale:
        click.echo(f"{display_path(out_dir / key)}.*: stale: its source no longer exists (remove with --prune)",
                   err=True)
    click.echo(summary(result, display_path(out_dir), len(result.validation.invalid)), err=True)
    if not result.ok:
        sys.exit(EXIT_INVALID)


COMMANDS = [render_cmd]
