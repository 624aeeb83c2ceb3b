"""The committed JSON Schemas are what ``plandocs schema`` prints, and they describe the real plans.

The schemas are for editors (yaml-language-server).  ``jsonschema`` is not a dependency, so a small
walker checks the part of the schema that matters most while typing: every key written in a plan or
organisation file is a property of the record it is written in (records are ``additionalProperties:
false``), every required key is present, and keys of enum-keyed mappings (``headers``) are allowed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import PLANS, REPO, assert_clean_exit, run_cli
from plandocs.files.kinds import ORGANISATION_FILE, REPORT_SUFFIX

SCHEMAS = REPO / "schemas"
ORG_FILES = sorted(PLANS.rglob(ORGANISATION_FILE))
REPORT_FILES = sorted(PLANS.rglob("*" + REPORT_SUFFIX))
BODIES_FILES = sorted(PLANS.rglob("*.bodies.yaml"))
PLAN_FILES = sorted(set(PLANS.rglob("*.yaml")) - set(ORG_FILES) - set(REPORT_FILES) - set(BODIES_FILES))
SCHEMA_KINDS = sorted(p.name.removesuffix(".schema.json") for p in SCHEMAS.glob("*.schema.json"))


def test_schema_files_cover_plans_and_organisations() -> None:
    assert {"plan", "organisation"} <= set(SCHEMA_KINDS)


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_schema_command_matches_committed_file(kind: str) -> None:
    result = run_cli(["schema", kind], REPO)
    assert_clean_exit(result)
    assert result.exit_code == 0
    committed = (SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert result.stdout == committed, (
        f"schemas/{kind}.schema.json is stale; regenerate it with "
        f"`plandocs schema {kind} -o schemas/{kind}.schema.json`")


def test_schema_output_option_writes_the_same_text(tmp_path: Path) -> None:
    out = tmp_path / "plan.schema.json"
    result = run_cli(["schema", "plan", "-o", str(out)], tmp_path)
    assert_clean_exit(result)
    assert result.exit_code == 0
    assert result.stdout == ""
    assert out.read_text(encoding="utf-8") == run_cli(["schema", "plan"], tmp_path).stdout


def test_schema_is_draft_2020_12_with_closed_records() -> None:
    schema = json.loads((SCHEMAS / "plan.schema.json").read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    # period may be left out where the document prints none: it is derived from the terms (docs/forms.md)
    assert schema["required"] == ["kind", "title", "priorities"]
    for name, record in schema["$defs"].items():
        assert record["type"] == "object", name
        assert record["additionalProperties"] is False, name


# --------------------------------------------------------------------------- a tiny schema walker


class _Walker:
    """Walk a YAML value along a JSON Schema and collect key problems as ``(key path, message)``."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self.defs: dict[str, Any] = schema["$defs"]
        self.problems: list[str] = []

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            ref = node["$ref"]
            assert ref.startswith("#/$defs/"), ref
            node = self.defs[ref.removeprefix("#/$defs/")]
        return node

    def _leaves(self, node: dict[str, Any]) -> list[dict[str, Any]]:
        """The alternatives of a (possibly nested) ``anyOf``, references resolved."""
        node = self.resolve(node)
        if "anyOf" not in node:
            return [node]
        return [leaf for alt in node["anyOf"] for leaf in self._leaves(alt)]

    def _alternative(self, node: dict[str, Any], value: Any) -> dict[str, Any] | None:
        """The ``anyOf`` branch whose JSON type fits ``value`` (dict → object, list → array, else scalar)."""
        want = "object" if isinstance(value, dict) else "array" if isinstance(value, list) else None
        for alt in self._leaves(node):
            types = alt.get("type")
            types = types if isinstance(types, list) else [types]
            if want in types or (want is None and not {"object", "array"} & set(types)):
                return alt
        return None

    def walk(self, node: dict[str, Any], value: Any, path: str) -> None:
        node = self.resolve(node)
        if "anyOf" in node:
            alt = self._alternative(node, value)
            if alt is None:
                self.problems.append(f"{path}: no alternative of the schema takes {type(value).__name__}")
            else:
                self.walk(alt, value, path)
            return
        if isinstance(value, dict):
            self._mapping(node, value, path)
        elif isinstance(value, list):
            if "items" not in node:
                self.problems.append(f"{path}: a list where the schema has {node.get('type')}")
            for i, item in enumerate(value):
                self.walk(node.get("items", {}), item, f"{path}[{i}]")

    def _mapping(self, node: dict[str, Any], value: dict[Any, Any], path: str) -> None:
        props = node.get("properties")
        if props is not None:
            for key in node.get("required", []):
                if key not in value:
                    self.problems.append(f"{path}: required key '{key}' missing")
            for key, item in value.items():
                if key not in props:
                    self.problems.append(f"{path}: key '{key}' is not in the schema's properties")
                else:
                    self.walk(props[key], item, f"{path}.{key}" if path else str(key))
            return
        extra = node.get("additionalProperties")
        if not isinstance(extra, dict):
            self.problems.append(f"{path}: a mapping where the schema has {node.get('type')}")
            return
        allowed = node.get("propertyNames", {}).get("enum")
        for key, item in value.items():
            if allowed is not None and key not in allowed:
                self.problems.append(f"{path}: key '{key}' is not one of {allowed}")
            self.walk(extra, item, f"{path}.{key}")


def _problems(schema_name: str, data: Any) -> list[str]:
    schema = json.loads((SCHEMAS / schema_name).read_text(encoding="utf-8"))
    walker = _Walker(schema)
    walker.walk(schema, data, "")
    return walker.problems


@pytest.mark.parametrize("path", PLAN_FILES, ids=lambda p: str(p.relative_to(PLANS)))
def test_plan_keys_are_in_the_schema(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert _problems("plan.schema.json", data) == []


@pytest.mark.parametrize("path", ORG_FILES, ids=lambda p: str(p.relative_to(PLANS)))
def test_organisation_keys_are_in_the_schema(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert _problems("organisation.schema.json", data) == []


@pytest.mark.parametrize("path", REPORT_FILES, ids=lambda p: str(p.relative_to(PLANS)))
def test_report_keys_are_in_the_schema(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert _problems("report.schema.json", data) == []


@pytest.mark.parametrize("path", BODIES_FILES, ids=lambda p: str(p.relative_to(PLANS)))
def test_bodies_keys_are_in_the_schema(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert _problems("bodies.schema.json", data) == []


def test_seed_files_are_found() -> None:
    # the five seeds, then the forms of issue 11 (docs/forms.md): the Kharkiv programme and three KMU plans
    assert [p.parent.name for p in PLAN_FILES] == ["kalush", "kharkiv-oblast", "kherson", "kmu", "kmu", "kmu", "odesa",
                                                   "pokrovsk", "zhytomyr"]
    assert [p.parent.name for p in ORG_FILES] == ["kalush", "kharkiv-oblast", "kherson", "kmu", "odesa", "pokrovsk",
                                                  "zhytomyr"]
    assert [p.name for p in BODIES_FILES] == ["central-executive.bodies.yaml"]


def test_walker_reports_unknown_and_missing_keys() -> None:
    """The walker itself finds what it is meant to find, at every depth."""
    plan = {
        "kind": "quarterly-plan",
        "period": "2020-Q2",
        "title": ["План"],
        "headers": {"numbr": "№"},
        "approval": [{"persn": "koval"}],
        "priorities": [{"id": "1", "tasks": [{"id": "1.1", "measures": [
            {"id": "1.1.1", "rows": [{"executor": "x", "ternm": "Квітень"}], "values": {"I": 1}},
            {"title": "без id"},
        ]}]}],
    }
    assert _problems("plan.schema.json", plan) == [
        "headers: key 'numbr' is not one of ['number', 'task', 'result', 'measure', 'term', 'executor', "
        "'indicator', 'values', 'funding', 'priority', 'start', 'end', 'total', 'source', 'expected', 'note']",
        "approval[0]: key 'persn' is not in the schema's properties",
        "priorities[0].tasks[0].measures[0].rows[0]: key 'ternm' is not in the schema's properties",
        "priorities[0].tasks[0].measures[1]: required key 'id' missing",
    ]
