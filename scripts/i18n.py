#!/usr/bin/env python3
"""The gettext catalogues of plandocs, with Babel: extract the messages, update the Ukrainian catalogue,
compile it.

    scripts/i18n.py update    # merge the messages of the code into locale/uk/LC_MESSAGES/plandocs.po
    scripts/i18n.py compile   # plandocs.po → plandocs.mo, which ships in the package
    scripts/i18n.py check     # exit 1 and list the messages without a Ukrainian translation
    scripts/i18n.py all       # update, compile

Messages come from four places: calls of ``_``, ``ngettext`` and ``N_`` in src/plandocs (Babel's Python
extractor), the same calls in the preview's page templates (``serve/templates``, Jinja's extractor; the
document templates print what plans say and are not translated), the help texts of every command and
option (read from the live command tree, since click keeps them as docstrings and ``help=`` strings), and
the words of click itself that users see (Usage:, Options:, its error messages), listed in CLICK_MESSAGES.
"""

from __future__ import annotations

import inspect
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "plandocs"
LOCALE = SRC / "locale"
PO = LOCALE / "uk" / "LC_MESSAGES" / "plandocs.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None, "doc": (1,)}
"""``doc("…")`` is a model field's documentation: the JSON Schema's description, and part of some messages."""
UK_PLURALS = "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"

CLICK_MESSAGES: list[str | tuple[str, str]] = [
    "Usage:", "Options", "Commands", "Positional arguments", "Show this message and exit.",
    "Show the version and exit.", "%(prog)s, version %(version)s", "Aborted!", "Missing command.",
    "Error: {message}", "Try '{command} {option}' for help.", "Invalid value: {message}",
    "Invalid value for {param_hint}: {message}", "Missing argument", "Missing option", "Missing parameter",
    "Missing {param_type}", "Missing parameter: {param_name}", "No such option {name!r}.", "No such command {name!r}.",
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    "Option {name!r} does not take a value.",
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    "{value!r} is not a valid {number_type}.", "{value} is not in the range {range}.",
    "file", "directory", "path", "{name} {filename!r} does not exist.", "{name} {filename!r} is a file.",
    "{name} {filename!r} is a directory.", "{name} {filename!r} is not readable.",
    "{name} {filename!r} is not writable.", "default: {default}", "Could not open file {filename!r}: {message}",
    "required", "env var: {var}", "(dynamic)", "deprecated",  # the [bracketed] notes of an option's help
]
"""The words of click that plandocs users see; click looks them up with gettext, and so in our catalogue."""


def _help_texts() -> list[tuple[str, str]]:
    """(msgid, where) for every help text of the command tree, as click prints it (cleaned)."""
    sys.path.insert(0, str(ROOT / "src"))
    import click

    from plandocs.cli import main

    out: list[tuple[str, str]] = []

    def walk(cmd: click.Command, path: str) -> None:
        for attr in ("help", "short_help"):
            text = getattr(cmd, "_plandocs_original_help", {}).get(attr, getattr(cmd, attr))
            if text:
                out.append((inspect.cleandoc(text), f"{path}:{attr}"))
        for p in cmd.params:
            if isinstance(p, click.Option):
                text = getattr(p, "_plandocs_original_help", {}).get("help", p.help)
                if text:
                    out.append((inspect.cleandoc(text), f"{path}:{p.opts[-1]}"))
        if isinstance(cmd, click.Group):
            for name, sub in sorted(cmd.commands.items()):
                walk(sub, f"{path}:{name}")

    walk(main, "plandocs")
    return out


def _record_docs() -> list[tuple[str, str]]:
    """The docstrings of the model's records, which the JSON Schemas use as descriptions."""
    from plandocs.model.records import Record

    out = []
    todo = list(Record.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__doc__ and not cls.__doc__.startswith(cls.__name__ + "("):
            out.append((" ".join(cls.__doc__.split()), f"model:{cls.__name__}"))
    return sorted(out)


def template() -> Catalog:
    """The messages of the code as it is now."""
    cat = Catalog(project="plandocs", domain="plandocs", charset="utf-8")
    for filename, lineno, message, comments, _context in extract_from_dir(
            str(SRC), method_map=[("**.py", "python"), ("serve/templates/**.html", "jinja2.ext:babel_extract")],
            keywords=KEYWORDS, comment_tags=("i18n:",)):
        cat.add(message, locations=[(f"src/plandocs/{filename}", lineno)], auto_comments=comments)
    for text, where in _help_texts():
        cat.add(text, locations=[(where, 0)])
    for text, where in _record_docs():
        cat.add(text, locations=[(where, 0)])
    for msg in CLICK_MESSAGES:
        cat.add(msg, locations=[("click", 0)])
    return cat


def _read(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale="uk")


def untranslated(po: Catalog, pot: Catalog) -> list[str]:
    """The msgids of ``pot`` that ``po`` does not translate (missing, empty or fuzzy)."""
    missing = []
    for msg in pot:
        if not msg.id:
            continue
        have = po.get(msg.id)
        strings = have.string if have is not None else None
        forms = strings if isinstance(strings, (list, tuple)) else [strings]
        if have is None or have.fuzzy or not all(forms) or (isinstance(msg.id, tuple) and len(forms) != 3):
            missing.append(msg.id[0] if isinstance(msg.id, tuple) else msg.id)
    return missing


def compiled(po: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, po)
    return buf.getvalue()


def main(argv: list[str]) -> int:
    what = argv[0] if argv else "all"
    if what in ("update", "all"):
        if PO.exists():
            po = _read(PO)
        else:
            PO.parent.mkdir(parents=True, exist_ok=True)
            po = Catalog(locale="uk", domain="plandocs", project="plandocs", charset="utf-8")
        po.update(template(), no_fuzzy_matching=True, update_creation_date=False)
        po.fuzzy = False  # the header is ours, not a guess: compiled catalogues must keep its Plural-Forms
        po.version = "0.1"
        po.copyright_holder = "plandocs"
        po.last_translator = po.language_team = "plandocs <plandocs@example.invalid>"
        with PO.open("wb") as fh:
            write_po(fh, po, width=120, ignore_obsolete=True, omit_header=False, include_lineno=False)
    if what in ("compile", "all"):
        MO.write_bytes(compiled(_read(PO)))
    if what == "check":
        missing = untranslated(_read(PO), template())
        for m in missing:
            print(f"no Ukrainian translation: {m!r}")
        return 1 if missing else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
