"""The small Markdown subset of prose fields (``prose: markdown``), parsed into typed blocks.

Paragraph starts: ``## `` and ``### `` headings, ``- `` bullets, ``[^n]: `` footnotes; everything else is a
body paragraph.  Inline: ``**bold**``, ``*italic*``, ``[text](https://…)`` links, ``[^n]`` note marks and a
line break where a line ends with a backslash.  ``\\*`` writes a literal star.  Nothing else is interpreted,
and the renderers escape every text, so a paragraph can never inject markup.
"""

from __future__ import annotations

import re

from plandocs.view.types import Block, BlockKind, Inline

_FOOTNOTE_RE = re.compile(r"^\[\^([^\]\s]+)\]:\s*(.*)$", re.S)
_LINK_RE = re.compile(r"\[([^\]]+)\]\(((?:https?://|mailto:)[^)\s]+)\)")
_TOKEN_RE = re.compile(r"\\\*|\*\*|\*|\[\^([^\]\s]+)\]|\\\n|" + _LINK_RE.pattern)


def parse_block(paragraph: str) -> Block:
    """One paragraph of a prose field as a block."""
    text = paragraph
    if text.startswith("### "):
        return Block(BlockKind.HEADING3, parse_inline(text[4:].strip()))
    if text.startswith("## "):
        return Block(BlockKind.HEADING2, parse_inline(text[3:].strip()))
    if text.startswith("- "):
        return Block(BlockKind.BULLET, parse_inline(text[2:].strip()))
    m = _FOOTNOTE_RE.match(text)
    if m:
        return Block(BlockKind.FOOTNOTE, parse_inline(m.group(2).strip()), m.group(1))
    return Block(BlockKind.BODY, parse_inline(text))


def parse_inline(text: str) -> tuple[Inline, ...]:
    """Runs of ``text``; an unmatched ``**`` or ``*`` prints as written."""
    out: list[Inline] = []
    bold = italic = False
    buf: list[str] = []
    # A star toggles only when its partner follows; otherwise it is text.
    stars = [m for m in _TOKEN_RE.finditer(text)]

    def flush() -> None:
        if buf:
            out.append(Inline("".join(buf), bold, italic))
            buf.clear()

    pos = 0
    open_bold = open_italic = 0
    counts = {"**": sum(1 for m in stars if m.group(0) == "**"), "*": sum(1 for m in stars if m.group(0) == "*")}
    for m in stars:
        buf.append(text[pos:m.start()])
        pos = m.end()
        tok = m.group(0)
        if tok == "\\*":
            buf.append("*")
        elif tok == "**" and (bold or counts["**"] - open_bold >= 2):
            flush()
            bold = not bold
            open_bold += 1
        elif tok == "*" and (italic or counts["*"] - open_italic >= 2):
            flush()
            italic = not italic
            open_italic += 1
        elif tok in ("**", "*"):
            buf.append(tok)
        elif tok == "\\\n":
            flush()
            out.append(Inline("", br=True))
        elif m.group(1):
            flush()
            out.append(Inline(m.group(1), bold, italic, note=True))
        else:
            flush()
            out.append(Inline(m.group(2), bold, italic, href=m.group(3)))
    buf.append(text[pos:])
    flush()
    return tuple(i for i in out if i.text or i.br)


def plain_text(paragraph: str) -> str:
    """The words of a paragraph without its markup."""
    b = parse_block(paragraph)
    return (f"{b.label} " if b.label else "") + b.text
