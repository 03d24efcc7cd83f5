"""Repair response data the way real servers send it, never rejecting it.

PVE sends numbers as strings now and then ("100"), booleans as 0/1, extra keys, and leaves
out optional keys. Where the schema says integer / number / boolean and the value converts
cleanly, it is converted; anything else is passed through untouched.
"""

from __future__ import annotations

from typing import Any

from .booleans import parse_bool

__all__ = ["coerce"]


def coerce(shape: Any, value: Any) -> Any:
    """``shape`` is the compact form the generator writes: "integer", "number", "boolean",
    ("array", item), ("object", {key: shape}) or ("map", value) for objects keyed by ids."""
    if shape is None or value is None:
        return value
    if shape == "integer":
        if isinstance(value, str):
            try:
                return int(value.strip())
            except ValueError:
                return value
        return value
    if shape == "number":
        if isinstance(value, str):
            try:
                number = float(value.strip())
            except ValueError:
                return value
            return int(number) if number.is_integer() and "." not in value and "e" not in value.lower() else number
        return value
    if shape == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        if isinstance(value, str):
            word = parse_bool(value)
            return value if word is None else word
        return value
    kind = shape[0]
    if kind == "array" and isinstance(value, list):
        return [coerce(shape[1], item) for item in value]
    if kind == "map" and isinstance(value, dict):
        return {key: coerce(shape[1], item) for key, item in value.items()}
    if kind == "object" and isinstance(value, dict):
        fields = shape[1]
        return {key: coerce(fields.get(key), item) for key, item in value.items()}
    return value
