"""Matching the priorities, tasks and measures of two versions by id, then by title."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from plandocs.review.diff.changes import SIMILAR
from plandocs.review.diff.words import similarity

T = TypeVar("T")


@dataclass
class Match:
    pairs: list[tuple[str, str]]
    """(old id, new id) in the new document order."""
    removed: list[str]
    added: list[str]

    def __post_init__(self) -> None:
        self._new_of = dict(self.pairs)  # looked up for every measure of every task: a scan made diffs cubic

    def new_of(self, old_id: str) -> str | None:
        return self._new_of.get(old_id)


def match_by_id(old: dict[str, T], new: dict[str, T], title: Callable[[T], str | None]) -> Match:
    pairs: dict[str, str] = {}
    for ident in old:
        if ident in new:
            t_old, t_new = title(old[ident]), title(new[ident])
            if t_old is None or t_new is None or similarity(t_old, t_new) >= SIMILAR:
                pairs[ident] = ident
    rest_old = [i for i in old if i not in pairs]
    taken = set(pairs.values())
    rest_new = [i for i in new if i not in taken]
    candidates = []
    for o in rest_old:
        for n in rest_new:
            s = similarity(title(old[o]), title(new[n]))
            if s >= SIMILAR:
                candidates.append((-s, list(new).index(n), o, n))
    for _, _, o, n in sorted(candidates):
        if o not in pairs and n not in taken:
            pairs[o] = n
            taken.add(n)
    for ident in old:  # same id, very different title: still the same item, retitled
        if ident not in pairs and ident in new and ident not in taken:
            pairs[ident] = ident
            taken.add(ident)
    order = {n: i for i, n in enumerate(new)}
    ordered = sorted(pairs.items(), key=lambda p: order[p[1]])
    return Match(ordered, [i for i in old if i not in pairs], [i for i in new if i not in taken])


# --------------------------------------------------------------------------- text of values
