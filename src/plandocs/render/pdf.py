"""Stage 4b, render PDF: the HTML through WeasyPrint, reproducibly.

WeasyPrint stamps the creation date and a document id into the PDF; both are made deterministic by
taking the date from the document (or ``SOURCE_DATE_EPOCH``) and letting pydyf derive the id from the
content.  ``pdf_a`` produces PDF/A-3b with the source YAML attached.

Templates are untrusted: WeasyPrint fetches only through :class:`_ConfinedFetcher`, which serves
``data:`` URLs and files whose real path lies inside one of the template folders, and refuses every other
scheme and path; a refusal fails the PDF with a message naming the URL.
"""

from __future__ import annotations

import datetime as _dt
import gc
import os
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from plandocs.errors import TemplateFailure


def _epoch(date: _dt.date) -> str:
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env and env.isdigit():
        return env
    return str(int(_dt.datetime(date.year, date.month, date.day, tzinfo=_dt.UTC).timestamp()))


def allowed_url(url: str, folders: list[Path]) -> bool:
    """Whether a template may use ``url``: ``data:``, or a ``file:`` inside one of ``folders``."""
    parts = urlsplit(url)
    if parts.scheme == "data":
        return True
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    real = Path(unquote(parts.path)).resolve()
    return real.is_file() and any(f.resolve() in real.parents for f in folders)


def _confined_fetcher(folders: list[Path], refused: list[str]) -> Any:
    from weasyprint.urls import URLFetcher

    class _ConfinedFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type hints
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not allowed_url(url, folders):
                refused.append(url)
                raise ValueError(f"refused: {url}")
            return super().fetch(url, headers)

    return _ConfinedFetcher(allowed_protocols=("file", "data"))


def render_pdf(html: str, base_dir: Path, date: _dt.date, attachments: list[Path] | None = None,
               pdf_a: bool = False, folders: list[Path] | None = None) -> bytes:
    """PDF bytes of ``html``; ``attachments`` are embedded files (the source YAML for PDF/A-3b).

    The HTML may use files inside ``folders`` (default: ``base_dir``) only."""
    from weasyprint import HTML, Attachment  # heavy: imported only when a PDF is rendered

    refused: list[str] = []
    fetcher = _confined_fetcher(folders or [base_dir], refused)
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = _epoch(date)
    # the attachment's own dates, from the document, not the clock (PDF/A output is reproducible)
    when = _dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), tz=_dt.UTC)
    try:
        doc = HTML(string=html, base_url=str(base_dir), url_fetcher=fetcher)
        kwargs: dict[str, object] = {"uncompressed_pdf": False}
        if attachments:
            kwargs["attachments"] = [
                Attachment(string=p.read_bytes(), base_url=str(p.parent), name=p.name, url_fetcher=fetcher,
                           description="Source plan (YAML)", created=when, modified=when) for p in attachments
            ]
        if pdf_a:
            kwargs["pdf_variant"] = "pdf/a-3b"
        # WeasyPrint makes millions of short-lived objects; pausing the cyclic collector during layout saves
        # 10–25 % of the time (benchmarks/render.py) for ~2 % more peak memory. It is restored right after.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            data = doc.write_pdf(**kwargs)
        finally:
            if was_enabled:
                gc.enable()
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    if refused:
        raise TemplateFailure(f"PDF: refused to fetch '{refused[0]}': a template may use only files inside its "
                              "template folder and plandocs' own templates")
    assert isinstance(data, bytes)
    return data
