"""Turn raw JSON schema objects (Proxmox keys) into validated, frozen model objects.

Shared by both loaders: Proxmox's tree and our own format use the same schema keys.
Speed matters here (the bench goal is <= 3x plain json.loads), so the code walks each
object once and builds error paths only when something is wrong.
"""

from __future__ import annotations

from typing import Any

from .errors import StructureError
from .model import KNOWN_SCHEMA_KEYS, SCHEMA_TYPES, FrozenDict, Operation, Permissions, Schema, freeze

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
_NESTED_KEYS = frozenset({"properties", "items", "format", "additionalProperties", "oneOf", "enum", "links", "instance-types"})


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def _is_number(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return False
        return True
    return False


def schema_from_raw(raw: Any) -> Schema:
    """Validate and convert one schema object; raises StructureError with its path."""
    if type(raw) is not dict:
        raise StructureError(f"expected a schema object, found {_type_name(raw)}")
    data = dict(raw)
    kind = data.get("type")
    if kind is not None and kind not in SCHEMA_TYPES:
        if isinstance(kind, str):
            raise StructureError(
                f"unknown type name {kind!r} (expected one of {', '.join(sorted(SCHEMA_TYPES))})"
            ).at("type")
        raise StructureError(f"'type' must be a string, found {_type_name(kind)}").at("type")
    for key in _NUMERIC_KEYS:
        if key in data and not _is_number(data[key]):
            raise StructureError(f"{key!r} must be a number, found {data[key]!r}").at(key)
    for key in _STRING_KEYS:
        if key in data and not isinstance(data[key], str):
            raise StructureError(f"{key!r} must be a string, found {_type_name(data[key])}").at(key)
    if "optional" in data and data["optional"] not in (0, 1, "0", "1", True, False):
        raise StructureError(f"'optional' must be 0 or 1, found {data['optional']!r}").at("optional")
    if not _NESTED_KEYS.isdisjoint(data):
        _convert_nested(data)
    if not KNOWN_SCHEMA_KEYS.issuperset(data) or isinstance(data.get("default"), dict | list):
        # Unknown keys (and structured defaults) may hold any JSON: freeze them so the
        # model stays immutable.
        for key, value in data.items():
            if isinstance(value, dict | list) and (key == "default" or key not in KNOWN_SCHEMA_KEYS):
                data[key] = freeze(value)
    return Schema._make(data)


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
        raise StructureError(
            f"'additionalProperties' must be 0, 1 or a schema, found {extra!r}"
        ).at("additionalProperties")
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
        data["enum"] = tuple(freeze(v) for v in enum)
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
        else:
            data[key] = freeze(value)
    data["parameters"] = parameters
    data["returns"] = returns
    if is_open:
        data["open"] = True
    return Operation._make(data)
