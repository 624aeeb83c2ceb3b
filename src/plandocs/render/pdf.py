"""Stage 4b, render PDF: the HTML through WeasyPrint, reproducibly.

WeasyPrint stamps the creation date and a document id into the PDF; both are made deterministic by
taking the date from the document (or ``SOURCE_DATE_EPOCH``) and letting pydyf derive the id from the
content.  ``pdf_a`` produces PDF/A-3b with the source YAML attached.
"""

from __future__ import annotations

import datetime as _dt
import gc
import os
from pathlib import Path


def _epoch(date: _dt.date) -> str:
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env and env.isdigit():
        return env
    return str(int(_dt.datetime(date.year, date.month, date.day, tzinfo=_dt.UTC).timestamp()))


def render_pdf(html: str, base_dir: Path, date: _dt.date, attachments: list[Path] | None = None,
               pdf_a: bool = False) -> bytes:
    """PDF bytes of ``html``; ``attachments`` are embedded files (the source YAML for PDF/A-3b)."""
    from weasyprint import HTML, Attachment  # heavy: imported only when a PDF is rendered

    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = _epoch(date)
    try:
        doc = HTML(string=html, base_url=str(base_dir))
        kwargs: dict[str, object] = {"uncompressed_pdf": False}
        if attachments:
            kwargs["attachments"] = [
                Attachment(string=p.read_bytes(), base_url=str(p.parent), name=p.name,
                           description="Source plan (YAML)") for p in attachments
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
    assert isinstance(data, bytes)
    return data
