"""The immutable model every part of pvegen reads: a spec, its operations, their schemas.

A schema keeps Proxmox's own key names internally (so nothing is lost and loading stays
cheap: the published 9.1 tree has ~12k schema objects) and exposes typed, normalised
accessors. Keys the model does not know are kept and reachable through ``extra``.
Instances are never mutated after loading; ``__setattr__`` refuses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, NoReturn, TypeVar

__all__ = [
    "KNOWN_SCHEMA_KEYS",
    "METHODS",
    "SCHEMA_TYPES",
    "FrozenDict",
    "Operation",
    "Permissions",
    "Schema",
    "Spec",
    "path_placeholders",
    "split_indexed",
]

SCHEMA_TYPES = frozenset({"string", "integer", "number", "boolean", "array", "object", "null", "any"})
METHODS = ("GET", "POST", "PUT", "DELETE")

# Schema keys the model understands; anything else is reported through ``Schema.extra``.
KNOWN_SCHEMA_KEYS = frozenset(
    {
        "type",
        "optional",
        "description",
        "verbose_description",
        "format_description",
        "typetext",
        "title",
        "renderer",
        "format",
        "enum",
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "pattern",
        "default",
        "items",
        "properties",
        "additionalProperties",
        "alias",
        "keyAlias",
        "default_key",
        "requires",
        "type-property",
        "instance-types",
        "oneOf",
        "links",
    }
)

K = TypeVar("K")
V = TypeVar("V")


class FrozenDict(dict[K, V]):
    """A dict that refuses mutation and hashes by content (JSON-dumps like a dict)."""

    __slots__ = ()

    def _refuse(self, *_: object, **__: object) -> NoReturn:
        raise TypeError("FrozenDict is immutable")

    __setitem__ = _refuse
    __delitem__ = _refuse
    clear = _refuse
    pop = _refuse
    popitem = _refuse
    setdefault = _refuse
    update = _refuse
    __ior__ = _refuse

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(tuple(sorted(self.keys(), key=str)))

    def __repr__(self) -> str:
        return f"FrozenDict({dict.__repr__(self)})"

    def __reduce__(self) -> tuple[Any, ...]:
        # pickle would rebuild a dict subclass through __setitem__, which refuses.
        return (FrozenDict, (dict(self),))


def freeze(value: Any) -> Any:
    """Deep-freeze a JSON value: dicts become FrozenDict, lists become tuples."""
    if isinstance(value, dict):
        return FrozenDict({k: freeze(v) for k, v in value.items()})
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """Inverse of freeze: plain JSON data (dicts and lists), model objects turned raw."""
    if isinstance(value, Schema):
        return value.to_raw()
    if isinstance(value, dict):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [thaw(v) for v in value]
    return value


def _number(value: Any) -> int | float | None:
    """Proxmox sometimes writes bounds as strings ("0"); the loader has checked they parse."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return value
    text = str(value)
    try:
        return int(text)
    except ValueError:
        return float(text)


def _truthy(value: Any) -> bool:
    """Proxmox booleans come as 0/1, "0"/"1" or true/false."""
    if isinstance(value, str):
        return value.strip() not in ("", "0")
    return bool(value)


class _Frozen:
    """Base for model classes: attribute state lives in ``_d`` and never changes."""

    __slots__ = ("_d",)
    _d: dict[str, Any]

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, _Frozen)
        return self._d == other._d

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self._d))


def _rebuild(cls: type[_Frozen], data: dict[str, Any]) -> _Frozen:
    obj = object.__new__(cls)
    object.__setattr__(obj, "_d", data)
    return obj


class Schema(_Frozen):
    """One Proxmox JSON schema (a parameter, a return value, a property, a format key)."""

    __slots__ = ()

    @classmethod
    def _make(cls, data: dict[str, Any]) -> Schema:
        """Wrap already-validated, already-converted data (loader use only)."""
        obj = object.__new__(cls)
        object.__setattr__(obj, "_d", data)
        return obj

    @classmethod
    def of_type(cls, type_name: str) -> Schema:
        """A plain schema of one type and nothing else (``{"type": "string"}``): an implicit parameter."""
        return cls._make({"type": type_name})

    def __hash__(self) -> int:
        return hash(
            (
                self._d.get("type"),
                self._d.get("format") if isinstance(self._d.get("format"), str) else None,
                tuple(self._d),
            )
        )

    def __repr__(self) -> str:
        shown = {k: v for k, v in self._d.items() if k not in ("description", "verbose_description")}
        return f"Schema({shown!r})"

    # -- raw access ----------------------------------------------------------------
    def keys(self) -> Iterator[str]:
        """The Proxmox keys present on this schema, in source order."""
        return iter(self._d)

    def has(self, key: str) -> bool:
        """Whether the Proxmox key is present (``enum: null`` is present, with value None)."""
        return key in self._d

    def get(self, key: str, default: Any = None) -> Any:
        """The frozen value of a Proxmox key (nested schemas as Schema objects)."""
        return self._d.get(key, default)

    def to_raw(self) -> dict[str, Any]:
        """Plain JSON data with Proxmox's key names: exactly what was loaded."""
        return {k: thaw(v) for k, v in self._d.items()}

    @property
    def extra(self) -> FrozenDict[str, Any]:
        """Keys the model does not interpret, with their values."""
        return FrozenDict({k: v for k, v in self._d.items() if k not in KNOWN_SCHEMA_KEYS})

    # -- typed accessors -------------------------------------------------------------
    @property
    def type(self) -> str | None:
        value = self._d.get("type")
        return value if isinstance(value, str) else None

    @property
    def optional(self) -> bool:
        return _truthy(self._d.get("optional", 0))

    @property
    def required(self) -> bool:
        return not self.optional

    @property
    def description(self) -> str | None:
        return self._d.get("description")

    @property
    def verbose_description(self) -> str | None:
        return self._d.get("verbose_description")

    @property
    def format_description(self) -> str | None:
        return self._d.get("format_description")

    @property
    def typetext(self) -> str | None:
        return self._d.get("typetext")

    @property
    def title(self) -> str | None:
        return self._d.get("title")

    @property
    def renderer(self) -> str | None:
        return self._d.get("renderer")

    @property
    def format(self) -> str | None:
        """The named format (``pve-vmid``, ``pve-node``, ...), or None."""
        value = self._d.get("format")
        return value if isinstance(value, str) else None

    @property
    def format_properties(self) -> FrozenDict[str, Schema] | None:
        """The keys of a property-string format (``key=value,...``), or None."""
        value = self._d.get("format")
        return value if isinstance(value, FrozenDict) else None

    @property
    def is_property_string(self) -> bool:
        return isinstance(self._d.get("format"), FrozenDict)

    @property
    def enum(self) -> tuple[Any, ...] | None:
        """Allowed values; None when absent and also for Proxmox's ``enum: null``."""
        value = self._d.get("enum")
        return value if isinstance(value, tuple) else None

    @property
    def minimum(self) -> int | float | None:
        return _number(self._d.get("minimum"))

    @property
    def maximum(self) -> int | float | None:
        return _number(self._d.get("maximum"))

    @property
    def min_length(self) -> int | None:
        value = _number(self._d.get("minLength"))
        return None if value is None else int(value)

    @property
    def max_length(self) -> int | None:
        value = _number(self._d.get("maxLength"))
        return None if value is None else int(value)

    @property
    def pattern(self) -> str | None:
        """The pattern as Proxmox writes it (Perl syntax, e.g. ``(?^:...)``)."""
        return self._d.get("pattern")

    @property
    def has_default(self) -> bool:
        return "default" in self._d

    @property
    def default(self) -> Any:
        return self._d.get("default")

    @property
    def items(self) -> Schema | None:
        return self._d.get("items")

    @property
    def properties(self) -> FrozenDict[str, Schema] | None:
        return self._d.get("properties")

    @property
    def additional_properties(self) -> bool | Schema | None:
        """None when absent; a Schema when it describes extra values; else a bool."""
        if "additionalProperties" not in self._d:
            return None
        value = self._d["additionalProperties"]
        return value if isinstance(value, Schema) else _truthy(value)

    @property
    def alias(self) -> str | None:
        """For a property-string key: the key this one is another name for."""
        return self._d.get("alias")

    @property
    def key_alias(self) -> str | None:
        """For a property-string key (``virtio=MAC``): the key whose value its name gives."""
        return self._d.get("keyAlias")

    @property
    def default_key(self) -> bool:
        """For a property-string key: it may be written as a bare value without ``key=``."""
        return _truthy(self._d.get("default_key", 0))

    @property
    def requires(self) -> str | None:
        return self._d.get("requires")

    @property
    def type_property(self) -> str | None:
        return self._d.get("type-property")

    @property
    def instance_types(self) -> tuple[str, ...] | None:
        return self._d.get("instance-types")

    @property
    def one_of(self) -> tuple[Schema, ...] | None:
        return self._d.get("oneOf")

    @property
    def links(self) -> tuple[FrozenDict[str, Any], ...] | None:
        return self._d.get("links")


class Permissions(_Frozen):
    """The permission block of an operation (``check``, ``user``, ``description``)."""

    __slots__ = ()

    @classmethod
    def _make(cls, data: dict[str, Any]) -> Permissions:
        obj = object.__new__(cls)
        object.__setattr__(obj, "_d", data)
        return obj

    def __hash__(self) -> int:
        return hash(tuple(self._d))

    def __repr__(self) -> str:
        return f"Permissions({self._d!r})"

    def to_raw(self) -> dict[str, Any]:
        return {k: thaw(v) for k, v in self._d.items()}

    @property
    def check(self) -> tuple[Any, ...] | None:
        """Proxmox's permission check expression, e.g. ``("perm", "/vms/{vmid}", ("VM.Audit",))``."""
        return self._d.get("check")

    @property
    def user(self) -> str | None:
        """``all``, ``world`` or ``root`` for checks on the user rather than privileges."""
        return self._d.get("user")

    @property
    def description(self) -> str | None:
        return self._d.get("description")

    @property
    def extra(self) -> FrozenDict[str, Any]:
        return FrozenDict({k: v for k, v in self._d.items() if k not in ("check", "user", "description")})

    def privileges(self) -> frozenset[str]:
        """Every privilege name the check mentions (for diffs of what a call needs)."""
        found: set[str] = set()

        def walk(node: Any) -> None:
            if isinstance(node, tuple):
                if len(node) >= 3 and node[0] == "perm" and isinstance(node[2], tuple):
                    found.update(p for p in node[2] if isinstance(p, str))
                for child in node:
                    walk(child)

        walk(self.check)
        return frozenset(found)


# Operation keys (of Proxmox's ``info.METHOD`` object) that the model interprets itself.
OPERATION_KEYS = frozenset(
    {"method", "name", "description", "parameters", "returns", "permissions", "allowtoken", "protected", "proxyto"}
)


class Operation(_Frozen):
    """One API call: an HTTP method on a path."""

    __slots__ = ()

    @classmethod
    def _make(cls, data: dict[str, Any]) -> Operation:
        obj = object.__new__(cls)
        object.__setattr__(obj, "_d", data)
        return obj

    def __hash__(self) -> int:
        return hash((self.method, self.path))

    def __repr__(self) -> str:
        return f"Operation({self.method} {self.path})"

    @property
    def key(self) -> tuple[str, str]:
        return (self.method, self.path)

    @property
    def method(self) -> str:
        value: str = self._d["method"]
        return value

    @property
    def path(self) -> str:
        value: str = self._d["path"]
        return value

    @property
    def name(self) -> str | None:
        """Proxmox's operation name (``vm_start``, ``create_ticket``, ...)."""
        return self._d.get("name")

    @property
    def summary(self) -> str | None:
        return self._d.get("description")

    @property
    def parameters(self) -> FrozenDict[str, Schema]:
        """All parameters, path placeholders included, in source order."""
        value: FrozenDict[str, Schema] = self._d["parameters"]
        return value

    @property
    def open(self) -> bool:
        """True when the server accepts parameters beyond those listed."""
        return bool(self._d.get("open", False))

    @property
    def path_parameters(self) -> tuple[str, ...]:
        return path_placeholders(self.path)

    @property
    def returns(self) -> Schema:
        value: Schema = self._d["returns"]
        return value

    @property
    def permissions(self) -> Permissions | None:
        return self._d.get("permissions")

    @property
    def is_role_read(self) -> bool:
        """A GET answering one boolean per privilege (``GET /access/roles/{roleid}``): the release's role model."""
        names = tuple(self.returns.properties or ()) if self.method == "GET" else ()
        return len(names) >= 5 and all(_PRIVILEGE_NAME.match(name) for name in names)

    @property
    def allowtoken(self) -> bool | None:
        """Whether API tokens may make this call; None when the schema does not say (5.x)."""
        value = self._d.get("allowtoken")
        return None if value is None else _truthy(value)

    @property
    def protected(self) -> bool:
        """Protected calls are proxied to the privileged daemon on the node."""
        return _truthy(self._d.get("protected", 0))

    @property
    def proxyto(self) -> str | None:
        return self._d.get("proxyto")

    @property
    def extra(self) -> FrozenDict[str, Any]:
        return FrozenDict({k: v for k, v in self._d.items() if k not in OPERATION_KEYS and k not in ("path", "open")})

    def raw_items(self) -> Iterator[tuple[str, Any]]:
        """(Proxmox key, frozen value) pairs as loaded, for writers."""
        return iter(self._d.items())


class Spec(_Frozen):
    """A whole API description: product, version label and operations in source order."""

    __slots__ = ()

    def __init__(
        self,
        operations: tuple[Operation, ...],
        *,
        product: str = "pve",
        version: str | None = None,
        source: str | None = None,
        source_kind: str | None = None,
        unstated_permissions: str = "root-only",
    ) -> None:
        index = {op.key: op for op in operations}
        object.__setattr__(
            self,
            "_d",
            {
                "product": product,
                "version": version,
                "operations": tuple(operations),
                "source": source,
                "source_kind": source_kind,
                "unstated_permissions": unstated_permissions,
                "index": index,
            },
        )

    def __eq__(self, other: object) -> bool:
        # Equality is about content; where it was read from does not matter.
        if not isinstance(other, Spec):
            return NotImplemented
        mine = (self.product, self.version, self.unstated_permissions, self.operations)
        return mine == (other.product, other.version, other.unstated_permissions, other.operations)

    def __hash__(self) -> int:
        return hash((self.product, self.version, len(self.operations)))

    def __repr__(self) -> str:
        return f"Spec({self.product} {self.version}, {len(self.operations)} operations)"

    def __len__(self) -> int:
        return len(self.operations)

    def __iter__(self) -> Iterator[Operation]:
        return iter(self.operations)

    @property
    def product(self) -> str:
        value: str = self._d["product"]
        return value

    @property
    def version(self) -> str | None:
        value: str | None = self._d["version"]
        return value

    @property
    def operations(self) -> tuple[Operation, ...]:
        value: tuple[Operation, ...] = self._d["operations"]
        return value

    @property
    def source(self) -> str | None:
        """The file the spec was read from, if any."""
        value: str | None = self._d["source"]
        return value

    @property
    def source_kind(self) -> str | None:
        """``pve-js``, ``pve-json`` or ``pvegen-spec/1``."""
        value: str | None = self._d["source_kind"]
        return value

    @property
    def unstated_permissions(self) -> str:
        """What an operation without a ``permissions`` block allows: ``root-only`` (Proxmox's rule: only root@pam
        may call it) or ``open`` (a hand-written pvegen-spec/1 file that leaves permissions out: any logged-in
        caller). A spec normalised from a Proxmox schema keeps ``root-only``."""
        value: str = self._d["unstated_permissions"]
        return value

    def operation(self, method: str, path: str) -> Operation | None:
        index: Mapping[tuple[str, str], Operation] = self._d["index"]
        return index.get((method.upper(), path))

    @property
    def privileges(self) -> frozenset[str] | None:
        """Every privilege the release's role model knows (``VM.Audit``, ...), or None when the spec has no model.

        The model is the return schema of the role read (``GET /access/roles/{roleid}``): one boolean property per
        privilege. Found by shape, not by path, so a renamed path or a hand-written spec still yields it.
        """
        for op in self.operations:
            if op.is_role_read:
                return frozenset(op.returns.properties or ())
        return None

    @property
    def tfa_flow(self) -> str:
        """How this release's ``POST /access/ticket`` takes a second factor (the client and the mock both follow it).

        - ``otp`` (PVE 5/6): ``otp`` in the login, or a half ticket with ``NeedTFA`` finished by ``POST /access/tfa``;
        - ``challenge-optional`` (PVE 7): ``new-format=1`` gives a challenge ticket that is posted back as
          ``tfa-challenge`` with ``password=totp:CODE``; without ``new-format`` the otp flow still works;
        - ``challenge`` (PVE 8+): always the challenge (``new-format`` defaults to 1; ``/access/tfa`` is gone).
        A spec without the login call gets the current flow.
        """
        op = self.operation("POST", "/access/ticket")
        if op is None:
            return "challenge"
        if "tfa-challenge" not in op.parameters:
            return "otp"
        new_format = op.parameters.get("new-format")
        if new_format is not None and str(new_format.default) == "1":
            return "challenge"
        return "challenge-optional"

    def with_version(self, version: str | None) -> Spec:
        return Spec(
            self.operations,
            product=self.product,
            version=version,
            source=self.source,
            source_kind=self.source_kind,
            unstated_permissions=self.unstated_permissions,
        )


_INDEXED = re.compile(r"^(?P<base>.+)\[n\]$")
_PRIVILEGE_NAME = re.compile(r"^[A-Z][A-Za-z]*(?:\.[A-Z][A-Za-z]*)+$")
_PLACEHOLDER = re.compile(r"\{([^{}/]+)\}")


def split_indexed(name: str) -> tuple[str, bool]:
    """``net[n]`` -> (``net``, True): an indexed parameter sent as net0, net1, ...; else (name, False)."""
    match = _INDEXED.match(name)
    return (match.group("base"), True) if match else (name, False)


_ERASED = "{\x00}"  # cannot occur in a path, so a literal ``{}`` never looks like a placeholder


def path_shape(path: str) -> str:
    """The path with placeholder names erased: the URL a client actually calls (``/nodes/{}``)."""
    return _PLACEHOLDER.sub(_ERASED, path.rstrip("/") or "/")


def path_placeholders(path: str) -> tuple[str, ...]:
    """``/nodes/{node}/qemu/{vmid}`` -> (``node``, ``vmid``)."""
    return tuple(_PLACEHOLDER.findall(path))
