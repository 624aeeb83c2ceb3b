"""The text of the unplaced report (``--report``): what an import could not put into the YAML."""

from __future__ import annotations

from plandocs.importer.build import ImportResult


def unplaced_text(results: list[ImportResult]) -> str:
    """Per source file: the word count, every unplaced piece with where it was and why, the executors that
    matched nothing (with the closest known names) or only by a spelling variant, and the import's notes."""
    lines: list[str] = []
    for r in results:
        lines.append(f"# {r.source}: {r.words_unplaced} of {r.words_total} words not placed")
        for u in r.unplaced:
            lines.append(f"{u.where}: {u.why}")
            lines.extend("    " + ln for ln in u.text.splitlines())
        ex = r.executors
        if ex is not None:
            for m in ex.unmatched:
                hint = f"; closest: {', '.join(m.suggestions)}" if m.suggestions else ""
                lines.append(f"executor «{m.text}» matched nothing: added as '{m.body.id}'{hint}")
            for m in ex.fuzzy:
                lines.append(f"executor «{m.text}» matched '{m.body.id}' ({m.body.name}) by spelling variant")
        lines.extend(f"note: {n}" for n in r.notes)
    return "\n".join(lines) + "\n"
