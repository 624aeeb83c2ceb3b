"""What kind of file a path is, by its name — the one test every command uses."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

DEFAULT_PLANS = Path("plans")
"""The folder commands work on when given no paths."""

ORGANISATION_FILE = "organisation.yaml"
REPORT_SUFFIX = ".report.yaml"
REGION_SUFFIX = ".region.yaml"
BODIES_SUFFIX = ".bodies.yaml"
YAML_SUFFIXES = (".yaml", ".yml")

OUTPUT_FORMATS = ("docx", "html", "pdf")
"""Document formats, in the order they are rendered and listed."""
PDF_ENGINES = ("weasyprint", "typst")
"""``--pdf-engine``: WeasyPrint (the default) prints the HTML templates; Typst prints the same view from its
own markup (plandocs.render.typst), and cannot use an organisation's HTML templates."""


class FileKind(StrEnum):
    """The kinds of YAML file a plans folder holds."""

    PLAN = "plan"
    ORGANISATION = "organisation"
    REPORT = "report"
    REGION = "region"
    BODIES = "bodies"
    """A register of bodies (``*.bodies.yaml``) that organisations share."""


def is_yaml(path: Path | str) -> bool:
    """A YAML file of a plans folder (``.yaml`` or ``.yml``)."""
    return str(path).endswith(YAML_SUFFIXES)


def kind_of(path: Path | str) -> FileKind:
    """``organisation.yaml`` → organisation, ``*.report.yaml`` → report, ``*.region.yaml`` → region,
    ``*.bodies.yaml`` → bodies, else plan."""
    name = Path(path).name
    if name == ORGANISATION_FILE:
        return FileKind.ORGANISATION
    if name.endswith(REPORT_SUFFIX):
        return FileKind.REPORT
    if name.endswith(REGION_SUFFIX):
        return FileKind.REGION
    if name.endswith(BODIES_SUFFIX):
        return FileKind.BODIES
    return FileKind.PLAN
