"""Where templates come from and the Jinja environment they run in.

Default templates ship inside the package (``plandocs.templates``, the repository's top-level
``templates/``); an organisation may point to its own folder, whose files take precedence.  Every template
runs in Jinja's sandbox with autoescaping and ``StrictUndefined``; loaders never leave their folders.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import (
    BaseLoader,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    select_autoescape,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from plandocs.errors import TemplateFailure, UsageError
from plandocs.files.discovery import display_path
from plandocs.i18n import _

MAX_SEQUENCE = 100_000
"""Longest string or list a template may build with ``*`` (the sandbox's own range limit is the same)."""
MAX_EXPONENT = 1_000
"""Largest exponent of ``**`` in a template: ``10 ** 10 ** 10`` would hang the render."""


def default_templates_dir() -> Path:
    """The folder of the templates shipped with plandocs."""
    return Path(str(resources.files("plandocs") / "templates"))


def template_dirs(org_templates: Path | None) -> list[Path]:
    """Template search path: the organisation's folder first, then the defaults."""
    dirs = [default_templates_dir()]
    if org_templates is not None:
        dirs.insert(0, org_templates)
    return dirs


def resolve_org_templates(org_file: Path, setting: str | None, project_root: Path) -> Path | None:
    """The organisation's template folder, refused when it lies outside the project."""
    if setting is None:
        return None
    folder = (org_file.parent / setting).resolve()
    root = project_root.resolve()
    if folder != root and root not in folder.parents:
        raise UsageError(_("{file}: templates folder '{folder}' is outside the project ({root}); keep templates "
                           "inside the repository").format(file=org_file, folder=setting, root=root))
    if not folder.is_dir():
        raise UsageError(_("{file}: templates folder '{folder}' does not exist").format(file=org_file, folder=setting))
    return folder


def find_template(dirs: list[Path], name: str) -> Path:
    """First existing ``name`` in the search path (used for DOCX templates)."""
    for d in dirs:
        candidate = d / name
        if candidate.is_file():
            return candidate
    raise UsageError(_("template '{name}' not found in {folders}").format(name=name, folders=", ".join(map(str, dirs))))


def nl2br(text: object) -> Markup:
    """Escape, then keep line breaks as <br>."""
    return Markup("<br>").join(escape(part) for part in str(text).split("\n"))


class _ConfinedLoader(FileSystemLoader):
    """A folder loader that refuses a template whose real path (after symlinks) leaves its folder."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        if not any(Path(d).resolve() in real.parents for d in self.searchpath):
            raise TemplateFailure(_("template '{name}' is a link to '{real}', outside its template folder; "
                                    "templates must be real files inside it").format(name=template, real=real))
        return source, filename, uptodate


class _NoIncludes(BaseLoader):
    """The loader of DOCX templates: a Word document is one template, it cannot include others."""

    def get_source(self, environment: Environment, template: str) -> tuple[str, str | None, Callable[[], bool]]:
        raise TemplateError(_("a DOCX template cannot include other templates ('{name}')").format(name=template))


class _ViewSandbox(ImmutableSandboxedEnvironment):
    """The sandbox, with a fast path for the public fields of plandocs' own view objects.

    Every attribute a template reads goes through the sandbox's safety checks; for the frozen view
    dataclasses those checks cost a third of the HTML render and always pass for public names. Anything
    else (strings, dicts, private or dunder names) still takes the full sandbox path."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) in _view_types() and not attribute.startswith("_"):
            try:
                return getattr(obj, attribute)
            except AttributeError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Any:
        """Jinja's refusal of a dunder or internal attribute, in the current language."""
        return self.undefined(_("access to attribute {name} of {type} object is unsafe.").format(
            name=repr(attribute), type=repr(type(obj).__name__)), name=attribute, obj=obj, exc=SecurityError)

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """``*`` and ``**`` within limits, so that a template cannot exhaust memory or time."""
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_EXPONENT:
            raise OverflowError(_("exponent {n} is too big; templates may use at most {limit}").format(
                n=right, limit=MAX_EXPONENT))
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, str | list | tuple) and isinstance(times, int) and \
                        len(seq) * times > MAX_SEQUENCE:
                    raise OverflowError(_("a sequence of more than {limit} items is too big for a template").format(
                        limit=MAX_SEQUENCE))
        return super().call_binop(context, operator, left, right)


@functools.cache
def _view_types() -> frozenset[type]:
    from plandocs.view import types

    return frozenset(t for t in vars(types).values()
                     if isinstance(t, type) and dataclasses.is_dataclass(t) and t.__module__ == types.__name__)


def jinja_env(dirs: list[Path]) -> ImmutableSandboxedEnvironment:
    """A sandboxed, autoescaping, strict environment over ``dirs``; one per search path and process, so
    templates are compiled once (Jinja still reloads a template whose file changed)."""
    return _cached_env(tuple(os.fspath(d) for d in dirs))


def docx_env() -> ImmutableSandboxedEnvironment:
    """The environment DOCX templates render in: the same sandbox, without includes and without the
    HTML whitespace options (docxtpl keeps the document's own spacing)."""
    return _docx_env()


@functools.cache
def _docx_env() -> ImmutableSandboxedEnvironment:
    return sandboxed_env(_NoIncludes(), html=False)


@functools.lru_cache(maxsize=32)
def _cached_env(dirs: tuple[str, ...]) -> ImmutableSandboxedEnvironment:
    return sandboxed_env(ChoiceLoader([_ConfinedLoader(d) for d in dirs]), html=True)


def sandboxed_env(loader: BaseLoader, *, html: bool) -> ImmutableSandboxedEnvironment:
    """The one factory of template environments: sandboxed, autoescaping, strict about unknown names."""
    env = _ViewSandbox(
        loader=loader,
        autoescape=select_autoescape(default=True, default_for_string=True) if html else True,
        undefined=StrictUndefined,
        keep_trailing_newline=html,
        trim_blocks=html,
        lstrip_blocks=html,
    )
    env.filters["nl2br"] = nl2br
    return env


def template_error_message(exc: BaseException) -> str:
    """What went wrong in a template, for sandbox limits as for Jinja's own errors."""
    if isinstance(exc, RecursionError):
        return _("the template calls itself too deeply (a macro or include without an end)")
    if isinstance(exc, SecurityError) and (call := _NOT_CALLABLE.fullmatch(exc.message or "")):
        return _("{call} may not be called in a template").format(call=call.group(1))
    if isinstance(exc, TemplateError):
        return exc.message or str(exc)
    if isinstance(exc, OverflowError) and str(exc).startswith("Range too big."):  # Jinja's range limit, as worded
        return _("Range too big. The sandbox blocks ranges larger than MAX_RANGE ({limit}).").format(
            limit=MAX_SEQUENCE)
    return str(exc)


_NOT_CALLABLE = re.compile(r"(.+) is not safely callable")
"""Jinja's refusal of a call, such as a list's ``append`` in the immutable sandbox."""


RUNTIME_TEMPLATE_ERRORS = (TemplateError, ArithmeticError, RecursionError)
"""What a template's own expressions can raise besides Jinja's errors: a range bomb or a too big power
(``OverflowError``), ``{{ 1/0 }}``, a macro calling itself."""


def shown_template(filename: str) -> str:
    """A template file as messages show it: relative to the working folder when inside it."""
    return display_path(Path(filename))
