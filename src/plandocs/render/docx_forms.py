"""What the forms of docs/forms.md need in DOCX beyond the frame: prose blocks with real styles (Heading 2/3,
List Bullet with a bullet numbering, a footnote style) and no empty sections.

The styles and the numbering are added only to documents whose prose uses the Markdown subset, so every
other document keeps its bytes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from docx.document import Document as DocxDocument
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.parts.numbering import NumberingPart
from docxtpl import DocxTemplate, RichText

from plandocs.view.types import Block, BlockKind, DocumentView

_W = nsdecls("w")
_INDENT = 709
"""1.25 cm in twips: the indent of bullets, as of body paragraphs."""
_BULLET_NUM_ID = 901
"""Ids of the bullet numbering (high, so they never meet a template's own lists)."""


def rich_builder(tpl: DocxTemplate) -> Callable[[Block], RichText]:
    """The ``rich`` function of the render context: a block's runs (bold, italic, links, raised note marks)."""

    def rich(block: Block) -> RichText:
        out = RichText()
        if block.kind is BlockKind.FOOTNOTE:
            out.add(f"[{block.label}]", superscript=True)
            out.add(" ")
        for i in block.inlines:
            if i.br:
                out.add("\n")
            elif i.note:
                out.add(f"[{i.text}]", superscript=True)
            elif i.href:
                out.add(i.text, bold=i.bold, italic=i.italic, underline=True, color="0000FF",
                        url_id=tpl.build_url_id(i.href))
            else:
                out.add(i.text, bold=i.bold, italic=i.italic)
        return out

    return rich


def has_blocks(view: DocumentView) -> bool:
    return any(s.blocks or s.blocks_after for s in view.sections)


_STYLES = (
    ("Heading2", "heading 2", '<w:keepNext/><w:keepLines/><w:spacing w:before="120" w:after="60"/>'
     '<w:jc w:val="both"/><w:outlineLvl w:val="1"/>', "<w:b/><w:bCs/>"),
    ("Heading3", "heading 3", '<w:keepNext/><w:keepLines/><w:spacing w:before="120" w:after="60"/>'
     '<w:jc w:val="both"/><w:outlineLvl w:val="2"/>', "<w:b/><w:bCs/><w:i/><w:iCs/>"),
    ("ListBullet", "List Bullet", f'<w:numPr><w:numId w:val="{_BULLET_NUM_ID}"/></w:numPr>'
     f'<w:spacing w:after="60"/><w:ind w:left="{2 * _INDENT}" w:hanging="{_INDENT // 2}"/><w:jc w:val="both"/>', ""),
    ("PlanFootnote", "Plan Footnote", '<w:spacing w:after="60"/><w:jc w:val="both"/>',
     '<w:sz w:val="20"/><w:szCs w:val="20"/>'),
)


def add_prose_styles(doc: DocxDocument, font_size: int) -> None:
    """Heading 2/3, List Bullet (with its bullet numbering) and Plan Footnote, where the template lacks them."""
    styles = doc.styles.element
    have = {s.get(qn("w:styleId")) for s in styles.findall(qn("w:style"))}
    for style_id, name, ppr, rpr in _STYLES:
        if style_id in have:
            continue
        size = "" if "w:sz " in rpr else f'<w:sz w:val="{font_size * 2}"/><w:szCs w:val="{font_size * 2}"/>'
        styles.append(parse_xml(
            f'<w:style {_W} w:type="paragraph" w:customStyle="{0 if style_id.startswith("Heading") else 1}" '
            f'w:styleId="{style_id}"><w:name w:val="{name}"/><w:basedOn w:val="Normal"/>'
            f'<w:next w:val="Normal"/><w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}{size}</w:rPr></w:style>'))
    numbering = _numbering(doc)
    if not any(n.get(qn("w:numId")) == str(_BULLET_NUM_ID) for n in numbering.findall(qn("w:num"))):
        abstract = parse_xml(
            f'<w:abstractNum {_W} w:abstractNumId="{_BULLET_NUM_ID}"><w:multiLevelType w:val="singleLevel"/>'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/>'
            f'<w:lvlJc w:val="left"/><w:pPr><w:ind w:left="{2 * _INDENT}" w:hanging="{_INDENT // 2}"/></w:pPr>'
            '</w:lvl></w:abstractNum>')
        first_num = numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)  # abstract definitions precede the w:num elements
        else:
            numbering.append(abstract)
        numbering.append(parse_xml(f'<w:num {_W} w:numId="{_BULLET_NUM_ID}"><w:abstractNumId '
                                   f'w:val="{_BULLET_NUM_ID}"/></w:num>'))


def _numbering(doc: DocxDocument) -> Any:
    """The numbering definitions, with a numbering part created where the template has none (python-docx
    cannot create one itself)."""
    for rel in doc.part.rels.values():
        if rel.reltype == RT.NUMBERING:
            return rel.target_part.element
    part = NumberingPart(PackURI("/word/numbering.xml"), CT.WML_NUMBERING, parse_xml(f"<w:numbering {_W}/>"),
                         doc.part.package)
    doc.part.relate_to(part, RT.NUMBERING)
    return part.element


def drop_empty_sections(doc: DocxDocument) -> None:
    """Remove sections that hold nothing but empty paragraphs: the landscape section of a table a plan does
    not have, and the portrait section after a table that ends the document (a blank last page)."""
    body = doc.element.body
    groups: list[list[Any]] = [[]]
    for child in body.iterchildren():
        if child.tag == qn("w:sectPr"):
            continue
        groups[-1].append(child)
        if _ends_section(child):
            groups.append([])
    for group in groups[:-1]:
        if len(groups) > 2 and all(_is_empty(el) for el in group):
            for el in group:
                body.remove(el)
            groups.remove(group)
    last, final = groups[-1], body.find(qn("w:sectPr"))
    if len(groups) < 2 or final is None or not all(_is_empty(el) for el in last):
        return
    for el in last:
        body.remove(el)
    end = groups[-2][-1]  # the paragraph that ends the previous section: its properties become the body's
    ppr = end.find(qn("w:pPr"))
    props = ppr.find(qn("w:sectPr"))
    ppr.remove(props)
    body.replace(final, props)


def _ends_section(el: Any) -> bool:
    return bool(el.tag == qn("w:p") and el.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is not None)


def _is_empty(el: Any) -> bool:
    """A paragraph without text or drawings (tables and everything else count as content)."""
    if el.tag != qn("w:p"):
        return False
    text = "".join(t.text or "" for t in el.iter(qn("w:t")))
    return not text.strip() and el.find(f".//{qn('w:drawing')}") is None
