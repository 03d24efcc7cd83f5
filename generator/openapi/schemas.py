"""Proxmox schemas as JSON Schema 2020-12 (OpenAPI 3.1), in three readings of the same model.

- ``request``: what a client may send, with everything PVE checks (types, bounds, lengths, enums,
  exact patterns, formats where the project can say them). Booleans are 0/1 (PVE's check accepts
  exactly "0" and "1" in forms and queries).
- ``response``: what a real server sends. Types are widened the way the client accepts them
  (integers and numbers also as numeric strings, booleans also as 0/1 and "0"/"1"/words, extra keys,
  absent keys); the constraints of the spec stay as ``x-pve-`` annotations because PVE does not
  check its own answers (result verification is off in its HTTP API).
- ``parsed``: the sub-keys of a property string as typed values (booleans as booleans).

PVE-only facts that JSON Schema cannot say are kept under ``x-pve-*`` keys (see docs/openapi.md).
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..codegen.typemap import is_placeholder_key, runtime_type
from ..compat.deprecation import is_deprecated
from ..load_schema import schema_from_raw
from ..model import KNOWN_SCHEMA_KEYS, Schema, split_indexed, thaw
from ..runtime.booleans import FALSE_WORDS, TRUE_WORDS, parse_bool
from ..runtime.pveformats import check_format
from .formats import format_constraint
from .patterns import ecma_literal, ecma_pattern

__all__ = ["Direction", "PatternStats", "SchemaWriter", "indexed_key_pattern"]

Json = dict[str, Any]


class Direction(enum.Enum):
    REQUEST = "request"
    RESPONSE = "response"
    PARSED = "parsed"


# What the client's coerce() turns into numbers and booleans (runtime/coerce.py), as patterns.
_INTEGER_TEXT = r"^\s*[+-]?[0-9]+\s*$"
_NUMBER_TEXT = r"^\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\s*$"


def _any_case(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" if c.isalpha() else ecma_literal(c) for c in word)


_BOOLEAN_TEXT = r"^\s*(?:" + "|".join(_any_case(word) for word in sorted(TRUE_WORDS | FALSE_WORDS)) + r")\s*$"
_RESPONSE_TYPES = {
    "integer": (["integer", "string"], _INTEGER_TEXT),
    "number": (["number", "string"], _NUMBER_TEXT),
    "boolean": (["boolean", "integer", "string"], _BOOLEAN_TEXT),
}
# Keys that only annotate; written under these names in every direction.
_ANNOTATIONS = {
    "verbose_description": "x-pve-verbose-description",
    "format_description": "x-pve-format-description",
    "typetext": "x-pve-typetext",
    "renderer": "x-pve-renderer",
    "requires": "x-pve-requires",
    "instance-types": "x-pve-instance-types",
    "type-property": "x-pve-type-property",
    "links": "x-pve-links",
}


def indexed_key_pattern(base: str) -> str:
    """``net`` -> the names PVE defines for ``net[n]``: net0, net1, ... (no leading zeros)."""
    return f"^{ecma_literal(base)}(?:0|[1-9][0-9]*)$"


@dataclass
class PatternStats:
    """The spec's patterns and named formats where the document checks values (requests, property
    strings): translated to ECMA-262 / said as pattern or enum, or kept only as ``x-pve-*``."""

    translated: int = 0
    kept: int = 0
    distinct_translated: set[str] = field(default_factory=set)
    distinct_kept: set[str] = field(default_factory=set)
    formats_expressed: int = 0
    formats_kept: int = 0

    def count(self, perl: str, ecma: str | None) -> None:
        if ecma is None:
            self.kept += 1
            self.distinct_kept.add(perl)
        else:
            self.translated += 1
            self.distinct_translated.add(perl)

    def count_format(self, expressed: bool) -> None:
        if expressed:
            self.formats_expressed += 1
        else:
            self.formats_kept += 1


class PropertyStringNames:
    """Component names of property-string formats; the exporter gives each format one component."""

    def name_of(self, schema: Schema, hint: str) -> str:  # pragma: no cover - interface
        raise NotImplementedError


class SchemaWriter:
    """Turns model schemas into JSON Schema dicts; one writer per exported document."""

    def __init__(self, property_strings: PropertyStringNames) -> None:
        self.patterns = PatternStats()
        self._property_strings = property_strings

    # -- entry points ------------------------------------------------------------------------
    def request(self, schema: Schema, hint: str = "") -> Json:
        return self._schema(schema, Direction.REQUEST, hint)

    def response(self, schema: Schema, hint: str = "") -> Json:
        return self._schema(schema, Direction.RESPONSE, hint)

    def parsed(self, schema: Schema, hint: str = "") -> Json:
        return self._schema(schema, Direction.PARSED, hint)

    def object_of(self, properties: Mapping[str, Schema], direction: Direction, hint: str = "") -> Json:
        """An object whose keys are ``properties`` (a body, a property string's sub-keys, a return)."""
        out: Json = {"type": "object"}
        self._fill_object(out, properties, direction, hint)
        return out

    # -- one schema --------------------------------------------------------------------------
    def _schema(self, schema: Schema, direction: Direction, hint: str) -> Json:
        out: Json = {}
        if schema.title:
            out["title"] = schema.title
        if schema.description:
            out["description"] = schema.description
        if is_deprecated(schema.description):
            out["deprecated"] = True
        kind = self._kind(schema, direction)
        if schema.one_of and (direction is Direction.RESPONSE or not schema.type_property):
            # PVE: the value must pass one of the variants (and the common type beside them)
            out["anyOf"] = [self._schema(variant, direction, hint) for variant in schema.one_of]
        if kind == "string":
            self._string(out, schema, direction, hint)
        elif kind in ("integer", "number"):
            self._number(out, schema, direction, kind)
        elif kind == "boolean":
            self._boolean(out, schema, direction)
        elif kind == "array":
            out["type"] = "array"
            items = schema.items
            if items is not None:
                out["items"] = self._schema(items, direction, hint)
        elif kind == "object":
            out["type"] = "object"
            self._fill_object(out, schema.properties or {}, direction, hint, schema.additional_properties)
        elif kind == "null":
            out["type"] = "null"
        elif direction is Direction.RESPONSE:
            # no type promised ("any", or none given): anything goes, but what is described still holds
            # for the values it fits (JSON Schema applies items only to arrays, properties only to objects)
            if schema.items is not None:
                out["items"] = self._schema(schema.items, direction, hint)
            if schema.properties is not None:
                self._fill_object(out, schema.properties, direction, hint, schema.additional_properties)
        self._default(out, schema, direction, kind)
        self._annotations(out, schema)
        return out

    @staticmethod
    def _kind(schema: Schema, direction: Direction) -> str:
        if direction is Direction.RESPONSE and schema.type is None:
            return "any"  # returns without a type promise nothing; parameters without one are text (PVE)
        return runtime_type(schema)

    def _string(self, out: Json, schema: Schema, direction: Direction, hint: str) -> None:
        checked = direction is not Direction.RESPONSE
        if checked:
            out["type"] = "string"
        else:
            # Perl's scalars carry no type: a value last used as a number goes out as a JSON number
            # (5.4 and 6.4 type /nodes' mem as a string; their servers send numbers, 7.x fixed the schema)
            out["type"], out["x-pve-type"] = ["string", "number"], "string"
        prefix = "" if checked else "x-pve-"
        if schema.min_length is not None:
            out[f"{prefix}minLength"] = schema.min_length
        if schema.max_length is not None:
            out[f"{prefix}maxLength"] = schema.max_length
        if schema.pattern is not None:
            out["x-pve-pattern"] = schema.pattern
            if checked:
                ecma = ecma_pattern(schema.pattern)
                self.patterns.count(schema.pattern, ecma)
                if ecma is not None:
                    out["pattern"] = ecma
        if schema.enum is not None:
            out[f"{prefix}enum"] = _unique(_perl_string(value) for value in schema.enum)
        properties = schema.format_properties
        if properties is not None:
            name = self._property_strings.name_of(schema, hint)
            out["x-pve-property-string"] = {"$ref": f"#/components/schemas/{name}"}
        elif schema.format is not None:
            out["x-pve-format"] = schema.format
            pattern, words = format_constraint(schema.format)
            if checked:
                self.patterns.count_format(pattern is not None or words is not None)
            if checked and words is not None and "enum" not in out:
                out["enum"] = list(words)
            if checked and pattern is not None:
                # two patterns must both hold: the second one goes into an allOf
                if "pattern" in out:
                    out["allOf"] = [{"pattern": pattern}]
                else:
                    out["pattern"] = pattern

    def _number(self, out: Json, schema: Schema, direction: Direction, kind: str) -> None:
        prefix = ""
        if direction is Direction.RESPONSE:
            out["type"], out["pattern"] = _RESPONSE_TYPES[kind]
            out["x-pve-type"] = kind
            prefix = "x-pve-"
        else:
            out["type"] = kind
        if schema.minimum is not None:
            out[f"{prefix}minimum"] = schema.minimum
        if schema.maximum is not None:
            out[f"{prefix}maximum"] = schema.maximum
        if schema.enum is not None:
            values = [_as_number(value, kind) for value in schema.enum]
            out[f"{prefix}enum"] = _unique(value for value in values if value is not None)
        if schema.format is not None:
            out["x-pve-format"] = schema.format

    @staticmethod
    def _boolean(out: Json, schema: Schema, direction: Direction) -> None:
        if direction is Direction.REQUEST:
            out["type"], out["enum"] = "integer", [0, 1]
            out["x-pve-type"] = "boolean"
        elif direction is Direction.PARSED:
            out["type"] = "boolean"
        else:
            out["type"], out["pattern"] = _RESPONSE_TYPES["boolean"]
            out["minimum"], out["maximum"] = 0, 1  # numbers: 0 and 1 only (true/false are not numbers)
            out["x-pve-type"] = "boolean"

    # -- objects -----------------------------------------------------------------------------
    def _fill_object(
        self,
        out: Json,
        properties: Mapping[str, Schema],
        direction: Direction,
        hint: str,
        additional: bool | Schema | None = None,
    ) -> None:
        props: Json = {}
        patterns: Json = {}
        required: list[str] = []
        depends: dict[str, list[str]] = {}
        variants: list[Json] = []
        placeholder: Json | None = None
        for name, prop in properties.items():
            base, indexed = split_indexed(name)
            sub_hint = f"{hint}.{base}" if hint else base
            if direction is Direction.RESPONSE and is_placeholder_key(name):
                placeholder = self._schema(prop, direction, sub_hint)
                placeholder["x-pve-key"] = name
                continue
            written = self._property(prop, direction, sub_hint)
            if indexed:
                written["x-pve-indexed"] = name
                patterns[indexed_key_pattern(base)] = written
                continue
            props[name] = written
            if direction is Direction.RESPONSE:
                continue
            if prop.required and prop.type_property is None and prop.alias is None:
                required.append(name)
            if prop.requires:
                depends.setdefault(name, []).append(prop.requires)
            if prop.type_property and prop.one_of:
                variants.extend(self._variants(name, prop, direction, sub_hint))
        if props:
            out["properties"] = props
        if patterns:
            out["patternProperties"] = patterns
        if required:
            out["required"] = required
        if depends:
            out["dependentRequired"] = depends
        if variants:
            out["allOf"] = variants
        if placeholder is not None:
            out["additionalProperties"] = placeholder
        elif direction is not Direction.RESPONSE and additional is not None:
            out["additionalProperties"] = (
                self._schema(additional, direction, hint) if isinstance(additional, Schema) else additional
            )
        elif direction is Direction.RESPONSE and isinstance(additional, Schema):
            out["additionalProperties"] = self._schema(additional, direction, hint)

    def _property(self, prop: Schema, direction: Direction, hint: str) -> Json:
        if prop.one_of and prop.type_property and direction is not Direction.RESPONSE:
            # the variant is chosen by a sibling key (see _variants); alone, only the common type holds
            common = schema_from_raw({k: v for k, v in prop.to_raw().items() if k not in ("oneOf", "type-property")})
            written = self._schema(common, direction, hint)
            written["x-pve-type-property"] = prop.type_property
            return written
        return self._schema(prop, direction, hint)

    def _variants(self, name: str, prop: Schema, direction: Direction, hint: str) -> Iterable[Json]:
        """PVE checks the variant whose ``instance-types`` holds the value of the type property."""
        selector = prop.type_property
        assert selector is not None
        for variant in prop.one_of or ():
            types = list(variant.instance_types or ())
            then: Json = {"properties": {name: self._schema(variant, direction, hint)}}
            if variant.required:
                then["required"] = [name]
            yield {"if": {"properties": {selector: {"enum": types}}, "required": [selector]}, "then": then}

    # -- defaults and annotations ------------------------------------------------------------
    def _default(self, out: Json, schema: Schema, direction: Direction, kind: str) -> None:
        if not schema.has_default:
            return
        typed = _typed_default(schema.default, kind, direction)
        if typed is not None and _default_fits(typed, out, schema):
            out["default"] = typed
        else:
            out["x-pve-default"] = thaw(schema.default)

    @staticmethod
    def _annotations(out: Json, schema: Schema) -> None:
        extra: Json = {}
        present = schema.keys()  # a Schema, not a dict: keys() is its iterator of Proxmox keys
        for key in present:
            name = _ANNOTATIONS.get(key)
            if name is not None:
                out[name] = thaw(schema.get(key))
            elif key not in KNOWN_SCHEMA_KEYS:
                extra[key] = thaw(schema.get(key))  # keys the model does not know: kept, not dropped
        if extra:
            out["x-pve-extra"] = extra


def _perl_string(value: Any) -> str:
    """How Perl's ``eq`` sees an enum value: JSON true/false are 1/0, numbers as written."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _as_number(value: Any, kind: str) -> int | float | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    try:
        number = float(str(value))
    except ValueError:
        return None
    if kind == "integer":
        return int(number) if number.is_integer() else None
    return number


def _unique(values: Iterable[Any]) -> list[Any]:
    seen: list[Any] = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


def _typed_default(value: Any, kind: str, direction: Direction) -> Any:
    """The default as a value of the written type, or None when PVE's default is prose."""
    if kind == "boolean":
        truth = parse_bool(_perl_string(value))
        if truth is None:
            return None
        return truth if direction is Direction.PARSED else int(truth)
    if kind in ("integer", "number"):
        number = _as_number(value, kind)
        if number is None or (isinstance(number, float) and not math.isfinite(number)):
            return None
        return number
    if kind == "string":
        return value if isinstance(value, str) else _perl_string(value)
    return thaw(value)


def _default_fits(value: Any, out: Json, schema: Schema) -> bool:
    """A default is written as ``default`` only when the written schema accepts it."""
    if isinstance(value, str):
        if "enum" in out and value not in out["enum"]:
            return False
        if "minLength" in out and len(value) < out["minLength"]:
            return False
        if "maxLength" in out and len(value) > out["maxLength"]:
            return False
        for pattern in (out.get("pattern"), *(part["pattern"] for part in out.get("allOf", ()))):
            if pattern is not None and re.search(pattern, value) is None:
                return False
        return schema.format is None or check_format(schema.format, value) is None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return True
    if "enum" in out and value not in out["enum"]:
        return False
    low, high = out.get("minimum"), out.get("maximum")
    return (low is None or value >= low) and (high is None or value <= high)
