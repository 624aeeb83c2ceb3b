"""Stage 4a, render HTML: the document view through the kind's Jinja2 template."""

from __future__ import annotations

from pathlib import Path

from plandocs.errors import TemplateFailure
from plandocs.i18n import _
from plandocs.render.templating import RUNTIME_TEMPLATE_ERRORS, jinja_env, shown_template, template_error_message
from plandocs.view.types import DocumentView


def render_html(view: DocumentView, dirs: list[Path], *, paged: bool = False,
                page_breaks: frozenset[int] = frozenset()) -> str:
    """Render ``view`` with ``<kind>.html`` from ``dirs`` (organisation templates first).

    ``paged`` renders the variant that WeasyPrint turns into PDF: body rows carry ``data-row`` (their index)
    and every vertical merge is cut at the body rows in ``page_breaks``, the first row of each page.
    """
    env = jinja_env(dirs)
    name = f"{view.kind}.html"
    try:
        return env.get_template(name).render(doc=view, paged=paged, page_breaks=page_breaks)
    except RUNTIME_TEMPLATE_ERRORS as exc:
        raise TemplateFailure(_("{template}: template error: {error}{near}").format(
            template=template_location(exc, name), error=template_error_message(exc), near="")) from None


def template_location(exc: BaseException, default: str) -> str:
    """``file:line`` of a template error: syntax errors carry it, runtime errors only in the traceback
    (Jinja rewrites it so that template frames show the template's file and line)."""
    filename = getattr(exc, "filename", None)
    lineno = getattr(exc, "lineno", None)
    if filename and lineno:
        return f"{shown_template(filename)}:{lineno}"
    tb = exc.__traceback__
    where = None
    while tb is not None:
        fname = tb.tb_frame.f_code.co_filename
        if fname.endswith((".html", ".xml", ".docx")):
            where = f"{shown_template(fname)}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where or default
