"""Finds user-visible English messages that do not go through gettext (``_``/``ngettext``).

A static walk over the source: a string literal or f-string with English words that reaches a *sink*
unwrapped is a finding.  Sinks are what puts text in front of a user:

* the exception classes of the ``errors.py`` tree (and any class in the package derived from them) and
  click's own (``click.ClickException``, ``click.UsageError``, ``click.BadParameter``); any other raised
  exception too (a ``ValueError`` becomes a diagnostic), but ``TypeError``, ``AssertionError`` and
  ``NotImplementedError``, which only a bug raises;
* ``click.echo``/``secho``/``confirm``/``prompt``, ``print`` and the preview's ``Response``s;
* every function or dataclass of the package with a parameter or field named ``message``, ``msg``,
  ``prompt``, ``error`` or ``why`` (``Diagnostic``, ``Diagnostics.add``, ``Refusal``, a rule's ``report``, the
  progress line's ``echo``, a render's ``Done`` …), at that parameter's position or keyword;
* any keyword argument named ``message``, ``msg``, ``prompt``, ``error`` or ``why``, and what is appended to a
  list named ``notes``, ``warnings``, ``errors`` or ``problems``;
* what functions named for a piece of text return (``…_hint``, ``…_message``, ``…_summary``, ``…_status``).

Text reaches a sink through the argument expression (concatenation, ``"; ".join``, conditionals,
f-strings) and through local names: ``msg = f"…"`` or ``problems.append(f"…")`` then ``raise X(msg)``.
A call of ``_``, ``ngettext`` or ``N_`` ends the walk: what is inside is translated.  English is a word of
Latin letters in a text with a space (``Error: {x}``, ``no such file``): without one, ids, keys and formats.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

PKG = Path(__file__).parent.parent / "src" / "plandocs"

_WORD = re.compile(r"[A-Za-z]{2,}")
_SPACE = re.compile(r"\S\s+\S")


def english(text: str) -> bool:
    """A word of Latin letters and a space between words: a message, not an id, a key, a format or a path."""
    return bool(_WORD.search(text) and _SPACE.search(text))

TRANSLATORS = {"_", "ngettext", "N_"}
CLICK_SINKS = {"echo", "secho", "confirm", "prompt", "ClickException", "UsageError", "BadParameter", "FileError",
               "Abort", "fail"}
RESPONSES = {"Response", "HTMLResponse", "PlainTextResponse"}
"""What ``plandocs serve`` answers a browser with."""
INTERNAL_ERRORS = {"TypeError", "AssertionError", "NotImplementedError"}
"""Raised for a bug in plandocs (a type the code does not handle), never for a user's input."""
TEXT_FUNCTIONS = re.compile(r"message|summary|hint|why|note|reason|label|status|describe")
"""Functions whose result is a piece of a message (``_column_hint``, ``template_error_message``)."""
MESSAGE_NAMES = {"message", "msg", "prompt", "error", "why"}
MESSAGE_LISTS = {"notes", "warnings", "errors", "problems"}
"""Lists of messages a stage collects for the CLI to print (an import's notes, a render's warnings)."""
MESSAGE_KEYWORDS = MESSAGE_NAMES | {"error"}

ALLOWED: dict[str, set[str]] = {
    # file (relative to src/plandocs) → the exact texts (placeholders as …) that are not messages, and why
    "cli/hooks.py": {"git config …… …"},  # git-setup echoes the git command it ran: a command, not prose
    "cli/init.py": {"--department ID=NAME"},  # an option as typed, inside a translated message
    "i18n.py": {"unknown language …; expected one of …"},  # a caller's bug: the CLI offers only uk and en
    "render/pdf.py": {"refused: …"},  # WeasyPrint swallows it; the translated TemplateFailure follows
    "render/typst.py": {"no classic cross-reference table"},  # caught at once: the PDF is left as it is
    "review/nextperiod.py": {"period: … → …", "organisation: … → …"},  # a YAML key, its old and new value
}
"""True non-messages the walk cannot tell from messages; keep it short and say why for each."""


@dataclass(frozen=True)
class Finding:
    """An English text that reaches a sink unwrapped."""

    file: str
    line: int
    sink: str
    text: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.sink}(…) gets untranslated {self.text!r}"


def _callee(node: ast.Call) -> str:
    f = node.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        return f.attr
    return ""


def _literal_text(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else "…"
                       for v in node.values)
    return None


def error_classes(trees: dict[str, ast.Module]) -> set[str]:
    """``PlandocsError`` and every class of the package derived from it, directly or not."""
    bases: dict[str, set[str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(
                    b.id if isinstance(b, ast.Name) else b.attr if isinstance(b, ast.Attribute) else ""
                    for b in node.bases)
    found = {"PlandocsError"}
    grew = True
    while grew:
        grew = False
        for name, parents in bases.items():
            if name not in found and parents & found:
                found.add(name)
                grew = True
    return found


def message_parameters(trees: dict[str, ast.Module]) -> dict[str, set[int | str]]:
    """Callable name → the positions (without ``self``) and keywords where it takes a message."""
    sinks: dict[str, set[int | str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                args = [a.arg for a in node.args.posonlyargs + node.args.args]
                if args and args[0] in ("self", "cls"):
                    args = args[1:]
                for i, name in enumerate(args):
                    if name in MESSAGE_NAMES:
                        sinks.setdefault(node.name, set()).update({i, name})
                for a in node.args.kwonlyargs:
                    if a.arg in MESSAGE_NAMES:
                        sinks.setdefault(node.name, set()).add(a.arg)
            elif isinstance(node, ast.ClassDef) and any(
                    isinstance(d, (ast.Name, ast.Call, ast.Attribute)) and "dataclass" in ast.unparse(d)
                    for d in node.decorator_list):
                fields = [s.target.id for s in node.body
                          if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]
                for i, name in enumerate(fields):
                    if name in MESSAGE_NAMES:
                        sinks.setdefault(node.name, set()).update({i, name})
    sinks.pop("_", None)
    sinks.pop("N_", None)
    return sinks


class _Scope:
    """What the local names of one function (or module) are assigned or appended."""

    def __init__(self, body: ast.AST) -> None:
        self.values: dict[str, list[ast.AST]] = {}
        for node in _walk_own(body):
            if isinstance(node, ast.Assign):
                for t in node.targets:
                    if isinstance(t, ast.Name):
                        self.values.setdefault(t.id, []).append(node.value)
            elif isinstance(node, (ast.AugAssign, ast.AnnAssign)) and isinstance(node.target, ast.Name):
                if node.value is not None:
                    self.values.setdefault(node.target.id, []).append(node.value)
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                  and node.func.attr in ("append", "extend", "insert")
                  and isinstance(node.func.value, ast.Name)):
                self.values.setdefault(node.func.value.id, []).extend(node.args)


def _walk_own(node: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a function body, without those of the functions and classes defined inside it."""
    todo = list(ast.iter_child_nodes(node))
    while todo:
        n = todo.pop()
        yield n
        if not isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(n))


def _texts(node: ast.AST, scope: _Scope, seen: set[str]) -> Iterator[tuple[int, str]]:
    """The literal texts that flow into the expression ``node`` untranslated, with their lines."""
    if isinstance(node, ast.Call) and _callee(node) in TRANSLATORS:
        return
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
            and isinstance(node.func.value, ast.Call) and _callee(node.func.value) in TRANSLATORS):
        for kw in node.keywords:
            yield from _texts(kw.value, scope, seen)
        return
    text = _literal_text(node)
    if text is not None and isinstance(node, ast.expr):
        yield node.lineno, text
        if isinstance(node, ast.JoinedStr):
            for v in node.values:
                if isinstance(v, ast.FormattedValue):
                    yield from _texts(v.value, scope, seen)
        return
    if isinstance(node, ast.Name):
        if node.id not in seen:
            for value in scope.values.get(node.id, []):
                yield from _texts(value, scope, seen | {node.id})
        return
    if isinstance(node, ast.Call):
        # "; ".join(parts), x.format(...), str(...): the parts flow in; the callee's own name does not
        if isinstance(node.func, ast.Attribute):
            yield from _texts(node.func.value, scope, seen)
        for a in node.args:
            yield from _texts(a, scope, seen)
        for kw in node.keywords:
            yield from _texts(kw.value, scope, seen)
        return
    if isinstance(node, (ast.Subscript, ast.Attribute, ast.Compare, ast.Lambda)):
        return  # d["key"], x.attr, tests: keys and attribute names, not text
    for child in ast.iter_child_nodes(node):
        if isinstance(node, ast.IfExp) and child is node.test:
            continue
        if isinstance(node, ast.comprehension) and child is not node.iter:
            continue
        yield from _texts(child, scope, seen)


def _sink_arguments(call: ast.Call, errors: set[str], params: dict[str, set[int | str]]) -> Iterator[ast.AST]:
    name = _callee(call)
    is_click = isinstance(call.func, ast.Attribute) and isinstance(call.func.value, ast.Name) \
        and call.func.value.id == "click"
    if name in errors or name == "print" or name in RESPONSES or (is_click and name in CLICK_SINKS) \
            or (isinstance(call.func, ast.Name) and name in CLICK_SINKS - {"fail", "prompt"}):
        yield from call.args[:1]
        yield from (kw.value for kw in call.keywords if kw.arg in MESSAGE_KEYWORDS | {"message"})
        return
    if name in ("append", "extend", "insert") and isinstance(call.func, ast.Attribute):
        target = call.func.value
        listed = target.attr if isinstance(target, ast.Attribute) else target.id if isinstance(target, ast.Name) else ""
        if listed in MESSAGE_LISTS:
            yield from call.args[-1:]
            return
    where = params.get(name, set())
    for i, a in enumerate(call.args):
        if i in where:
            yield a
    for kw in call.keywords:
        if kw.arg in where or kw.arg in MESSAGE_KEYWORDS:
            yield kw.value


def findings(sources: dict[str, str]) -> list[Finding]:
    """The unwrapped messages of ``sources`` (file name relative to the package → its text)."""
    trees = {name: ast.parse(text, filename=name) for name, text in sources.items()}
    errors = error_classes(trees)
    params = message_parameters(trees)
    out: set[Finding] = set()
    for file, tree in trees.items():
        allowed = ALLOWED.get(file, set())
        scopes: list[ast.AST] = [tree, *(n for n in ast.walk(tree)
                                         if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)))]
        for body in scopes:
            scope = _Scope(body)
            for node in _walk_own(body):
                if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) \
                        and _callee(node.exc) not in INTERNAL_ERRORS | errors:
                    for raised in node.exc.args[:1]:  # a raised error's text ends up in front of someone
                        for line, text in _texts(raised, scope, set()):
                            if english(text) and text.strip() not in allowed:
                                out.add(Finding(file, line, "raise " + _callee(node.exc), text))
                if isinstance(node, ast.Return) and node.value is not None and isinstance(body, ast.FunctionDef) \
                        and TEXT_FUNCTIONS.search(body.name):
                    for line, text in _texts(node.value, scope, set()):  # what it returns is shown as it is
                        if english(text) and text.strip() not in allowed:
                            out.add(Finding(file, line, "return of " + body.name, text))
                if not isinstance(node, ast.Call):
                    continue
                for arg in _sink_arguments(node, errors, params):
                    for line, text in _texts(arg, scope, set()):
                        if english(text) and text.strip() not in allowed:
                            out.add(Finding(file, line, _callee(node), text))
    first: dict[tuple[str, int, str], Finding] = {}  # one finding per text, whichever sink it reaches
    for f in sorted(out, key=lambda f: (f.file, f.line, f.text, f.sink)):
        first.setdefault((f.file, f.line, f.text), f)
    return list(first.values())


def package_sources(root: Path = PKG) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in sorted(root.rglob("*.py"))}


def report(found: Iterable[Finding]) -> str:
    return "\n".join(str(f) for f in found)


if __name__ == "__main__":
    print(report(findings(package_sources())))
