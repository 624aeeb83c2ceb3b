"""The canonical YAML form of plan and organisation files, with their comments.

:func:`emit` writes a positioned node tree (:mod:`plandocs.load.source`) back as text in one canonical
form, guided by the model's types:

* 2-space indentation, sequences indented under their key, one key or item per line;
* keys in the model's canonical order (:func:`plandocs.check.schema.record_fields`); ``values`` keys as the
  columns go (I, II, III, IV / 01..12 / years, then ``total``), funding years ascending and funding
  sources as the plan declares them, ``headers`` in the order of ``columns``;
* ids of priorities, tasks and measures, ``period`` and ``horizon`` always in double quotes; every other
  scalar plain when that is safe and double-quoted otherwise (:func:`scalar_style`);
* flow style for executor id lists (``[a, b]``) and short ``values`` mappings (``{I: 1, II: 2}``),
  block style for everything else; text with line breaks as a literal block (``|-``);
* lines are never wrapped, however long: wrapping would make word diffs of text noisy.

Comments are not part of the node tree, so they are recovered from the source text: every ``#`` that lies
outside the scanner's tokens starts a comment.  A comment on its own line (and a blank line) belongs to the
node that follows it and moves with it when keys are reordered; a comment at the end of a line stays at the
end of the line of the node it follows; the comments above the first key (the ``yaml-language-server``
modeline) stay on top and those after the last node at the bottom.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import functools
import re
import types
import typing
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import yaml

from plandocs.check.schema import record_fields
from plandocs.load.source import Map, Node, Scalar, Seq
from plandocs.model.records import Column, IdList, Lines, Measure, Priority, Record, Task
from plandocs.model.values import Term, Value, parse_decimal

INDENT = 2
FLOW_MAP_WIDTH = 80
"""A ``values`` mapping is written in flow style when it fits in this many characters."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BREAK_RE = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_NULLS = {"", "~", "null", "Null", "NULL"}
_QUOTED_IDS: dict[type, set[str]] = {Priority: {"id"}, Task: {"id"}, Measure: {"id"}}
_QUOTED_FIELDS = {"period", "horizon"}
"""Fields of any record that are always double-quoted (besides the ids above)."""
_ID_KEYED = {"facts"}
"""Mappings whose keys are measure ids (double-quoted, like ids)."""

_YAML11_EXTRA_RE = re.compile(r"^(?:[yYnN]|0o[0-7]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")
_NUMBER_RE = re.compile(r"^[+-]?(?:0|[1-9]\d*)(?:[.,]\d+)?$")
_UNSAFE_CHAR_RE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_resolver = yaml.resolver.Resolver()

Pos = tuple[int, int]
"""A node's (line, column), 1-based, as in :class:`plandocs.errors.Loc`."""


class ScalarKind(StrEnum):
    """What a scalar means, which decides when it may stay plain."""

    TEXT = "text"
    ID = "id"
    """Always double-quoted."""
    NUMBER = "number"
    """A planned value or a count: plain when it is a number (``1``, ``24,4``)."""
    DATE = "date"
    """Plain when it is an ISO date."""
    BOOL = "bool"
    """``true``/``false``."""


# --------------------------------------------------------------------------- scalars


@functools.lru_cache(maxsize=8192)
def _parses_back(text: str, flow: bool) -> bool:
    """Whether ``text`` written plain (as a mapping value, or inside flow collections) reads back the same."""
    docs = (f"[{text}]\n", f"{{k: {text}}}\n") if flow else (f"k: {text}\n",)
    for doc in docs:
        try:
            events = list(yaml.parse(doc, Loader=_Loader))
        except yaml.YAMLError:
            return False
        scalars = [e for e in events if isinstance(e, yaml.ScalarEvent)]
        collections = [e for e in events if isinstance(e, yaml.CollectionStartEvent)]
        if len(collections) != 1 or not scalars or scalars[-1].value != text or scalars[-1].style:
            return False
        if len(scalars) != (1 if doc.startswith("[") else 2):
            return False
    return True


def _implicit_type(text: str) -> str:
    """The type a YAML 1.1 (or 1.2) reader other than ours gives ``text`` written plain."""
    if _YAML11_EXTRA_RE.match(text):
        return "other"
    tag = _resolver.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return str(tag).rsplit(":", 1)[-1]


def _literal_ok(text: str) -> bool:
    if "\n" not in text or text.endswith("\n\n") or not text.strip():
        return False
    if _UNSAFE_CHAR_RE.search(text.replace("\n", "")) or "\t" in text:
        return False
    lines = text.rstrip("\n").split("\n")
    return not lines[0].startswith(" ") and all(ln == ln.rstrip() for ln in lines)


def double_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (non-ASCII letters kept as they are)."""
    out = ['"']
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif _UNSAFE_CHAR_RE.match(ch):
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def scalar_style(text: str, kind: ScalarKind = ScalarKind.TEXT, flow: bool = False) -> str:
    """How a single-line scalar is written: ``plain`` or ``double``.

    Plain when the text reads back unchanged as a plain scalar and a YAML 1.1 reader would not take it for
    a boolean, null, number or date -- unless that is what the value is (a planned value ``1``, a date).
    """
    if kind is ScalarKind.ID or not text or text != text.strip() or _UNSAFE_CHAR_RE.search(text) \
            or "\t" in text or not _parses_back(text, False) or (flow and not _parses_back(text, True)):
        return "double"
    implicit = _implicit_type(text)
    if implicit == "str":
        return "plain"
    if kind is ScalarKind.NUMBER and implicit in ("int", "float") and _NUMBER_RE.match(text) \
            and parse_decimal(text) is not None:
        return "plain"
    if kind is ScalarKind.DATE and implicit == "timestamp" and re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        return "plain"
    if kind is ScalarKind.BOOL and text in ("true", "false"):
        return "plain"
    return "double"


# --------------------------------------------------------------------------- comments


@dataclass
class Trivia:
    """Comments and blank lines of a source text, attached to node positions."""

    header: list[str] = field(default_factory=list)
    """Lines above the first node (comments and blank lines)."""
    footer: list[str] = field(default_factory=list)
    """Comment lines after the last node."""
    before: dict[Pos, list[str]] = field(default_factory=dict)
    """Own-line comments (``"# …"``) and blank lines (``""``) before the node at a position."""
    after: dict[Pos, list[str]] = field(default_factory=dict)
    """End-of-line comments of the node at a position."""

    def count(self) -> int:
        """Number of comments (blank lines not counted)."""
        everything = [*self.header, *self.footer, *(c for v in self.before.values() for c in v),
                      *(c for v in self.after.values() for c in v)]
        return sum(1 for c in everything if c)


def subtree(root: Node) -> list[Node]:
    """Every node under ``root`` (keys included, ``root`` first) in document order."""
    out: list[Node] = []
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        out.append(node)
        if isinstance(node, Map):
            for k, v in reversed(node.items):
                stack.append(v)
                stack.append(k)
        elif isinstance(node, Seq):
            stack.extend(reversed(node.items))
    return out


def node_positions(root: Node) -> list[Pos]:
    """Start positions of every node (keys included) in document order."""
    return [(n.loc.line, n.loc.col) for n in subtree(root)]


def collect_trivia(text: str, root: Node) -> Trivia:
    """Find the comments and blank lines of ``text`` and attach them to the nodes of ``root``."""
    lines = _BREAK_RE.split(text)
    covered: dict[int, list[tuple[int, int]]] = {}
    """0-based line → column intervals [start, end) covered by tokens."""
    for tok in yaml.scan(text, Loader=_Loader):
        s, e = tok.start_mark, tok.end_mark
        if s.line == e.line:
            if e.column > s.column:
                covered.setdefault(s.line, []).append((s.column, e.column))
            continue
        covered.setdefault(s.line, []).append((s.column, 1 << 30))
        for ln in range(s.line + 1, e.line):
            covered.setdefault(ln, []).append((0, 1 << 30))
        if e.column > 0:
            covered.setdefault(e.line, []).append((0, e.column))

    positions = sorted(set(node_positions(root)))
    first_on_line: dict[int, Pos] = {}
    for pos in positions:
        first_on_line.setdefault(pos[0], pos)
    trivia = Trivia()
    pending: list[str] = []
    seen_node = False
    for i, line in enumerate(lines):
        lineno = i + 1
        start = first_on_line.get(lineno)
        if start is not None:
            if pending:
                if seen_node:
                    trivia.before.setdefault(start, []).extend(pending)
                else:
                    trivia.header.extend(pending)
                pending = []
            seen_node = True
        spans = covered.get(i, [])
        if not line.strip():
            if not spans:
                pending.append("")
            continue
        col = _comment_column(line, spans)
        if col is None:
            continue
        comment = line[col:].rstrip()
        if not line[:col].strip():
            pending.append(comment)
            continue
        idx = bisect.bisect_left(positions, (lineno, col + 1)) - 1
        trivia.after.setdefault(positions[max(idx, 0)], []).append(comment)
    trivia.footer = [c for c in pending if c]
    return trivia


def _comment_column(line: str, spans: list[tuple[int, int]]) -> int | None:
    start = 0
    while True:
        col = line.find("#", start)
        if col < 0:
            return None
        inside = any(s <= col < e for s, e in spans)
        if not inside and (col == 0 or line[col - 1] in " \t"):
            return col
        start = col + 1


# --------------------------------------------------------------------------- the emitter


@dataclass
class Emitted:
    """Canonical text and the comments that had no node left to go with."""

    text: str
    dropped: list[str]


@dataclass
class _Ctx:
    columns: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _unwrap(tp: Any) -> tuple[Any, bool]:
    """``X | None`` → (X, True); a union with a record stays a union."""
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        optional = type(None) in typing.get_args(tp)
        if len(args) == 1:
            return args[0], optional
        return typing.Union[tuple(args)], optional  # noqa: UP007 - a runtime union of several types
    return tp, False


def _scalar_type(tp: Any) -> Any:
    """The type a scalar node has under ``tp`` (``Value | Fact`` → Value, ``str | PersonName`` → str)."""
    base, _ = _unwrap(tp)
    if typing.get_origin(base) in (types.UnionType, typing.Union):
        return next(a for a in typing.get_args(base) if not (isinstance(a, type) and issubclass(a, Record)))
    return base


def _record_of_union(tp: Any) -> type | None:
    if typing.get_origin(tp) in (types.UnionType, typing.Union):
        for a in typing.get_args(tp):
            if isinstance(a, type) and issubclass(a, Record):
                return a
    return None


_QUARTERS = {"I": 1, "II": 2, "III": 3, "IV": 4}


def _values_key_order(key: str) -> tuple[int, int, str]:
    if key in _QUARTERS:
        return (0, _QUARTERS[key], key)
    if key.isdigit():
        return (1, int(key), key)
    if key == "total":
        return (3, 0, key)
    return (2, 0, key)


class _Emitter:
    def __init__(self, trivia: Trivia, ctx: _Ctx) -> None:
        self.trivia = trivia
        self.ctx = ctx
        self.out: list[str] = []

    # ----- trivia

    def take_before(self, node: Node) -> list[str]:
        return self.trivia.before.pop((node.loc.line, node.loc.col), [])

    def take_after(self, node: Node) -> list[str]:
        return self.trivia.after.pop((node.loc.line, node.loc.col), [])

    def put_comments(self, comments: list[str], indent: int) -> None:
        for c in comments:
            if c == "":
                if self.out and self.out[-1] != "":
                    self.out.append("")
            else:
                self.out.append(" " * indent + c)

    def eol(self, nodes: list[Node], extra: list[str] | None = None) -> str:
        comments = [c for n in nodes for c in self.take_after(n)] + (extra or [])
        return ("  " + " ".join(comments)) if comments else ""

    # ----- dispatch

    def is_block(self, node: Node, tp: Any, flow_map: bool = False) -> bool:
        """Whether ``node`` is written on lines of its own below its key or dash."""
        base, _ = _unwrap(tp)
        if isinstance(node, Scalar):
            return "\n" in node.value and _literal_ok(node.value)
        if isinstance(node, Seq):
            return bool(node.items) and base is not IdList
        if isinstance(node, Map):
            if not node.items:
                return False
            return not (flow_map and self.flow_map_ok(node, tp))
        return True  # pragma: no cover

    def flow_map_ok(self, node: Map, tp: Any) -> bool:
        """A mapping of single-line scalars that fits in :data:`FLOW_MAP_WIDTH` characters."""
        for _, v, vt, _ in self.ordered_items(node, _unwrap(tp)[0]):
            if not isinstance(v, Scalar) or "\n" in v.value:
                return False
            if _plain_in_block_only(v.value, self.kind_of(vt)):
                return False
        return len(self.inline(node, tp)) <= FLOW_MAP_WIDTH

    # ----- scalars

    def kind_of(self, tp: Any) -> ScalarKind:
        base = _scalar_type(tp)
        if base is Value or base is int or base is float:
            return ScalarKind.NUMBER
        if base is _dt.date:
            return ScalarKind.DATE
        if base is bool:
            return ScalarKind.BOOL
        return ScalarKind.TEXT

    def scalar_text(self, node: Scalar, tp: Any, flow: bool, force_quote: bool = False) -> str:
        _, optional = _unwrap(tp)
        if not node.quoted and node.value in _NULLS and optional:
            return "null"
        kind = ScalarKind.ID if force_quote else self.kind_of(tp)
        if scalar_style(node.value, kind, flow) == "plain":
            return node.value
        return double_quoted(node.value)

    def key_text(self, key: str, flow: bool = False) -> str:
        return key if scalar_style(key, ScalarKind.TEXT, flow) == "plain" else double_quoted(key)

    # ----- inline (one line)

    def inline(self, node: Node, tp: Any, force_quote: bool = False) -> str:
        base, _ = _unwrap(tp)
        if isinstance(node, Scalar):
            return self.scalar_text(node, tp, False, force_quote)
        if isinstance(node, Seq):
            item_tp = _item_type(base)
            return "[" + ", ".join(self.flow_item(n, item_tp) for n in node.items) + "]"
        assert isinstance(node, Map)
        items = self.ordered_items(node, base)
        return "{" + ", ".join(f"{self.key_text(k.value, True)}: {self.flow_item(v, vt)}"
                               for k, v, vt, _ in items) + "}"

    def flow_item(self, node: Node, tp: Any) -> str:
        if isinstance(node, Scalar):
            return self.scalar_text(node, tp, True)
        return self.inline(node, tp)

    # ----- ordering

    def ordered_items(self, node: Map, tp: Any) -> list[tuple[Scalar, Node, Any, bool]]:
        """(key, value, value type, force quotes) in canonical order."""
        record = tp if isinstance(tp, type) and issubclass(tp, Record) else _record_of_union(tp)
        if record is not None:
            flds = list(record_fields(record))
            hints = _hints(record)
            quoted = _QUOTED_IDS.get(record, set()) | _QUOTED_FIELDS
            rank = {name: i for i, name in enumerate(flds)}
            items = sorted(node.items, key=lambda kv: rank.get(kv[0].value, len(rank)))
            return [(k, v, hints.get(k.value, str), k.value in quoted) for k, v in items]
        if typing.get_origin(tp) is dict:
            key_tp, val_tp = typing.get_args(tp)
            items = list(node.items)
            if key_tp is Column:
                order = [*self.ctx.columns, *(c.value for c in Column if c.value not in self.ctx.columns)]
                rank = {name: i for i, name in enumerate(order)}
                items.sort(key=lambda kv: rank.get(kv[0].value, len(rank)))
            elif typing.get_origin(val_tp) is dict:  # funding: year → source → amount
                items.sort(key=lambda kv: (0, int(kv[0].value), "") if kv[0].value.isdigit()
                           else (1, 0, kv[0].value))
            elif val_tp is Value and self.ctx.sources and all(k.value in self.ctx.sources for k, _ in items) \
                    and not any(k.value in _QUARTERS or k.value == "total" for k, _ in items):
                rank = {name: i for i, name in enumerate(self.ctx.sources)}
                items.sort(key=lambda kv: rank.get(kv[0].value, len(rank)))
            elif val_tp is Value:
                items.sort(key=lambda kv: _values_key_order(kv[0].value))
            return [(k, v, val_tp, False) for k, v in items]
        if tp is Term:  # a term written as {from: …, to: …}
            rank = {"from": 0, "to": 1}
            return [(k, v, _dt.date, False) for k, v in sorted(node.items, key=lambda kv: rank.get(kv[0].value, 2))]
        return [(k, v, Any, False) for k, v in node.items]  # pragma: no cover - validated files only

    # ----- block emission

    def mapping(self, node: Map, tp: Any, indent: int, lead: str | None = None,
                parent_key: str | None = None) -> None:
        base, _ = _unwrap(tp)
        for i, (k, v, vt, quote) in enumerate(self.ordered_items(node, base)):
            is_lead = lead is not None and i == 0
            prefix = lead if is_lead and lead is not None else " " * indent
            block = self.is_block(v, vt, k.value == "values" or parent_key == "facts")
            nodes_on_line: list[Node] = [k] if block and not isinstance(v, Scalar) else [k, *subtree(v)]
            before = [c for n in nodes_on_line for c in self.take_before(n)]
            self.put_comments(before, indent - (INDENT if is_lead else 0))
            key = double_quoted(k.value) if parent_key in _ID_KEYED else self.key_text(k.value)
            if not block:
                self.out.append(f"{prefix}{key}: {self.inline(v, vt, quote)}{self.eol(nodes_on_line)}")
                continue
            if isinstance(v, Scalar):
                self.literal(f"{prefix}{key}: ", v, indent + INDENT, nodes_on_line)
            elif isinstance(v, Seq):
                self.out.append(f"{prefix}{key}:{self.eol([k])}")
                self.sequence(v, _unwrap(vt)[0], indent + INDENT)
            else:
                assert isinstance(v, Map)
                self.out.append(f"{prefix}{key}:{self.eol([k])}")
                self.mapping(v, vt, indent + INDENT, parent_key=k.value)

    def sequence(self, node: Seq, tp: Any, indent: int) -> None:
        self.put_comments(self.take_before(node), indent)
        self.put_comments(self.take_after(node), indent)
        item_tp = _item_type(tp)
        for item in node.items:
            block = self.is_block(item, item_tp)
            if isinstance(item, Map) and block:
                self.put_comments(self.take_before(item), indent)
                self.mapping(item, item_tp, indent + INDENT, lead=" " * indent + "- ")
                continue
            nodes_on_line = subtree(item)
            before = [c for n in nodes_on_line for c in self.take_before(n)]
            self.put_comments(before, indent)
            if isinstance(item, Scalar) and block:
                self.literal(" " * indent + "- ", item, indent + INDENT, nodes_on_line)
            elif isinstance(item, Seq) and block:  # pragma: no cover - no list of lists in the model
                self.out.append(" " * indent + "-" + self.eol(nodes_on_line))
                self.sequence(item, item_tp, indent + INDENT)
            else:
                self.out.append(" " * indent + "- " + self.inline(item, item_tp) + self.eol(nodes_on_line))

    def literal(self, head: str, node: Scalar, indent: int, nodes_on_line: list[Node]) -> None:
        text = node.value
        chomp = "" if text.endswith("\n") else "-"
        self.out.append(f"{head}|{chomp}{self.eol(nodes_on_line)}")
        for line in text.rstrip("\n").split("\n"):
            self.out.append(" " * indent + line if line else "")


def _item_type(tp: Any) -> Any:
    if tp in (Lines, IdList):
        return str
    if typing.get_origin(tp) is list:
        return typing.get_args(tp)[0]
    return str


def _plain_in_block_only(text: str, kind: ScalarKind) -> bool:
    return scalar_style(text, kind, False) == "plain" and scalar_style(text, kind, True) != "plain"


def _context(root: Map) -> _Ctx:
    ctx = _Ctx()
    columns = root.get("columns")
    if isinstance(columns, Seq):
        ctx.columns = [n.value for n in columns.items if isinstance(n, Scalar)]
    funding = root.get("funding")
    if isinstance(funding, Map):
        sources = funding.get("sources")
        if isinstance(sources, Seq):
            for s in sources.items:
                ident = s.get("id") if isinstance(s, Map) else None
                if isinstance(ident, Scalar):
                    ctx.sources.append(ident.value)
    return ctx


def emit(root: Node, cls: type[Record], source_text: str, parsed: Node | None = None) -> Emitted:
    """Write ``root`` in canonical form with the comments of ``source_text``.

    ``root`` is the tree parsed from ``source_text``, or an edited copy of that tree ``parsed`` (edits keep
    the positions of the nodes they keep); comments that belonged to removed nodes are returned in
    ``dropped``.
    """
    if not isinstance(root, Map):
        raise TypeError("the top level of a plan file is a mapping")
    trivia = collect_trivia(source_text, parsed if parsed is not None else root)
    em = _Emitter(trivia, _context(root))
    em.put_comments(trivia.header, 0)
    em.mapping(root, cls, 0)
    em.put_comments(trivia.footer, 0)
    while em.out and em.out[-1] == "":
        em.out.pop()
    dropped = [c for v in (*trivia.before.values(), *trivia.after.values()) for c in v if c]
    return Emitted("\n".join(em.out) + "\n", dropped)


__all__ = ["Emitted", "ScalarKind", "Trivia", "collect_trivia", "double_quoted", "emit", "scalar_style"]
