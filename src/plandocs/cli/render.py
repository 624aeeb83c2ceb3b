"""``plandocs render``."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from plandocs.cli.options import formats_option, output_folder, pdf_engine_option, targets
from plandocs.cli.output import print_diagnostics
from plandocs.errors import EXIT_INVALID
from plandocs.files.discovery import display_path
from plandocs.i18n import _, ngettext

if TYPE_CHECKING:
    from plandocs.render.batch import BatchResult, Done


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
@pdf_engine_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Documents rendered at once, each in its own process  [default: the number of cores].")
@click.option("--force", is_flag=True, help="Render every document, even those that did not change.")
@click.option("--prune", is_flag=True, help="Remove the outputs of plans and reports that no longer exist.")
@click.option("--shard", type=ShardType(), default=None,
              help="Render only shard I of N (a stable subset by organisation), e.g. one CI runner of a matrix.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems: no progress line, no summary.")
def render_cmd(paths: tuple[Path, ...], out_dir: Path, formats: tuple[str, ...], pdf_a: bool, pdf_engine: str,
               jobs: int | None,
               force: bool, prune: bool, shard: tuple[int, int] | None, quiet: bool) -> None:
    """Render plans and reports (default: plans/) into DOCX, HTML and PDF under the output folder.

    Only documents whose inputs changed since the last render are rendered (a manifest in the output
    folder records them); --force renders all. Invalid plans are not rendered: their errors are shown and
    the exit status is 1; the other documents still render. Files are written atomically, so a failed or
    killed render leaves no partial document. On a terminal a progress line shows the documents done and
    the current file.
    """
    from plandocs.cli.output import print_diagnostic_list
    from plandocs.cli.progress import Progress
    from plandocs.render.batch import render_batch

    bar = Progress(quiet)

    def progress(i: int, n: int, done: Done) -> None:
        bar.done(display_path(done.job.source), total=n)

    def starting(source: Path, n: int) -> None:
        bar.start(display_path(source), total=n)

    try:
        result = render_batch(targets(paths), out_dir, formats, pdf_a=pdf_a, pdf_engine=pdf_engine,
                              jobs=jobs or os.cpu_count(),
                              force=force, prune=prune, shard=shard, progress=progress,
                              starting=starting)
    finally:
        bar.close()
    if quiet:
        print_diagnostic_list(result.validation.diagnostics.errors, result.validation.lines, err=False)
    elif result.validation.diagnostics.items:
        print_diagnostics(result.validation, "text", strict=False)
    if not quiet:
        for done in result.rendered:
            for note in done.notes:
                click.echo(_("{source}: note: {message}").format(source=display_path(done.job.source), message=note),
                           err=True)
    for source, message in result.failed:
        click.echo(_("{source}: error: {message}").format(source=source, message=message), err=True)
    if not quiet:
        for key in result.stale:
            click.echo(_("{output}.*: stale: its source no longer exists (remove with --prune)")
                       .format(output=display_path(out_dir / key)), err=True)
        click.echo(summary(result, display_path(out_dir)), err=True)
    if not result.ok:
        sys.exit(EXIT_INVALID)


def summary(result: BatchResult, folder: str) -> str:
    """One line: rendered, unchanged, not rendered, pruned; the time, documents per second and peak memory."""
    n_done = len(result.rendered)
    line = ngettext("rendered {n} document(s) into {folder}", "rendered {n} document(s) into {folder}",
                    n_done).format(n=n_done, folder=folder)
    if result.skipped:
        line += ngettext("; {n} unchanged (skipped)", "; {n} unchanged (skipped)",
                         len(result.skipped)).format(n=len(result.skipped))
    n_bad = len(result.validation.invalid) + len(result.failed)
    if n_bad:
        line += ngettext("; {n} not rendered", "; {n} not rendered", n_bad).format(n=n_bad)
    n_fallback = sum(1 for d in result.rendered if d.notes)
    if n_fallback:
        line += ngettext("; {n} PDF printed with WeasyPrint instead (see the notes)",
                         "; {n} PDFs printed with WeasyPrint instead (see the notes)", n_fallback).format(n=n_fallback)
    if result.pruned:
        line += ngettext("; {n} stale output file(s) removed", "; {n} stale output file(s) removed",
                         len(result.pruned)).format(n=len(result.pruned))
    if n_done:
        rate = n_done / result.seconds if result.seconds else 0.0
        line += _(" in {seconds:.1f} s ({rate:.2f} documents/s, peak {mib:.0f} MiB per worker)").format(
            seconds=result.seconds, rate=rate, mib=result.peak_rss_kib / 1024)
    return line


COMMANDS = [render_cmd]
