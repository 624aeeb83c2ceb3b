"""Commands for reviewing plans: ``fmt``, ``diff``, ``new``, and git's ``textconv`` / ``git-diff`` drivers.

Each command parses its options and calls one stage; the stages (and YAML emitting, difflib, git) are
imported inside the commands, so that importing this module costs ``plandocs validate`` nothing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from plandocs.cli.options import PERIOD, targets
from plandocs.cli.output import print_diagnostic_list
from plandocs.errors import EXIT_INVALID, EXIT_USAGE
from plandocs.files.decode import decode_lenient
from plandocs.files.kinds import FileKind, kind_of
from plandocs.i18n import _, ngettext
from plandocs.model.values import Period

if TYPE_CHECKING:
    from plandocs.review.diff.changes import DiffResult

PATHS_KEY = "plandocs.paths"


# --------------------------------------------------------------------------- fmt


@click.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Write nothing; list the files that would change and exit 1 if any.")
@click.option("--diff", "show_diff", is_flag=True, help="Write nothing; print what would change as a unified diff.")
def fmt_cmd(paths: tuple[Path, ...], check: bool, show_diff: bool) -> None:
    """Rewrite plan files in the canonical form (default: the plans/ folder).

    Key order, quoting, indentation and flow/block style become the same everywhere, comments are kept,
    long lines are never wrapped. Files that do not load (YAML or schema errors) are reported and left
    alone. Exit status: 0 done (or, with --check, nothing to change), 1 files would change or have
    errors, 2 usage error.
    """
    from plandocs.review.fmt import format_files

    dry = check or show_diff
    result = format_files(targets(paths), check=dry, want_diff=show_diff)
    print_diagnostic_list(result.diagnostics.errors, result.lines)
    for name in result.changed:
        if show_diff:
            click.echo(result.diffs[name], nl=False)
        elif check:
            click.echo(_("would reformat {file}").format(file=name))
        else:
            click.echo(_("reformatted {file}").format(file=name))
    n_changed = len(result.changed)
    n_bad = len({d.loc.file for d in result.diagnostics.errors})
    n_same = len(result.files) - n_changed - n_bad
    changed = (ngettext("{n} file(s) would be reformatted", "{n} file(s) would be reformatted", n_changed) if dry
               else ngettext("{n} file(s) reformatted", "{n} file(s) reformatted", n_changed)).format(n=n_changed)
    summary = changed + ngettext(", {n} already canonical", ", {n} already canonical", n_same).format(n=n_same)
    if n_bad:
        summary += ngettext(", {n} not formatted because of errors", ", {n} not formatted because of errors",
                            n_bad).format(n=n_bad)
    click.echo(summary, err=True)
    if n_bad or (dry and n_changed):
        sys.exit(EXIT_INVALID)


# --------------------------------------------------------------------------- diff


class _PathsAfterDashes(click.Command):
    """Keeps what follows ``--`` apart, as git does: ``plandocs diff main HEAD -- plans/kalush``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" in args:
            i = args.index("--")
            ctx.meta[PATHS_KEY] = args[i + 1:]
            args = args[:i]
        return super().parse_args(ctx, args)


def _use_color(choice: str) -> bool:
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty() or os.environ.get("GIT_PAGER_IN_USE") == "true"


def _report_diff(result: DiffResult, fmt: str, color: bool, link: str | None = None) -> None:
    from plandocs.review.diff.output import render_diff

    text = render_diff(result, fmt, color, link=link)
    if text and (result.files or fmt != "text"):
        click.echo(text, nl=False, color=color)


def _comparative(ctx: click.Context, what: tuple[str, ...], fmt: str, output: Path | None, headings: str,
                 orientation: str, tracked: bool) -> None:
    """``--format docx|html|pdf``: the comparative table of one plan (or, with ``--tracked``, the amended
    plan with tracked changes), written to ``-o FILE``."""
    from plandocs.errors import PlandocsError
    from plandocs.files.write import write_outputs
    from plandocs.review.amend import comparative_document, tracked_document
    from plandocs.review.comparative import Headings

    if output is None:
        click.echo(_("Error: {message}").format(message=_("--format {format} writes a document: name it with -o "
                                                          "FILE").format(format=fmt)), err=True)
        sys.exit(EXIT_USAGE)
    if tracked and fmt != "docx":
        click.echo(_("Error: {message}").format(message=_("--tracked writes a DOCX with tracked changes: use "
                                                          "--format docx")), err=True)
        sys.exit(EXIT_USAGE)
    try:
        args, paths = list(what), list(ctx.meta.get(PATHS_KEY, []))
        result = tracked_document(args, paths) if tracked else \
            comparative_document(args, paths, fmt, headings=Headings(headings), orientation=orientation)
        if result.data is None:
            print_diagnostic_list(result.diagnostics.errors, result.lines)
            click.echo(_("the plan could not be compared (see above); nothing written"), err=True)
            sys.exit(EXIT_USAGE)
        target = output.resolve()
        write_outputs({Path(target.name): result.data}, target.parent)
    except PlandocsError as exc:
        click.echo(_("Error: {message}").format(message=exc.format_message()), err=True)
        sys.exit(EXIT_USAGE)
    changes = sum(r.changes for r in result.rows)
    n_changes = ngettext("{n} change(s)", "{n} change(s)", changes).format(n=changes)
    if tracked:
        click.echo(_("wrote {path}: {marks} for {changes}").format(
            path=output, changes=n_changes, marks=ngettext("{n} revision mark(s)", "{n} revision mark(s)",
                                                          result.revisions).format(n=result.revisions)), err=True)
        if result.unplaced:
            click.echo(ngettext("{n} removed paragraph(s) or row(s) had no place in the new document; the "
                                "comparative table (without --tracked) lists every change",
                                "{n} removed paragraph(s) or row(s) had no place in the new document; the "
                                "comparative table (without --tracked) lists every change",
                                result.unplaced).format(n=result.unplaced), err=True)
    else:
        click.echo(_("wrote {path}: {rows}, {changes}").format(
            path=output, changes=n_changes,
            rows=ngettext("{n} row(s)", "{n} row(s)", len(result.rows)).format(n=len(result.rows))), err=True)
    sys.exit(EXIT_INVALID if result.rows else 0)


def _with_previous(what: tuple[str, ...]) -> tuple[str, ...]:
    """``--previous PLAN`` → ``PREVIOUS PLAN``, the previous period's plan from the same folder."""
    from plandocs.errors import PlandocsError
    from plandocs.files.discovery import display_path
    from plandocs.review.previous import previous_plan

    if len(what) != 1 or not Path(what[0]).is_file():
        click.echo(_("Error: {message}").format(message=_("--previous takes one plan file: plandocs diff "
                                                          "--previous plans/org/2024.yaml")), err=True)
        sys.exit(EXIT_USAGE)
    try:
        before = previous_plan(Path(what[0]))
    except PlandocsError as exc:
        click.echo(_("Error: {message}").format(message=exc.format_message()), err=True)
        sys.exit(EXIT_USAGE)
    click.echo(_("comparing with the plan of the previous period: {path}").format(path=display_path(before)),
               err=True)
    return (str(before), what[0])


@click.command("diff", cls=_PathsAfterDashes)
@click.argument("what", nargs=-1, metavar="OLD [NEW] [-- PATH...]")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "json", "docx", "html", "pdf"]),
              default="text", show_default=True,
              help="Terminal text, Markdown for a pull-request comment, JSON, or the comparative table "
                   "(порівняльна таблиця) of one plan as DOCX, HTML or PDF (with -o FILE).")
@click.option("--color", type=click.Choice(["auto", "always", "never"]), default="auto", show_default=True,
              help="Colour the text output (auto: when writing to a terminal).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write the comparative table to (--format docx, html or pdf).")
@click.option("--headings", type=click.Choice(["before-after", "current-proposed"]), default="before-after",
              show_default=True, help="Column headings of the comparative table: «Редакція до змін» / «Редакція "
                                      "зі змінами», or «Чинна редакція» / «Запропонована редакція».")
@click.option("--orientation", type=click.Choice(["auto", "portrait", "landscape"]), default="auto",
              show_default=True, help="Page orientation of the comparative table (auto: landscape when rows "
                                      "are long).")
@click.option("--link", metavar="URL", help="Where the full diff is (e.g. the CI run's artefact); a Markdown "
                                            "comment longer than GitHub's 65,536 characters is shortened to a "
                                            "summary that links there.")
@click.option("--previous", is_flag=True, help="Compare the plan given alone with the plan of the previous "
                                                "period next to it (plandocs diff --previous plans/org/2024.yaml).")
@click.option("--tracked", is_flag=True, help="With --format docx: the new plan as rendered, with the changes "
                                               "from the old one as tracked changes to accept or reject in Word.")
@click.pass_context
def diff_cmd(ctx: click.Context, what: tuple[str, ...], fmt: str, color: str, output: Path | None,
             headings: str, orientation: str, link: str | None, previous: bool, tracked: bool) -> None:
    """Show what changed between two versions of plans, in plan terms.

    OLD and NEW are two files, two folders, or two git revisions; a single revision is compared with
    the working tree (plandocs diff HEAD~1). Paths after -- (relative to the repository root; default
    plans/) limit a comparison of revisions. Measures are matched by id: added, removed, renumbered,
    moved; values per period, executors, terms, indicators; texts word by word.

    With --format docx, html or pdf and -o FILE, writes the comparative table (порівняльна таблиця) of
    one plan: OLD.yaml NEW.yaml, or REV [REV] -- PLAN.

    Exit status, as diff(1): 0 no changes, 1 changes, 2 trouble (bad input, unknown revision).
    """
    from plandocs.errors import PlandocsError
    from plandocs.review.diff.sources import plan_diff

    if previous:
        what = _with_previous(what)
    if fmt in ("docx", "html", "pdf"):
        _comparative(ctx, what, fmt, output, headings, orientation, tracked)
    try:
        result = plan_diff(list(what), list(ctx.meta.get(PATHS_KEY, [])))
    except PlandocsError as exc:
        click.echo(_("Error: {message}").format(message=exc.format_message()), err=True)
        sys.exit(EXIT_USAGE)
    _report_diff(result, fmt, _use_color(color), link)
    if result.diagnostics.errors:
        print_diagnostic_list(result.diagnostics.errors, result.lines)
        click.echo(_("some files could not be compared as plans (see above)"), err=True)
        sys.exit(EXIT_USAGE)
    sys.exit(EXIT_INVALID if result.changed else 0)


# --------------------------------------------------------------------------- new


@click.command("new")
@click.argument("plan", type=click.Path(path_type=Path))
@click.option("--period", type=PERIOD, required=True, help="Period of the new plan: 2020-Q3, 2024 or 2011-2013.")
@click.option("--carry-values", is_flag=True, help="Keep the planned values and funding instead of clearing them.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="File to write (default: next to PLAN, named after the period). Never overwritten.")
def new_cmd(plan: Path, period: Period, carry_values: bool, output: Path | None) -> None:
    """Start the plan of the next period from PLAN.

    Same priorities, tasks, measures, executors and indicators; the period, the title and the terms move
    to the new period; planned values are cleared (or kept with --carry-values); approval dates, acts and
    the approving order are removed. Prints what was changed; the new plan is validated.
    """
    from plandocs.review.nextperiod import new_plan

    result = new_plan(plan, period, carry_values, output)
    if result.path is None:
        print_diagnostic_list(result.diagnostics.items, result.lines)
        n = len(result.diagnostics.errors)
        click.echo(ngettext("{file}: nothing written ({n} error(s))", "{file}: nothing written ({n} error(s))", n)
                   .format(file=result.source, n=n), err=True)
        sys.exit(EXIT_INVALID)
    click.echo(_("wrote {file}").format(file=result.path))
    for note in result.notes:
        click.echo(f"  {note}")
    if result.diagnostics.items:
        click.echo(_("check these warnings in the new plan:"), err=True)
        print_diagnostic_list(result.diagnostics.items, result.lines)


# --------------------------------------------------------------------------- git drivers


@click.command("textconv")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def textconv_cmd(file: Path) -> None:
    """Print a plan as one line per cell, for git's diff.plandocs.textconv setting.

    git log -p and git diff --no-ext-diff then show which cell of which measure changed. A file that
    does not load as a plan is printed unchanged.
    """
    from plandocs.review.textconv import plan_lines

    text = decode_lenient(file.read_bytes())
    click.echo(plan_lines(str(file), text, kind_of(file) is FileKind.ORGANISATION), nl=False)


def _read_side(path: str, label: str) -> Any:
    from plandocs.review.diff.changes import Side

    if path == os.devnull:
        return Side(os.devnull, None)
    return Side(label, decode_lenient(Path(path).read_bytes()))


@click.command("git-diff", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, metavar="PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE")
def git_diff_cmd(args: tuple[str, ...]) -> None:
    """The plan diff as git's external diff driver (diff.plandocs.command).

    git calls it with seven arguments (nine for a rename). Files that do not load as plans are shown as
    a line diff. Always exits 0 so that git goes on with the next file.
    """
    import difflib

    from plandocs.errors import Diagnostics
    from plandocs.review.diff.changes import DiffResult
    from plandocs.review.diff.compare import compare_texts

    if len(args) < 7:
        click.echo(_("{file}: unmerged; resolve the conflict first").format(file=args[0] if args else "?"))
        return
    path, old_file, new_file = args[0], args[1], args[4]
    new_path = args[7] if len(args) >= 9 else path
    try:
        old = _read_side(old_file, f"a/{path}")
        new = _read_side(new_file, f"b/{new_path}")
    except OSError as exc:
        click.echo(_("{path}: not compared: cannot read '{file}': {why}").format(
            path=new_path, file=exc.filename, why=exc.strerror or exc))
        return
    diags = Diagnostics()
    fd = compare_texts(new_path, old, new, diags)
    color = _use_color("auto")
    if fd is None:
        first = diags.errors[0] if diags.errors else None
        why = f": {first.headline()}" if first else ""
        click.echo(_("{file}: not compared as a plan{why}; line diff follows").format(file=new_path, why=why))
        lines = difflib.unified_diff((old.text or "").splitlines(keepends=True),
                                     (new.text or "").splitlines(keepends=True),
                                     f"a/{path}" if old.text is not None else os.devnull,
                                     f"b/{new_path}" if new.text is not None else os.devnull)
        click.echo("".join(lines), nl=False)
        return
    if not fd.changes:
        click.echo(f"{new_path}\n  " + _("(no changes to the plan: formatting or comments only)"))
        return
    _report_diff(DiffResult(files=[fd]), "text", color)


COMMANDS = [fmt_cmd, diff_cmd, new_cmd, textconv_cmd, git_diff_cmd]
