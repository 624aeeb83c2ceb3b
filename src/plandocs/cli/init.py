"""``plandocs init``: start a repository of plans; asks for what its options do not give."""

from __future__ import annotations

import datetime as _dt
import sys
from pathlib import Path

import click

from plandocs.i18n import N_, _
from plandocs.model.records import PlanKind

_OPTIONAL = ("short_name", "region")


def _department(text: str) -> tuple[str, str]:
    ident, sep, name = text.partition("=")
    if not sep:
        raise click.BadParameter(_("'{text}': write a department as ID=NAME, e.g. legal-education='Відділ …'")
                                 .format(text=text),
                                 param_hint="--department")
    return ident.strip(), name.strip()


def _ask_departments() -> list[str]:
    out: list[str] = []
    click.echo(_("Departments, bureaus and officials that plans name as executors; an empty name ends the list."),
               err=True)
    while True:
        name = click.prompt(_("  executor {n}: name").format(n=len(out) + 1), default="", show_default=False,
                            err=True)
        if not name.strip():
            if out:
                return out
            click.echo(_("  at least one executor is needed"), err=True)
            continue
        ident = click.prompt(_("  executor {n}: id (Latin letters, digits, hyphens)").format(n=len(out) + 1),
                             default=f"dept-{len(out) + 1}", err=True)
        out.append(f"{ident}={name}")


@click.command("init")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False), default=Path("."))
@click.option("--id", "org_id", help="Folder of the organisation under plans/, e.g. kalush.")
@click.option("--name", "nominative", help="Full name in the nominative: «Калуський місцевий центр …».")
@click.option("--genitive", help="Full name in the genitive, as a plan's title uses it: «Калуського …».")
@click.option("--short-name", help="Short name, e.g. «Калуський МЦ».")
@click.option("--region", help="Region, e.g. «Івано-Франківська область».")
@click.option("--head-surname", help="Surname of the head, who approves and signs.")
@click.option("--head-initials", help="Initials of the head, e.g. «Л.Б.».")
@click.option("--head-position", help="Position of the head as printed, e.g. «Директор».")
@click.option("--department", "departments", multiple=True, metavar="ID=NAME",
              help="An executor: its id and name (repeat for each).")
@click.option("--kind", type=click.Choice([k.value for k in PlanKind if k is not PlanKind.PROGRAMME]),
              help="Form of the first plan.")
@click.option("--period", help="Period of the first plan: 2026-Q1, 2026 or 2026-2028 (default: the next one).")
@click.option("--ci", type=click.Choice(["github", "gitlab", "none"]), help="CI file to write.")
@click.option("--ask/--no-ask", default=None, help="Ask for what the options do not give (default: in a terminal).")
def init_cmd(folder: Path, org_id: str | None, nominative: str | None, genitive: str | None,
             short_name: str | None, region: str | None, head_surname: str | None, head_initials: str | None,
             head_position: str | None, departments: tuple[str, ...], kind: str | None, period: str | None,
             ci: str | None, ask: bool | None) -> None:
    """Start a repository of plans in FOLDER (default: here).

    Writes plans/ID/organisation.yaml, a first plan of the chosen kind, schemas/ for the editor,
    .vscode/settings.json, .pre-commit-config.yaml, .gitattributes, requirements.txt, a CI file and a
    README. Asks for what the options do not give when run in a terminal. Never overwrites a file:
    when one exists, nothing is written. `plandocs validate` and `plandocs render` pass on the result.
    """
    from plandocs.errors import UsageError
    from plandocs.scaffold import CI, Department, InitSpec, default_period, init_repository

    interactive = sys.stdin.isatty() if ask is None else ask
    answers: dict[str, str | None] = {
        "org_id": org_id, "nominative": nominative, "genitive": genitive, "short_name": short_name,
        "region": region, "head_surname": head_surname, "head_initials": head_initials,
        "head_position": head_position, "kind": kind, "ci": ci}
    questions = {
        "org_id": (N_("Organisation id (folder under plans/, Latin letters, digits, hyphens)"), None),
        "nominative": (N_("Full name (nominative)"), None),
        "genitive": (N_("Full name (genitive, for titles)"), None),
        "short_name": (N_("Short name (optional)"), ""), "region": (N_("Region (optional)"), ""),
        "head_surname": (N_("Head: surname"), None), "head_initials": (N_("Head: initials"), None),
        "head_position": (N_("Head: position"), "Директор"),
        "kind": (N_("First plan"), "annual-plan"),
        "ci": (N_("CI file"), "github")}
    missing = [k for k, v in answers.items() if v is None and k not in _OPTIONAL]
    if not interactive and (missing or not departments):
        names = [f"--{k.replace('_', '-')}" for k in missing if k not in ("nominative", "org_id")]
        names = (["--id"] if "org_id" in missing else []) + (["--name"] if "nominative" in missing else []) + names
        raise UsageError(_("not a terminal, so nothing can be asked (--ask asks anyway); give {options}").format(
            options=", ".join(names + ([] if departments else ["--department ID=NAME"]))))
    for key, (question, default) in questions.items():
        if answers[key] is None and interactive:
            choices = {"kind": [k.value for k in PlanKind if k is not PlanKind.PROGRAMME],
                       "ci": ["github", "gitlab", "none"]}.get(key)
            answers[key] = click.prompt(_(question), default=default, show_default=bool(default), err=True,
                                        type=click.Choice(choices) if choices else None) or None
    dept_texts = list(departments) or _ask_departments()
    plan_kind = PlanKind(answers["kind"] or "annual-plan")
    today = _dt.date.today()
    spec = InitSpec(
        org_id=answers["org_id"] or "", nominative=answers["nominative"] or "", genitive=answers["genitive"] or "",
        short_name=answers["short_name"], region=answers["region"], head_surname=answers["head_surname"] or "",
        head_initials=answers["head_initials"] or "", head_position=answers["head_position"] or "",
        departments=tuple(Department(*_department(t)) for t in dept_texts), kind=plan_kind,
        period=period or default_period(plan_kind, today), ci=CI(answers["ci"] or "github"), today=today)
    written = init_repository(folder, spec)
    for path in written:
        click.echo(_("wrote {file}").format(file=path))
    click.echo(_("next: cd {folder}; git init; pre-commit install; plandocs git-setup; plandocs validate; "
                 "plandocs render").format(folder=folder), err=True)


COMMANDS = [init_cmd]
