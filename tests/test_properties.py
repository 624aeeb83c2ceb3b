"""Property tests of issue 16, over generated plans (tests/fuzz/strategies.py) and the synthetic region:
fmt is idempotent and never changes the data; the annual roll-up is the sum of the quarters.

The other properties — anything that validates renders, rendering twice gives the same bytes, the diff of
a file with itself is empty — are checked for every case of the fuzz run (tests/fuzz/runner.py).
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import REPO, run_cli
from fuzz.strategies import Case, model_case, mutated_case
from plandocs.errors import Diagnostics
from plandocs.model.records import Fact
from plandocs.reports.rollup import annual_rollup

_SETTINGS = settings(max_examples=40, deadline=None, database=None, derandomize=True,
                     suppress_health_check=list(HealthCheck))


def _write(case: Case, root: Path) -> Path:
    folder = root / "plans" / "o"
    folder.mkdir(parents=True)
    for name, data in case.files.items():
        (folder / name).write_bytes(data)
    return folder


@_SETTINGS
@given(st.one_of(model_case(), mutated_case()))
def test_fmt_is_idempotent_and_keeps_the_data(case: Case) -> None:
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="plandocs-prop-"))
    try:
        folder = _write(case, root)
        before = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in folder.iterdir()}
        first = run_cli(["fmt", "plans"], root)
        assert first.exception is None or isinstance(first.exception, SystemExit), first.exception
        after = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in folder.iterdir()}
        for name, text in after.items():
            if text != before[name]:  # fmt rewrote it: the data, as plandocs reads it (every value text), is the same
                assert yaml.load(text, Loader=yaml.BaseLoader) == yaml.load(before[name], Loader=yaml.BaseLoader), \
                    name
        if first.exit_code == 0:
            again = run_cli(["fmt", "--check", "plans"], root)
            assert again.exit_code == 0, again.output
    finally:
        shutil.rmtree(root, ignore_errors=True)


PLANNED = {"1.1.1": (2, 2, 2, 2), "1.1.2": (10, 10, 10, 10), "1.2.1": (1, 0, 1, 0), "2.1.1": (3, 3, 3, 3)}
"""The synthetic north plan's quarterly targets; facts at or above them (up to five times) need no note."""


@_SETTINGS
@given(st.lists(st.lists(st.integers(0, 4), min_size=4, max_size=4), min_size=4, max_size=4))
def test_annual_rollup_is_the_sum_of_the_quarters(extra: list[list[int]]) -> None:
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="plandocs-prop-"))
    try:
        folder = root / "plans" / "north"
        shutil.copytree(REPO / "examples/synthetic-region/north", folder)
        ids = list(PLANNED)
        facts = [[PLANNED[mid][q] * (1 + extra[q][i]) for i, mid in enumerate(ids)] for q in range(4)]
        for q in range(4):
            data = yaml.safe_load((folder / f"2021-q{q + 1}.report.yaml").read_text(encoding="utf-8"))
            data["facts"] = {mid: facts[q][i] for i, mid in enumerate(ids) if PLANNED[mid][q]}
            (folder / f"2021-q{q + 1}.report.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                                                encoding="utf-8")
        rollup = annual_rollup(folder / "2021.yaml", Diagnostics())
        assert rollup is not None and rollup.missing == []
        for i, mid in enumerate(ids):
            fact = rollup.report.facts[mid]
            assert isinstance(fact, Fact) and fact.fact is not None
            assert fact.fact.number == Decimal(sum(facts[q][i] for q in range(4))), (mid, facts)
    finally:
        shutil.rmtree(root, ignore_errors=True)
