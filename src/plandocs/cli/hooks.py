"""``plandocs hook fmt|validate`` (what pre-commit runs) and ``plandocs git-setup`` (the git drivers)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from plandocs.errors import EXIT_INVALID
from plandocs.files.kinds import DEFAULT_PLANS
from plandocs.i18n import _, ngettext

DEFAULT_ROOTS = (DEFAULT_PLANS,)

# git runs a textconv or external-diff command through the shell with its arguments appended; these
# wrappers fall back to the plain text or a plain unified diff when plandocs is not on PATH (a colleague's
# machine, a GUI client with its own PATH), instead of stopping `git diff` with "cannot run plandocs".
TEXTCONV = ("sh -c 'if command -v plandocs >/dev/null 2>&1; then exec plandocs textconv \"$1\"; "
            "else exec cat \"$1\"; fi' plandocs-textconv-{version}")
GIT_DIFF = ("sh -c 'if command -v plandocs >/dev/null 2>&1; then exec plandocs git-diff \"$@\"; "
            "else diff -u --label \"a/$1\" --label \"b/$1\" \"$2\" \"$5\"; exit 0; fi' plandocs-git-diff")


@click.group("hook")
def hook_group() -> None:
    """What the pre-commit hooks run (see .pre-commit-config.yaml); they take the committed files."""


def _staged_deletions() -> list[Path]:
    """Files deleted in the index: pre-commit does not pass them, but what referred to them must be checked."""
    import subprocess
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], capture_output=True, text=True, check=True)
        out = subprocess.run(["git", "diff", "--cached", "--name-only", "--diff-filter=D", "-z"],
                             capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return []  # not a git repository, or no git: nothing was deleted that we could know of
    root = Path(top.stdout.strip())
    return [root / name for name in out.stdout.split("\0") if name.endswith((".yaml", ".yml"))]


@hook_group.command("validate")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--root", "roots", multiple=True, type=click.Path(path_type=Path, file_okay=False),
              help="Folder searched for files that depend on the changed ones (default: plans/).")
def hook_validate_cmd(files: tuple[Path, ...], roots: tuple[Path, ...]) -> None:
    """Validate FILES and every file that depends on them: the plans of a changed organisation, the
    reports of a changed plan, the regions; files that referred to a deleted file too."""
    from plandocs.check.validate import validate
    from plandocs.cli.output import print_diagnostics
    from plandocs.files.dependents import with_dependents
    from plandocs.files.discovery import display_path

    changed = [*files, *_staged_deletions()]
    if not changed:
        return
    deps = with_dependents(changed, list(roots or DEFAULT_ROOTS))
    if deps.added:
        n = len(deps.added)
        click.echo(ngettext("also checking {n} file(s) that depend on the changed ones: {files}",
                            "also checking {n} file(s) that depend on the changed ones: {files}", n)
                   .format(n=n, files=", ".join(display_path(p) for p in deps.added)), err=True)
    if not deps.files:
        return
    result = validate(list(deps.files))
    print_diagnostics(result, "text", strict=False)
    if not result.ok:
        click.echo(_("commit stopped: fix the problems above, `git add` the files and commit again "
                     "(`plandocs validate` shows them again)"), err=True)
        sys.exit(EXIT_INVALID)


@hook_group.command("fmt")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def hook_fmt_cmd(files: tuple[Path, ...]) -> None:
    """Rewrite FILES in the canonical form; fail when one was rewritten, so that it is looked at and added."""
    from plandocs.cli.output import print_diagnostic_list
    from plandocs.review.fmt import format_files

    existing = [f for f in files if f.is_file()]
    if not existing:
        return
    result = format_files(existing)
    print_diagnostic_list(result.diagnostics.errors, result.lines)
    for name in result.changed:
        click.echo(_("reformatted {file}").format(file=name))
    if result.changed:
        n = len(result.changed)
        click.echo(ngettext("commit stopped: plandocs fmt rewrote {n} file(s) in the canonical form; look at the "
                            "change (`git diff`), `git add` the file(s) and commit again",
                            "commit stopped: plandocs fmt rewrote {n} file(s) in the canonical form; look at the "
                            "change (`git diff`), `git add` the file(s) and commit again", n).format(n=n), err=True)
    if result.diagnostics.errors:
        click.echo(_("commit stopped: these files do not load, so they were not formatted; fix them and commit "
                     "again"), err=True)
    if result.changed or result.diagnostics.errors:
        sys.exit(EXIT_INVALID)


@click.command("git-setup")
@click.option("--global", "is_global", is_flag=True, help="Set the drivers for every repository of this user.")
@click.option("--cache", is_flag=True,
              help="Cache the textconv output in git notes (faster `git log -p` on long histories).")
def git_setup_cmd(is_global: bool, cache: bool) -> None:
    """Configure git so that `git diff` and `git log -p` show plan files in plan terms.

    Sets diff.plandocs.command (plandocs git-diff) and diff.plandocs.textconv (plandocs textconv), both
    falling back to a plain diff where plandocs is not installed; .gitattributes marks the plan files
    with diff=plandocs. `git blame` then annotates cell lines; `git blame --no-textconv FILE` (the alias
    `git blame-yaml`, set here) annotates the YAML lines.
    """
    import subprocess

    from plandocs import __version__

    scope = ["--global"] if is_global else []
    settings = {
        "diff.plandocs.command": GIT_DIFF,
        "diff.plandocs.textconv": TEXTCONV.format(version=__version__),
        "diff.plandocs.cachetextconv": "true" if cache else "false",
        "alias.blame-yaml": "blame --no-textconv",
    }
    for key, value in settings.items():
        try:
            subprocess.run(["git", "config", *scope, key, value], check=True, capture_output=True, text=True)
        except FileNotFoundError as exc:
            raise click.ClickException(_("git is not installed or not on PATH")) from exc
        except subprocess.CalledProcessError as exc:
            raise click.ClickException(_("git config {key} failed: {error} (run this inside a git repository, or "
                                         "use --global)").format(key=key, error=exc.stderr.strip())) from exc
        click.echo(f"git config {' '.join(scope) + ' ' if scope else ''}{key} {value}")


COMMANDS = [hook_group, git_setup_cmd]
