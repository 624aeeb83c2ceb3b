"""Where templates come from and the Jinja environment they run in.

Default templates ship inside the package (``plandocs.templates``, the repository's top-level
``templates/``); an organisation may point to its own folder, whose files take precedence.  Every template
runs in Jinja's sandbox with autoescaping and ``StrictUndefined``; loaders never leave their folders.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from plandocs.errors import UsageError
from plandocs.i18n import _


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


@functools.cache
def _view_types() -> frozenset[type]:
    from plandocs.view import types

    return frozenset(t for t in vars(types).values()
                     if isinstance(t, type) and dataclasses.is_dataclass(t) and t.__module__ == types.__name__)


def jinja_env(dirs: list[Path]) -> ImmutableSandboxedEnvironment:
    """A sandboxed, autoescaping, strict environment over ``dirs``; one per search path and process, so
    templates are compiled once (Jinja still reloads a template whose file changed)."""
    return _cached_env(tuple(os.fspath(d) for d in dirs))


@functools.lru_cache(maxsize=32)
def _cached_env(dirs: tuple[str, ...]) -> ImmutableSandboxedEnvironment:
    env = _ViewSandbox(
        loader=ChoiceLoader([FileSystemLoader(d) for d in dirs]),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["nl2br"] = nl2br
    return env
