"""Word-level differences of two texts, and how alike two titles are."""

from __future__ import annotations

import difflib
import re
from typing import Any

from plandocs.review.diff.changes import REWRITTEN, SIMILAR, Word

_TOKEN_RE = re.compile(r"\s+|[^\W_]+(?:['’ʼ-][^\W_]+)*|.", re.UNICODE)


def word_diff(old: str, new: str) -> tuple[Word, ...]:
    """``old`` → ``new`` as equal, deleted and inserted runs of words."""
    a, b = _TOKEN_RE.findall(old), _TOKEN_RE.findall(new)
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    common = sum(len("".join(a[i1:i2]).replace(" ", "")) for tag, i1, i2, _, _ in ops if tag == "equal")
    if old and new and common < REWRITTEN * max(len(old.replace(" ", "")), len(new.replace(" ", ""))):
        return (Word("delete", old), Word("insert", new))  # rewritten: a few shared words would only confuse
    # a run of spaces between two changes is part of the change: "[-a b-]{+c d+}", not "[-a-]{+c+} [-b-]{+d+}"
    merged: list[list[Any]] = []
    for op in ops:
        tag, i1, i2, j1, j2 = op
        if merged and tag != "equal" and merged[-1][0] != "equal":
            merged[-1] = ["replace", merged[-1][1], i2, merged[-1][3], j2]
            continue
        if (tag == "equal" and merged and merged[-1][0] != "equal" and all(not t.strip() for t in a[i1:i2])
                and op is not ops[-1]):
            merged[-1] = ["replace", merged[-1][1], i2, merged[-1][3], j2]
            continue
        merged.append(list(op))
    out: list[Word] = []

    def add(op: str, text: str) -> None:
        if not text:
            return
        if out and out[-1].op == op:
            out[-1] = Word(op, out[-1].text + text)
        else:
            out.append(Word(op, text))

    for tag, i1, i2, j1, j2 in merged:
        if tag == "equal":
            add("equal", "".join(a[i1:i2]))
            continue
        old_part, new_part = "".join(a[i1:i2]), "".join(b[j1:j2])
        if old_part and new_part:  # spaces common to both ends stay outside the change
            lead = _common_spaces(old_part, new_part)
            trail = _common_spaces(old_part[lead:][::-1], new_part[lead:][::-1])
            add("equal", old_part[:lead])
            add("delete", old_part[lead:len(old_part) - trail])
            add("insert", new_part[lead:len(new_part) - trail])
            add("equal", old_part[len(old_part) - trail:])
        else:
            add("delete", old_part)
            add("insert", new_part)
    return tuple(out)


def _common_spaces(a: str, b: str) -> int:
    """Length of the whitespace both strings start with, character for character."""
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n] and a[n].isspace():
        n += 1
    return n


def similarity(a: str | None, b: str | None) -> float:
    if a is None or b is None:
        return 0.0
    if a == b:
        return 1.0
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < SIMILAR or m.quick_ratio() < SIMILAR:
        return 0.0
    return m.ratio()


# --------------------------------------------------------------------------- matching by id
