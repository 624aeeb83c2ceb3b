"""A progress line for long runs: documents done / total and the current file, on a terminal only.

On a terminal one line is rewritten in place (``[3/12] plans/odesa/2021.yaml``) and cleared at the end, so
the summary and any errors stand alone; in a CI log or a pipe nothing is printed (a log wants results, not
a ticker), nor with ``-q``.  Anything else printed while the line is shown goes through :meth:`echo`,
which clears the line first.  A renderer working on several files at once calls :meth:`start` for each
file it begins and :meth:`done` for each it finishes; the line shows the file started last.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import TextIO

import click

CI_VARIABLES = ("CI", "GITHUB_ACTIONS", "GITLAB_CI")


def on_terminal(stream: TextIO) -> bool:
    """A terminal a person watches: a TTY, and not a CI runner that fakes one."""
    return stream.isatty() and not any(os.environ.get(v) for v in CI_VARIABLES) and os.environ.get("TERM") != "dumb"


class Progress:
    """``[done/total] file`` on stderr, rewritten in place; silent when not on a terminal or when quiet."""

    def __init__(self, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = not quiet and on_terminal(self.stream)
        self.total = 0
        self.finished = 0
        self.current = ""
        self.shown = False

    def _draw(self) -> None:
        if not self.enabled:
            return
        text = f"[{self.finished}/{self.total}] {self.current}"
        width = max(shutil.get_terminal_size().columns - 1, 20)
        if len(text) > width:
            text = text[: width - 1] + "…"
        self.stream.write(f"\r\x1b[K{text}")
        self.stream.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False

    def start(self, name: str, total: int | None = None) -> None:
        """A file is being worked on."""
        if total is not None:
            self.total = total
        self.current = name
        self._draw()

    def done(self, name: str, total: int | None = None) -> None:
        """A file is finished."""
        if total is not None:
            self.total = total
        self.finished += 1
        self.current = name
        self._draw()

    def echo(self, message: str) -> None:
        """Print a line to stderr without mixing it into the progress line."""
        self.clear()
        click.echo(message, err=True)
        self._draw()

    def close(self) -> None:
        self.clear()


__all__ = ["Progress", "on_terminal"]
