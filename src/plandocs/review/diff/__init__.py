"""The plan-aware diff: changes by stable id; :func:`plan_diff` is the entry point."""

from plandocs.review.diff.compare import DiffResult, plan_diff

__all__ = ["DiffResult", "plan_diff"]
