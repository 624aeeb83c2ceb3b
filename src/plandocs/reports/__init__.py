"""Beside the pipeline: roll-ups of reports (annual, regional) and report skeletons."""
