"""Warming a render worker: the heavy imports (at import time, so a fork server can hold them for every
worker it starts) and, per worker, one tiny document in the run's PDF engine so that its fonts are loaded.

The PDF engine itself is imported by the fork server only for the runs that use it (:data:`ENGINE_MODULES`):
WeasyPrint (Pango, HarfBuzz: about half of the server's imports) is of no use to a Typst worker, and Typst
is kept out of WeasyPrint workers.  A document that falls back to WeasyPrint in a Typst run imports it then."""

from __future__ import annotations

import docx  # noqa: F401  (imported for its side effect: loaded once in the fork server)
import docxtpl  # noqa: F401

from plandocs.render import docx as _docx  # noqa: F401
from plandocs.render import html as _html  # noqa: F401
from plandocs.render import pdf as _pdf  # noqa: F401

ENGINE_MODULES = {"weasyprint": ("weasyprint",), "typst": ("typst", "plandocs.render.typst")}
"""What the fork server imports besides this module, by the run's PDF engine."""

_WARM_HTML = ('<html lang="uk"><body style="font-family: \'Liberation Serif\', serif">'
              "<p>Прогрів <b>шрифтів</b> <i>курсив</i></p></body></html>")


def warm(engine: str = "weasyprint") -> None:
    """Print a one-line page with ``engine`` in the document fonts (the first layout of a process loads
    them); a Typst worker never lays out with WeasyPrint, so it does not warm it."""
    if engine == "typst":
        from plandocs.render.typst import warm_compiler

        warm_compiler()
    else:
        import weasyprint

        weasyprint.HTML(string=_WARM_HTML).write_pdf()
