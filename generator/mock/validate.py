"""Check request parameters against an operation's schema the way PVE's JSONSchema.pm does.

Values arrive as text (query string or form body) or as JSON values; PVE accepts both, so
"1" is an integer and "yes" a boolean. The result is the typed values, or PVE's per-parameter
error messages (``{"vmid": "value must have a minimum value of 100"}``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ..model import Operation, Schema, split_indexed
from ..runtime.booleans import parse_bool, parse_parameter_bool
from ..runtime.perlre import compile_perl
from ..runtime.propstring import split_property_string
from ..runtime.pveformats import check_format

_INTEGER = re.compile(r"^[+-]?\d+$")
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_INDEX_SUFFIX = re.compile(r"^(?P<base>.*?)(?P<index>\d+)$")

Errors = dict[str, str]
_NOT_IN_SCHEMA = "property is not defined in schema and the schema does not allow additional properties"


class ParameterIndex:
    """The parameters of one operation, with indexed ones (``net[n]``) reachable as net0, net1, ..."""

    def __init__(self, op: Operation) -> None:
        self.op = op
        self.plain: dict[str, Schema] = {}
        self.indexed: dict[str, Schema] = {}
        for name, schema in op.parameters.items():
            base, is_indexed = split_indexed(name)
            if is_indexed:
                self.indexed[base] = schema
            else:
                self.plain[name] = schema

    def schema_for(self, name: str) -> Schema | None:
        schema = self.plain.get(name)
        if schema is not None or not self.indexed:
            return schema
        match = _INDEX_SUFFIX.match(name)
        if match is None:
            return None
        return self.indexed.get(match.group("base"))


def check_parameters(index: ParameterIndex, given: Mapping[str, Any]) -> tuple[dict[str, Any], Errors]:
    """Typed values of ``given`` (path values included) and the errors, keyed by parameter."""
    errors: Errors = {}
    values: dict[str, Any] = {}
    for name, raw in given.items():
        schema = index.schema_for(name)
        if schema is None:
            if index.op.open:
                values[name] = raw
            else:
                errors[name] = _NOT_IN_SCHEMA
            continue
        value, error = check_value(name, schema, raw)
        if error is not None:
            errors[name] = error
        else:
            values[name] = value
    for name, schema in index.plain.items():
        if schema.required and name not in given and name not in errors:
            errors[name] = "property is missing and it is not optional"
    for name in list(values):
        schema = index.schema_for(name)
        requires = schema.requires if schema is not None else None
        if requires and requires not in given:
            errors.setdefault(requires, f"missing property - '{name}' requires this property")
    return values, errors


def check_value(name: str, schema: Schema, raw: Any) -> tuple[Any, str | None]:
    """One value against its schema: (typed value, None) or (None, PVE's message)."""
    kind = schema.type or "string"
    if isinstance(raw, list) and kind != "array":
        if len(raw) != 1:
            return None, "property is not an array"  # repeated keys only make sense for arrays
        raw = raw[0]
    if kind == "array":
        items = raw if isinstance(raw, list) else [raw]
        item_schema = schema.items or Schema.of_type("string")
        out = []
        for item in items:
            value, error = check_value(name, item_schema, item)
            if error is not None:
                return None, error
            out.append(value)
        return out, None
    if kind == "boolean":
        return _check_boolean(raw)
    if kind in ("integer", "number"):
        return _check_number(schema, raw, kind)
    if kind in ("object", "any", "null"):
        return raw, None
    return _check_string(name, schema, raw)


def _check_boolean(raw: Any) -> tuple[Any, str | None]:
    """PVE's check_type: a boolean parameter is ``1`` or ``0`` (or a JSON true/false); the words
    yes/on/true... count only inside property strings, where parse_property_string has turned them
    into 1/0 before this check (runtime.booleans has both rules)."""
    word = parse_parameter_bool(raw)
    if word is None:
        return None, f"type check ('boolean') failed - got '{raw}'"
    return int(word), None


def _check_number(schema: Schema, raw: Any, kind: str) -> tuple[Any, str | None]:
    if isinstance(raw, bool):
        raw = int(raw)
    text = str(raw).strip()
    pattern = _INTEGER if kind == "integer" else _NUMBER
    if not pattern.match(text):
        return None, f"type check ('{kind}') failed - got '{raw}'"
    value: int | float = int(text) if kind == "integer" else float(text)
    if kind == "number" and float(value).is_integer() and _INTEGER.match(text):
        value = int(text)
    if schema.minimum is not None and value < schema.minimum:
        return None, f"value must have a minimum value of {schema.minimum}"
    if schema.maximum is not None and value > schema.maximum:
        return None, f"value must have a maximum value of {schema.maximum}"
    if schema.enum is not None and value not in schema.enum and text not in map(str, schema.enum):
        return None, f"value '{raw}' does not have a value in the enumeration '{', '.join(map(str, schema.enum))}'"
    return value, None


def _check_string(name: str, schema: Schema, raw: Any) -> tuple[Any, str | None]:
    if isinstance(raw, dict | list):
        return None, f"type check ('string') failed - got {type(raw).__name__}"
    text = str(raw)
    if schema.min_length is not None and len(text) < schema.min_length:
        return None, f"value must be at least {schema.min_length} characters long"
    if schema.max_length is not None and len(text) > schema.max_length:
        return None, f"value may only be {schema.max_length} characters long"
    if schema.pattern:
        compiled = compile_perl(schema.pattern)
        if compiled is not None and compiled.match(text) is None:
            return None, "value does not match the regex pattern"
    if schema.enum is not None and text not in schema.enum:
        return None, f"value '{text}' does not have a value in the enumeration '{', '.join(map(str, schema.enum))}'"
    properties = schema.format_properties
    if properties is not None:
        error = check_property_string(name, properties, text)
        if error is not None:
            return None, error
    elif schema.format:
        problem = check_format(schema.format, text)
        if problem is not None:
            return None, f"invalid format - {problem}"
    return text, None


def check_property_string(name: str, properties: Mapping[str, Schema], text: str) -> str | None:
    """``key=value,...`` against its sub-keys, as PVE's ``parse_property_string`` checks it: a parse
    error, or the per-key errors of ``check_object`` ("format error" and one line per key)."""
    try:
        parsed = parse_property_string(properties, text)
    except ValueError as err:
        return f"invalid format - {err}\n"
    problems: list[str] = []
    for key, value in parsed.items():
        schema = properties[key]
        _, error = check_value(f"{name}.{key}", schema, value)
        if error is not None:
            problems.append(f"{name}.{key}: {error}")
    for key, schema in properties.items():
        if schema.required and key not in parsed and schema.alias is None:
            problems.append(f"{name}.{key}: property is missing and it is not optional")
    if problems:
        return "invalid format - format error\n" + "\n".join(problems) + "\n"
    return None


def parse_property_string(properties: Mapping[str, Schema], text: str) -> dict[str, str]:
    """The sub-key values of a property string, read with the client's grammar
    (``runtime.propstring.split_property_string``) and PVE's rules: a bare value goes to the default
    key; an alias stores its value under its target (``virtio=MAC`` sets ``macaddr``) and, with
    keyAlias, its own name under that key (``model=virtio``); boolean words become 1/0. ValueError
    carries PVE's message for a part it refuses."""
    default_key = next((k for k, s in properties.items() if s.default_key), None)
    result: dict[str, str] = {}
    for key, value in split_property_string(text):
        if key is None:
            if default_key is None:
                raise ValueError("value without key, but schema does not define a default key")
            if default_key in result:
                raise ValueError(f"duplicate key in comma-separated list property: {default_key}")
            result[default_key] = value
            continue
        if not key or not value:
            raise ValueError("missing key in comma-separated list property")
        if key in result:
            raise ValueError(f"duplicate key in comma-separated list property: {key}")
        schema = properties.get(key)
        if schema is not None and schema.alias:
            if schema.key_alias:
                if schema.key_alias in result:
                    raise ValueError(f"key alias '{schema.key_alias}' is already defined")
                result[schema.key_alias] = key
            key = schema.alias
            schema = properties.get(key)
        if schema is None:
            raise ValueError(f"invalid key in comma-separated list property: {key}")
        if schema.type == "boolean":
            word = parse_bool(value)
            value = value if word is None else str(int(word))
        result[key] = value
    return result
