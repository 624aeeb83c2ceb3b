"""The one place that prints diagnostics: text with source excerpts for people, JSON for machines."""

from __future__ import annotations

import sys
from collections.abc import Iterable

import click

from plandocs.check.validate import ValidationResult
from plandocs.errors import Diagnostic, Severity, source_excerpt
from plandocs.i18n import _, ngettext


def _style(text: str, severity: Severity) -> str:
    return click.style(text, fg="red" if severity is Severity.ERROR else "yellow", bold=True)


def format_diagnostic(d: Diagnostic, lines: list[str], color: bool = False) -> str:
    """``FILE:LINE:COL: error[RULE]: MESSAGE`` and the offending line with a caret."""
    head = d.headline()
    if color:
        head = head.replace(f"{d.label()}[{d.rule}]", _style(f"{d.label()}[{d.rule}]", d.severity))
    excerpt = source_excerpt(lines, d.loc)
    return f"{head}\n{excerpt}" if excerpt else head


def passes(result: ValidationResult, strict: bool) -> bool:
    """Valid, and with ``--strict`` also free of warnings."""
    return result.ok and not (strict and result.diagnostics.warnings)


def print_diagnostics(result: ValidationResult, fmt: str, strict: bool) -> None:
    """A validation result with its summary line (``text``) or as one JSON document (``json``)."""
    diags = result.diagnostics.sorted()
    if fmt == "json":
        import json  # only machines ask for it; validate's start-up stays small

        click.echo(json.dumps({
            "files": result.files,
            "valid": passes(result, strict),
            "errors": len(result.diagnostics.errors),
            "warnings": len(result.diagnostics.warnings),
            "diagnostics": [d.to_json() for d in diags],
        }, ensure_ascii=False, indent=2))
        return
    if fmt in ("github", "gitlab"):
        from plandocs.cli.annotations import github_annotations, gitlab_code_quality

        click.echo(github_annotations(diags) if fmt == "github" else gitlab_code_quality(diags), nl=False)
        if fmt == "github":  # the log also says what the annotations are about
            click.echo(_summary(result, strict), err=True)
        return
    color = sys.stdout.isatty()
    for d in diags:
        click.echo(format_diagnostic(d, result.lines.get(d.loc.file, []), color))
    click.echo(_summary(result, strict), err=bool(diags))


def _summary(result: ValidationResult, strict: bool) -> str:
    n_files, n_err, n_warn = len(result.files), len(result.diagnostics.errors), len(result.diagnostics.warnings)
    summary = _("{files}: {errors}, {warnings}").format(
        files=ngettext("{n} file(s) checked", "{n} file(s) checked", n_files).format(n=n_files),
        errors=ngettext("{n} error(s)", "{n} error(s)", n_err).format(n=n_err),
        warnings=ngettext("{n} warning(s)", "{n} warning(s)", n_warn).format(n=n_warn))
    if strict and n_warn:
        summary += _(" (--strict: warnings fail)")
    return summary


def print_diagnostic_list(diags: Iterable[Diagnostic], lines: dict[str, list[str]], err: bool = True) -> None:
    """Diagnostics without a summary line (fmt, diff, new), sorted by place."""
    color = sys.stderr.isatty() if err else sys.stdout.isatty()
    for d in sorted(diags, key=lambda d: (d.loc.file, d.loc.line, d.loc.col, d.rule)):
        click.echo(format_diagnostic(d, lines.get(d.loc.file, []), color), err=err)
