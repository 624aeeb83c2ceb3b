"""Cell texts into plan values, terms, numbering and executor names."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

NBSP_DIGITS = re.compile(r"(?<=\d)[\u00a0\u202f ](?=\d{3}\b)")
_NUMBERING = re.compile(
    r"^(?P<label>(?:Завдання|Захід|Операційна ціль|Стратегічна ціль|Пріоритет(?: розвитку)?|Підціль|Задача|"
    r"Ціль)\s+)?(?P<id>\d+(?:\.\d+)*)(?P<dot>[.:]?)(?:(?P<sep>[ \t]+)(?P<rest>\S[\s\S]*))?$")
_ROMAN_HEAD = re.compile(r"^(?P<label>(?:Пріоритет(?: розвитку)?|Розділ|Напрям)\s+)?(?P<roman>[IVXІХ]{1,6})"
                         r"(?P<dot>\.?)(?:[ \t]+(?P<rest>\S[\s\S]*))?$")


def value_text(text: str) -> str:
    """A value cell as the YAML scalar: thousands separators dropped, everything else as printed."""
    t = text.strip()
    if re.fullmatch(r"[+-]?\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?:,\d+)?", t):
        t = NBSP_DIGITS.sub("", t)
    return t


@dataclass(frozen=True)
class Numbered:
    """A cell text split into its label word, id and title: «Завдання 1.1 Підвищення …»."""

    label: str
    """The label format as the model writes it: «Завдання {id}», «{id}», «{roman}.», «»."""
    ident: str | None
    title: str


def split_numbering(text: str) -> Numbered:
    """The numbering printed in front of a title, if any."""
    t = text.strip()
    m = _NUMBERING.match(t)
    if m:
        label = (m.group("label") or "") + "{id}" + m.group("dot")
        return Numbered(label, m.group("id"), (m.group("rest") or "").strip())
    m = _ROMAN_HEAD.match(t)
    if m and (m.group("rest") or m.group("dot") or m.group("label")):
        from plandocs.model.values import roman

        r = m.group("roman").translate(str.maketrans("ІХ", "IX"))
        n = next((i for i in range(1, 40) if roman(i) == r), None)
        if n is not None:
            return Numbered((m.group("label") or "") + "{roman}" + m.group("dot"), str(n),
                            (m.group("rest") or "").strip())
    return Numbered("", None, t)


# --------------------------------------------------------------------------- executors

_QUOTES = str.maketrans({"«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "’": "'", "ʼ": "'", "`": "'",
                         "‘": "'"})
AGREED = re.compile(r"\s*\(за згод\w*\)\s*$", re.IGNORECASE)
"""«(за згодою)» and its plural «(за згодами)» after a body's name."""
STANDARD_CONSENT = "(за згодою)"
"""What the renderer prints after an ``external`` executor."""


def name_key(text: str) -> str:
    """An executor name for matching: quotes, apostrophes, case and spacing unified."""
    t = unicodedata.normalize("NFC", text).translate(_QUOTES).replace('"', "")
    return re.sub(r"\s+", " ", t).strip().lower().rstrip(".;,")


def unwrap(text: str) -> str:
    """Join lines that a narrow cell wrapped: a line break before a lower-case word is no separator."""
    return re.sub(r"\s*\n\s*(?=[a-zа-яіїєґ(])", " ", text)


@dataclass
class Body:
    """An executor or body as the import knows it."""

    id: str
    name: str
    external: bool = False
    new: bool = False
    """Not found in the organisation or register: created by the import."""
    variants: tuple[str, ...] = ()
    """Other spellings of the name (a bodies register's ``variants``)."""
    register: bool = False
    """From a bodies register: written into the organisation's executors when a cell names it."""
    consent: str | None = None
    """The consent note as printed when it is not «(за згодою)», e.g. «(за згодами)»."""


@dataclass
class Match:
    text: str
    body: Body
    exact: bool
    suggestions: tuple[str, ...] = ()


@dataclass
class ExecutorMatcher:
    """Match executor cells to known bodies; what does not match becomes a new body with a slug id."""

    known: list[Body]
    separator: str = "; "
    created: list[Body] = field(default_factory=list)
    fuzzy: list[Match] = field(default_factory=list)
    """Cells matched only approximately (spelling variants), for the report."""
    unmatched: list[Match] = field(default_factory=list)
    used_register: list[Body] = field(default_factory=list)
    """Bodies of the register that cells named, in order of first use."""

    def _lookup(self, name: str) -> tuple[Body | None, bool]:
        pool = self.known + self.created
        plain = re.sub(r"\s+", " ", name.translate(_QUOTES).replace('"', "")).strip()
        for b in pool:  # the same spelling first: two bodies may differ only in case
            if re.sub(r"\s+", " ", b.name.translate(_QUOTES).replace('"', "")).strip() == plain:
                return b, True
        key = name_key(name)
        for b in pool:
            if name_key(b.name) == key or any(name_key(v) == key for v in b.variants):
                return b, True
        keys = [name_key(b.name) for b in pool]
        close = difflib.get_close_matches(key, keys, n=1, cutoff=0.9)
        if close:
            return pool[keys.index(close[0])], False
        return None, False

    def _one(self, part: str) -> Body:
        found = AGREED.search(part)
        external = found is not None
        consent = found.group(0).strip() if found is not None else None
        name = AGREED.sub("", part).strip()
        body, exact = self._lookup(name)
        if body is None and found is not None:  # a register may spell the note into the name
            body, exact = self._lookup(part)
            if body is not None:
                consent = None
        if body is not None:
            if consent not in (None, STANDARD_CONSENT) and body.consent is None:
                body.consent = consent
            if not exact:
                self.fuzzy.append(Match(part, body, False))
            if body.register and body not in self.used_register:
                self.used_register.append(body)
            return body
        keys = [b.name for b in self.known]
        suggestions = tuple(difflib.get_close_matches(name, keys, n=3, cutoff=0.5))
        body = Body(self._new_id(name), name, external, new=True,
                    consent=consent if consent != STANDARD_CONSENT else None)
        self.created.append(body)
        self.unmatched.append(Match(part, body, False, suggestions))
        return body

    def match(self, cell: str) -> list[str]:
        """Executor ids for a cell: the fewest known names that cover it, split at the separator."""
        text = unwrap(cell.strip())
        if not text:
            return []
        if self.separator.strip() == ";":
            text = re.sub(r"\s*;\s*", "; ", text)
        sep = next((s for s in (self.separator, self.separator.strip(), "\n", ";") if s and s in text), None)
        if sep is None:
            return [self._one(text).id]
        parts = [p for p in text.split(sep)]
        # a name may itself contain the separator («Відділ фінансів, бухгалтерського обліку»): join
        # neighbouring parts while the joined text is a known name
        out: list[str] = []
        i = 0
        while i < len(parts):
            best = i
            for j in range(len(parts), i, -1):
                joined = sep.join(parts[i:j]).strip()
                found, exact = self._lookup(AGREED.sub("", joined))
                if found is not None and (exact or j == i + 1):
                    best = j - 1
                    break
            piece = sep.join(parts[i:best + 1]).strip()
            if piece:
                out.append(self._one(piece).id)
            i = best + 1
        return out

    def _new_id(self, name: str) -> str:
        base = slug(name) or "executor"
        taken = {b.id for b in self.known + self.created}
        ident, n = base, 2
        while ident in taken:
            ident, n = f"{base}-{n}", n + 1
        return ident


_TRANSLIT = dict(zip("абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
                     ["a", "b", "v", "h", "g", "d", "e", "ie", "zh", "z", "y", "i", "i", "i", "k", "l", "m", "n",
                      "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "iu", "ia"],
                     strict=True))


def slug(text: str, words: int = 4) -> str:
    """A readable Latin id from a Ukrainian name: «Мін’юст» → «miniust»."""
    out = []
    for w in re.findall(r"\w+", re.sub("['’ʼ`]", "", text.lower()))[:words]:
        s = "".join(_TRANSLIT.get(ch, ch if ch.isascii() and ch.isalnum() else "") for ch in w)
        if s:
            out.append(s)
    return "-".join(out)
