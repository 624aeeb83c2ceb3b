"""Stage 4b, render PDF: the HTML through WeasyPrint, reproducibly.

WeasyPrint stamps the creation date and a document id into the PDF; both are made deterministic by
taking the date from the document (or ``SOURCE_DATE_EPOCH``) and letting pydyf derive the id from the
content.  ``pdf_a`` produces PDF/A-3b with the source YAML attached.

Merged table cells are cut at page breaks by plandocs itself (WeasyPrint cannot split a row-spanning cell
across pages, Kozea/WeasyPrint #663, #1911): a first layout pass finds the first body row of each page, the
HTML is made again with every merge cut there, and this repeats until the pages start at the same rows
(at most :data:`MAX_PASSES`). A tall row may break across a page; the merges are then cut before and after
it as well, so that it holds single-row cells only (:class:`Cuts`). When the HTML for the cuts found is the
HTML just laid out (no merge crosses them), that layout is final and is not made again.

Templates are untrusted: WeasyPrint fetches only through :class:`_ConfinedFetcher`, which serves
``data:`` URLs and files whose real path lies inside one of the template folders, and refuses every other
scheme and path; a refusal fails the PDF with a message naming the URL.
"""

from __future__ import annotations

import datetime as _dt
import functools
import gc
import os
import re
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any, NamedTuple, cast
from urllib.parse import unquote, urlsplit

from plandocs.errors import TemplateFailure
from plandocs.i18n import _

MAX_PASSES = 4
"""Layout passes before the last one is taken as it is (each is a complete, valid document)."""

@dataclass
class LayoutCount:
    """Layout passes made in this process (a benchmark or test reads them; no pass is timed)."""

    passes: int = 0


LAYOUTS = LayoutCount()

PagedHtml = Callable[["Cuts"], str]
"""The paged HTML of a document with its vertical merges cut where a layout pass found pages to begin."""

_MARKUP_RE = re.compile(r"(<style\b.*?</style>|<[^>]*>)", re.S)
_WORD_HYPHEN_RE = re.compile(r"(?<=[^\W_])-(?=[^\W\d_])|(?<=[^\W\d_])-(?=\d)")
"""A hyphen inside a word: between letters, or between a number and a letter (``97-вр``, ``COVID-19``)."""


def searchable_hyphens(html: str) -> str:
    """The hyphen of a compound word (``Skype-зв'язок``) as U+2010 HYPHEN in the text of ``html``.

    Automatic hyphenation prints a hyphen-minus at line ends, and PDF readers (poppler, pdf.js) join the two
    halves of a word back across such a line end. A compound's own hyphen at a line end would be joined away
    as well («Skypeзв'язок»); U+2010 looks the same, allows the same break and is kept."""
    parts = _MARKUP_RE.split(html)
    return "".join(p if i % 2 else _WORD_HYPHEN_RE.sub("\u2010", p) for i, p in enumerate(parts))


def _call(fn: Callable[[], Any]) -> Any:
    return fn()


# CPython 3.11 and 3.12 keep Python frames in 16 KiB chunks and free a chunk as soon as the stack returns
# below it (gh-142183). WeasyPrint's layout recursion crosses such a boundary over and over: 4,700 to 31,000
# mmap/munmap pairs for one 15-page plan, depending only on how deep the call is, and up to 1.6× its time.
# Calling it through a frame larger than a chunk makes CPython allocate one 4 MiB chunk for that frame, in
# which the whole layout recursion fits: 3 chunk allocations per PDF at any depth (benchmarks/README.md).
_WIDE_SLOTS = 1 << 18
_in_wide_frame = cast(Callable[[Callable[[], Any]], Any], types.FunctionType(
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


def source_epoch(date: _dt.date) -> int:
    """A PDF's creation time: ``SOURCE_DATE_EPOCH`` when set, else the document's date at 00:00 UTC (both
    PDF engines, so that the same YAML gives the same bytes)."""
    env = os.environ.get("SOURCE_DATE_EPOCH")
    if env and env.isdigit():
        return int(env)
    return int(_dt.datetime(date.year, date.month, date.day, tzinfo=_dt.UTC).timestamp())


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


def render_pdf(html: str | PagedHtml, base_dir: Path, date: _dt.date, attachments: list[Path] | None = None,
               pdf_a: bool = False, folders: list[Path] | None = None) -> bytes:
    """PDF bytes of ``html``; ``attachments`` are embedded files (the source YAML for PDF/A-3b).

    ``html`` is the paged HTML, or a function that makes it for given page breaks (then the merges are cut
    at the pages the layout finds). The HTML may use files inside ``folders`` (default: ``base_dir``) only."""
    return render_pdf_pages(html, base_dir, date, attachments, pdf_a, folders)[0]


def render_pdf_pages(html: str | PagedHtml, base_dir: Path, date: _dt.date,
                     attachments: list[Path] | None = None, pdf_a: bool = False,
                     folders: list[Path] | None = None) -> tuple[bytes, dict[str, int]]:
    """:func:`render_pdf`, and the page number (from 1) of every element id of the document."""
    from weasyprint import Attachment  # heavy: imported only when a PDF is rendered

    refused: list[str] = []
    fetcher = _confined_fetcher(folders or [base_dir], refused)
    old = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(source_epoch(date))
    # the attachment's own dates, from the document, not the clock (PDF/A output is reproducible)
    when = _dt.datetime.fromtimestamp(int(os.environ["SOURCE_DATE_EPOCH"]), tz=_dt.UTC)
    try:
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
            def lay_out() -> tuple[bytes, dict[str, int]]:
                document = paginate(html, base_dir, fetcher, **kwargs).document
                pages: dict[str, int] = {}
                for n, page in enumerate(document.pages, start=1):
                    for name in page.anchors:  # an element spanning pages is listed on each: keep the first
                        pages.setdefault(name, n)
                return document.write_pdf(**kwargs), pages

            data, pages = _in_wide_frame(lay_out)
        finally:
            if was_enabled:
                gc.enable()
    finally:
        if old is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = old
    if refused:
        raise TemplateFailure(_("PDF: refused to fetch '{url}': a template may use only files inside its template "
                                "folder and plandocs' own templates").format(url=refused[0]))
    assert isinstance(data, bytes)
    return data, pages


class Cuts(NamedTuple):
    """Where a paged table's merges are cut, found by a layout pass (see ``TableView.paged_body``)."""

    breaks: frozenset[int] = frozenset()
    """The first body row of each page after the first."""
    split: frozenset[int] = frozenset()
    """The rows among ``breaks`` that begin on the page before (a tall row broken across the page)."""
    whole: frozenset[int] = frozenset()
    """Tall rows that must not break: a break left one of their cells without a line on the first page."""
    unhyphenated: frozenset[int] = frozenset()
    """Broken rows that hyphenated a word at the page foot: readers join a line-end hyphen back into its word
    only within a page, so such a row is set without hyphenation."""
    starts: frozenset[int] = frozenset()
    """Rows among ``breaks`` that begin their page by a forced break: WeasyPrint moved them there to keep them
    with what follows, and kept their room in the table on the page before (see :func:`moved_rows`). Found in
    one pass, kept through the next ones while the row still begins a page."""


class Pagination(NamedTuple):
    """A laid-out WeasyPrint document and where its table's merges were cut."""

    document: Any
    cuts: Cuts


def paginate(html: str | PagedHtml, base_dir: Path, fetcher: Any = None, **options: object) -> Pagination:
    """The laid-out document, with its merges cut at the first row of each page and around every row broken
    across a page, once two passes agree (or after :data:`MAX_PASSES`), and its table ending at the last
    row of every page: the forced breaks of :func:`moved_rows` go through the passes, so the pass that confirms
    the cuts has them (:func:`_room_closed` is left for a layout that did not settle)."""
    from weasyprint import HTML

    make = html if callable(html) else (lambda _cuts, text=html: text)

    def lay_out(text: str) -> Any:
        fonts = {"font_config": _shared_fonts()} if _fonts_shareable(text) else {}
        LAYOUTS.passes += 1
        return HTML(string=text, base_url=str(base_dir), url_fetcher=fetcher).render(**options, **fonts)

    cuts = Cuts()
    text = searchable_hyphens(make(cuts))
    for n in range(1, MAX_PASSES + 1):
        document = lay_out(text)
        found = found_cuts(document, cuts)
        # the forced breaks go through the passes (kept while their row still starts a page), so that the pass
        # confirming the cuts already ends the table at the last row of each page (see :func:`_room_closed`)
        found = found._replace(starts=(cuts.starts & found.breaks) | moved_rows(document))
        if not callable(html) or found == cuts:
            return Pagination(document, cuts)
        if n == MAX_PASSES:
            break
        following = searchable_hyphens(make(found))
        if following == text:
            # no merge crosses the new breaks: laying the same HTML out again gives the same pages and bytes
            return Pagination(document, found)
        cuts, text = found, following
    # settled passes have their forced breaks already (the rows moved are among the cuts' starts): only a
    # layout that did not settle is looked at again
    return _room_closed(Pagination(document, cuts), text, make, lay_out)


def _room_closed(done: Pagination, text: str, make: PagedHtml, lay_out: Callable[[str], Any]) -> Pagination:
    """``done`` laid out again with its breaks forced where WeasyPrint moved rows to the next page (see
    :func:`moved_rows`; rows it moved in its own pass, as in the last of :data:`MAX_PASSES`), so that the
    table ends at the last row of each such page; ``done`` itself when no rows moved, when the template does
    not force breaks, or when forcing them moved other breaks."""
    moved = moved_rows(done.document)
    if not moved:
        return done
    forced = done.cuts._replace(starts=done.cuts.starts | moved)
    following = searchable_hyphens(make(forced))
    if following == text:
        return done
    again = lay_out(following)
    if list(page_starts(again)) != list(page_starts(done.document)):  # pragma: no cover - none seen
        return done
    return Pagination(again, forced)


def found_cuts(document: Any, before: Cuts | None = None) -> Cuts:
    """The cuts a laid-out document asks for; rows kept whole or unhyphenated ``before`` stay so (so that the
    passes converge)."""
    before = before or Cuts()
    split: set[int] = set()
    thin: set[int] = set()
    hyphenated: set[int] = set()
    for prev, page in pairwise(document.pages):
        first, last = _edge_row(page._page_box), _edge_row(prev._page_box, last=True)
        if first is not None and last is not None and _row_number(first) == _row_number(last):
            row = _row_number(first)
            (thin if _left_empty(last, first) else split).add(row)
            if _hyphenated_at_foot(last):
                hyphenated.add(row)
    return Cuts(frozenset(page_starts(document)), frozenset(split), before.whole | frozenset(thin),
                before.unhyphenated | frozenset(hyphenated))


def moved_rows(document: Any) -> frozenset[int]:
    """The first rows of the pages after those on which the table's footer (its line at the page foot) lies
    lower than the last row: WeasyPrint moved rows from there to the next page, to keep them with the rows or
    the signatures they are kept with, and kept their room in the table (its table layout's «fix table
    height and footer position» is still to do). A table without a footer (no row broken across a page:
    ``templates/base.html``) keeps no such room: nothing is found."""
    moved: set[int] = set()
    for prev, page in pairwise(document.pages):
        last, foot, first = _edge_row(prev._page_box, last=True), _foot(prev._page_box), _edge_row(page._page_box)
        if last is not None and foot is not None and first is not None and \
                foot.position_y > last.position_y + last.height + _ROOM_KEPT_PT:
            moved.add(_row_number(first))
    return frozenset(moved)


_ROOM_KEPT_PT = 1.0
"""Below this, the footer lies on the last row (rounding), not under the room of moved rows."""


def _foot(box: Any) -> Any | None:
    """The paged table's footer row (``tr.page-foot``) in ``box``."""
    if type(box).__name__ == "TableRowBox" and box.element is not None and box.element.get("class") == "page-foot":
        return box
    for child in getattr(box, "children", ()):
        found = _foot(child)
        if found is not None:
            return found
    return None


def _left_empty(head: Any, tail: Any) -> bool:
    """Whether a row broken across a page left a cell's text wholly to its second part (``tail``)."""
    return any(not a.children and b.children for a, b in zip(head.children, tail.children, strict=False))


def _hyphenated_at_foot(head: Any) -> bool:
    """Whether a row broken across a page hyphenated a word at the page foot: readers join a line-end hyphen
    back into the word only within a page, so the word would be lost to search and copy."""
    return any(_HYPHENATED_RE.search(_last_text(cell)) for cell in head.children)


_HYPHENATED_RE = re.compile(r"[^\W\d_]-$")
"""An automatic hyphenation point (a compound's own hyphen is U+2010 in the PDF: see searchable_hyphens)."""


def _last_text(box: Any) -> str:
    if type(box).__name__ == "TextBox":
        return str(box.text)
    for child in reversed(getattr(box, "children", ())):
        text = _last_text(child)
        if text.strip():
            return text.rstrip()
    return ""


def page_starts(document: Any) -> Iterator[int]:
    """The ``data-row`` of the first table body row on each page after the first (a laid-out WeasyPrint
    document); a row that a page break splits counts on the page where it continues."""
    for page in document.pages[1:]:
        row = _edge_row(page._page_box)
        if row is not None:
            yield _row_number(row)


def _row_number(row: Any) -> int:
    return int(row.element.get("data-row"))


def _edge_row(box: Any, last: bool = False) -> Any | None:
    """The first (or ``last``) table body row box (one with a ``data-row``) in ``box``."""
    element = getattr(box, "element", None)
    if type(box).__name__ == "TableRowBox" and element is not None and element.get("data-row") is not None:
        return box
    children = getattr(box, "children", ())
    for child in reversed(children) if last else children:
        found = _edge_row(child, last)
        if found is not None:
            return found
    return None
