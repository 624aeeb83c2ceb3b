"""The plan schema of one organisation: its executor and people ids as enums, so editors complete them.

:func:`organisation_schema` is the one public entry point.  It takes the generic plan schema
(:func:`plandocs.check.schema.json_schema`) and narrows every ``executor`` string to the organisation's executor
ids and every ``person`` string to its people's ids; the descriptions name what each id stands for.
"""

from __future__ import annotations

import copy
from typing import Any

from plandocs.model.records import Organisation


def _narrow(node: Any, enum: dict[str, Any]) -> Any:
    """``node`` with every ``{"type": "string"}`` schema (at any depth of anyOf/items) replaced by ``enum``."""
    if isinstance(node, dict):
        if node.get("type") == "string":
            return {**{k: v for k, v in node.items() if k not in ("type", "minLength")}, **enum}
        return {k: _narrow(v, enum) if k in ("anyOf", "oneOf", "items") else v for k, v in node.items()}
    if isinstance(node, list):
        return [_narrow(v, enum) for v in node]
    return node


def _enum(ids: list[tuple[str, str]]) -> dict[str, Any]:
    # An empty enum would reject every value; with no ids the field keeps its plain string type.
    if not ids:
        return {"type": "string"}
    return {"enum": [i for i, _ in ids], "markdownEnumDescriptions": [name for _, name in ids]}


def organisation_schema(plan_schema: dict[str, Any], org: Organisation, org_id: str) -> dict[str, Any]:
    """A copy of ``plan_schema`` whose executor and person fields accept only ``org``'s ids."""
    out = copy.deepcopy(plan_schema)
    executors = _enum([(e.id, e.name) for e in org.executors])
    people = _enum([(p.id, f"{p.surname} {p.initials or ''}".strip() + (f", {p.position}" if p.position else ""))
                    for p in org.people])
    for definition in [out, *out.get("$defs", {}).values()]:
        props = definition.get("properties", {})
        if "executor" in props:
            props["executor"] = _narrow(props["executor"], executors)
        if "person" in props:
            props["person"] = _narrow(props["person"], people)
    if "$id" in out:
        out["$id"] = f"{out['$id']}:{org_id}"
    out["title"] = f"{out.get('title', 'plandocs plan file')} of {org.short_name or org.name.nominative}"
    return out


__all__ = ["organisation_schema"]
