"""Recall of a Word file's words after import and render: every word of the source must be in the
rendered DOCX of the imported plan or in the unplaced report.

Usage: .venv/bin/python scripts/import_recall.py FILE.docx[=PERIOD]…  (a document without a measures
table is imported as prose only; PERIOD where neither title nor terms name it)
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import docx

from plandocs.importer import import_document
from plandocs.importer.build import words
from plandocs.importer.docxread import Para, read_document
from plandocs.render import render


def docx_words(path: Path) -> set[str]:
    d = read_document(path)
    out: set[str] = set()
    for b in d.blocks:
        if isinstance(b, Para):
            out |= set(words(b.text))
        else:
            for r in b.rows:
                for c in r.cells:
                    out |= set(words(c.text))
    return out


def recall(src: Path, period: str | None = None) -> tuple[float, int, int, list[str]]:
    res = import_document(src, allow_no_table=True, period=period)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "plans" / "kmu"
        folder.mkdir(parents=True)
        (folder / "plan.yaml").write_text(res.text, encoding="utf-8")
        (folder / "organisation.yaml").write_text(res.organisation_text or "", encoding="utf-8")
        out = Path(tmp) / "out"
        rr = render([folder / "plan.yaml"], out, formats=("docx",))
        assert rr.validation.ok, [d.headline() for d in rr.validation.diagnostics]
        rendered = docx_words(next(out.rglob("plan.docx")))
    unplaced = {w for u in res.unplaced for w in words(u.text)}
    source = docx_words(src)
    missing = sorted(source - rendered - unplaced)
    return 1 - len(missing) / len(source), len(source), res.words_unplaced, missing


if __name__ == "__main__":
    del docx
    for arg in sys.argv[1:]:
        f, _, period = arg.partition("=")
        r, n, unplaced, missing = recall(Path(f), period or None)
        print(f"{Path(f).name}: recall {r:.4f} of {n} distinct words; unplaced report holds {unplaced} words; "
              f"missing: {missing[:20]}")
