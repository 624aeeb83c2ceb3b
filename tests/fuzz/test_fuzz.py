"""The CI-sized fuzz run (issue 16): a few hundred generated and mutated projects through every stage;
any traceback, hang or property failure fails the test with the case that caused it (``make fuzz`` is
the long run)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings

from fuzz.runner import Tally, run_case
from fuzz.strategies import Case, cases

CI_CASES = int(os.environ.get("PLANDOCS_FUZZ_CASES", "150"))


@settings(max_examples=CI_CASES, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(cases)
def test_no_traceback_hang_or_broken_property(case: Case) -> None:
    tally = Tally()
    problems = run_case(case, tally, hang_seconds=20)
    assert problems == [], "\n".join(problems + tally.examples)
