"""The runtime rule of a value, as plan data: parameters and property-string sub-keys alike.

A ``Rule`` holds what the runtime's ``P(...)`` receives; ``rule_source`` writes it (the one
place that does; the templates use it as the ``rule`` filter). ``response_shape`` is the compact
description the runtime uses to repair response values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..model import Schema
from .literals import literal
from .typemap import SCALARS, is_placeholder_key, runtime_type

__all__ = ["Rule", "response_shape", "rule_for", "rule_source"]


@dataclass(frozen=True)
class Rule:
    wire: str
    kind: str
    required: bool = False
    indexed: bool = False
    enum: tuple[Any, ...] | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    format: str | None = None
    items: Rule | None = None
    propstring: str | None = None  # the class of a property-string value (its text is checked too)


def rule_for(
    wire: str,
    schema: Schema,
    *,
    indexed: bool = False,
    sub_key: bool = False,
    propstring_of: Callable[[Schema], str | None] = lambda schema: None,
) -> Rule:
    """The rule of a parameter (or, with ``sub_key``, of a property-string sub-key: always a
    scalar, and its requiredness is the key's, not the rule's)."""
    return _rule(wire, schema, indexed=indexed, sub_key=sub_key, top=True, propstring_of=propstring_of)


def _rule(
    wire: str, schema: Schema, *, indexed: bool, sub_key: bool, top: bool, propstring_of: Callable[[Schema], str | None]
) -> Rule:
    kind = runtime_type(schema)
    if sub_key and kind not in SCALARS:
        kind = "string"
    items = schema.items
    return Rule(
        wire,
        kind,
        required=top and schema.required and not sub_key,
        indexed=indexed,
        enum=tuple(schema.enum) if schema.enum else None,
        minimum=schema.minimum,
        maximum=schema.maximum,
        min_length=schema.min_length,
        max_length=schema.max_length,
        pattern=None if schema.pattern is None else str(schema.pattern),
        format=schema.format,
        items=(
            _rule(wire, items, indexed=False, sub_key=False, top=False, propstring_of=propstring_of)
            if kind == "array" and items is not None
            else None
        ),
        propstring=propstring_of(schema) if kind == "string" else None,
    )


_OPTIONS = ("enum", "minimum", "maximum", "min_length", "max_length", "pattern", "format", "propstring")


def rule_source(rule: Rule) -> str:
    """``P("wire", "kind", ...)``: the runtime's rule, keywords only where they say something."""
    args = [literal(rule.wire), literal(rule.kind)]
    if rule.required:
        args.append("required=True")
    if rule.indexed:
        args.append("indexed=True")
    for option in _OPTIONS:
        value = getattr(rule, option)
        if value is not None:
            args.append(f"{option}={literal(value)}")
    if rule.items is not None:
        args.append(f"items={rule_source(rule.items)}")
    return f"P({', '.join(args)})"


def response_shape(schema: Schema) -> Any:
    """Where a response may need repair ("100" -> 100, 1 -> True); None where nothing below
    needs it, so most shapes stay tiny."""
    kind = runtime_type(schema) if schema.type is not None or schema.items or schema.properties else None
    if kind in ("integer", "number", "boolean"):
        return kind
    if kind == "array" and schema.items is not None:
        inner = response_shape(schema.items)
        return None if inner is None else ["array", inner]
    if kind == "object" and schema.properties:
        props = schema.properties
        if all(is_placeholder_key(key) for key in props):
            inner = response_shape(next(iter(props.values())))
            return None if inner is None else ["map", inner]
        fields = {k: s for k, s in ((k, response_shape(v)) for k, v in props.items()) if s is not None}
        return ["object", fields] if fields else None
    return None
