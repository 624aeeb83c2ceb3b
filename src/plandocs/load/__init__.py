"""Stage 1, load: a YAML file → a tree of positioned nodes (:func:`load_source`)."""

from plandocs.load.source import Source, files_read, load_source

__all__ = ["Source", "files_read", "load_source"]
