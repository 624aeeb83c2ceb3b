"""Stage 2a, schema: turn positioned YAML nodes into typed model records, and describe the model as a
JSON Schema.

Both directions read the same source of truth, the dataclasses of :mod:`plandocs.model.records` (their type hints
and ``doc`` metadata), so the format, its validation and its editor schema cannot drift apart.
"""

from __future__ import annotations

import datetime as _dt
import types
import typing
from dataclasses import MISSING, fields, is_dataclass
from enum import Enum
from functools import cache
from typing import Any

from plandocs.errors import Diagnostics, Loc, closest, did_you_mean
from plandocs.i18n import N_, _
from plandocs.load.source import Map, Node, Scalar, Seq
from plandocs.model.records import Format, IdList, Lines, Organisation, Plan, Record
from plandocs.model.values import (
    Period,
    Term,
    TermOrderError,
    Value,
    parse_date,
    parse_decimal,
    parse_period,
    parse_term_text,
    parse_value,
    term_from_dates,
)

_INVALID: Any = object()
"""Marker for a value that could not be converted (a diagnostic was added)."""

_NULLS = {"", "~", "null", "Null", "NULL"}

_KIND_NAMES = {Map: N_("a mapping"), Seq: N_("a list"), Scalar: N_("a single value")}


@cache
def _hints(cls: Any) -> dict[str, Any]:
    return typing.get_type_hints(cls)


@cache
def record_fields(cls: Any) -> dict[str, Any]:
    """User-visible fields of a record (excluding positions), in canonical order."""
    base = {f.name for f in fields(Record)}
    out = {f.name: f for f in fields(cls) if f.name not in base}
    order: tuple[str, ...] = getattr(cls, "KEY_ORDER", ())
    if order:
        out = {name: out[name] for name in (*order, *(n for n in out if n not in order))}
    return out


def _describe(tp: Any) -> str:
    """What a value of ``tp`` is, in words, in the current language."""
    return _(_describe_en(tp)) if not (isinstance(tp, type) and issubclass(tp, Enum)) else \
        _("one of {values}").format(values=", ".join(repr(m.value) for m in tp))


def _describe_en(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if tp in (str, Format):
        return N_("text")
    if tp is bool:
        return N_("true or false")
    if tp is int:
        return N_("a whole number")
    if tp is float:
        return N_("a number")
    if tp is _dt.date:
        return N_("a date (YYYY-MM-DD)")
    if tp in (Lines, IdList):
        return N_("text or a list of texts") if tp is Lines else N_("an id or a list of ids")
    if tp in (Value, Term, Period):
        return {Value: N_("a value"), Term: N_("a term"), Period: N_("a period")}[tp]
    if origin is list:
        return N_("a list")
    if origin is dict or (isinstance(tp, type) and is_dataclass(tp)):
        return N_("a mapping")
    return N_("a value")


class _Converter:
    def __init__(self, diags: Diagnostics) -> None:
        self.diags = diags

    def fail(self, rule: str, message: str, node: Node, path: str) -> Any:
        self.diags.add(rule, message, node.loc, path)
        return _INVALID

    def wrong_kind(self, node: Node, tp: Any, path: str) -> Any:
        return self.fail("type", _("expected {expected}, got {got}").format(
            expected=_describe(tp), got=_(_KIND_NAMES[type(node)])), node, path)

    def convert(self, node: Node, tp: Any, path: str) -> Any:
        origin = typing.get_origin(tp)
        if origin in (types.UnionType, typing.Union):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if type(None) in typing.get_args(tp) and isinstance(node, Scalar) and not node.quoted \
                    and node.value in _NULLS:
                return None
            if len(args) == 1:
                return self.convert(node, args[0], path)
            # Scalar | Record (a person id or a person, a value or a fact): a mapping is the record
            record = next(a for a in args if isinstance(a, type) and issubclass(a, Record))
            scalar = next(a for a in args if a is not record)
            return self.convert(node, record if isinstance(node, Map) else scalar, path)
        if isinstance(tp, type) and issubclass(tp, Record):
            return self.record(node, tp, path)
        if origin is list:
            if not isinstance(node, Seq):
                return self.wrong_kind(node, tp, path)
            (item_tp,) = typing.get_args(tp)
            items = [self.convert(item, item_tp, f"{path}[{i}]") for i, item in enumerate(node.items)]
            # keep the valid items so that later rules still check them (the file fails anyway)
            return [i for i in items if i is not _INVALID]
        if origin is dict:
            if not isinstance(node, Map):
                return self.wrong_kind(node, tp, path)
            key_tp, val_tp = typing.get_args(tp)
            out: dict[Any, Any] = {}
            ok = True
            for k, v in node.items:
                key = self.scalar(k, key_tp, path)
                val = self.convert(v, val_tp, f"{path}.{k.value}")
                if key is _INVALID or val is _INVALID:
                    ok = False
                else:
                    out[key] = val
            return out if ok else _INVALID
        if tp in (Lines, IdList):
            if isinstance(node, Scalar):
                s = self.scalar(node, str, path)
                return _INVALID if s is _INVALID else tp((s,))
            if isinstance(node, Seq):
                items = [self.scalar(n, str, f"{path}[{i}]") if isinstance(n, Scalar)
                         else self.wrong_kind(n, str, f"{path}[{i}]") for i, n in enumerate(node.items)]
                if not items:
                    return self.fail("type", _("expected {expected}, got an empty list").format(
                        expected=_describe(tp)), node, path)
                return _INVALID if any(i is _INVALID for i in items) else tp(items)
            return self.wrong_kind(node, tp, path)
        if tp is Term and isinstance(node, Map):
            rng = self.convert(node, dict[str, _dt.date], path)
            if rng is _INVALID:
                return _INVALID
            unknown = set(rng) - {"from", "to"}
            if unknown or len(rng) != 2:
                return self.fail("type", _("a term written as a mapping needs exactly 'from' and 'to' dates"),
                                 node, path)
            try:
                return term_from_dates(rng["from"], rng["to"])
            except ValueError as exc:
                return self.fail("term-order", str(exc), node, path)
        if not isinstance(node, Scalar):
            return self.wrong_kind(node, tp, path)
        return self.scalar(node, tp, path)

    def scalar(self, node: Scalar, tp: Any, path: str) -> Any:
        text = node.value
        if not node.quoted and text in _NULLS:
            return self.fail("type", _("expected {expected}, got nothing").format(expected=_describe(tp)),
                             node, path)
        try:
            if tp is str:
                if not text.strip():
                    raise ValueError(_("expected text, got an empty string"))
                return text
            if tp is Format:
                return Format(text)
            if tp is bool:
                if text in ("true", "false"):
                    return text == "true"
                raise ValueError(_("expected true or false, got '{text}'").format(text=text))
            if tp is int:
                if text.isdigit():
                    return int(text)
                raise ValueError(_("expected a whole number, got '{text}'").format(text=text))
            if tp is float:
                number = parse_decimal(text)
                if number is None or number <= 0:
                    raise ValueError(_("expected a positive number such as 12 or 7,5, got '{text}'").format(text=text))
                return float(number)
            if isinstance(tp, type) and issubclass(tp, Enum):
                try:
                    return tp(text)
                except ValueError:
                    choices = [str(m.value) for m in tp]
                    raise ValueError(_("expected one of {choices}; got '{text}'{hint}").format(
                        choices=", ".join(choices), text=text, hint=did_you_mean(text, choices))) from None
            if tp is _dt.date:
                try:
                    return parse_date(text)
                except ValueError as exc:
                    return self.fail("invalid-date", str(exc), node, path)
            if tp is Value:
                return parse_value(text)
            if tp is Term:
                try:
                    return parse_term_text(text)
                except ValueError as exc:
                    if not isinstance(exc, TermOrderError):  # the message is translated; its class is not
                        raise
                    return self.fail("term-order", str(exc), node, path)
            if tp is Period:
                return parse_period(text)
        except ValueError as exc:
            return self.fail("invalid-value", str(exc), node, path)
        raise TypeError(f"no converter for {tp!r}")  # pragma: no cover - a model bug

    def record(self, node: Node, cls: type[Record], path: str) -> Any:
        if not isinstance(node, Map):
            return self.wrong_kind(node, cls, path)
        key_cls: Any = cls  # classes hash fine; mypy sees the dataclass instances' __hash__ = None
        flds = record_fields(key_cls)
        hints = _hints(key_cls)
        values: dict[str, Any] = {}
        locs: dict[str, Loc] = {}
        misspelt: set[str] = set()
        for key, val in node.items:
            kpath = f"{path}.{key.value}" if path else key.value
            if key.value not in flds:
                hint = did_you_mean(key.value, flds) or _("; expected one of: {keys}").format(keys=", ".join(flds))
                self.diags.add("unknown-key", _("unknown key '{key}'{hint}").format(key=key.value, hint=hint),
                               key.loc, path)
                meant = closest(key.value, flds)
                if meant is not None:
                    misspelt.add(meant)
                continue
            _record_locs(locs, key.value, val)
            converted = self.convert(val, hints[key.value], kpath)
            if converted is not _INVALID:
                values[key.value] = converted
        # A record with bad optional keys is still built (without them) so that the rules check the
        # rest; one whose required keys are missing or invalid is dropped.
        ok = True
        values = cls.derive(values)
        for name, f in flds.items():
            if name not in values and f.default is MISSING and f.default_factory is MISSING:
                ok = False
                if name not in locs and name not in misspelt:
                    derived = _(" — or terms to derive it from") if name in cls.DERIVED else ""
                    self.diags.add("missing-key", _("missing required key '{key}' ({doc})").format(
                        key=name, doc=_(f.metadata["doc"])) + derived, node.loc, path)
        if not ok:
            return _INVALID
        rec = cls(**values)
        rec.loc, rec.path, rec.locs = node.loc, path, locs
        return rec


def _record_locs(locs: dict[str, Loc], key: str, node: Node) -> None:
    """Remember where a field's value and its plain sub-values (list items, mapping values) are."""
    locs[key] = node.loc
    if isinstance(node, Seq):
        for i, item in enumerate(node.items):
            if not isinstance(item, Map):
                _record_locs(locs, f"{key}[{i}]", item)
    elif isinstance(node, Map):
        for k, v in node.items:
            _record_locs(locs, f"{key}.{k.value}", v)


def to_record(node: Node, cls: type[Record], diags: Diagnostics) -> Any:
    """Convert the root node of a file to ``cls``; ``None`` when it has errors (added to ``diags``)."""
    if not isinstance(node, Map):
        what = _("a list") if isinstance(node, Seq) else _("a single value")
        name = "plan" if cls is Plan else "organisation" if cls is Organisation else cls.__name__
        diags.add("type", _("the top level of a {kind} file must be a mapping of keys, got {what}").format(
            kind=name, what=what), node.loc)
        return None
    rec = _Converter(diags).record(node, cls, "")
    return None if rec is _INVALID else rec


# --------------------------------------------------------------------------- JSON Schema


def _json_type(tp: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = typing.get_origin(tp)
    if origin in (types.UnionType, typing.Union):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        alts = [_json_type(a, defs) for a in args]
        if type(None) in typing.get_args(tp):
            alts.append({"type": "null"})
        return alts[0] if len(alts) == 1 else {"anyOf": alts}
    if isinstance(tp, type) and issubclass(tp, Record):
        _json_record(tp, defs)
        return {"$ref": f"#/$defs/{tp.__name__}"}
    if origin is list:
        return {"type": "array", "items": _json_type(typing.get_args(tp)[0], defs)}
    if origin is dict:
        key_tp, val_tp = typing.get_args(tp)
        out: dict[str, Any] = {"type": "object", "additionalProperties": _json_type(val_tp, defs)}
        if isinstance(key_tp, type) and issubclass(key_tp, Enum):
            out["propertyNames"] = {"enum": [m.value for m in key_tp]}
        return out
    if tp in (Lines, IdList):
        return {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}, "minItems": 1}]}
    if isinstance(tp, type) and issubclass(tp, Enum):
        return {"enum": [m.value for m in tp]}
    if tp is str:
        return {"type": "string", "minLength": 1}
    if tp is Format:
        return {"type": "string"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": ["number", "string"]}
    if tp is _dt.date:
        return {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    if tp is Period:
        return {"type": ["string", "integer"], "pattern": r"^\d{4}(-Q[1-4]|-\d{4})?$"}
    if tp is Value:
        return {"type": ["string", "number"]}
    if tp is Term:
        return {"anyOf": [
            {"type": ["string", "integer"]},
            {"type": "object", "properties": {"from": {"type": "string"}, "to": {"type": "string"}},
             "required": ["from", "to"], "additionalProperties": False},
        ]}
    raise TypeError(f"no JSON Schema for {tp!r}")  # pragma: no cover


def _json_record(cls: type, defs: dict[str, Any]) -> None:
    if cls.__name__ in defs:
        return
    defs[cls.__name__] = {}  # reserve (recursion guard)
    hints = _hints(cls)
    props: dict[str, Any] = {}
    required = []
    for name, f in record_fields(cls).items():
        prop = _json_type(hints[name], defs)
        prop = {**prop, "description": _(f.metadata.get("doc", ""))}
        if name == "id":
            prop = {"type": ["string", "number"], "description": _(f.metadata.get("doc", ""))}
        props[name] = prop
        if f.default is MISSING and f.default_factory is MISSING and name not in getattr(cls, "DERIVED", ()):
            required.append(name)
    schema: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if cls.__doc__ and not cls.__doc__.startswith(cls.__name__ + "("):
        described = " ".join(cls.__doc__.split())  # a msgid (scripts/i18n.py reads the docstrings)
        schema["description"] = _(described)
    if required:
        schema["required"] = required
    defs[cls.__name__] = schema


def json_schema(cls: type[Record]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a plan or organisation file.

    Its ``$id`` names the kind and the plandocs release the schema was made by (also in
    ``x-plandocs-version``), so an editor's cached copy and a repository's ``schemas/`` can be told apart
    from the current one.
    """
    from plandocs import __version__

    defs: dict[str, Any] = {}
    _json_record(cls, defs)
    root = defs.pop(cls.__name__)
    name = cls.__name__.lower()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:plandocs:{__version__}:{name}",
        "x-plandocs-version": __version__,
        "title": f"plandocs {name} file",
        **root,
        "$defs": defs,
    }
