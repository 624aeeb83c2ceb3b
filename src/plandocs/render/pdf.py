"""Stage 4b, render PDF: the HTML through WeasyPrint, reproducibly.

WeasyPrint stamps the creation date and a document id into the PDF; both are made deterministic by
taking the date from the document (or ``SOURCE_DATE_EPOCH``) and letting pydyf derive the id from the
content.  ``pdf_a`` produces PDF/A-3b with the source YAML attached.
"""

from __future__ import annotations

import datetime as _dt
import functools
import gc
import os
import types
from collections.abc import Callable
from pathlib import Path
from typing import cast


def _call(fn: Callable[[], bytes]) -> bytes:
    return fn()


# CPython 3.11 and 3.12 keep Python frames in 16 KiB chunks and free a chunk as soon as the stack returns
# below it (gh-142183). WeasyPrint's layout recursion crosses such a boundary over and over: 4,700 to 31,000
# mmap/munmap pairs for one 15-page plan, depending only on how deep the call is, and up to 1.6× its time.
# Calling it through a frame larger than a chunk makes CPython allocate one 4 MiB chunk for that frame, in
# which the whole layout recursion fits: 3 chunk allocations per PDF at any depth (benchmarks/README.md).
_WIDE_SLOTS = 1 << 18
_in_wide_frame = cast(Callable[[Callable[[], bytes]], bytes], types.FunctionType(
    _call.__code__.replace(co_stacksize=_call.__code__.co_stacksize + _WIDE_SLOTS), globals(), "_in_wide_frame"))


@functools.cache
def _shared_fonts() -> object:
    """One font configuration per process: WeasyPrint makes a new one per document by default, and setting
    up fontconfig and Pango's font map again costs about a fifth of a plan's PDF (same bytes either way)."""
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def _fonts_shareable(html: str) -> bool:
    """A document that declares its own fonts (``@font-face``, possibly in a linked stylesheet) gets a fresh
    configuration, so that fonts one document declares never reach the next."""
    return "@font-face" not in html and "<link" not in html


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
        if _fonts_shareable(html):
            kwargs["font_config"] = _shared_fonts()
        # WeasyPrint makes millions of short-lived objects; pausing the cyclic collector during layout saves
        # 10–25 % of the time (benchmarks/render.py) for ~2 % more peak memory. It is restored right after.
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            data = _in_wide_frame(lambda: doc.write_pdf(**kwargs))
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
