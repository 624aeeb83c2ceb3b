"""Beside the pipeline: reviewing changes — canonical formatting, the plan-aware diff, git drivers, the
next period's plan."""
