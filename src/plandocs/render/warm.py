"""Warming a render worker: the heavy imports (at import time, so a fork server can hold them for every
worker it starts) and, per worker, one tiny document in the run's PDF engine so that its fonts are loaded.

Typst is not imported here: the fork server serves WeasyPrint runs too, whose workers should not carry it;
a Typst worker imports it when it warms (a few milliseconds: the wheel's module is small)."""

from __future__ import annotations

import docx  # noqa: F401  (imported for its side effect: loaded once in the fork server)
import docxtpl  # noqa: F401
import weasyprint

from plandocs.render import docx as _docx  # noqa: F401
from plandocs.render import html as _html  # noqa: F401
from plandocs.render import pdf as _pdf  # noqa: F401

_WARM_HTML = ('<html lang="uk"><body style="font-family: \'Liberation Serif\', serif">'
              "<p>Прогрів <b>шрифтів</b> <i>курсив</i></p></body></html>")


def warm(engine: str = "weasyprint") -> None:
    """Print a one-line page with ``engine`` in the document fonts (the first layout of a process loads
    them); a Typst worker never lays out with WeasyPrint, so it does not warm it."""
    if engine == "typst":
        from plandocs.render.typst import warm_compiler

        warm_compiler()
    else:
        weasyprint.HTML(string=_WARM_HTML).write_pdf()
