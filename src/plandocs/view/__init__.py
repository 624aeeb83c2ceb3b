"""Stage 3, view: a checked plan (or report, or roll-up) → the :class:`DocumentView` every renderer reads."""

from plandocs.view.plan import build_view
from plandocs.view.types import DocumentView

__all__ = ["DocumentView", "build_view"]
