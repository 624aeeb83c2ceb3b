"""Stage 4, render: a :class:`DocumentView` → DOCX, HTML and PDF bytes, written atomically; :func:`render`
is the pipeline behind ``plandocs render``. One module per output format, as Sphinx's ``builders/``."""

from plandocs.render.pipeline import render

__all__ = ["render"]
