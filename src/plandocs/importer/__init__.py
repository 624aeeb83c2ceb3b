"""``plandocs import``: existing Word plans and reports into plan YAML, nothing lost.

Entry point: :func:`import_document`.  Stages: :mod:`.docxread` (Word → typed blocks and table grids),
:mod:`.columns` (header → typed column specs), :mod:`.table` (rows → priorities, tasks, measures, rows),
:mod:`.cells` (values, numbering, executors), :mod:`.requisites` (stamp, order, title, prose, signatures),
:mod:`.build` (assembly, canonical YAML, the unplaced report).
"""

from plandocs.errors import ImportFileError
from plandocs.importer.build import ImportResult, Unplaced, import_document

__all__ = ["ImportFileError", "ImportResult", "Unplaced", "import_document"]
