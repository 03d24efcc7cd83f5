"""Property-string formats (``key=value,...``) as typed classes: one class per distinct format.

A format is a ``format`` dict of sub-keys (``model``, ``bridge``, ``firewall``, ...). Formats are
compared by their full content, so the qemu ``net[n]`` format used by create, config get and
config set becomes one class, named after its first user (``naming.propstring_class_names``).
Alias sub-keys (``virtio`` -> ``macaddr``, keyAlias ``model``) are wire spellings, not
attributes; the runtime class decodes and writes them as PVE does.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from ..model import Operation, Schema, split_indexed
from . import annotation as a
from .docs import schema_facts
from .naming import Namespace, attribute_name, propstring_class_names, propstring_module
from .rules import Rule, rule_for
from .typemap import literal_values, runtime_type, scalar

__all__ = ["PropertyStringClass", "PropertyStrings", "SubKey", "format_key"]


@dataclass
class SubKey:
    wire: str
    attr: str
    annotation: a.Annotation  # without "| None"
    rule: Rule
    required: bool
    default_key: bool
    facts: str  # "integer; default key; range 16.."
    text: str  # the description, on one line

    @property
    def doc(self) -> str:
        return f"{self.wire} ({self.facts})" + (f": {self.text}" if self.text else "")


@dataclass
class PropertyStringClass:
    name: str
    module: str  # inside the package's ``propstrings`` folder
    description: str
    keys: list[SubKey] = field(default_factory=list)
    aliases: list[tuple[str, str, str | None]] = field(default_factory=list)  # (alias, target, keyAlias)
    users: list[str] = field(default_factory=list)  # "POST /nodes/{node}/qemu net[n]", first few

    @property
    def default_key(self) -> SubKey | None:
        return next((key for key in self.keys if key.default_key), None)

    @property
    def bare_value(self) -> a.Annotation | None:
        """What a parameter of this format also accepts besides text and the class: the default
        key's value when it is not text (``memory=2048``), else None."""
        key = self.default_key
        if key is None or key.rule.kind not in ("integer", "number", "boolean"):
            return None
        return key.annotation

    @property
    def summary(self) -> str:
        """A few lines for a list of classes: the name and its keys, the default key first."""
        keys = sorted(self.keys, key=lambda key: not key.default_key)
        line = f"{self.name}: {', '.join(key.wire for key in keys)}"
        return textwrap.fill(
            line, width=96, initial_indent="    ", subsequent_indent="        ", break_on_hyphens=False
        )

    @property
    def doc(self) -> str:
        lines = ["Property string ``key=value,...``" + (f": {self.description}" if self.description else "")]
        if self.users:
            lines += ["", "Used by:", *(f"    {user}" for user in self.users)]
        if self.aliases:
            lines += ["", *_alias_lines(self.aliases)]
        lines += ["", "Keys:", *(f"    {key.doc}" for key in self.keys)]
        return "\n".join(lines)


def format_key(schema: Schema) -> str | None:
    """The identity of a property-string format (its whole ``format`` dict), or None."""
    if schema.format_properties is None:
        return None
    return json.dumps(schema.to_raw().get("format"), sort_keys=True, ensure_ascii=False, default=str)


def _schemas(schema: Schema, where: tuple[str, ...]) -> Iterator[tuple[Schema, tuple[str, ...]]]:
    """Every schema inside ``schema`` (itself first), with the names leading to it."""
    yield schema, where
    if schema.items is not None:
        yield from _schemas(schema.items, where)
    for name, prop in (schema.properties or {}).items():
        yield from _schemas(prop, (*where, name))


_MAX_USERS = 4


class PropertyStrings:
    """Collects the formats of a spec in source order, naming each class when first seen."""

    def __init__(self, names: Namespace) -> None:
        self._names = names
        self._modules = Namespace(["__init__"])
        self._by_key: dict[str, PropertyStringClass] = {}
        self._keys: dict[int, tuple[Schema, str | None]] = {}  # id(schema) -> (schema, format_key)

    def add_operation(self, op: Operation) -> None:
        for wire, schema in op.parameters.items():
            if wire in op.path_parameters:
                continue
            for sub, where in _schemas(schema, (wire,)):
                self._register(sub, op, where)
        for sub, where in _schemas(op.returns, ()):
            self._register(sub, op, where)

    def _key(self, schema: Schema) -> str | None:
        """``format_key`` of a schema, computed once per schema object (it serialises the format)."""
        if schema.format_properties is None:
            return None
        found = self._keys.get(id(schema))
        if found is None:
            found = self._keys[id(schema)] = (schema, format_key(schema))  # holding the schema keeps its id
        return found[1]

    def _register(self, schema: Schema, op: Operation, where: tuple[str, ...]) -> None:
        key = self._key(schema)
        if key is None:
            return
        cls = self._by_key.get(key)
        if cls is None:
            holder = split_indexed(where[-1])[0] if where else ""
            name = self._names.name(("propstring", key), propstring_class_names(op.path, op.method, holder))
            cls = _build(name, self._modules.name(name, propstring_module(name)), schema)
            self._by_key[key] = cls
        if len(cls.users) < _MAX_USERS:
            user = f"{op.method} {op.path}" + (f" {'.'.join(where)}" if where else " (returns)")
            if user not in cls.users:
                cls.users.append(user)

    def class_of(self, schema: Schema) -> PropertyStringClass | None:
        key = self._key(schema)
        return None if key is None else self._by_key.get(key)

    def class_name(self, schema: Schema) -> str | None:
        cls = self.class_of(schema)
        return None if cls is None else cls.name

    def classes(self) -> list[PropertyStringClass]:
        return list(self._by_key.values())


def _build(name: str, module: str, schema: Schema) -> PropertyStringClass:
    props: Mapping[str, Schema] = schema.format_properties or {}
    attrs = Namespace()
    cls = PropertyStringClass(name, module, " ".join((schema.description or "").split()))
    for wire, sub in props.items():
        if sub.alias is not None:
            cls.aliases.append((wire, sub.alias, sub.key_alias))
            continue
        attr = attrs.name(wire, attribute_name(wire))
        kind = runtime_type(sub)
        values = literal_values(sub)
        annotation = a.literal_of(values) if values is not None else scalar(kind)
        facts = [kind] + (["default key"] if sub.default_key else []) + (["required"] if sub.required else [])
        facts += schema_facts(sub)
        text = " ".join((sub.description or "").split())
        rule = rule_for(wire, sub, sub_key=True)
        cls.keys.append(SubKey(wire, attr, annotation, rule, sub.required, sub.default_key, "; ".join(facts), text))
    return cls


def _alias_lines(aliases: list[tuple[str, str, str | None]]) -> list[str]:
    """``ALIAS=VALUE`` short forms, grouped by what they set (net: ``virtio=MAC``)."""
    groups: dict[tuple[str, str | None], list[str]] = {}
    for alias, target, key_alias in aliases:
        groups.setdefault((target, key_alias), []).append(alias)
    lines = []
    for (target, key_alias), names in groups.items():
        sets = f"{target}=VALUE and {key_alias}=NAME" if key_alias else f"{target}=VALUE"
        lines.append(f"Short form NAME=VALUE sets {sets}; NAME is one of: {', '.join(names)}.")
    return lines
