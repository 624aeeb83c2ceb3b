"""Read a Word file into typed blocks: paragraphs with their runs, and tables as a grid with merges.

python-docx gives the XML; the grid (``gridSpan``, ``vMerge``, ``gridBefore``) is resolved here, because
python-docx's own ``Table.cell()`` repeats a merged cell's text in every grid slot it covers, which would
make one measure look like many.  ``.doc``/``.odt``/``.rtf`` are converted with LibreOffice first.
Every way a file can be unreadable ends in :class:`ImportFileError` with a sentence that says what to do.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plandocs.errors import ImportFileError
from plandocs.i18n import _
from plandocs.view.typography import plain

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CONVERTIBLE = (".doc", ".odt", ".rtf", ".docm", ".dotx", ".dot")
"""Extensions LibreOffice converts to DOCX before import."""
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")


@dataclass(frozen=True)
class Run:
    """A piece of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False


@dataclass(frozen=True)
class Para:
    """A paragraph outside the tables."""

    index: int
    """Position among the document's blocks."""
    runs: tuple[Run, ...]
    style: str = ""
    """Paragraph style name, e.g. «Heading 1», «List Bullet»."""
    centred: bool = False
    numbered: bool = False
    """Word list numbering (``numPr``): a bullet or a numbered item whose number is not text."""

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Cell:
    """One cell of a table grid; a merged cell covers ``colspan`` grid columns."""

    text: str
    col: int
    colspan: int = 1
    continued: bool = False
    """A vertical-merge continuation: the cell above covers this slot (``<w:vMerge/>``)."""
    bold: bool = False
    italic: bool = False
    """Most of the cell's letters are italic (a form that prints a column in italics, seed 002)."""


@dataclass
class TableRow:
    cells: list[Cell]
    header: bool = False
    """Marked as a repeated header row (``tblHeader``)."""

    def at(self, col: int) -> Cell | None:
        for c in self.cells:
            if c.col <= col < c.col + c.colspan:
                return c
        return None


@dataclass
class Table:
    index: int
    rows: list[TableRow]
    ncols: int


@dataclass
class Document:
    """The blocks of a Word file in reading order."""

    source: Path
    blocks: list[Para | Table] = field(default_factory=list)

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


def _text_of(el: Any) -> str:
    out: list[str] = []
    for node in el.iter():
        tag = node.tag
        if tag == W + "t":
            out.append(plain(node.text or ""))  # plandocs typesets on render: keep the YAML as typed
        elif tag == W + "tab":
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("\u2011")
    return "".join(out)


def _flag(rpr: Any, name: str) -> bool:
    if rpr is None:
        return False
    el = rpr.find(W + name)
    return el is not None and el.get(W + "val") not in ("0", "false", "none")


def _runs(p: Any) -> tuple[Run, ...]:
    runs: list[Run] = []
    for r in p.iter(W + "r"):
        text = _text_of(r)
        if not text:
            continue
        rpr = r.find(W + "rPr")
        bold, italic, underline = _flag(rpr, "b"), _flag(rpr, "i"), _flag(rpr, "u")
        if runs and (runs[-1].bold, runs[-1].italic, runs[-1].underline) == (bold, italic, underline):
            runs[-1] = Run(runs[-1].text + text, bold, italic, underline)
        else:
            runs.append(Run(text, bold, italic, underline))
    return tuple(runs)


def _cell_text(tc: Any) -> tuple[str, bool, bool]:
    paras = [p for p in tc.iter(W + "p")]
    texts = [_text_of(p) for p in paras]
    bold = bool(paras) and all(all(_flag(r.find(W + "rPr"), "b") for r in p.iter(W + "r") if _text_of(r).strip())
                               for p in paras) and any(t.strip() for t in texts)
    letters = [(len(t.strip()), _flag(r.find(W + "rPr"), "i")) for r in tc.iter(W + "r") if (t := _text_of(r))]
    italic = sum(n for n, i in letters if i) * 2 > sum(n for n, _ in letters) > 0  # a label may stay upright
    return "\n".join(texts).strip("\n"), bold, italic


def _table(tbl: Any, index: int) -> Table:
    grid = tbl.find(W + "tblGrid")
    ncols = len(grid.findall(W + "gridCol")) if grid is not None else 0
    rows: list[TableRow] = []
    for tr in tbl.findall(W + "tr"):
        trpr = tr.find(W + "trPr")
        col = 0
        if trpr is not None and (gb := trpr.find(W + "gridBefore")) is not None:
            col = int(gb.get(W + "val") or 0)
        cells: list[Cell] = []
        for tc in tr.findall(W + "tc"):
            pr = tc.find(W + "tcPr")
            span, continued = 1, False
            if pr is not None:
                if (gs := pr.find(W + "gridSpan")) is not None:
                    span = max(1, int(gs.get(W + "val") or 1))
                if (vm := pr.find(W + "vMerge")) is not None:
                    continued = vm.get(W + "val") in (None, "continue")
            text, bold, italic = _cell_text(tc)
            cells.append(Cell(text, col, span, continued, bold, italic))
            col += span
        ncols = max(ncols, col)
        header = trpr is not None and _flag(trpr, "tblHeader") if trpr is not None else False
        rows.append(TableRow(cells, header))
    return Table(index, rows, ncols)


def _para(p: Any, index: int, styles: dict[str, str]) -> Para:
    ppr = p.find(W + "pPr")
    style, centred, numbered = "", False, False
    if ppr is not None:
        if (ps := ppr.find(W + "pStyle")) is not None:
            sid = ps.get(W + "val") or ""
            style = styles.get(sid, sid)
        if (jc := ppr.find(W + "jc")) is not None:
            centred = jc.get(W + "val") == "center"
        numbered = ppr.find(W + "numPr") is not None
    return Para(index, _runs(p), style, centred, numbered)


def _check_container(path: Path) -> None:
    try:
        size = path.stat().st_size
    except OSError as e:
        raise ImportFileError(_("{path}: cannot be read ({why})").format(path=path, why=e.strerror)) from None
    if size == 0:
        raise ImportFileError(_("{path}: the file is empty (0 bytes); export the document from Word again").format(
                                  path=path))
    with path.open("rb") as fh:
        head = fh.read(1 << 16)
    if head.startswith(_OLE_MAGIC):
        if _ENCRYPTED in head or b"EncryptedPackage" in head or "EncryptedPackage".encode("utf-16-le") in head:
            raise ImportFileError(_("{path}: the document is password-protected; open it in Word, remove "
                                    "the password (File → Info → Protect Document) and save it again").format(
                                      path=path))
        raise ImportFileError(_("{path}: this is a Word 97–2003 file with a .docx name; rename it to .doc "
                                "(plandocs converts .doc with LibreOffice) or save it as .docx").format(path=path))
    if head.startswith(b"PK") and not zipfile.is_zipfile(path):
        raise ImportFileError(_("{path}: the DOCX package is corrupt (truncated or damaged ZIP); open it "
                                "in Word and save it again").format(path=path))
    if not zipfile.is_zipfile(path):
        raise ImportFileError(_("{path}: not a DOCX file (a DOCX is a ZIP package; this one is not); save "
                                "the document as Word .docx").format(path=path))
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "word/document.xml" not in names:
                raise ImportFileError(_("{path}: a ZIP file but not a Word document (no "
                                        "word/document.xml); save the document as Word .docx").format(path=path))
            bad = z.testzip()
    except zipfile.BadZipFile as e:
        raise ImportFileError(_("{path}: the DOCX package is corrupt ({error}); open it in Word and save "
                                "it again").format(path=path, error=e)) \
            from None
    if bad is not None:
        raise ImportFileError(_("{path}: the DOCX package is corrupt (damaged part {bad}); open it in "
                                "Word and save it again").format(path=path, bad=bad))


def convert_with_soffice(path: Path, out_dir: Path) -> Path:
    """LibreOffice headless conversion to DOCX (``.doc``, ``.odt``, ``.rtf``, or re-saving a DOCX)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ImportFileError(_("{path}: converting {suffix} needs LibreOffice (soffice), which is not "
                                "installed; save the document as .docx instead").format(path=path, suffix=path.suffix))
    with tempfile.TemporaryDirectory(prefix="plandocs-lo-") as profile:
        cmd = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "docx",
               "--outdir", str(out_dir), str(path)]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=180)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
            raise ImportFileError(_("{path}: LibreOffice could not convert the file ({kind}); open it in "
                                    "a word processor and save it as .docx").format(
                                      path=path, kind=type(e).__name__)) from None
    out = out_dir / (path.stem + ".docx")
    if not out.exists():
        raise ImportFileError(_("{path}: LibreOffice could not convert the file (the file may be corrupt "
                                "or password-protected); open it and save it as .docx").format(path=path))
    return out


def read_document(path: Path) -> Document:
    """The blocks of ``path``; ``.doc``/``.odt``/``.rtf`` go through LibreOffice first."""
    if not path.exists():
        raise ImportFileError(_("{path}: no such file").format(path=path))
    if path.suffix.lower() in CONVERTIBLE:
        _check_readable(path)
        with tempfile.TemporaryDirectory(prefix="plandocs-import-") as tmp:
            converted = convert_with_soffice(path, Path(tmp))
            doc = read_document(converted)
            doc.source = path
            return doc
    _check_container(path)
    import docx  # python-docx: only needed here
    from docx.opc.exceptions import PackageNotFoundError

    try:
        d = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as e:
        raise ImportFileError(_("{path}: the DOCX package is corrupt ({kind}); open it in Word and save "
                                "it again").format(path=path, kind=type(e).__name__)) from None
    except Exception as e:  # lxml's XMLSyntaxError and kin: a damaged document.xml
        raise ImportFileError(_("{path}: the document's XML is damaged ({kind}); open it in Word and save "
                                "it again").format(path=path, kind=type(e).__name__)) from None
    doc = Document(path)
    styles = {s.style_id: s.name or s.style_id for s in d.styles}
    for el in d.element.body.iterchildren():
        if el.tag == W + "p":
            doc.blocks.append(_para(el, len(doc.blocks), styles))
        elif el.tag == W + "tbl":
            doc.blocks.append(_table(el, len(doc.blocks)))
        elif el.tag == W + "sdt":  # content controls (e.g. a table of contents) keep their paragraphs
            for p in el.iter(W + "p"):
                doc.blocks.append(_para(p, len(doc.blocks), styles))
    if not any((b.text.strip() if isinstance(b, Para) else b.rows) for b in doc.blocks):
        raise ImportFileError(_("{path}: the document is empty (no text and no table)").format(path=path))
    return doc


def _check_readable(path: Path) -> None:
    if path.stat().st_size == 0:
        raise ImportFileError(_("{path}: the file is empty (0 bytes); export the document again").format(path=path))


def footnote_texts(path: Path) -> list[str]:
    """Texts of the footnotes and endnotes (they are not in the body)."""
    out: list[str] = []
    try:
        with zipfile.ZipFile(path) as z:
            for part in ("word/footnotes.xml", "word/endnotes.xml"):
                if part in z.namelist():
                    from docx.oxml import parse_xml

                    root = parse_xml(z.read(part))
                    for note in root:
                        if note.get(W + "type") in ("separator", "continuationSeparator"):
                            continue
                        t = " ".join(_text_of(p) for p in note.iter(W + "p")).strip()
                        if t:
                            out.append(t)
    except (zipfile.BadZipFile, OSError):
        return out
    return out
