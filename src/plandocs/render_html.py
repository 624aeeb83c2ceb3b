"""Stage 4a, render HTML: the document view through the kind's Jinja2 template."""

from __future__ import annotations

from pathlib import Path

from jinja2 import TemplateError

from .errors import PlandocsError
from .templating import jinja_env
from .view import DocumentView


class TemplateFailure(PlandocsError):
    """A template could not be rendered; the message names the template and line."""


def render_html(view: DocumentView, dirs: list[Path], *, paged: bool = False) -> str:
    """Render ``view`` with ``<kind>.html`` from ``dirs`` (organisation templates first).

    ``paged`` renders the variant that WeasyPrint turns into PDF: vertical merges are drawn with
    borders instead of ``rowspan`` so that rows split cleanly across pages.
    """
    env = jinja_env(dirs)
    name = f"{view.kind}.html"
    try:
        return env.get_template(name).render(doc=view, paged=paged)
    except TemplateError as exc:
        where = getattr(exc, "filename", None) or name
        line = getattr(exc, "lineno", None)
        loc = f"{where}:{line}" if line else str(where)
        raise TemplateFailure(f"{loc}: template error: {exc.message or exc}") from exc
