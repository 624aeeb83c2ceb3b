"""The language of messages: English, or Ukrainian from the gettext catalogue shipped in the package.

``_("text {name}").format(name=…)`` and ``ngettext("{n} error(s)", "{n} error(s)", n)`` translate; the msgids
are the English texts, so English needs no catalogue.  The language is, first that applies:
:func:`set_language` (the CLI's ``--lang``), ``PLANDOCS_LANG``, then the locale (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``): Ukrainian when it starts with ``uk``, English otherwise.

The catalogue (``locale/uk/LC_MESSAGES/plandocs.mo``) is read on the first message that needs it, never
for English, so ``plandocs validate`` starts as fast as before.  Rule ids, JSON keys and YAML keys are not
translated.  ``scripts/i18n.py`` extracts the messages (Babel) and compiles the catalogue.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

LANGUAGES = ("en", "uk")
DOMAIN = "plandocs"
LOCALE_DIR = Path(__file__).parent / "locale"

_chosen: str | None = None
_catalogue: Any = None
_loaded_for: str | None = None


def _from_environment() -> str:
    explicit = os.environ.get("PLANDOCS_LANG", "").strip().lower()
    if explicit:
        return "uk" if explicit.startswith("uk") else "en"
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            # LANGUAGE may list several (uk:en); the first decides, as gettext's own lookup does
            return "uk" if value.split(":")[0].lower().startswith("uk") else "en"
    return "en"


def set_language(lang: str | None) -> None:
    """Use ``lang`` (``uk`` or ``en``) from now on; ``None`` goes back to the environment's choice."""
    global _chosen
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    _chosen = lang


def language() -> str:
    """``uk`` or ``en``: the language messages are printed in."""
    return _chosen or _from_environment()


def _translations() -> Any:
    global _catalogue, _loaded_for
    lang = language()
    if lang == "en":
        return None
    if _loaded_for != lang:
        import gettext

        _catalogue = gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[lang], fallback=True)
        _loaded_for = lang
    return _catalogue


def _(message: str) -> str:
    """``message`` in the current language."""
    t = _translations()
    return message if t is None else str(t.gettext(message))


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for ``n`` (Ukrainian has three: 1 помилка, 2 помилки, 5 помилок)."""
    t = _translations()
    if t is None:
        return singular if n == 1 else plural
    return str(t.ngettext(singular, plural, n))


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined; it is translated where it is used (``_(x)``)."""
    return message


def translate_click() -> None:
    """Let click's own texts (Usage:, Options:, Error: …) come from our catalogue too.

    click translates with ``gettext.gettext``, which looks for the default domain in the locale's
    language; a ``--lang`` choice would not reach it, so the click modules' ``_``/``ngettext`` are pointed
    at this module's, which follow the current language (English returns click's own texts unchanged).
    Only done once a language other than English is chosen.
    """
    if language() == "en":
        return
    import gettext

    for name, module in list(sys.modules.items()):
        if name == "click" or name.startswith("click."):
            if getattr(module, "_", None) is gettext.gettext:
                setattr(module, "_", _)  # noqa: B010 - a module attribute, not a constant name
            if getattr(module, "ngettext", None) is gettext.ngettext:
                setattr(module, "ngettext", ngettext)  # noqa: B010


__all__ = ["N_", "_", "language", "ngettext", "set_language", "translate_click"]
