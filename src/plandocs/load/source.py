"""Stage 1, load: read a YAML file into a tree of positioned nodes.

The tree keeps every scalar as the text the user wrote (YAML 1.1 never gets to turn ``2.10`` into ``2.1``,
``no`` into ``False`` or ``01`` into ``1``); the schema stage decides types.  Nodes are built from
libyaml's event stream with an explicit stack, so deep nesting cannot overflow the C stack, and the
following are refused with a positioned diagnostic instead of a traceback: bytes that are not UTF-8,
NUL and other control characters, tabs used for indentation, duplicate keys, anchors/aliases (the
"billion laughs" bomb needs them), explicit tags such as ``!!python/object``, more than one document,
and nesting deeper than :data:`MAX_DEPTH`.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from plandocs.errors import Diagnostics, Loc
from plandocs.files.decode import decode_text
from plandocs.files.kinds import FileKind, kind_of
from plandocs.files.paths import outside_link, project_root, too_long
from plandocs.i18n import N_, _

MAX_DEPTH = 64
"""Deepest nesting accepted; real plans need about 12."""

MAX_NODES = 100_000
"""Most keys, values and list items in one file: the largest real plan has a few thousand, and a file of a
million keys would take minutes and gigabytes to check."""
MAX_SCALAR = 20_000
"""Longest single value, in characters: a measure's title is a few hundred."""
MAX_WORD = 300
"""Longest run of characters without a space in a value: a PDF table cell cannot break a longer word, and
WeasyPrint's time to lay it out grows with the square of its length (6,000 characters: 46 s)."""
MAX_BYTES = 20 * 1024 * 1024
"""Largest file accepted (a 1,000-measure plan is under 1 MiB)."""

_SAFE_TAGS = {"tag:yaml.org,2002:str", "!"}

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Node:
    """A YAML node with its position."""

    loc: Loc


@dataclass
class Scalar(Node):
    value: str
    """The scalar's text exactly as written (after YAML unescaping)."""
    quoted: bool = False
    """True when the user wrote the scalar in quotes or as a block literal."""


@dataclass
class Seq(Node):
    items: list[Node] = field(default_factory=list)


@dataclass
class Map(Node):
    items: list[tuple[Scalar, Node]] = field(default_factory=list)

    def get(self, key: str) -> Node | None:
        for k, v in self.items:
            if k.value == key:
                return v
        return None


@dataclass
class Source:
    """A loaded file: its root node (``None`` when unreadable) and its lines for excerpts."""

    path: str
    root: Node | None
    lines: list[str]


def _loc(path: str, mark: typing.Any) -> Loc:
    if mark is None:
        return Loc(path)
    return Loc(path, mark.line + 1, mark.column + 1)


# libyaml and PyYAML's pure-Python parser share these problem texts; the user reads ours, so a new
# release that rewords one cannot change what plandocs prints (an unknown text falls back to the library's).
_PROBLEMS: dict[str, str] = {
    "found unexpected end of stream": N_("the file ends inside an unfinished construct"),
    "did not find expected key": N_("expected a 'key: value' line at this indentation"),
    "did not find expected ',' or ']'": N_("expected ',' or ']' in this [list]"),
    "did not find expected ',' or '}'": N_("expected ',' or '}' in this {mapping}"),
    "mapping values are not allowed here": N_("a ': ' is not allowed here; put the whole text in quotes"),
    "mapping values are not allowed in this context": N_("a ': ' is not allowed here; put the whole text in quotes"),
    "could not find expected ':'": N_("expected ':' after the key"),
    "found character that cannot start any token": N_("this character cannot start a value; put the value in quotes"),
    "found undefined tag handle": N_("'!' starts a tag, which plans do not use; put the value in quotes"),
    "did not find expected node content": N_("expected a value here"),
    "did not find expected '-' indicator": N_("expected a '- ' list item at this indentation"),
    "did not find expected <document start>": N_("unexpected text after the end of the document"),
    "found a tab character that violates indentation": N_("tab character found; YAML indentation must use spaces, "
                                                      "not tabs"),
    "found unknown escape character": N_("unknown escape sequence after '\\' in a double-quoted text; "
                                      "write '\\\\' for a backslash or use single quotes"),
    "found unexpected ':'": N_("a ':' is not allowed here; put the whole text in quotes"),
    "block sequence entries are not allowed here": N_("a '- ' list item is not allowed here; check the indentation"),
}
_CONTEXTS: dict[str, str] = {
    "while scanning a quoted scalar": N_("a quoted text that was opened here is not closed"),
    "while scanning a double-quoted scalar": N_("a quoted text that was opened here is not closed"),
    "while scanning a single-quoted scalar": N_("a quoted text that was opened here is not closed"),
    "while parsing a block mapping": N_("in a mapping"),
    "while parsing a block collection": N_("in a list"),
    "while parsing a flow sequence": N_("in a [list]"),
    "while parsing a flow mapping": N_("in a {mapping}"),
    "while scanning a simple key": N_("in a key"),
    "while scanning a plain scalar": N_("in a text"),
    "while parsing a block node": N_("in a value"),
    "while parsing a flow node": N_("in a value"),
    "while scanning an alias": N_("in an alias"),
    "while scanning an anchor": N_("in an anchor"),
    "while scanning a tag": N_("in a tag"),
    "while scanning a block scalar": N_("in a block text ('|' or '>')"),
    "while scanning a directive": N_("in a '%' directive"),
    "while parsing a block sequence": N_("in a list"),
    "while parsing a quoted scalar": N_("in a quoted text"),
    "while scanning for the next token": "",
}


def _problem_text(problem: str) -> str:
    key = problem.split(" but found ")[0].strip()
    known = _PROBLEMS.get(key)
    return _(known) if known is not None else problem


def _yaml_error(path: str, text: str, exc: yaml.YAMLError, diags: Diagnostics) -> None:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    loc = _loc(path, mark)
    if isinstance(exc, yaml.reader.ReaderError):
        # libyaml reports a byte offset into the UTF-8 encoding of the text
        pos = len(text.encode("utf-8")[: exc.position].decode("utf-8", errors="ignore"))
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        diags.add("encoding", _("control character #x{code} is not allowed in a YAML file").format(
            code=f"{exc.character:04x}"), Loc(path, line, col))
        return
    deep = _depth_crossing(path, text, mark)
    if deep is not None:
        # libyaml has a nesting limit of its own (1,000 since PyYAML 6.0.3) that can fire before the
        # events reach ours: find where ours is crossed, so the message does not depend on the release.
        diags.add("yaml-syntax", _(_DEPTH_MESSAGE).format(depth=MAX_DEPTH), deep)
        return
    lines = text.splitlines()
    if mark is not None and 0 <= mark.line < len(lines):
        bad_line = lines[mark.line]
        if "\t" in bad_line[: max(mark.column + 1, 1)] or (mark.column < len(bad_line)
                                                          and bad_line[mark.column] == "\t"):
            diags.add("yaml-syntax", _("tab character found; YAML indentation must use spaces, not tabs"), loc)
            return
    msg = _problem_text(problem)
    context_mark = getattr(exc, "context_mark", None)
    known = _CONTEXTS.get(context.strip()) if context else None
    # a text the table does not know stays the library's own; _("") would be the catalogue's header
    where = (context or "") if known is None else (_(known) if known else "")
    if where:
        moved = mark is not None and mark.line >= len(lines)
        if context_mark is not None and mark is not None and context_mark.line != mark.line and not moved \
                and "block" not in (context or ""):
            where += _(" at line {line}, column {col}").format(line=context_mark.line + 1, col=context_mark.column + 1)
        msg = f"{msg} ({where})"
    if mark is not None and mark.line >= len(lines) and context_mark is not None:
        loc = _loc(path, context_mark)  # "unexpected end of stream": point where the open construct began
    diags.add("yaml-syntax", _("invalid YAML: {problem}").format(problem=msg), loc)


_DEPTH_MESSAGE = N_("nesting deeper than {depth} levels is not allowed")


def _depth_crossing(path: str, text: str, mark: typing.Any) -> Loc | None:
    """Where nesting first goes deeper than :data:`MAX_DEPTH` before ``mark``, by the pure-Python parser.

    Only the text up to the failing mark is parsed, so the cost is bounded by what libyaml already read;
    the pure-Python parser has no nesting limit of its own and delivers events as it scans.
    """
    end = getattr(mark, "index", None)
    head = text if end is None else text[: end + 1]
    depth = 0
    starts = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    try:
        for event in yaml.parse(head, Loader=yaml.SafeLoader):
            if isinstance(event, starts):
                depth += 1
                if depth > MAX_DEPTH:
                    return _loc(path, event.start_mark)
            elif isinstance(event, ends):
                depth -= 1
    except yaml.YAMLError:
        return None
    return None


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot hold (DOCX and lxml refuse them): YAML lets a quoted value write them as
escapes (``"\\x0b"``, ``"\\0"``, ``"\\uFFFE"``)."""


def parse_text(path: str, text: str, diags: Diagnostics) -> Node | None:
    """Build the node tree of ``text``; add diagnostics and return ``None`` on failure."""
    stack: list[Map | Seq] = []
    pending_key: list[Scalar | None] = []
    seen_keys: list[dict[str, Scalar]] = []
    root: Node | None = None
    documents = 0
    nodes = 0
    before = len(diags)

    def attach(node: Node) -> bool:
        nonlocal root
        if not stack:
            root = node
            return True
        parent = stack[-1]
        if type(parent) is Seq:
            parent.items.append(node)
            return True
        key = pending_key[-1]
        if key is None:
            if type(node) is not Scalar:
                diags.add("yaml-syntax", _("mapping keys must be plain text, not lists or mappings"), node.loc)
                return False
            assert isinstance(node, Scalar)
            first = seen_keys[-1].get(node.value)
            if first is not None:
                diags.add("duplicate-key", _("duplicate key '{key}' (first defined at line {line}); remove or "
                                             "rename one of them").format(key=node.value, line=first.loc.line),
                          node.loc)
                return False
            seen_keys[-1][node.value] = node
            pending_key[-1] = node
        else:
            assert isinstance(parent, Map)
            parent.items.append((key, node))
            pending_key[-1] = None
        return True

    scalar_event, map_start, seq_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    try:
        events: typing.Iterator[typing.Any] = yaml.parse(text, Loader=_Loader)
        for event in events:
            kind = type(event)
            if kind in ends:
                stack.pop()
                pending_key.pop()
                seen_keys.pop()
                continue
            if kind is scalar_event or kind is map_start or kind is seq_start:
                mark = event.start_mark
                loc = Loc(path, mark.line + 1, mark.column + 1)
                nodes += 1
                if nodes > MAX_NODES:
                    diags.add("too-large", _("more than {limit} keys, values and items in one file; split "
                                             "the file").format(limit=MAX_NODES), loc)
                    return None
                if kind is scalar_event and len(event.value) > MAX_SCALAR:
                    diags.add("too-large", _("a value of {n} characters; at most {limit} are allowed").format(
                        n=len(event.value), limit=MAX_SCALAR), loc)
                    return None
                if event.anchor is not None:
                    diags.add("yaml-alias", _("anchors (&{anchor}) are not allowed; write values out").format(
                        anchor=event.anchor), loc)
                    return None
                if event.tag is not None and event.tag not in _SAFE_TAGS:
                    diags.add("yaml-tag", _("tag '{tag}' is not allowed; plans contain only plain data").format(
                        tag=event.tag), loc)
                    return None
                if kind is scalar_event and _NOT_XML.search(event.value):
                    bad = _NOT_XML.search(event.value)
                    assert bad is not None
                    diags.add("control-character", _("the value holds the character U+{code}, which no document "
                                                     "format can hold; remove it").format(
                        code=f"{ord(bad.group()):04X}"), loc)
                    return None
                if kind is scalar_event and len(event.value) > MAX_WORD:
                    longest = max((len(w) for w in event.value.split()), default=0)
                    if longest > MAX_WORD:
                        diags.add("too-large", _("a word of {n} characters without a space; at most {limit} are "
                                                 "allowed (no document could break it across lines)").format(
                            n=longest, limit=MAX_WORD), loc)
                        return None
                if kind is scalar_event:
                    if not attach(Scalar(loc, event.value, quoted=bool(event.style))):
                        return None
                    continue
                if len(stack) >= MAX_DEPTH:
                    diags.add("yaml-syntax", _(_DEPTH_MESSAGE).format(depth=MAX_DEPTH), loc)
                    return None
                node: Map | Seq = Map(loc) if kind is map_start else Seq(loc)
                if not attach(node):
                    return None
                stack.append(node)
                pending_key.append(None)
                seen_keys.append({})
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    diags.add("yaml-syntax", _("a plan file holds one YAML document; remove the extra '---'"),
                              _loc(path, event.start_mark))
                    return None
            elif kind is yaml.AliasEvent:
                diags.add("yaml-alias", _("aliases (*{anchor}) are not allowed; write the value out").format(
                    anchor=event.anchor), _loc(path, event.start_mark))
                return None
    except yaml.YAMLError as exc:
        _yaml_error(path, text, exc, diags)
        return None
    if len(diags) > before:
        return None
    return root


_READ: contextvars.ContextVar[tuple[set[Path], ...]] = contextvars.ContextVar("plandocs_files_read", default=())


@contextlib.contextmanager
def files_read() -> Iterator[set[Path]]:
    """Every file :func:`load_source` reads while the block runs (resolved), so that a document made from
    whatever validation reads (a roll-up) knows all its inputs."""
    seen: set[Path] = set()
    token = _READ.set((*_READ.get(), seen))
    try:
        yield seen
    finally:
        _READ.reset(token)


def load_source(path: str | Path, diags: Diagnostics) -> Source:
    """Read and parse one file; problems become diagnostics, never exceptions."""
    name = str(path)
    why = too_long(name)
    if why is None:
        why = outside_link(Path(path), project_root(Path(path)))
        rule = "outside-project"
    else:
        rule = "path-too-long"
    if why is not None:
        diags.add(rule, why, Loc(name))
        return Source(name, None, [])
    try:
        if Path(path).exists() and not Path(path).is_file():
            what = _("it is a folder") if Path(path).is_dir() else _("it is not a regular file")
            diags.add("io", _("cannot read the file: {why}").format(why=what), Loc(name))
            return Source(name, None, [])
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            diags.add("encoding", _("file is {size} bytes; plans larger than {limit} bytes are refused").format(
                size=size, limit=MAX_BYTES), Loc(name))
            return Source(name, None, [])
        for seen in _READ.get():  # only files it may read: a link out of the project is refused above
            seen.add(Path(path).resolve())
        data = Path(path).read_bytes()
    except OSError as exc:
        diags.add("io", _("cannot read the file: {why}").format(why=exc.strerror or exc), Loc(name))
        return Source(name, None, [])
    text = decode_text(name, data, diags)
    if text is None:
        return Source(name, None, [])
    lines = text.splitlines()
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in lines):
        what = _("an organisation needs at least 'name'") if kind_of(name) is FileKind.ORGANISATION else \
            _("a plan needs at least 'kind', 'period', 'title' and 'priorities'")
        diags.add("empty-file", _("the file is empty; {what}").format(what=what), Loc(name))
        return Source(name, None, lines)
    root = parse_text(name, text, diags)
    return Source(name, root, lines)
