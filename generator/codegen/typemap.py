"""Map schemas to annotations: parameter types, enum aliases, return types.

Parameters are typed strictly (enums become ``Literal`` aliases shared through the package's
``types`` module). Returns describe what the schema promises without claiming more: string
fields stay ``str`` even when the schema lists an enum (a newer server may send new values),
objects with known properties become ``TypedDict``s with ``total=False`` (servers omit
optional keys), everything else is ``dict[str, Any]`` / ``Any``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..model import Schema
from . import annotation as a
from .naming import Namespace, return_type

__all__ = [
    "SCALARS",
    "EnumAliases",
    "ReturnTypes",
    "TypedDictPlan",
    "is_placeholder_key",
    "literal_values",
    "param_type",
    "runtime_type",
    "scalar",
]

# The JSON-schema scalar types and their Python annotations.
SCALARS: dict[str, a.Annotation] = {"string": a.STR, "integer": a.INT, "number": a.FLOAT, "boolean": a.BOOL}


def scalar(kind: str) -> a.Annotation:
    """The annotation of a scalar kind (``str`` for anything that is not one)."""
    return SCALARS.get(kind, a.STR)


def runtime_type(schema: Schema) -> str:
    """The type a value is checked against; PVE treats a missing type as string."""
    kind = schema.type
    if kind is None:
        return "array" if schema.items is not None else "object" if schema.properties is not None else "string"
    return kind


def literal_values(schema: Schema) -> tuple[object, ...] | None:
    """The values of an enum a ``Literal`` can hold (all strings or all integers), each once."""
    values = schema.enum
    if not values or runtime_type(schema) not in ("string", "integer"):
        return None
    if all(isinstance(v, str) for v in values) or all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return tuple(dict.fromkeys(values))  # Proxmox repeats values now and then
    return None


def is_placeholder_key(key: str) -> bool:
    """``{id}``, ``{node}``: a property that stands for any key of a map."""
    return len(key) > 2 and key.startswith("{") and key.endswith("}")


class EnumAliases:
    """Distinct enum value sets -> one ``Literal`` alias each, named by their first user's context."""

    def __init__(self, names: Namespace) -> None:
        self._names = names
        self.aliases: dict[tuple[object, ...], str] = {}

    def alias(self, values: tuple[object, ...], names: Callable[[], Sequence[str]]) -> str:
        """The alias of a value set; ``names()`` gives the names to try when it is new."""
        if values not in self.aliases:
            self.aliases[values] = self._names.name(values, names())
        return self.aliases[values]

    def definitions(self) -> list[tuple[str, a.Annotation]]:
        """(alias name, its ``Literal``) in first-use order."""
        return [(name, a.literal_of(values)) for values, name in self.aliases.items()]


def param_type(schema: Schema, enums: EnumAliases, names: Callable[[], Sequence[str]]) -> a.Annotation:
    """The annotation of one value of a parameter (without ``| None``); ``names()``: the enum alias names to try."""
    kind = runtime_type(schema)
    values = literal_values(schema)
    if values is not None:
        return a.enum_alias(enums.alias(values, names))
    if kind in SCALARS:
        return SCALARS[kind]
    if kind == "array":
        items = schema.items
        return a.generic("Sequence", param_type(items, enums, names) if items is not None else a.STR)
    if kind == "object":
        return a.generic("Mapping", a.STR, a.ANY)
    return a.ANY


@dataclass
class TypedDictPlan:
    name: str
    fields: list[tuple[str, a.Annotation]] = field(default_factory=list)  # (wire key, annotation)


class ReturnTypes:
    """Return annotations of one resource; collects the TypedDicts they need (nested first)."""

    def __init__(self, names: Namespace, resource: str) -> None:
        self._names = names
        self._resource = resource
        self.typed_dicts: list[TypedDictPlan] = []

    def annotation(self, schema: Schema, verb: str, path: tuple[str, ...] = ()) -> a.Annotation:
        kind = schema.type
        if kind == "null":
            return a.NONE
        if kind in SCALARS:
            return SCALARS[kind]
        if kind == "array" or (kind is None and schema.items is not None):
            items = schema.items
            inner = self.annotation(items, verb, (*path, "[]")) if items is not None else a.ANY
            return a.generic("list", inner)
        if kind == "object" or (kind is None and schema.properties is not None):
            props = schema.properties
            if not props:
                return a.generic("dict", a.STR, a.ANY)
            if all(is_placeholder_key(key) for key in props):
                # Proxmox writes a map keyed by ids as one property named "{id}".
                key, value = next(iter(props.items()))
                return a.generic("dict", a.STR, self.annotation(value, verb, (*path, key)))
            td = TypedDictPlan(self._names.name(object(), return_type(self._resource, verb, path)))
            for key, sub in props.items():
                td.fields.append((key, self.annotation(sub, verb, (*path, key))))
            self.typed_dicts.append(td)
            return a.local(td.name)
        return a.ANY
