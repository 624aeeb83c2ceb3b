"""``--lang uk|en`` and the translation of the command line's own texts (help, click's words).

:class:`LocalisedGroup` is the class of the ``plandocs`` group: before click parses anything it takes the
language from ``--lang`` (anywhere in the arguments), ``PLANDOCS_LANG`` or the locale, and puts every help
text of the command tree into that language. The English texts are the msgids; the originals are kept on
each object, so one process can switch languages (the tests do).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from plandocs.i18n import LANGUAGES, _, language, set_language, translate_click

ORIGINAL = "_plandocs_original_help"


def take_language(args: Sequence[str]) -> tuple[str | None, list[str]]:
    """The value of ``--lang X`` / ``--lang=X`` anywhere before a ``--``, and the arguments without it.

    Taken out before click parses, so ``plandocs validate --lang uk`` works as well as ``plandocs --lang uk
    validate``; a value that is not a language is left in place for click to refuse.
    """
    rest = list(args)
    for i, arg in enumerate(rest):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(rest) and rest[i + 1] in LANGUAGES:
            return rest[i + 1], rest[:i] + rest[i + 2:]
        if arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            return arg.split("=", 1)[1], rest[:i] + rest[i + 1:]
    return None, rest


_localised = False
"""Whether help texts were ever translated in this process (English start-up then skips the walk)."""


def _translated(obj: Any, attr: str) -> None:
    import inspect  # only here: inspect is a heavy import for validate's start-up

    originals = obj.__dict__.setdefault(ORIGINAL, {})
    if attr not in originals:
        originals[attr] = getattr(obj, attr)
    text = originals[attr]
    if text:
        setattr(obj, attr, _(inspect.cleandoc(text)))


def localise(cmd: click.Command) -> None:
    """Put the help texts of ``cmd`` and its subcommands into the current language."""
    global _localised
    if language() == "en" and not _localised:
        return  # the texts are English already
    _localised = True
    _localise(cmd)


def _localise(cmd: click.Command) -> None:
    _translated(cmd, "help")
    _translated(cmd, "short_help")
    for param in cmd.params:
        if isinstance(param, click.Option):
            _translated(param, "help")
    if vars(cmd).get("_help_option") is not None:
        # click makes the --help option once, in the language of that moment, and keeps it; made again,
        # it is in the current one
        cmd._help_option = None
    if isinstance(cmd, click.Group):
        for sub in cmd.commands.values():
            _localise(sub)


class LocalisedGroup(click.Group):
    """The ``plandocs`` group: chooses the language before parsing, so ``--help`` is already translated."""

    def main(self, args: Sequence[str] | None = None, *rest: Any, **kwargs: Any) -> Any:
        import sys

        lang, argv = take_language(sys.argv[1:] if args is None else args)
        set_language(lang)
        translate_click()
        localise(self)
        return super().main(argv, *rest, **kwargs)


def lang_option(f: Any) -> Any:
    """``--lang``: read by :class:`LocalisedGroup` before parsing; declared so that it is accepted and listed."""
    return click.option("--lang", type=click.Choice(LANGUAGES), expose_value=False, is_eager=True,
                        help="Language of messages (default: PLANDOCS_LANG, else the locale: uk_UA… → uk).")(f)


__all__ = ["LocalisedGroup", "lang_option", "localise", "take_language"]
