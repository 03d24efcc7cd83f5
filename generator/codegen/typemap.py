"""Map schemas to Python type expressions: parameter annotations, enum aliases, return types.

Parameters are typed strictly (enums become ``Literal`` aliases shared through the package's
``types`` module). Returns describe what the schema promises without claiming more: string
fields stay ``str`` even when the schema lists an enum (a newer server may send new values),
objects with known properties become ``TypedDict``s with ``total=False`` (servers omit
optional keys), everything else is ``dict[str, Any]`` / ``Any``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Schema
from .literals import literal
from .naming import Namespace, camel

__all__ = ["EnumAliases", "ReturnTypes", "TypedDictDef", "is_placeholder_key", "param_annotation", "runtime_type"]

_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


class EnumAliases:
    """Distinct enum value sets -> one ``Literal`` alias each, named after the first user."""

    def __init__(self) -> None:
        self._names = Namespace(["Literal", "TYPE_CHECKING", "annotations"])
        self.aliases: dict[tuple[object, ...], str] = {}

    def alias(self, values: tuple[object, ...], hint: str, context: str = "") -> str:
        """The alias of a value set: the parameter's name if free, else prefixed by its resource."""
        key = tuple(values)
        if key not in self.aliases:
            wanted = camel([hint])
            if context and self._names.taken(wanted):
                wanted = context + wanted
            self.aliases[key] = self._names.name(key, wanted)
        return self.aliases[key]

    def definitions(self) -> list[tuple[str, str]]:
        """(alias name, ``Literal[...]`` source) in first-use order."""
        return [
            (name, "Literal[" + ", ".join(literal(v) for v in values) + "]") for values, name in self.aliases.items()
        ]


def _literal_values(schema: Schema) -> tuple[object, ...] | None:
    values = schema.enum
    if not values:
        return None
    if all(isinstance(v, str) for v in values) or all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return tuple(dict.fromkeys(values))  # Proxmox repeats values now and then
    return None


def param_annotation(schema: Schema, enums: EnumAliases, hint: str, *, indexed: bool = False, context: str = "") -> str:
    """The annotation of a keyword argument (without ``| None``); ``context`` names enum aliases."""
    inner = _param_type(schema, enums, hint, context)
    return f"Mapping[int, {inner}]" if indexed else inner


def _param_type(schema: Schema, enums: EnumAliases, hint: str, context: str = "") -> str:
    kind = runtime_type(schema)
    values = _literal_values(schema) if kind in ("string", "integer") else None
    if values is not None:
        return f"_t.{enums.alias(values, hint, context)}"
    if kind in _SCALARS:
        return _SCALARS[kind]
    if kind == "array":
        items = schema.items
        item = _param_type(items, enums, hint, context) if items is not None else "str"
        return f"Sequence[{item}]"
    if kind == "object":
        return "Mapping[str, Any]"
    return "Any"


def runtime_type(schema: Schema) -> str:
    """The type a value is checked against; PVE treats a missing type as string."""
    kind = schema.type
    if kind is None:
        return "array" if schema.items is not None else "object" if schema.properties is not None else "string"
    return kind


def is_placeholder_key(key: str) -> bool:
    """``{id}``, ``{node}``: a property that stands for any key of a map."""
    return len(key) > 2 and key.startswith("{") and key.endswith("}")


@dataclass
class TypedDictDef:
    name: str
    fields: list[tuple[str, str]] = field(default_factory=list)  # (wire key, annotation)


class ReturnTypes:
    """Return annotations for one module; collects the TypedDicts they need (nested first)."""

    def __init__(self, names: Namespace) -> None:
        self._names = names
        self.typed_dicts: list[TypedDictDef] = []

    def annotation(self, schema: Schema, hint: str) -> str:
        kind = schema.type
        if kind == "null":
            return "None"
        if kind in _SCALARS:
            return _SCALARS[kind]
        if kind == "array" or (kind is None and schema.items is not None):
            items = schema.items
            return f"list[{self.annotation(items, hint + 'Item')}]" if items is not None else "list[Any]"
        if kind == "object" or (kind is None and schema.properties is not None):
            props = schema.properties
            if not props:
                return "dict[str, Any]"
            if all(is_placeholder_key(key) for key in props):
                # Proxmox writes a map keyed by ids as one property named "{id}".
                inner = next(iter(props.values()))
                return f"dict[str, {self.annotation(inner, hint + camel(list(props)[:1]))}]"
            td = TypedDictDef(self._names.name(object(), hint))
            for key, sub in props.items():
                td.fields.append((key, self.annotation(sub, hint + camel([key]))))
            self.typed_dicts.append(td)
            return td.name
        return "Any"
