"""Property strings (``key=value,...``) as one component schema per distinct format.

A string parameter whose ``format`` is a dict of sub-keys stays ``type: string`` on the wire and
points at its format with ``x-pve-property-string: {"$ref": "#/components/schemas/NAME"}``. The
component is a JSON Schema of the parsed value (an object of typed sub-keys, as the generated
client's property-string classes hold it) plus the grammar PVE adds:

- ``x-pve-default-key``: the key whose value may be written bare (``virtio`` for ``model=virtio``);
- ``x-pve-aliases``: other spellings of a key; with ``keyAlias`` the alias name itself is a value
  (``virtio=AA:BB:..`` means ``model=virtio,macaddr=AA:BB:..``).

Names are the generated client's class names for the same format (``QemuNet``), so the export and
the client agree; formats the client does not reach get a name from where they were first met.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..codegen.naming import Namespace, camel
from ..codegen.propstrings import PropertyStrings, format_key
from ..model import Schema, Spec
from .schemas import Direction, PropertyStringNames, SchemaWriter

__all__ = ["PropertyStringComponents"]

Json = dict[str, Any]


class PropertyStringComponents(PropertyStringNames):
    """Hands out component names for property-string formats and builds their schemas once."""

    def __init__(self, spec: Spec, reserved: set[str]) -> None:
        self.names = Namespace(reserved)  # every component schema name of the document
        self._client_names = PropertyStrings(self.names)
        for op in spec.operations:
            self._client_names.add_operation(op)
        self._client_names.classes()
        self._by_key: dict[str, str] = {}
        self._keys: dict[int, tuple[Schema, str]] = {}
        self.components: dict[str, Json] = {}
        self._writer: SchemaWriter | None = None

    def attach(self, writer: SchemaWriter) -> None:
        self._writer = writer

    def name_of(self, schema: Schema, hint: str) -> str:
        known = self._keys.get(id(schema))
        if known is None:
            # the schema is kept beside its key, so its id cannot be reused by another object meanwhile
            known = self._keys[id(schema)] = (schema, format_key(schema) or "")
        key = known[1]
        assert key, "only property strings have a format key"
        name = self._by_key.get(key)
        if name is not None:
            return name
        name = self._client_names.class_name(schema)
        if name is None:
            wanted = camel([part for part in hint.split(".") if part][-2:]) or "PropertyString"
            name = self.names.name(("propstring", key), wanted)
        self._by_key[key] = name
        self.components[name] = {}  # taken before building: a format may (in theory) nest itself
        self.components[name] = self._build(schema, name)
        return name

    def _build(self, schema: Schema, name: str) -> Json:
        assert self._writer is not None, "attach() a SchemaWriter first"
        keys: Mapping[str, Schema] = schema.format_properties or {}
        plain = {key: sub for key, sub in keys.items() if sub.alias is None}
        out: Json = {
            "description": "The keys of a PVE property string (`key=value,...`), as typed values.",
            **self._writer.object_of(plain, Direction.PARSED, name),
            "additionalProperties": False,  # PVE refuses unknown keys in property strings
        }
        default_key = next((key for key, sub in keys.items() if sub.default_key), None)
        if default_key is not None:
            out["x-pve-default-key"] = default_key
        aliases: Json = {}
        for key, sub in keys.items():
            if sub.alias is not None:
                alias: Json = {"alias": sub.alias}
                if sub.key_alias is not None:
                    alias["keyAlias"] = sub.key_alias
                aliases[key] = alias
        if aliases:
            out["x-pve-aliases"] = aliases
        return out
