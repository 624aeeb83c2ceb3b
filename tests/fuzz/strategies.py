"""Hypothesis strategies for the fuzzing suite (issue 16): projects of plan, organisation, report and
region files, generated from the model (valid and near-valid) or mutated from the real plans in plans/.

A case is a :class:`Case`: file name → bytes, laid out as ``plans/o/<name>`` (a region goes to
``plans/<name>``). The strategies never produce anything outside that folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
REAL_PLANS = sorted(p for p in (REPO / "plans").rglob("*.yaml")
                    if p.name != "organisation.yaml" and not p.name.endswith(".report.yaml"))
_REAL_BYTES = {p: (p.read_bytes(), (p.parent / "organisation.yaml").read_bytes()) for p in REAL_PLANS}
"""Read once: generation must not depend on the files changing during a run (hypothesis checks that)."""

ODD = ["\\0", "\\x0b", "\\uFFFE", "\\ud800", "\u200f", "\u202e", "\u200d", "\u0301\u0301\u0301", "\ufeff",
       "\u00a0", "\t", "%", "1" * 400, "Ш" * 350, "{{ 7*7 }}", "<script>", "&amp;", "../", "/", "\u2028"]
"""Odd text: YAML escapes of characters no document can hold, RTL and zero-width marks, combining marks,
long unbreakable words, template and markup syntax, path pieces."""


@dataclass
class Case:
    """One project: files by name under ``plans/o/`` (and a region under ``plans/``)."""

    origin: str
    files: dict[str, bytes] = field(default_factory=dict)
    region: bytes | None = None
    report_period: str | None = None


def _dump(data: Any) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


_ids = st.from_regex(r"[a-z][a-z0-9-]{0,8}", fullmatch=True)
_word = st.text(st.characters(min_codepoint=0x410, max_codepoint=0x44F), min_size=1, max_size=12)
_text = st.lists(_word, min_size=1, max_size=6).map(" ".join)
_odd_text = st.one_of(_text, st.tuples(_text, st.sampled_from(ODD)).map(lambda t: t[0] + " " + t[1]))
_value = st.one_of(st.integers(0, 10_000), st.sampled_from(["1", "24,5 %", "1/2", "не менше 5", "так", "-3",
                                                            "1 200", "100%"]), _odd_text)


@st.composite
def organisation(draw: st.DrawFn) -> dict[str, Any]:
    people = draw(st.lists(_ids, min_size=1, max_size=3, unique=True))
    executors = draw(st.lists(_ids, min_size=1, max_size=4, unique=True))
    return {
        "name": {"nominative": draw(_text), "genitive": draw(_text)},
        "short_name": draw(_text),
        "head": people[0],
        "people": [{"id": p, "surname": draw(_word).capitalize(), "initials": "О.П.", "position": draw(_text)}
                   for p in people],
        "executors": [{"id": e, "name": draw(_odd_text)} for e in executors],
    }


@st.composite
def plan(draw: st.DrawFn, org: dict[str, Any]) -> dict[str, Any]:
    people = [p["id"] for p in org["people"]]
    executors = [e["id"] for e in org["executors"]]
    year = draw(st.integers(1990, 2999))
    kind = draw(st.sampled_from(["quarterly-plan", "annual-plan"]))
    period = f"{year}-Q{draw(st.integers(1, 4))}" if kind == "quarterly-plan" else str(year)
    priorities = []
    for pi in range(draw(st.integers(1, 2))):
        tasks = []
        for ti in range(draw(st.integers(1, 2))):
            measures = []
            for mi in range(draw(st.integers(1, 3))):
                m: dict[str, Any] = {"id": f"{pi + 1}.{ti + 1}.{mi + 1}", "title": draw(_odd_text),
                                     "indicator": draw(_odd_text)}
                if kind == "annual-plan":
                    q = draw(st.lists(st.integers(0, 50), min_size=4, max_size=4))
                    m["values"] = {"I": q[0], "II": q[1], "III": q[2], "IV": q[3], "total": sum(q)}
                else:
                    m["value"] = draw(_value)
                if draw(st.booleans()):
                    m["executor"] = draw(st.sampled_from(executors))
                    m["term"] = draw(st.sampled_from(["Квітень", "Травень", "Червень", "Щокварталу"]))
                else:
                    m["rows"] = [{"executor": e, "term": "Травень"}
                                 for e in draw(st.lists(st.sampled_from(executors), min_size=1, max_size=3,
                                                        unique=True))]
                measures.append(m)
            tasks.append({"id": f"{pi + 1}.{ti + 1}", "title": draw(_odd_text), "measures": measures})
        priorities.append({"id": str(pi + 1), "title": draw(_odd_text), "tasks": tasks})
    data: dict[str, Any] = {
        "kind": kind, "period": period, "title": [draw(_odd_text)],
        "approval": [{"label": "ЗАТВЕРДЖЕНО", "person": draw(st.sampled_from(people)),
                      "date": f"{year - 1}-12-{draw(st.integers(1, 28)):02d}"}],
        "priorities": priorities,
    }
    if kind == "annual-plan":
        data["breakdown"] = "quarters"
    return data


def _measure_ids(p: dict[str, Any]) -> list[str]:
    return [m["id"] for pr in p["priorities"] for t in pr["tasks"] for m in t["measures"]]


@st.composite
def report(draw: st.DrawFn, p: dict[str, Any], org: dict[str, Any]) -> tuple[dict[str, Any], str]:
    period = p["period"] if "Q" in p["period"] else f"{p['period']}-Q{draw(st.integers(1, 4))}"
    facts = {mid: draw(st.one_of(st.integers(0, 100), _value)) for mid in _measure_ids(p)}
    person = draw(st.one_of(st.sampled_from([x["id"] for x in org["people"]]), _ids))
    return {"plan": "p.yaml", "period": period, "facts": facts, "signatures": [{"person": person}]}, period


def _near_valid(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
    """One change that a user could make by mistake: a key dropped, renamed, or given the wrong type."""
    action = draw(st.sampled_from(["none", "none", "drop", "rename", "retype", "odd-key"]))
    if action == "none" or not data:
        return data
    key = draw(st.sampled_from(sorted(data)))
    out = dict(data)
    if action == "drop":
        del out[key]
    elif action == "rename":
        out[key + "x"] = out.pop(key)
    elif action == "retype":
        out[key] = draw(st.sampled_from([None, 1, "текст", [], {}, [1, 2], {"a": 1}, True, 1.5]))
    else:
        out[draw(st.sampled_from(ODD))] = 1
    return out


@st.composite
def model_case(draw: st.DrawFn) -> Case:
    """Organisation, plan and (sometimes) a report and a region, generated from the model."""
    org = draw(organisation())
    p = draw(plan(org))
    case = Case("model")
    case.files["organisation.yaml"] = _dump(_near_valid(draw, org))
    case.files["p.yaml"] = _dump(_near_valid(draw, p))
    if draw(st.booleans()):
        r, period = draw(report(p, org))
        case.files["p.report.yaml"] = _dump(_near_valid(draw, r))
        case.report_period = period
        members = draw(st.lists(st.sampled_from(["o", "o", "missing", "/", "../..", "o/../o"]), min_size=1,
                                max_size=3))
        case.region = _dump({"name": draw(_text), "organisations": members})
    return case


_SWAPS = [("1", "[1]"), ("1", "{a: 1}"), ("1", "yes"), ("1", "null"), ("1", "1e400"), ('"', ""), ("- ", ""),
          (": ", ":"), ("  ", " "), ("Q", "Q9"), ("20", "99"), ("id", "і d")]


@st.composite
def mutated_case(draw: st.DrawFn) -> Case:
    """A real plan of plans/ (with its organisation) after byte flips, type swaps or odd Unicode."""
    source = draw(st.sampled_from(REAL_PLANS))
    plan_bytes, org = _REAL_BYTES[source]
    data = bytearray(plan_bytes)
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["flip", "swap", "odd", "cut", "dup"]))
        if how == "flip":
            i = draw(st.integers(0, len(data) - 1))
            data[i] ^= 1 << draw(st.integers(0, 7))
        elif how == "swap":
            old, new = draw(st.sampled_from(_SWAPS))
            at = data.find(old.encode(), draw(st.integers(0, len(data) - 1)))
            if at >= 0:
                data[at:at + len(old)] = new.encode()
        elif how == "odd":
            at = data.find(b": ", draw(st.integers(0, len(data) - 1)))
            if at >= 0:
                odd = draw(st.sampled_from(ODD))
                data[at + 2:at + 2] = f'"{odd}" '.encode() if odd.startswith("\\") else odd.encode()
        elif how == "cut":
            i = draw(st.integers(0, len(data) - 1))
            del data[i:i + draw(st.integers(1, 200))]
        else:
            i = draw(st.integers(0, len(data) - 1))
            j = min(len(data), i + draw(st.integers(1, 300)))
            data[j:j] = data[i:j]
    case = Case(f"mutated {source.relative_to(REPO)}")
    case.files["organisation.yaml"] = org
    case.files["p.yaml"] = bytes(data)
    return case


cases = st.one_of(model_case(), mutated_case())
