"""Property-string formats (``key=value,...``) as typed classes: one class per distinct format.

A format is a ``format`` dict of sub-keys (``model``, ``bridge``, ``firewall``, ...). Formats are
compared by their full content, so the qemu ``net[n]`` format used by create, config get and
config set becomes one class. Classes are named after their first user: the parameter name,
prefixed by the path's fixed segments (``/nodes/{node}/qemu`` + ``net[n]`` -> ``QemuNet``), made
unique through ``naming``. Alias sub-keys (``virtio`` -> ``macaddr``, keyAlias ``model``) are wire
spellings, not attributes; the runtime class decodes and writes them as PVE does.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from ..model import Operation, Schema, split_indexed
from .docs import docstring_text
from .literals import docstring, literal
from .naming import Namespace, camel, identifier, snake
from .typemap import runtime_type

__all__ = ["PropertyStringClass", "PropertyStrings", "format_key"]

_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
# Members of the runtime base class that a sub-key attribute must not hide.
_RESERVED_ATTRS = frozenset({"extra", "encode", "parse", "to_dict", "self", "cls", "values"})
# Path segments that say nothing about what a format is for.
_NOISE = frozenset({"nodes", "config", "status", "pending", "current"})


@dataclass
class SubKey:
    wire: str
    attr: str
    annotation: str  # without "| None"
    required: bool
    rule_src: str  # source of the runtime Key(...)
    doc: str


@dataclass
class PropertyStringClass:
    name: str
    doc_src: str
    module: str = ""  # its module inside the package's ``propstrings`` folder
    keys: list[SubKey] = field(default_factory=list)
    aliases: list[tuple[str, str, str | None]] = field(default_factory=list)  # (alias, target, keyAlias)

    @property
    def aliases_src(self) -> str:
        items = ", ".join(f"{literal(a)}: ({literal(t)}, {literal(k)})" for a, t, k in self.aliases)
        return "{" + items + "}"


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


class PropertyStrings:
    """Collects the formats of a spec in source order; ``classes()`` builds them afterwards."""

    def __init__(self, taken: Namespace) -> None:
        self._names = taken
        self._modules = Namespace(["__init__"])
        self._found: dict[str, tuple[Schema, str]] = {}  # format key -> (schema, wanted class name)
        self._class_of: dict[str, str] = {}

    def add_operation(self, op: Operation) -> None:
        context = [seg for seg in op.path.split("/") if seg and not seg.startswith("{") and seg not in _NOISE]
        for wire, schema in op.parameters.items():
            for sub, where in _schemas(schema, (split_indexed(wire)[0],)):
                self._register(sub, context, where)
        for sub, where in _schemas(op.returns, ()):
            self._register(sub, context, where)

    def _register(self, schema: Schema, context: list[str], where: tuple[str, ...]) -> None:
        key = format_key(schema)
        if key is None or key in self._found:
            return
        self._found[key] = (schema, camel([*context[-2:], *(split_indexed(w)[0] for w in where[-1:])]))

    def class_name(self, schema: Schema) -> str | None:
        """The class of a parameter's format (after ``classes()``), or None for plain values."""
        key = format_key(schema)
        return None if key is None else self._class_of.get(key)

    def classes(self) -> list[PropertyStringClass]:
        out: list[PropertyStringClass] = []
        for key, (schema, wanted) in self._found.items():
            name = self._names.name(("propstring", key), wanted or "PropertyString")
            self._class_of[key] = name
            built = _build(name, schema)
            built.module = self._modules.name(name, snake(name))
            out.append(built)
        return out


def _build(name: str, schema: Schema) -> PropertyStringClass:
    props: Mapping[str, Schema] = schema.format_properties or {}
    attrs = Namespace(_RESERVED_ATTRS)
    description = (schema.description or "").strip()
    lines = ["Property string ``key=value,...``" + (f" ({description})" if description else "")]
    cls = PropertyStringClass(name, "")
    for wire, sub in props.items():
        if sub.alias is not None:
            cls.aliases.append((wire, sub.alias, sub.key_alias))
            continue
        attr = identifier(wire, _RESERVED_ATTRS)
        attr = attrs.name(wire, f"x{attr}" if attr.startswith("_") else attr)
        kind = runtime_type(sub)
        annotation = _annotation(sub, kind)
        args = [literal(attr), literal(wire), _rule_src(wire, sub, kind)]
        if sub.default_key:
            args.append("default_key=True")
        required = sub.required
        if required:
            args.append("required=True")
        facts = [kind] + (["default key"] if sub.default_key else []) + (["required"] if required else [])
        if sub.format is not None:
            facts.append(f"format {sub.format}")
        if sub.has_default:
            facts.append(f"default {json.dumps(sub.default, ensure_ascii=False, default=str)}")
        text = " ".join((sub.description or "").split())
        doc = f"{wire} ({'; '.join(facts)})" + (f": {text}" if text else "")
        cls.keys.append(SubKey(wire, attr, annotation, required, f"Key({', '.join(args)})", doc))
    if cls.aliases:
        lines.append("")
        lines += _alias_lines(cls.aliases)
    lines += ["", "Keys:"] + [f"    {key.doc}" for key in cls.keys]
    cls.doc_src = docstring(docstring_text("\n".join(lines)), "    ")
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


def _annotation(sub: Schema, kind: str) -> str:
    values = sub.enum
    if values and kind in ("string", "integer"):
        unique = tuple(dict.fromkeys(values))
        integers = all(isinstance(v, int) and not isinstance(v, bool) for v in unique)
        if integers or all(isinstance(v, str) for v in unique):
            return "Literal[" + ", ".join(literal(v) for v in unique) + "]"
    return _SCALARS.get(kind, "str")


def _rule_src(wire: str, sub: Schema, kind: str) -> str:
    """The runtime rule ``P(...)`` checking one sub-key's value (as a parameter is checked)."""
    kind = kind if kind in _SCALARS else "string"
    args = [literal(wire), literal(kind)]
    if sub.enum:
        args.append(f"enum={literal(tuple(sub.enum))}")
    for attr in ("minimum", "maximum", "min_length", "max_length"):
        value = getattr(sub, attr)
        if value is not None:
            args.append(f"{attr}={literal(value)}")
    if sub.pattern is not None:
        args.append(f"pattern={literal(str(sub.pattern))}")
    if sub.format is not None:
        args.append(f"format={literal(sub.format)}")
    return f"P({', '.join(args)})"
