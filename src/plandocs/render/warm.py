"""Warming a render worker: the heavy imports (at import time, so a fork server can hold them for every
worker it starts) and, per worker, one tiny PDF so fontconfig and Pango have loaded their fonts."""

from __future__ import annotations

import docx  # noqa: F401  (imported for its side effect: loaded once in the fork server)
import docxtpl  # noqa: F401
import weasyprint

from plandocs.render import docx as _docx  # noqa: F401
from plandocs.render import html as _html  # noqa: F401
from plandocs.render import pdf as _pdf  # noqa: F401

_WARM_HTML = ('<html lang="uk"><body style="font-family: \'Liberation Serif\', serif">'
              "<p>Прогрів <b>шрифтів</b> <i>курсив</i></p></body></html>")


def warm() -> None:
    """Lay out a one-line page in the document fonts (the first layout of a process loads them)."""
    weasyprint.HTML(string=_WARM_HTML).write_pdf()
