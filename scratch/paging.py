"""Prototype: per-page rowspan groups from a layout pass (WeasyPrint #663/#1911)."""
import re, sys, time
from dataclasses import replace
from pathlib import Path
from weasyprint import HTML
from plandocs.validate import validate
from plandocs.view import build_view, Row, Cell
from plandocs.render_html import render_html
from plandocs.templating import template_dirs

def split_body(table, breaks):
    """Rows of the body with every rowspan that crosses a row in `breaks` cut there."""
    grid = table.grid(table.body)
    out = [list(cells) for cells in ([c for _, c in placed] for placed in grid)]
    # (row, col) -> cell; rebuild with cut spans
    placed_at = {}
    for r, placed in enumerate(grid):
        for col, cell in placed:
            placed_at[(r, col)] = cell
    new = {}
    for (r, col), cell in placed_at.items():
        start, end = r, r + cell.rowspan
        cuts = [b for b in sorted(breaks) if start < b < end]
        pieces = [start, *cuts, end]
        for i, (a, b) in enumerate(zip(pieces, pieces[1:])):
            text = cell.text if i == 0 else (cell.text if len(cell.text) <= 100 else "(продовження)")
            new[(a, col)] = replace(cell, rowspan=b - a, text=text)
    rows = []
    for r, row in enumerate(table.body):
        cells = tuple(c for (rr, col), c in sorted(new.items()) if rr == r)
        kind = row.kind + (" page-start" if r in breaks else "")
        rows.append(Row(cells, kind))
    return tuple(rows)

def page_starts(doc):
    """Index of the first body row on each page after the first."""
    starts = []
    for n, page in enumerate(doc.pages):
        first = None
        stack = [page._page_box]
        while stack:
            box = stack.pop(0)
            if type(box).__name__ == "TableRowBox" and box.element is not None and box.element.get("id", "").startswith("r"):
                first = int(box.element.get("id")[1:]); break
            stack[:0] = getattr(box, "children", [])
        if n and first is not None:
            starts.append(first)
    return starts

def paged_html(view, dirs, breaks, force=True):
    v = replace(view, table=replace(view.table, body=split_body(view.table, breaks)))
    html = render_html(v, dirs, paged=False)
    body_start = html.index("<tbody>")
    i = [0]
    def tag(m):
        i[0] += 1; return f'<tr id="r{i[0]-1}"'
    html = html[:body_start] + re.sub(r"<tr(?= )", tag, html[body_start:])
    return html.replace("</style>", "tr.page-start { break-before: page; }\n</style>") if force else html

plan = sys.argv[1]
res = validate([Path(plan)]); lp = res.plans[0]
view = build_view(lp.plan, lp.organisation)
from plandocs.templating import resolve_org_templates
from plandocs.render import project_root
dirs = template_dirs(resolve_org_templates(lp.organisation_path, lp.organisation.templates, project_root(lp.organisation_path)))
breaks = frozenset()
t = time.perf_counter()
for p in range(6):
    html = paged_html(view, dirs, breaks, force=p >= 3)
    doc = HTML(string=html, base_url=".").render()
    starts = page_starts(doc)
    print(p, len(doc.pages), starts, f"{time.perf_counter()-t:.1f}s")
    if frozenset(starts) == breaks: break
    breaks = frozenset(starts)
doc.write_pdf(Path(plan).stem + ".split.pdf")
