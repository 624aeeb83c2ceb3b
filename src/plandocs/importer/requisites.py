"""Requisites around the table: approval stamp, order, title and period, prose chapters, signatures."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from plandocs.importer.docxread import Para, Table
from plandocs.model.values import MONTHS_GENITIVE

Data = dict[str, Any]

STAMP_LABELS = re.compile(r"^(ЗАТВЕРДЖЕНО|ЗАТВЕРДЖУЮ|ПОГОДЖЕНО|СХВАЛЕНО)\s*:?\s*$|^Додаток\s*№?\s*\d+\s*$")
"""The first line of a stamp: approval, agreement, or an appendix («Додаток 3 / до рішення …»)."""
_ACT = re.compile(r"^(?P<name>(?:рішенням|наказом|розпорядженням|постановою|протоколом)[^\n]*?)\s+від\s+"
                  r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?:\s*р(?:оку|\.)?)?\s*№\s*(?P<n>\S+)\s*$")
_DATE_WORDS = re.compile(r"^«\s*(?P<d>\d{1,2})\s*»\s+(?P<m>[а-яіїє]+)\s+(?P<y>\d{4})\s*(?:року|р\.)?$")
_DATE_DIGITS = re.compile(r"^(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})$")
_NAME = re.compile(r"^(?:(?P<i1>(?:[А-ЯІЇЄҐ]\.\s?){1,2})\s?(?P<s1>[А-ЯІЇЄҐ][а-яіїєґ'’ʼ-]+)|"
                   r"(?P<s2>[А-ЯІЇЄҐ][а-яіїєґ'’ʼ-]+)\s+(?P<i2>(?:[А-ЯІЇЄҐ]\.\s?){1,2})|"
                   r"(?P<g>[А-ЯІЇЄҐ][а-яіїєґ'’ʼ-]+)\s+(?P<s3>[А-ЯІЇЄҐ'’ʼ-]{2,}))$")


def _date(d: str, m: str, y: str) -> str:
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


def date_of(line: str) -> str | None:
    t = line.strip()
    if (mw := _DATE_WORDS.match(t)) and mw.group("m") in MONTHS_GENITIVE:
        return _date(mw.group("d"), str(MONTHS_GENITIVE.index(mw.group("m")) + 1), mw.group("y"))
    if md := _DATE_DIGITS.match(t):
        return _date(md.group("d"), md.group("m"), md.group("y"))
    return None


@dataclass
class People:
    """The organisation's people, to turn a printed name back into an id."""

    known: list[Data] = field(default_factory=list)
    created: list[Data] = field(default_factory=list)

    def person(self, printed: str, position: str | None) -> tuple[Any, str] | None:
        """(person id or name mapping, style) for a printed name; ``None`` when it is not a name."""
        m = _NAME.match(printed.strip())
        if m is None:
            return None
        if m.group("s1"):
            surname, initials, style = m.group("s1"), m.group("i1").replace(" ", ""), "initials-surname"
        elif m.group("s2"):
            surname, initials, style = m.group("s2"), m.group("i2").replace(" ", ""), "surname-initials"
        else:
            surname, initials, style = m.group("s3").capitalize(), None, "given-name-surname"
        for p in self.known + self.created:
            if p.get("surname") == surname and (initials is None or
                                                (p.get("initials") or "").replace(" ", "") == initials):
                return p["id"], style
        from .cells import slug

        pid = slug(surname, 1) or "person"
        taken = {p["id"] for p in self.known + self.created}
        base, n = pid, 2
        while pid in taken:
            pid, n = f"{base}-{n}", n + 1
        rec: Data = {"id": pid, "surname": surname}
        if initials:
            rec["initials"] = initials
        if m.group("g"):
            rec["given_name"] = m.group("g")
        if position:
            rec["position"] = position
        self.created.append(rec)
        return pid, style


def parse_stamp(text: str, people: People) -> Data | None:
    """«ЗАТВЕРДЖЕНО / position / (signature) name / date» or «ЗАТВЕРДЖЕНО / рішенням … від … № …»."""
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    if not lines or not STAMP_LABELS.match(lines[0]):
        return None
    s: Data = {"label": lines[0]}
    position: list[str] = []
    for ln in lines[1:]:
        if (a := _ACT.match(ln)) is not None:
            s["act"] = {"name": a.group("name"), "date": _date(a.group("d"), a.group("m"), a.group("y")),
                        "number": a.group("n")}
            continue
        if (d := date_of(ln)) is not None:
            s["date"] = d
            continue
        sig, _, name = ln.rpartition("\t") if "\t" in ln else ("", "", ln)
        found = people.person(name, " ".join(position) or None)
        if found is not None:
            s["person"] = found[0]
            s["_style"] = found[1]
            if sig.strip():
                s["signature"] = sig.strip()
            continue
        position.append(ln)
    if position:
        s["position"] = "\n".join(position)
    return s


def parse_signature(table: Table, people: People) -> Data | None:
    """A one-row signature table: position (and date) | signature place | name."""
    if len(table.rows) != 1 or len(table.rows[0].cells) not in (2, 3):
        return None
    cells = [c.text for c in table.rows[0].cells]
    left, name = cells[0], cells[-1]
    sig = cells[1].strip() if len(cells) == 3 else ""
    lines = [ln.strip() for ln in left.split("\n") if ln.strip()]
    s: Data = {}
    pos = [ln for ln in lines if date_of(ln) is None]
    dates = [date_of(ln) for ln in lines if date_of(ln) is not None]
    found = people.person(name, " ".join(pos) or None)
    if found is None and not pos:
        return None
    if pos:
        s["position"] = "\n".join(pos)
    if found is not None:
        s["person"], s["_style"] = found
    elif name.strip():
        return None
    if sig:
        s["signature"] = sig
    if dates:
        s["date"] = dates[0]
    return s


# --------------------------------------------------------------------------- title and period

_ROMAN_Q = {"I": 1, "II": 2, "III": 3, "IV": 4, "І": 1, "ІІ": 2, "ІІІ": 3, "ІV": 4}


def period_of(title: str) -> str | None:
    """The plan's period from its title: «на II квартал 2020 року», «на 2021-2026 роки», «на 2023 рік»."""
    t = re.sub(r"\s+", " ", title)
    if m := re.search(r"\b(I{1,3}|IV|І{1,3}|ІV)\s+квартал\w*\s+(\d{4})", t):
        return f"{m.group(2)}-Q{_ROMAN_Q[m.group(1)]}"
    if m := re.search(r"\bна\s+(\d{4})\s*р(?:ік|\.)", t, re.IGNORECASE):
        return m.group(1)
    if m := re.search(r"(\d{4})\s*[-–—/]\s*(\d{2,4})\s*(?:роки|рр|року)", t, re.IGNORECASE):
        end = m.group(2) if len(m.group(2)) == 4 else m.group(1)[:2] + m.group(2)
        return f"{m.group(1)}-{end}"
    if m := re.search(r"\bна\s+(\d{4})\s*р(?:ік|\.)", t, re.IGNORECASE):
        return m.group(1)
    if m := re.search(r"\b(\d{4})\s*р(?:ік|\.)", t, re.IGNORECASE):
        return m.group(1)
    return None


def horizon_of(title: str, period: str) -> str | None:
    """A longer strategy period named in the title of a one-year plan («на 2021-2026 роки»)."""
    for m in re.finditer(r"(\d{4})\s*[-–]\s*(\d{4})\s*рок", title):
        h = f"{m.group(1)}-{m.group(2)}"
        if h != period:
            return h
    return None


# --------------------------------------------------------------------------- prose

_ORDER_KIND = re.compile(r"^(РОЗПОРЯДЖЕННЯ|НАКАЗ|РІШЕННЯ|ПОСТАНОВА)\b")
_ORDER_DATE = re.compile(r"^від\s+(\d{1,2})\.(\d{1,2})\.(\d{4})\s*(?:р\.?\s*)?№\s*(\S+)$")
_ITEM = re.compile(r"^(\d+)\.\s+(\S[\s\S]*)$")
_SECTION_NUMBER = re.compile(r"^(\d+)\.[ \t]+(\S[\s\S]*)$")


def is_heading(p: Para, next_number: int) -> str | None:
    """The title of a chapter heading («1. ВСТУП», style Heading 1, a bold «2.\\tПРОПОНОВАНИЙ КУРС»)."""
    text = p.text.strip()
    if not text:
        return None
    m = _SECTION_NUMBER.match(text)
    styled = p.style.lower().startswith("heading 1") or p.style.lower() == "heading1"
    bold = all(r.bold for r in p.runs if r.text.strip())
    if m and int(m.group(1)) == next_number and (styled or (bold and len(text) < 200)):
        return m.group(2).strip()
    if styled:
        return text
    return None


def paragraph_text(p: Para) -> str:
    """A prose paragraph as the model writes it: a bullet becomes «- …»."""
    text = p.text.strip()
    if p.style.lower().startswith("list bullet") or (p.numbered and not re.match(r"^([-–•]|\d+[.)])\s", text)):
        return "- " + text.lstrip("•–- \t")
    if text.startswith("•"):
        return "- " + text.lstrip("• \t")
    return text


def _order_title_line(b: Para, text: str, title: list[str], before: Para | Table) -> bool:
    """A line of the order's heading «Про затвердження …», which may be broken into several lines."""
    if b.style.lower().endswith("title") or text.startswith("Про "):
        return True
    return bool(title) and not _ITEM.match(text) and len(text) < 80 and isinstance(before, Para) \
        and b.style == before.style


@dataclass
class Order:
    data: Data
    used: set[int]
    end: int
    """Index of the first block after the order."""


def parse_order(blocks: list[Para | Table], people: People) -> Order | None:
    """An order (розпорядження, наказ) that comes before the plan it approves."""
    kind_at = None
    for i, b in enumerate(blocks[:12]):
        if isinstance(b, Para) and _ORDER_KIND.match(b.text.strip()) and b.text.strip().isupper():
            kind_at = i
            break
        if isinstance(b, Table):
            return None
    if kind_at is None:
        return None
    used: set[int] = set()
    header = []
    for b in blocks[:kind_at]:
        if isinstance(b, Para) and b.text.strip():
            header.append(b.text.strip())
            used.add(b.index)
    kb = blocks[kind_at]
    assert isinstance(kb, Para)
    data: Data = {"header": header, "kind": kb.text.strip()}
    used.add(kb.index)
    i = kind_at + 1
    title: list[str] = []
    items: list[str] = []
    preamble: str | None = None
    while i < len(blocks):
        b = blocks[i]
        if isinstance(b, Table):
            sig = parse_signature(b, people)
            if sig is not None:
                sig.pop("_style", None)
                data["signature"] = sig
                used.add(b.index)
                i += 1
            break
        t = b.text.strip()
        if not t:
            i += 1
            continue
        if (m := _ORDER_DATE.match(t)) and "date" not in data:
            data["date"], data["number"] = _date(m.group(1), m.group(2), m.group(3)), m.group(4)
        elif "date" in data and "place" not in data and not title and re.match(r"^(м\.|с\.|смт)\s*\S+$", t):
            data["place"] = t
        elif not items and preamble is None and _order_title_line(b, t, title, blocks[i - 1]):
            title.append(t)
        elif m2 := _ITEM.match(t):
            items.append(m2.group(2))
        elif not items and preamble is None:
            preamble = t
        else:
            break
        used.add(b.index)
        i += 1
    data["title"] = title
    if preamble is not None:
        data["preamble"] = preamble
    if items:
        data["items"] = items
    if "date" not in data:
        return None
    return Order(data, used, i)
