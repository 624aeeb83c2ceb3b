from pathlib import Path
from plandocs.check.validate import validate
from plandocs.view.plan import build_view
from plandocs.view.typography import typeset
from plandocs.render.html import render_html
from plandocs.render.pdf import paginate
from plandocs.render.templating import template_dirs
r = validate([Path("../plans/kalush")]); lp = r.plans[0]
view = typeset(build_view(lp.plan, lp.organisation))
dirs = template_dirs(None)
doc, breaks = paginate(lambda b: render_html(view, dirs, paged=True, page_breaks=b), Path("."))
print(sorted(breaks), len(doc.pages))
def walk(b):
    yield b
    for c in getattr(b, "children", ()): yield from walk(c)
for i, page in enumerate(doc.pages[:3]):
    rows = [b for b in walk(page._page_box) if type(b).__name__ == "TableRowBox" and b.element.get("data-row")]
    body = [c for r in rows for c in r.children]
    bottom = max(c.position_y + c.margin_height() for c in body)
    # cells that reach the page's last row
    last = [c for c in body if abs(c.position_y + c.margin_height() - bottom) < 0.5]
    print(i, len(body), [(c.element.get("rowspan"), c.border_bottom_width, c.style["border_bottom_style"]) for c in last][:8])
