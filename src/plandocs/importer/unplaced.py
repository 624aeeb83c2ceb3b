"""The text of the unplaced report (``--report``): what an import could not put into the YAML."""

from __future__ import annotations

from plandocs.i18n import _, ngettext
from plandocs.importer.build import ImportResult


def unplaced_text(results: list[ImportResult]) -> str:
    """Per source file: the word count, every unplaced piece with where it was and why, the executors that
    matched nothing (with the closest known names) or only by a spelling variant, and the import's notes."""
    lines: list[str] = []
    for r in results:
        lines.append("# " + ngettext("{source}: {n} of {total} words not placed",
                                     "{source}: {n} of {total} words not placed", r.words_total).format(
            source=r.source, n=r.words_unplaced, total=r.words_total))
        for u in r.unplaced:
            lines.append(f"{u.where}: {u.why}")
            lines.extend("    " + ln for ln in u.text.splitlines())
        ex = r.executors
        if ex is not None:
            for m in ex.unmatched:
                hint = _("; closest: {names}").format(names=", ".join(m.suggestions)) if m.suggestions else ""
                lines.append(_("executor «{text}» matched nothing: added as '{id}'{hint}").format(
                    text=m.text, id=m.body.id, hint=hint))
            for m in ex.fuzzy:
                lines.append(_("executor «{text}» matched '{id}' ({name}) by spelling variant").format(
                    text=m.text, id=m.body.id, name=m.body.name))
        lines.extend(_("note: {note}").format(note=n) for n in r.notes)
    return "\n".join(lines) + "\n"
