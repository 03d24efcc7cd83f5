"""Schema-valid sample data for operations the mock keeps no state for.

Deterministic: the same seed, operation and concrete path give the same value. Encoded as PVE
encodes it (booleans as 0/1). Strings with a named format get a plausible value of that format
(a sample, not a check: format checking lives in pvegen.runtime.pveformats).
"""

from __future__ import annotations

import hashlib
import math
import random
from typing import Any

from ..model import Schema
from ..runtime.booleans import parse_bool
from ..runtime.perlre import compile_perl
from .regexgen import generate

_FORMAT_SAMPLES = {
    "pve-node": "pve1",
    "pve-node-list": "pve1",
    "pve-vmid": 100,
    "pve-vmid-list": "100",
    "pve-storage-id": "local",
    "pve-storage-id-list": "local",
    "pve-configid": "net0",
    "pve-configid-list": "net0",
    "pve-userid": "root@pam",
    "pve-groupid": "admins",
    "pve-roleid": "PVEAdmin",
    "pve-realm": "pam",
    "pve-poolid": "pool1",
    "pve-iface": "vmbr0",
    "pve-iface-list": "vmbr0",
    "pve-volume-id": "local:iso/sample.iso",
    "pve-volume-id-or-qm-path": "local:iso/sample.iso",
    "pve-storage-content-list": "images",
    "pve-tag-list": "sample",
    "pve-calendar-event": "daily",
    "pve-replication-job-id": "100-0",
    "pve-startup-order": "order=1",
    "ipv4": "192.0.2.10",
    "ipv6": "2001:db8::10",
    "ip": "192.0.2.10",
    "ip-list": "192.0.2.10",
    "address-list": "192.0.2.10",
    "CIDR": "192.0.2.0/24",
    "CIDRv4": "192.0.2.0/24",
    "CIDRv6": "2001:db8::/64",
    "FullRangeCIDR": "192.0.2.0/24",
    "ipv4mask": "255.255.255.0",
    "mac-addr": "BC:24:11:00:00:01",
    "mac-prefix": "BC:24:11",
    "dns-name": "pve.example",
    "dns-name-list": "pve.example",
    "email": "root@pve.example",
    "email-opt": "root@pve.example",
    "email-or-username": "root@pam",
    "email-or-username-list": "root@pam",
    "urlencoded": "sample",
    "pve-cpuset": "0-1",
    "pve-ct-timezone": "UTC",
    "pve-sdn-fabric-id": "fabric1",
    "pve-sdn-route-map-id": "map1",
    "pve-sdn-prefix-list-id": "list1",
    "IPorCIDR": "192.0.2.10",
    "pve-ha-resource-or-vm-id": "vm:100",
    "pve-ha-resource-id": "vm:100",
    "email-list": "root@pve.example",
    "pve-day-of-week": "mon",
    "pve-userid-list": "root@pam",
    "pve-groupid-list": "admins",
}
_WORDS = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel")
_MAX_DEPTH = 6


def rng_for(seed: int, *parts: str) -> random.Random:
    """A random generator that depends only on the seed and the given parts (not on hash())."""
    digest = hashlib.sha256("\x00".join((str(seed), *parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def sample(schema: Schema, rng: random.Random, path_values: dict[str, str] | None = None, depth: int = 0) -> Any:
    """A value valid for ``schema``; properties named like a path placeholder reuse its value."""
    values = path_values or {}
    if schema.has_default and schema.type in ("string", "integer", "number", "boolean", None):
        default = _typed_default(schema)
        if default is not None:
            return default
    if schema.enum:
        return schema.enum[rng.randrange(len(schema.enum))]
    kind = schema.type
    if kind is None and schema.properties is not None:
        kind = "object"
    if kind == "null":
        return None
    if kind == "boolean":
        return rng.randrange(2)
    if kind in ("integer", "number"):
        return _number(schema, rng, kind)
    if kind == "array":
        if depth >= _MAX_DEPTH:
            return []
        items = schema.items or Schema.of_type("string")
        return [sample(items, rng, values, depth + 1) for _ in range(rng.randint(1, 2))]
    if kind == "object":
        return _object(schema, rng, values, depth)
    if kind == "any":
        return {}
    if kind is None:
        return None
    return _string(schema, rng)


def _object(schema: Schema, rng: random.Random, values: dict[str, str], depth: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if depth >= _MAX_DEPTH:
        return out
    for name, prop in (schema.properties or {}).items():
        given = values.get(name)
        if given is not None and (prop.type in ("string", None) or (prop.type == "integer" and given.isdigit())):
            out[name] = int(given) if prop.type == "integer" else given
            continue
        if prop.optional and rng.random() < 0.3:
            continue
        out[name] = sample(prop, rng, values, depth + 1)
    return out


def _typed_default(schema: Schema) -> Any:
    """The default as a typed value, or None when it is prose ("current connected node") or out of range."""
    default = schema.default
    kind = schema.type
    try:
        if kind == "boolean":
            return 1 if parse_bool(str(default)) else 0
        if kind in ("integer", "number"):
            number = int(default) if kind == "integer" else float(default)
            low, high = schema.minimum, schema.maximum
            return None if (low is not None and number < low) or (high is not None and number > high) else number
    except (TypeError, ValueError):
        return None
    if not isinstance(default, str) or schema.format is not None or schema.format_properties is not None:
        return None
    if schema.enum is not None and default not in schema.enum:
        return None
    if schema.pattern:
        compiled = compile_perl(schema.pattern)
        if compiled is not None and not compiled.match(default):
            return None
    return default


def _number(schema: Schema, rng: random.Random, kind: str) -> int | float:
    low = schema.minimum if schema.minimum is not None else 0
    high = schema.maximum if schema.maximum is not None else max(low, 0) + 1000
    if kind == "integer":

        return rng.randint(math.ceil(low), math.floor(high)) if math.ceil(low) <= math.floor(high) else int(low)
    return round(rng.uniform(float(low), float(high)), 3)


def _string(schema: Schema, rng: random.Random) -> str:
    fmt = schema.format
    if fmt is not None:
        known = _FORMAT_SAMPLES.get(fmt, _FORMAT_SAMPLES.get(fmt.removesuffix("-list")))
        if known is not None:
            return str(known)
    if schema.format_properties is not None:
        return _property_string(schema, rng)
    word = f"{_WORDS[rng.randrange(len(_WORDS))]}{rng.randrange(100)}"
    if schema.pattern:
        compiled = compile_perl(schema.pattern)
        if compiled is not None and compiled.match(word) is None:
            for _ in range(5):
                made = generate(compiled.pattern, rng)
                if made is not None and compiled.match(made):
                    return made
    minimum = schema.min_length or 0
    maximum = schema.max_length
    if len(word) < minimum:
        word = word + "x" * (minimum - len(word))
    if maximum is not None:
        word = word[:maximum]
    return word


def _property_string(schema: Schema, rng: random.Random) -> str:
    parts = []
    for key, sub in (schema.format_properties or {}).items():
        if sub.alias is not None or (sub.optional and not sub.default_key):
            continue
        value = sample(sub, rng, None, _MAX_DEPTH - 1)
        if isinstance(value, dict | list) or value is None:
            continue
        parts.append(f"{key}={value}")
    return ",".join(parts)
