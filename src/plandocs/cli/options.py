"""Options shared by several commands, each parsed in one place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from plandocs.errors import UsageError
from plandocs.files.kinds import DEFAULT_PLANS, OUTPUT_FORMATS, PDF_ENGINES
from plandocs.i18n import _
from plandocs.model.values import Period, parse_period


class PeriodType(click.ParamType[Period, object]):
    """``--period 2021-Q2`` (a quarter), ``2023`` (a year) or ``2021-2026`` (years) → :class:`Period`."""

    name = "period"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> Period:
        if isinstance(value, Period):
            return value
        try:
            return parse_period(str(value))
        except ValueError as exc:
            raise UsageError(_("--period: {error}").format(error=exc)) from None


class FormatsType(click.ParamType[tuple[str, ...], object]):
    """``--format docx,pdf`` → the chosen formats in :data:`OUTPUT_FORMATS` order."""

    name = "formats"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        chosen = [f.strip().lower() for f in str(value).split(",") if f.strip()]
        bad = [f for f in chosen if f not in OUTPUT_FORMATS]
        if bad or not chosen:
            self.fail(_("expected a comma-separated list of {formats}; got '{value}'").format(
                formats=", ".join(OUTPUT_FORMATS), value=value), param, ctx)
        return tuple(f for f in OUTPUT_FORMATS if f in chosen)


F = TypeVar("F", bound=Callable[..., Any])

PERIOD = PeriodType()
FORMAT_LIST = FormatsType()


def targets(paths: tuple[Path, ...]) -> list[Path]:
    """The paths a command was given, or the default plans folder."""
    return list(paths) or [DEFAULT_PLANS]


def output_folder(help_text: str = "Folder for the documents.") -> Callable[[F], F]:
    """``-o/--output`` folder for documents, default ``output``."""
    return click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path, file_okay=False),
                        default=Path("output"), show_default=True, help=help_text)


formats_option = click.option("--format", "formats", type=FORMAT_LIST, default=",".join(OUTPUT_FORMATS),
                              show_default=True, help="Comma-separated formats to render.")
"""``--format docx,html,pdf``."""

pdf_engine_option = click.option(
    "--pdf-engine", type=click.Choice(PDF_ENGINES), default=PDF_ENGINES[0], show_default=True,
    help="What prints the PDF: WeasyPrint (the HTML templates) or Typst (faster; organisations with their own "
         "HTML templates are still printed with WeasyPrint).")
"""``--pdf-engine weasyprint|typst``: every command that makes a PDF takes it from here."""
