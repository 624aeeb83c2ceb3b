"""Progress and summary of a batch render: a live line on a terminal, nothing in CI (only the summary)."""

from __future__ import annotations

import os
import sys
from typing import TextIO

import click

from plandocs.files.discovery import display_path
from plandocs.render.batch import BatchResult, Done


def interactive(stream: TextIO) -> bool:
    """A person is watching: a terminal, and not a CI job (``CI`` is set by GitHub Actions, GitLab and others)."""
    return stream.isatty() and not os.environ.get("CI")


class BatchProgress:
    """``[done/total] current file`` rewritten in place on a terminal; a line per document when the output
    goes to a file outside CI; silent in CI and with ``--quiet``."""

    def __init__(self, quiet: bool, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = not quiet and interactive(self.stream)
        self.lines = not quiet and not self.live and not os.environ.get("CI")
        self._width = 0

    def __call__(self, i: int, n: int, done: Done) -> None:
        status = "" if done.ok else " — failed"
        if self.live:
            text = f"[{i}/{n}] {display_path(done.job.source)}{status}"
            click.echo("\r" + text.ljust(self._width), nl=False, err=True)
            self._width = len(text)
        elif self.lines:
            outs = ", ".join(f"{done.job.key}.{fmt}" for fmt in done.outputs)
            click.echo(f"[{i}/{n}] {display_path(done.job.source)} → {outs or 'nothing'} ({done.seconds:.1f} s)"
                       f"{status}", err=True)

    def finish(self) -> None:
        if self.live and self._width:
            click.echo("\r" + " " * self._width + "\r", nl=False, err=True)


def summary(result: BatchResult, out_dir: str, n_invalid: int) -> str:
    """One line: rendered, skipped, not rendered, stale; time, documents per second and peak memory."""
    parts = [f"rendered {len(result.rendered)} document(s) into {out_dir}"]
    if result.skipped:
        parts.append(f"{len(result.skipped)} unchanged (skipped)")
    n_bad = n_invalid + len(result.failed)
    if n_bad:
        parts.append(f"{n_bad} not rendered")
    if result.pruned:
        parts.append(f"{len(result.pruned)} stale output file(s) removed")
    line = "; ".join(parts)
    if result.rendered:
        rate = len(result.rendered) / result.seconds if result.seconds else 0.0
        line += (f" in {result.seconds:.1f} s ({rate:.2f} documents/s, "
                 f"peak {result.peak_rss_kib / 1024:.0f} MiB per worker)")
    return line
