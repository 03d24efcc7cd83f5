"""Turn raw JSON schema objects (Proxmox keys) into validated, frozen model objects.

Shared by both loaders: Proxmox's tree and our own format use the same schema keys.
Speed matters here (the bench goal is <= 3x plain json.loads), so the code walks each
object once and builds error paths only when something is wrong.
"""

from __future__ import annotations

import math
import re
from typing import Any

from .errors import StructureError
from .model import KNOWN_SCHEMA_KEYS, SCHEMA_TYPES, FrozenDict, Operation, Permissions, Schema, freeze, thaw

_NUMERIC_KEYS = ("minimum", "maximum", "minLength", "maxLength")
_STRING_KEYS = (
    "description",
    "verbose_description",
    "format_description",
    "typetext",
    "title",
    "renderer",
    "pattern",
    "alias",
    "keyAlias",
    "requires",
    "type-property",
)
_SCALARS = frozenset({str, int, float, bool, type(None)})
_NESTED_KEYS = frozenset(
    {"properties", "items", "format", "additionalProperties", "oneOf", "enum", "links", "instance-types"}
)


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {
        dict: "an object",
        list: "an array",
        str: "a string",
        bool: "a boolean",
        int: "a number",
        float: "a number",
    }.get(type(value), type(value).__name__)


_NUMERIC_TEXT = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$")


def _is_number(value: Any) -> bool:
    """Numbers, and the numeric strings Proxmox sometimes writes ("0"); never NaN or infinity."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return True
    if isinstance(value, float):
        return math.isfinite(value)
    return isinstance(value, str) and _NUMERIC_TEXT.match(value) is not None


# How each known key is checked; a single pass over the keys present keeps loading cheap.
_STRING, _NUMBER, _NESTED, _OPTIONAL, _TYPE, _DEFAULT = range(6)
_KEY_KIND = {
    **{key: _STRING for key in _STRING_KEYS},
    **{key: _NUMBER for key in _NUMERIC_KEYS},
    **{key: _NESTED for key in _NESTED_KEYS},
    "optional": _OPTIONAL,
    "type": _TYPE,
    "default": _DEFAULT,
    "default_key": _OPTIONAL,
}
_BOOLEANS = (0, 1, "0", "1", True, False)


def schema_from_raw(raw: Any) -> Schema:
    """Validate and convert one schema object; raises StructureError with its path.

    The dict comes fresh from the JSON parser and nobody else holds it, so it is converted in
    place and becomes the schema's own storage.
    """
    if type(raw) is not dict:
        raise StructureError(f"expected a schema object, found {_type_name(raw)}")
    nested = unknown = False
    kinds = _KEY_KIND
    for key, value in raw.items():
        kind = kinds.get(key)
        if kind == _STRING:
            if type(value) is not str:
                raise StructureError(f"{key!r} must be a string, found {_type_name(value)}").at(key)
        elif kind == _TYPE:
            if type(value) is not str or value not in SCHEMA_TYPES:
                if isinstance(value, str):
                    raise StructureError(
                        f"unknown type name {value!r} (expected one of {', '.join(sorted(SCHEMA_TYPES))})"
                    ).at(key)
                raise StructureError(f"'type' must be a string, found {_type_name(value)}").at(key)
        elif kind == _NESTED:
            nested = True
        elif kind == _OPTIONAL:
            if value not in _BOOLEANS or type(value) is float:
                raise StructureError(f"{key!r} must be 0 or 1, found {value!r}").at(key)
        elif kind == _NUMBER:
            if not _is_number(value):
                raise StructureError(f"{key!r} must be a number, found {value!r}").at(key)
        elif kind == _DEFAULT:
            if type(value) is dict or type(value) is list:
                unknown = True
        elif kind is None:
            unknown = True
    if nested:
        _convert_nested(raw)
    if unknown:
        # Unknown keys (and structured defaults) may hold any JSON: freeze them so the model
        # stays immutable.
        for key, value in raw.items():
            if (key == "default" or key not in KNOWN_SCHEMA_KEYS) and isinstance(value, dict | list):
                raw[key] = freeze(value)
    return Schema._make(raw)


def _convert_nested(data: dict[str, Any]) -> None:
    props = data.get("properties")
    if props is not None:
        if type(props) is not dict:
            raise StructureError(f"'properties' must be an object, found {_type_name(props)}").at("properties")
        data["properties"] = schema_map(props, "properties")
    if "items" in data:
        try:
            data["items"] = schema_from_raw(data["items"])
        except StructureError as err:
            raise err.at("items") from None
    fmt = data.get("format")
    if fmt is not None:
        if type(fmt) is dict:
            data["format"] = schema_map(fmt, "format")
        elif not isinstance(fmt, str):
            raise StructureError(f"'format' must be a name or an object of keys, found {_type_name(fmt)}").at("format")
    extra = data.get("additionalProperties")
    if type(extra) is dict:
        try:
            data["additionalProperties"] = schema_from_raw(extra)
        except StructureError as err:
            raise err.at("additionalProperties") from None
    elif extra is not None and extra not in (0, 1, "0", "1", True, False):
        raise StructureError(f"'additionalProperties' must be 0, 1 or a schema, found {extra!r}").at(
            "additionalProperties"
        )
    if "oneOf" in data:
        choices = data["oneOf"]
        if type(choices) is not list:
            raise StructureError(f"'oneOf' must be an array, found {_type_name(choices)}").at("oneOf")
        converted = []
        for index, choice in enumerate(choices):
            try:
                converted.append(schema_from_raw(choice))
            except StructureError as err:
                raise err.at(index).at("oneOf") from None
        data["oneOf"] = tuple(converted)
    enum = data.get("enum")
    if enum is not None:
        if type(enum) is not list:
            raise StructureError(f"'enum' must be an array or null, found {_type_name(enum)}").at("enum")
        data["enum"] = tuple(enum) if all(type(v) in _SCALARS for v in enum) else freeze(enum)
    for key in ("links", "instance-types"):
        value = data.get(key)
        if value is not None:
            if type(value) is not list:
                raise StructureError(f"{key!r} must be an array, found {_type_name(value)}").at(key)
            data[key] = freeze(value)


def schema_map(raw: dict[str, Any], key: str) -> FrozenDict[str, Schema]:
    out = {}
    for name, child in raw.items():
        try:
            out[name] = schema_from_raw(child)
        except StructureError as err:
            raise err.at(name).at(key) from None
    return FrozenDict(out)


_EMPTY_RETURNS = Schema._make({})


def returns_from_operation(raw: dict[str, Any]) -> Schema:
    """An operation's return schema; an operation that states none returns an empty schema."""
    if "returns" not in raw:
        return _EMPTY_RETURNS
    try:
        return schema_from_raw(raw["returns"])
    except StructureError as err:
        raise err.at("returns") from None


def operation_from_parts(
    method: str,
    path: str,
    fields: dict[str, Any],
    parameters: FrozenDict[str, Schema],
    is_open: bool,
    returns: Schema,
) -> Operation:
    """Assemble an operation from already-validated parts (both loaders end here)."""
    data: dict[str, Any] = {"method": method, "path": path}
    for key, value in fields.items():
        if key in ("parameters", "returns", "method", "path", "open"):
            continue
        if key == "permissions" and value is not None:
            if type(value) is not dict:
                raise StructureError(f"'permissions' must be an object, found {_type_name(value)}").at(key)
            data[key] = Permissions._make({k: freeze(v) for k, v in value.items()})
        elif key in ("name", "description", "proxyto") and value is not None and not isinstance(value, str):
            raise StructureError(f"{key!r} must be a string, found {_type_name(value)}").at(key)
        elif key in ("allowtoken", "protected") and (value not in _BOOLEANS or type(value) is float):
            raise StructureError(f"{key!r} must be 0 or 1, found {value!r}").at(key)
        else:
            data[key] = freeze(value) if isinstance(value, dict | list) else value
    data["parameters"] = parameters
    data["returns"] = returns
    if is_open:
        data["open"] = True
    return Operation._make(data)


_KEYWORD_TO_KEY = {
    "min_length": "minLength",
    "max_length": "maxLength",
    "additional_properties": "additionalProperties",
    "key_alias": "keyAlias",
    "type_property": "type-property",
    "instance_types": "instance-types",
    "one_of": "oneOf",
}


def build_schema(**keys: Any) -> Schema:
    """A validated schema from Proxmox key names given as keyword arguments (tests, tools).

    Keyword names use ``_`` for ``-``: ``type_property`` -> ``type-property``. Nested schemas may be
    given as Schema objects or plain dicts.
    """
    return schema_from_raw({_KEYWORD_TO_KEY.get(key, key): thaw(value) for key, value in keys.items()})
