"""Stage 2, check: nodes → typed records, plan and report rules; :func:`validate` is the entry point."""

from plandocs.check.validate import ValidationResult, validate

__all__ = ["ValidationResult", "validate"]
