"""The plan-aware diff: changes by stable id; :func:`plan_diff` is the entry point."""

from plandocs.review.diff.changes import DiffResult
from plandocs.review.diff.sources import plan_diff

__all__ = ["DiffResult", "plan_diff"]
