"""The long fuzz run (``make fuzz``): N cases (default 10,000) through every stage; prints the counts
of tried cases, clear errors, tracebacks, hangs and slow stages, and the first examples of each problem.

    python tests/fuzz/run.py [--cases N] [--pdf-every K] [--seed S]

Exit status 1 when any case ended in a traceback, a hang or a property failure.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, Phase, given, seed, settings

from fuzz.runner import Tally, run_case
from fuzz.strategies import Case, cases


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--pdf-every", type=int, default=100, help="render PDF too for every K-th case")
    parser.add_argument("--twice-every", type=int, default=10, help="render twice and compare for every K-th case")
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    tally = Tally()
    started = time.perf_counter()

    @seed(args.seed)
    @settings(max_examples=args.cases, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(cases)
    def one(case: Case) -> None:
        n = tally.counts["tried"]
        run_case(case, tally, pdf=n % args.pdf_every == 0, twice=n % args.twice_every == 0)
        if tally.counts["tried"] % 500 == 0:
            print(f"[{time.perf_counter() - started:7.0f} s] {tally.line()}", file=sys.stderr, flush=True)

    one()
    print(tally.line())
    print(f"{time.perf_counter() - started:.0f} s")
    for example in tally.examples:
        print("\n" + example)
    c = tally.counts
    return 1 if c["traceback"] or c["hang"] or c["property"] else 0


if __name__ == "__main__":
    sys.exit(main())
