"""Tracked changes between two rendered plans: the new DOCX with ``w:ins``/``w:del`` revisions.

:func:`tracked_docx` takes the DOCX of the approved plan and the DOCX of the amended one (both rendered
by plandocs, so their paragraphs and table rows line up) and returns the amended document in which every
difference is a revision a reviewer can accept or reject in Word or LibreOffice: body paragraphs and
table rows are matched by their text, changed paragraphs are marked word by word (with the plan diff's
own word runs), added ones as insertions and removed ones, copied from the old document, as deletions.
The revisions carry a fixed author and the document's date, so the same plans give the same bytes.
"""

from __future__ import annotations

import copy
import difflib
import io
import zipfile
from dataclasses import dataclass

from lxml import etree

from plandocs.render.docx import repack_package
from plandocs.render.docx_hyphens import pieces
from plandocs.review.diff.words import word_diff

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT = "word/document.xml"
AUTHOR = "plandocs"


def _w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


def _text(el: etree._Element) -> str:
    return "".join(t.text or "" for t in el.iter(_w("t")))


def _units(body: etree._Element) -> list[tuple[str, etree._Element]]:
    """Body paragraphs and the rows of body tables, in document order, keyed by kind and text."""
    out: list[tuple[str, etree._Element]] = []
    for child in body:
        if child.tag == _w("p"):
            out.append((f"p\t{_text(child)}", child))
        elif child.tag == _w("tbl"):
            for tr in child.iter(_w("tr")):
                out.append((f"r\t{chr(31).join(_text(tc) for tc in tr.iter(_w('tc')))}", tr))
    return out


class _Marker:
    """Adds revision marks with consecutive ids, one author and one date."""

    def __init__(self, date: str) -> None:
        self.date = date
        self.next_id = 1
        self.count = 0

    def attrs(self) -> dict[str, str]:
        self.next_id += 1
        self.count += 1
        return {_w("id"): str(self.next_id), _w("author"): AUTHOR, _w("date"): self.date}

    def wrap(self, run: etree._Element, kind: str) -> etree._Element:
        """``run`` inside a ``w:ins`` or ``w:del`` (whose text becomes ``w:delText``)."""
        mark = etree.Element(_w(kind), self.attrs())
        if kind == "del":
            for t in run.iter(_w("t")):
                t.tag = _w("delText")
        run.addprevious(mark)
        mark.append(run)
        return mark

    def paragraph_mark(self, p: etree._Element, kind: str) -> None:
        ppr = p.find(_w("pPr"))
        if ppr is None:
            ppr = etree.SubElement(p, _w("pPr"))
            p.insert(0, ppr)
        rpr = ppr.find(_w("rPr"))
        if rpr is None:
            rpr = etree.SubElement(ppr, _w("rPr"))
        rpr.insert(0, etree.Element(_w(kind), self.attrs()))

    def whole(self, el: etree._Element, kind: str) -> None:
        """Every run and paragraph of ``el`` (a paragraph or a row) inserted or deleted."""
        for run in list(el.iter(_w("r"))):
            if run.getparent() is not None and run.getparent().tag not in (_w("ins"), _w("del")):
                self.wrap(run, kind)
        paragraphs = [el] if el.tag == _w("p") else list(el.iter(_w("p")))
        for p in paragraphs:
            self.paragraph_mark(p, kind)
        if el.tag == _w("tr"):
            trpr = el.find(_w("trPr"))
            if trpr is None:
                trpr = etree.Element(_w("trPr"))
                el.insert(0 if el.find(_w("tblPrEx")) is None else 1, trpr)
            trpr.append(etree.Element(_w(kind), self.attrs()))


def _simple(p: etree._Element) -> bool:
    """A paragraph of plain text runs (no fields, links or drawings), which can be rewritten word by word."""
    for child in p:
        if child.tag == _w("pPr"):
            continue
        if child.tag != _w("r"):
            return False
        if any(c.tag not in (_w("rPr"), _w("t"), _w("softHyphen")) for c in child):
            return False
    return True


def _rewrite(old_p: etree._Element, new_p: etree._Element, marker: _Marker) -> None:
    """``new_p`` as the word diff from ``old_p``: kept runs, ``w:del`` of old words, ``w:ins`` of new ones."""
    words = word_diff(_text(old_p), _text(new_p))
    hyphenate = new_p.find(f".//{_w('softHyphen')}") is not None  # the renderer's points, kept in the new words
    runs = [r for r in new_p if r.tag == _w("r")] or [r for r in old_p if r.tag == _w("r")]
    rpr = runs[0].find(_w("rPr")) if runs else None
    for r in [c for c in new_p if c.tag == _w("r")]:
        new_p.remove(r)
    for word in words:
        run = etree.SubElement(new_p, _w("r"))
        if rpr is not None:
            run.append(copy.deepcopy(rpr))
        for k, piece in enumerate(pieces(word.text, hyphenate)):
            if k:
                etree.SubElement(run, _w("softHyphen"))
            t = etree.SubElement(run, _w("t"))
            t.text = piece
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        if word.op == "insert":
            marker.wrap(run, "ins")
        elif word.op == "delete":
            marker.wrap(run, "del")


def _pair(old_el: etree._Element, new_el: etree._Element, marker: _Marker) -> None:
    """Mark the differences of two matched paragraphs or rows."""
    if old_el.tag == _w("p"):
        olds, news = [old_el], [new_el]
    else:
        olds, news = [], []
        old_cells, new_cells = list(old_el.iter(_w("tc"))), list(new_el.iter(_w("tc")))
        for k, tc in enumerate(new_cells):
            o = list(old_cells[k].iter(_w("p"))) if k < len(old_cells) else []
            n = list(tc.iter(_w("p")))
            olds.extend([*o[: len(n)], *([None] * (len(n) - len(o)))])
            news.extend(n)
    for o, n in zip(olds, news, strict=True):
        if o is None:
            marker.whole(n, "ins")
        elif _text(o) != _text(n):
            if _simple(o) and _simple(n):
                _rewrite(o, n, marker)
            else:
                marker.whole(n, "ins")


SIMILAR = 0.6
"""Text similarity (difflib ratio) from which a changed paragraph or row is marked word by word rather than
removed and added whole."""

Unit = tuple[str, etree._Element]


def _align(olds: list[Unit], news: list[Unit]) -> list[tuple[Unit | None, Unit | None]]:
    """A block of differing units as (old, new) pairs in document order: similar ones of the same kind
    paired, the rest alone (an old one alone was removed, a new one alone added)."""
    out: list[tuple[Unit | None, Unit | None]] = []
    i = 0
    for new in news:
        match = None
        for k in range(i, len(olds)):
            if olds[k][0][0] == new[0][0] and difflib.SequenceMatcher(
                    None, olds[k][0], new[0], autojunk=False).ratio() >= SIMILAR:
                match = k
                break
        if match is None:
            out.append((None, new))
            continue
        out.extend((old, None) for old in olds[i:match])
        out.append((olds[match], new))
        i = match + 1
    out.extend((old, None) for old in olds[i:])
    return out


def _changes(old_units: list[Unit], new_units: list[Unit], marker: _Marker) -> int:
    """Mark the new body; returns how many removed units had no neighbour of their kind to stand by."""
    unplaced = 0
    sm = difflib.SequenceMatcher(None, [k for k, _ in old_units], [k for k, _ in new_units], autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        pairs = _align(old_units[i1:i2], new_units[j1:j2])
        following = j2 < len(new_units) and new_units[j2][1]
        for n, (old, new) in enumerate(pairs):
            if old is not None and new is not None:
                _pair(old[1], new[1], marker)
            elif new is not None:
                marker.whole(new[1], "ins")
            elif old is not None:  # removed: it stands before the next new unit of the block, or after the last
                nxt = next((p[1][1] for p in pairs[n + 1:] if p[1] is not None), following)
                prev = next((p[1][1] for p in reversed(pairs[:n]) if p[1] is not None), None)
                el = copy.deepcopy(old[1])
                if nxt is not False and nxt is not None and nxt.tag == el.tag:
                    nxt.addprevious(el)
                elif prev is not None and prev.tag == el.tag:
                    prev.addnext(el)
                else:
                    unplaced += 1
                    continue
                marker.whole(el, "del")
    return unplaced


@dataclass(frozen=True)
class Tracked:
    data: bytes
    """The DOCX file."""
    revisions: int
    """Revision marks (``w:ins``, ``w:del``) in it."""
    unplaced: int
    """Removed paragraphs or rows left out: nothing of their kind stood next to them in the new document."""


def tracked_docx(old: bytes, new: bytes, date: str) -> Tracked:
    """The ``new`` document with the differences from ``old`` as tracked revisions dated ``date``
    (``YYYY-MM-DDT00:00:00Z``)."""
    with zipfile.ZipFile(io.BytesIO(old)) as z:
        old_root = etree.fromstring(z.read(DOCUMENT))
    with zipfile.ZipFile(io.BytesIO(new)) as z:
        new_root = etree.fromstring(z.read(DOCUMENT))
        when = z.infolist()[0].date_time  # the rendered document's fixed entry time, kept
    marker = _Marker(date)
    old_body, new_body = old_root.find(_w("body")), new_root.find(_w("body"))
    assert old_body is not None and new_body is not None
    unplaced = _changes(_units(old_body), _units(new_body), marker)
    xml = etree.tostring(new_root, xml_declaration=True, encoding="UTF-8", standalone=True)
    data = repack_package(new, when, {DOCUMENT: xml})
    return Tracked(data, marker.count, unplaced)


__all__ = ["Tracked", "tracked_docx"]
