"""Stage 1, load: a YAML file → a tree of positioned nodes (:func:`load_source`)."""

from plandocs.load.source import Source, load_source

__all__ = ["Source", "load_source"]
