"""The pass/fail tally the check scripts share (scripts run as scripts/<name>.py, so this is a sibling)."""

from __future__ import annotations


class Checks:
    """Prints ``ok``/``FAIL`` per check and counts them; ``detail_limit`` cuts long failure details."""

    def __init__(self, detail_limit: int | None = None) -> None:
        self.passed = 0
        self.failed = 0
        self.detail_limit = detail_limit

    def check(self, ok: bool, what: str, detail: str = "") -> None:
        if ok:
            self.passed += 1
            print(f"ok    {what}")
            return
        self.failed += 1
        if detail and self.detail_limit is not None:
            detail = detail.strip()[: self.detail_limit]
        print(f"FAIL  {what}" + (f"\n      {detail}" if detail else ""))
