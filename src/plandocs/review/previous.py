"""The plan of the previous period: what ``plandocs diff --previous PLAN`` compares ``PLAN`` with.

Plans of one organisation live side by side (``plans/kalush/2020-q2.yaml``, ``2020-q3.yaml``); the previous
one is the plan in the same folder whose period ends last before ``PLAN``'s period begins.  Periods are
read from the files, not guessed from their names.
"""

from __future__ import annotations

from pathlib import Path

from plandocs.check.schema import to_record
from plandocs.errors import Diagnostics, UsageError
from plandocs.files.discovery import display_path
from plandocs.files.kinds import FileKind, is_yaml, kind_of
from plandocs.i18n import _
from plandocs.load.source import parse_text
from plandocs.model.records import Plan


def _plan(path: Path) -> Plan | None:
    diags = Diagnostics()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    root = parse_text(str(path), text, diags)
    plan = to_record(root, Plan, diags) if root is not None else None
    return plan if isinstance(plan, Plan) and not diags.errors else None


def previous_plan(path: Path) -> Path:
    """The plan next to ``path`` for the period just before ``path``'s; a usage error when there is none."""
    current = _plan(path)
    if current is None:
        raise UsageError(_("'{path}' does not load as a plan; check it with plandocs validate").format(
            path=display_path(path)))
    best: tuple[Path, Plan] | None = None
    for other in sorted(path.parent.iterdir()):
        if other == path or not other.is_file() or not is_yaml(other.name) or kind_of(other) is not FileKind.PLAN:
            continue
        plan = _plan(other)
        if plan is None or plan.period.end >= current.period.start:
            continue
        if best is None or plan.period.end > best[1].period.end:
            best = (other, plan)
    if best is None:
        raise UsageError(_("no plan of a period before {period} next to '{path}'; give the two files to "
                           "compare").format(period=current.period, path=display_path(path)))
    return best[0]


__all__ = ["previous_plan"]
