"""The package tree reads as the pipeline, and no import goes back up it (docs/architecture.md).

Layers, earliest first; a module may import its own package and earlier layers only. Imports inside
functions count too (they are the lazy imports that keep ``validate`` fast, not a way around the rule).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).parent.parent / "src" / "plandocs"

LAYERS = ["i18n", "errors", "files", "model", "load", "check", "reports", "view", "render", "review", "scaffold",
          "serve", "cli"]
"""``reports`` computes roll-ups from checked files; the views of reports and roll-ups come after it.
``scaffold`` (``plandocs init``) writes canonical, valid files, so it comes after ``review`` (fmt).
``serve`` (the live preview) validates, renders and diffs, so it sits above those and below the CLI."""


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("plandocs"):
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names if node.module == "plandocs"]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("plandocs")]
    return found


MODULES = sorted([PKG / "i18n.py", PKG / "errors.py", *(p for p in PKG.rglob("*.py") if p.parent != PKG)])


def test_every_package_is_a_layer() -> None:
    packages = sorted(p.name for p in PKG.iterdir() if (p / "__init__.py").exists())
    assert packages == sorted(set(LAYERS) - {"i18n", "errors"})


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PKG)))
def test_no_import_goes_back_up(path: Path) -> None:
    rel = path.relative_to(PKG)
    own = rel.stem if len(rel.parts) == 1 else rel.parts[0]
    level = LAYERS.index(own)
    upward = []
    for lineno, module in _imports(path):
        target = _layer(module)
        if target in ("", "__version__"):
            continue
        if LAYERS.index(target) > level:
            upward.append(f"{rel}:{lineno} imports {module} ({own} may not import {target})")
    assert upward == []


def test_each_package_names_its_entry_point() -> None:
    """Every package's __init__ says what it is for in a docstring; stage packages export their entry point."""
    for init in PKG.glob("*/__init__.py"):
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), init
    for pkg, entry in {"load": "load_source", "check": "validate", "view": "build_view", "render": "render",
                       "scaffold": "init_repository", "cli": "main"}.items():
        module = __import__(f"plandocs.{pkg}", fromlist=[entry])
        assert callable(getattr(module, entry)), pkg
