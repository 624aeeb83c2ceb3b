"""``plandocs render``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from plandocs.cli.options import formats_option, output_folder, targets
from plandocs.cli.output import print_diagnostics
from plandocs.errors import EXIT_INVALID
from plandocs.files.discovery import display_path
from plandocs.i18n import _, ngettext

if TYPE_CHECKING:
    from plandocs.render.pipeline import RenderedPlan


@click.command("render")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@output_folder("Folder for the documents (mirrors plans/).")
@formats_option
@click.option("--pdf-a", is_flag=True, help="Make PDF/A-3b with the source YAML attached.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems: no progress line, no summary.")
def render_cmd(paths: tuple[Path, ...], out_dir: Path, formats: tuple[str, ...], pdf_a: bool, quiet: bool) -> None:
    """Render plans (default: plans/) into DOCX, HTML and PDF under the output folder.

    Invalid plans are not rendered: their errors are shown and the exit status is 1; the other plans
    still render. Files are written atomically, so a failed render leaves no partial document. On a
    terminal a progress line shows the documents done and the current file.
    """
    from plandocs.cli.output import print_diagnostic_list
    from plandocs.cli.progress import Progress
    from plandocs.render.pipeline import render

    bar = Progress(quiet)

    def progress(i: int, n: int, done: RenderedPlan) -> None:
        bar.done(display_path(done.source), total=n)

    def starting(source: Path, n: int) -> None:
        bar.start(display_path(source), total=n)

    try:
        result = render(targets(paths), out_dir, formats, pdf_a=pdf_a, progress=progress, starting=starting)
    finally:
        bar.close()
    if quiet:
        print_diagnostic_list(result.validation.diagnostics.errors, result.validation.lines, err=False)
    elif result.validation.diagnostics.items:
        print_diagnostics(result.validation, "text", strict=False)
    for source, message in result.failed:
        click.echo(_("{source}: error: {message}").format(source=source, message=message), err=True)
    n_bad = len(result.validation.invalid) + len(result.failed)
    if not quiet:
        n_done = len(result.rendered)
        click.echo(ngettext("rendered {n} plan(s) into {folder}", "rendered {n} plan(s) into {folder}", n_done)
                   .format(n=n_done, folder=display_path(out_dir))
                   + (ngettext("; {n} plan(s) not rendered", "; {n} plan(s) not rendered", n_bad).format(n=n_bad)
                      if n_bad else ""), err=True)
    if not result.ok:
        sys.exit(EXIT_INVALID)


COMMANDS = [render_cmd]
