"""Round trip of the seed plans: render → DOCX (→ LibreOffice) → import → compare with the source YAML.

Usage: .venv/bin/python scripts/import_roundtrip.py [--soffice] [PLAN.yaml …]
Prints, per plan, every key path whose value differs between the source and the imported plan.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

from plandocs.importer import import_document
from plandocs.importer.docxread import convert_with_soffice
from plandocs.render import render
from plandocs.view.typography import text as typeset
from plandocs.view.uaformat import quotes

SEEDS = ["plans/kalush/2020-q2.yaml", "plans/zhytomyr/2023.yaml", "plans/odesa/2021.yaml",
         "plans/pokrovsk/2021.yaml", "plans/kherson/2008-2010.yaml", "plans/odesa/2021-q2.report.yaml",
         # the forms of issue 11
         "plans/kmu/goal-12.4.yaml", "plans/kmu/goal-16.2.yaml", "plans/kmu/goal-7.1.yaml",
         "plans/kharkiv-oblast/2024-2028.yaml"]


def diff(a: Any, b: Any, path: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in list(a) + [k for k in b if k not in a]:
            if k not in b:
                out.append(f"{path}.{k}: only in source: {str(a[k])[:90]}")
            elif k not in a:
                out.append(f"{path}.{k}: only in import: {str(b[k])[:90]}")
            else:
                out.extend(diff(a[k], b[k], f"{path}.{k}"))
        return out
    if isinstance(a, list) and isinstance(b, list):
        out = []
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            out.extend(diff(x, y, f"{path}[{i}]"))
        if len(a) != len(b):
            out.append(f"{path}: {len(a)} items in source, {len(b)} imported")
        return out
    if isinstance(a, str) and isinstance(b, str) and a != b and typeset(a) == typeset(b):
        return [f"{path}: typography: printed the same (ʼ, no-break spaces, dashes), imported as typed"]
    if isinstance(a, str) and isinstance(b, str) and a != b and typeset(quotes(a)) == typeset(b):
        return [f"{path}: quotes: the source's straight quotes are printed «…» and imported as printed"]
    if a != b:
        return [f"{path}: source {str(a)[:90]!r} ≠ import {str(b)[:90]!r}"]
    return []


def roundtrip(plan: Path, soffice: bool) -> list[str]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        render([plan], out, formats=("docx",))
        docx = next(out.rglob(plan.name.removesuffix(".yaml") + ".docx"))
        if soffice:
            lo = out / "lo"
            lo.mkdir()
            docx = convert_with_soffice(docx, lo)
        # goal 7.1 has no table and prints no period: the options the command needs for it
        no_table = plan.name == "goal-7.1.yaml"
        res = import_document(docx, plan.parent / "organisation.yaml", allow_no_table=no_table,
                              period="2020" if no_table else None)
        src = yaml.safe_load(plan.read_text(encoding="utf-8"))
        got = yaml.safe_load(res.text)
        return diff(src, got)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    for p in args or SEEDS:
        d = roundtrip(Path(p), "--soffice" in sys.argv)
        print(f"== {p}: {len(d)} difference(s)")
        for line in d:
            print("  ", line)


if __name__ == "__main__":
    main()
