"""Compare one value's schema in two releases: type, property-string keys, enum, bounds, pattern,
named format, default and deprecation notes.

The same comparison serves request parameters (``place="param"``) and the keys of their property
strings (``place="param-subkey"``); rule ids are ``<place>-<what>``. Responses are judged by
``returns.py``: a change that a request tolerates (string -> array, bare -> property string) can
still break a typed client reading a response.
"""

from __future__ import annotations

from typing import Any

from ..model import FrozenDict, Schema
from ..runtime.perlre import compile_perl, perl_match
from .deprecation import is_deprecated
from .findings import Emit, Finding

__all__ = [
    "FORMAT_BOUNDS",
    "FORMAT_IMPLIES",
    "compare_request_value",
    "compare_subkeys",
    "effective_type",
    "resolve_alias",
]

# Constraints a named format already enforces on the server: writing them out explicitly changes
# nothing for callers. pve-vmid gained minimum 100 / maximum 999999999 on 336 parameters from 8.0 to
# 8.4; from 9.0 to 9.1 the SDN id formats were replaced by the pattern and length their verify
# functions in pve-network check (a letter, then letters/digits, ending in a letter or digit: at
# least 2 characters; zones and vnets at most 8, controllers at most 64).
_SDN_ID = "[a-zA-Z][a-zA-Z0-9]*[a-zA-Z0-9]"
FORMAT_IMPLIES: dict[str, dict[str, Any]] = {
    "pve-vmid": {"minimum": 100, "maximum": 999_999_999},
    "pve-sdn-zone-id": {"pattern": _SDN_ID, "minLength": 2, "maxLength": 8},
    "pve-sdn-vnet-id": {"pattern": _SDN_ID, "minLength": 2, "maxLength": 8},
    "pve-sdn-dns-id": {"pattern": _SDN_ID, "minLength": 2},
    "pve-sdn-ipam-id": {"pattern": _SDN_ID, "minLength": 2},
    "pve-sdn-controller-id": {"pattern": "[a-zA-Z][a-zA-Z0-9_-]*[a-zA-Z0-9]", "minLength": 2, "maxLength": 64},
}
FORMAT_BOUNDS: dict[str, tuple[int | float | None, int | float | None]] = {
    name: (implied.get("minimum"), implied.get("maximum"))
    for name, implied in FORMAT_IMPLIES.items()
    if "minimum" in implied or "maximum" in implied
}
_UNBOUNDED = (None, None)


def _implied(schema: Schema, key: str) -> Any:
    return FORMAT_IMPLIES.get(schema.format or "", {}).get(key)


def _length(schema: Schema, key: str) -> int | None:
    explicit = schema.min_length if key == "minLength" else schema.max_length
    implied: int | None = _implied(schema, key)
    if explicit is None or implied is None:
        return explicit if explicit is not None else implied
    return max(explicit, implied) if key == "minLength" else min(explicit, implied)


def _made_explicit(old: Schema, new: Schema) -> bool:
    """The old named format's checks now stand written out in the new schema (and nothing more)."""
    implied = FORMAT_IMPLIES.get(old.format or "")
    if not implied or new.format is not None:
        return False
    return all(
        (
            new.get(key) is None or _bare_pattern(str(new.get(key))) == _bare_pattern(str(value))
            if key == "pattern"
            else True
        )
        for key, value in implied.items()
    )


def effective_type(schema: Schema) -> str | None:
    """The declared type; Proxmox treats an untyped schema with a format or pattern as a string."""
    if schema.type is not None:
        return schema.type
    if schema.has("format") or schema.has("pattern") or schema.enum is not None:
        return "string"
    return None


def describe_type(schema: Schema) -> str:
    kind = effective_type(schema) or "any"
    if schema.is_property_string:
        return f"{kind} (property string)"
    if schema.format:
        return f"{kind} ({schema.format})"
    if kind == "array" and schema.items is not None:
        return f"array of {effective_type(schema.items) or 'any'}"
    return kind


def resolve_alias(keys: FrozenDict[str, Schema], name: str) -> Schema:
    """A property-string key written as ``alias`` of another behaves exactly like that key."""
    schema = keys[name]
    seen = {name}
    while schema.alias is not None and schema.alias in keys and schema.alias not in seen:
        seen.add(schema.alias)
        schema = keys[schema.alias]
    return schema


def _key_required(keys: FrozenDict[str, Schema], name: str) -> bool:
    schema = keys[name]
    return schema.alias is None and schema.required


def compare_request_value(old: Schema, new: Schema, name: str, place: str, emit: Emit) -> None:
    """Everything but required-ness (the caller's business: it differs for params and keys)."""
    old_type, new_type = effective_type(old), effective_type(new)
    # A bare integer may become a string property string whose default key is that integer
    # (qemu ``memory`` in 8.x): judged as a structure change, not as a type change.
    becomes_property_string = new.is_property_string and not old.is_property_string
    if (
        not becomes_property_string
        and old_type is not None
        and new_type is not None
        and old_type != new_type
        and "any" not in (old_type, new_type)
    ):
        _type_change(old, new, old_type, new_type, name, place, emit)
        return
    if _structure(old, new, name, place, emit):
        return
    _enum(old, new, name, place, emit)
    _constraints(old, new, name, place, emit)
    _default(old, new, name, place, emit)
    if not is_deprecated(old.description) and is_deprecated(new.description):
        emit(
            Finding(
                f"{place}-deprecated",
                name,
                None,
                new.description,
                f"{name} is now documented as deprecated: " f"{_clip(new.description)}",
            )
        )
    if old_type == "array" == new_type and old.items is not None and new.items is not None:
        compare_request_value(old.items, new.items, f"{name}.items", place, emit)


def _type_change(old: Schema, new: Schema, old_type: str, new_type: str, name: str, place: str, emit: Emit) -> None:
    old_text, new_text = describe_type(old), describe_type(new)
    if new_type == "array" and old_type != "object":
        item_type = effective_type(new.items) if new.items is not None else None
        if item_type in (None, old_type):
            emit(
                Finding(
                    f"{place}-became-array",
                    name,
                    old_text,
                    new_text,
                    f"{name} became a list ({old_text} -> {new_text}): the server still accepts a single value, "
                    "typed clients must now pass a list",
                )
            )
            return
    if old_type == "integer" and new_type == "number":
        emit(
            Finding(
                f"{place}-constraint-loosened",
                name,
                {"type": old_type},
                {"type": new_type},
                f"{name} now also accepts fractions (integer -> number)",
            )
        )
        return
    emit(Finding(f"{place}-type-changed", name, old_text, new_text, f"{name} changed type: {old_text} -> {new_text}"))


def _structure(old: Schema, new: Schema, name: str, place: str, emit: Emit) -> bool:
    """Bare value <-> property string (``key=value,...``), and the keys of property strings.

    True when the value has been judged completely here."""
    old_keys, new_keys = old.format_properties, new.format_properties
    if old_keys is not None and new_keys is not None:
        compare_subkeys(old_keys, new_keys, name, emit)
        return False
    # Keys spelled out on one side, on the other a named format that is itself a property string
    # (``pve-qm-rng``; its typetext shows ``key=``), as opposed to a plain one such as ``mac-addr``.
    named_to_keys = old.format is not None and new_keys is not None and "=" in (old.typetext or "")
    keys_to_named = old_keys is not None and new.format is not None and "=" in (new.typetext or "")
    if named_to_keys or keys_to_named:
        if old.typetext is None or old.typetext != new.typetext:
            emit(
                Finding(
                    f"{place}-format-changed",
                    name,
                    describe_type(old),
                    describe_type(new),
                    f"{name} changed format: {describe_type(old)} -> {describe_type(new)}; the keys of a named "
                    "format cannot be compared",
                )
            )
        return True
    if new_keys is not None:
        default_key = _default_key(new_keys)
        if default_key is None:
            emit(
                Finding(
                    f"{place}-type-changed",
                    name,
                    describe_type(old),
                    describe_type(new),
                    f"{name} became a property string (key=value,...) without a default key: "
                    "bare values are rejected",
                )
            )
            return True
        emit(
            Finding(
                f"{place}-became-property-string",
                name,
                describe_type(old),
                describe_type(new),
                f"{name} became a property string; a bare value still sets its default key '{default_key}'",
                related=f"{name}.{default_key}",
            )
        )
        # The old bare value now means the default key: judge its constraints there.
        compare_request_value(old, new_keys[default_key], name, place, emit)
        return True
    if old_keys is not None:
        emit(
            Finding(
                f"{place}-type-changed",
                name,
                describe_type(old),
                describe_type(new),
                f"{name} is no longer a property string: key=value,... values are rejected",
            )
        )
        # Bare values meant the default key: judge them against the new value (the mirror of above).
        default_key = _default_key(old_keys)
        if default_key is not None:
            compare_request_value(old_keys[default_key], new, name, place, emit)
        return True
    return False


def _default_key(keys: FrozenDict[str, Schema]) -> str | None:
    """The key a bare value sets (``default_key``; an alias of it does not count)."""
    return next((k for k in keys if keys[k].default_key and keys[k].alias is None), None)


def compare_subkeys(
    old_keys: FrozenDict[str, Schema], new_keys: FrozenDict[str, Schema], name: str, emit: Emit
) -> None:
    """Keys of a property string: removed/added/required-ness, then each key's value."""
    removed = [k for k in old_keys if k not in new_keys]
    added = [k for k in new_keys if k not in old_keys]
    renamed = _link_renamed_keys(old_keys, new_keys, removed, added)
    for key in removed:
        where = f"{name}.{key}"
        target = renamed.get(key)
        if target is not None:
            emit(
                Finding(
                    "param-subkey-removed",
                    where,
                    describe_type(old_keys[key]),
                    None,
                    f"key '{key}' of {name} was renamed to '{target}' (the old name is no longer accepted)",
                    related=f"{name}.{target}",
                )
            )
        else:
            emit(
                Finding(
                    "param-subkey-removed",
                    where,
                    describe_type(old_keys[key]),
                    None,
                    f"key '{key}' of {name} was removed",
                )
            )
    linked = set(renamed.values())
    for key in added:
        if key in linked:
            continue
        where = f"{name}.{key}"
        if _key_required(new_keys, key):
            emit(
                Finding(
                    "param-subkey-added-required",
                    where,
                    None,
                    describe_type(new_keys[key]),
                    f"{name} has a new required key '{key}'",
                )
            )
        else:
            emit(
                Finding(
                    "param-subkey-added-optional",
                    where,
                    None,
                    describe_type(new_keys[key]),
                    f"{name} has a new optional key '{key}'",
                )
            )
    for key in old_keys:
        if key not in new_keys:
            continue
        where = f"{name}.{key}"
        was, now = _key_required(old_keys, key), _key_required(new_keys, key)
        if now and not was and old_keys[key].alias is None:
            emit(Finding("param-subkey-became-required", where, False, True, f"key '{key}' of {name} became required"))
        elif was and not now and new_keys[key].alias is None:
            emit(Finding("param-subkey-became-optional", where, True, False, f"key '{key}' of {name} became optional"))
        compare_request_value(resolve_alias(old_keys, key), resolve_alias(new_keys, key), where, "param-subkey", emit)


def _link_renamed_keys(
    old_keys: FrozenDict[str, Schema], new_keys: FrozenDict[str, Schema], removed: list[str], added: list[str]
) -> dict[str, str]:
    """A removed key and an added one that takes its place (the new key's description names it)."""
    links: dict[str, str] = {}
    for key in removed:
        for candidate in added:
            if candidate in links.values():
                continue
            text = new_keys[candidate].description or ""
            if f"'{key}'" in text or f"`{key}`" in text:
                links[key] = candidate
                break
    return links


def _as_strings(values: tuple[Any, ...]) -> list[str]:
    return sorted({str(v) for v in values})


def _enum(old: Schema, new: Schema, name: str, place: str, emit: Emit) -> None:
    old_enum, new_enum = old.enum, new.enum  # ``enum: null`` reads as None: no restriction
    if old_enum is None and new_enum is None:
        return
    if old_enum is None:
        assert new_enum is not None
        emit(
            Finding(
                f"{place}-enum-narrowed",
                name,
                None,
                _as_strings(new_enum),
                f"{name} is now limited to {', '.join(_as_strings(new_enum))}",
            )
        )
        return
    if new_enum is None:
        emit(
            Finding(
                f"{place}-enum-widened",
                name,
                _as_strings(old_enum),
                None,
                f"{name} is no longer limited to a fixed list of values",
            )
        )
        return
    before, after = set(_as_strings(old_enum)), set(_as_strings(new_enum))
    if before - after:
        gone = sorted(before - after)
        emit(
            Finding(
                f"{place}-enum-narrowed",
                name,
                sorted(before),
                sorted(after),
                f"{name} no longer accepts {', '.join(gone)}",
            )
        )
    if after - before:
        emit(
            Finding(
                f"{place}-enum-widened",
                name,
                sorted(before),
                sorted(after),
                f"{name} now also accepts {', '.join(sorted(after - before))}",
            )
        )


def _bounds(schema: Schema) -> tuple[int | float | None, int | float | None]:
    implied_min, implied_max = FORMAT_BOUNDS.get(schema.format or "", _UNBOUNDED)
    low, high = schema.minimum, schema.maximum
    if implied_min is not None:
        low = implied_min if low is None else max(low, implied_min)
    if implied_max is not None:
        high = implied_max if high is None else min(high, implied_max)
    return low, high


def _constraints(old: Schema, new: Schema, name: str, place: str, emit: Emit) -> None:
    """Bounds, length limits, named format and pattern: one tightened and one loosened finding at most."""
    tight_old: dict[str, Any] = {}
    tight_new: dict[str, Any] = {}
    loose_old: dict[str, Any] = {}
    loose_new: dict[str, Any] = {}

    def lower(key: str, before: int | float | None, after: int | float | None) -> None:
        if before == after:
            return
        if after is not None and (before is None or after > before):
            tight_old[key], tight_new[key] = before, after
        else:
            loose_old[key], loose_new[key] = before, after

    def upper(key: str, before: int | float | None, after: int | float | None) -> None:
        if before == after:
            return
        if after is not None and (before is None or after < before):
            tight_old[key], tight_new[key] = before, after
        else:
            loose_old[key], loose_new[key] = before, after

    (old_low, old_high), (new_low, new_high) = _bounds(old), _bounds(new)
    lower("minimum", old_low, new_low)
    upper("maximum", old_high, new_high)
    lower("minLength", _length(old, "minLength"), _length(new, "minLength"))
    upper("maxLength", _length(old, "maxLength"), _length(new, "maxLength"))
    if old.format != new.format and not (old.is_property_string or new.is_property_string or _made_explicit(old, new)):
        if old.format is None:
            tight_old["format"], tight_new["format"] = None, new.format
        elif new.format is None:
            loose_old["format"], loose_new["format"] = old.format, None
        else:
            emit(
                Finding(
                    f"{place}-format-changed",
                    name,
                    old.format,
                    new.format,
                    f"{name} changed format: {old.format} -> {new.format}",
                )
            )
    _pattern(old, new, name, place, emit, (tight_old, tight_new), (loose_old, loose_new))
    if tight_new:
        emit(
            Finding(
                f"{place}-constraint-tightened",
                name,
                tight_old,
                tight_new,
                f"{name} accepts less: {_describe_bounds(tight_old, tight_new)}",
            )
        )
    if loose_new or loose_old:
        emit(
            Finding(
                f"{place}-constraint-loosened",
                name,
                loose_old,
                loose_new,
                f"{name} accepts more: {_describe_bounds(loose_old, loose_new)}",
            )
        )


def _pattern(
    old: Schema,
    new: Schema,
    name: str,
    place: str,
    emit: Emit,
    tight: tuple[dict[str, Any], dict[str, Any]],
    loose: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    before = old.pattern if old.pattern is not None else _implied(old, "pattern")
    after = new.pattern if new.pattern is not None else _implied(new, "pattern")
    if _bare_pattern(before) == _bare_pattern(after):
        return
    if before is None:
        tight[0]["pattern"], tight[1]["pattern"] = None, after
        return
    if after is None:
        loose[0]["pattern"], loose[1]["pattern"] = before, None
        return
    # Evidence beats guessing: values the old schema itself offered (default, enum) that the new
    # pattern rejects prove a tightening. An untranslatable pattern is compared as text only.
    known = [str(v) for v in (old.enum or ())]
    if old.has_default and old.default is not None:
        known.append(str(old.default))
    rejected = [v for v in known if perl_match(after, v) is False]
    if rejected:
        tight[0]["pattern"], tight[1]["pattern"] = before, after
        return
    note = "" if compile_perl(after) is not None else " (the new pattern has no Python translation; compared as text)"
    emit(
        Finding(
            f"{place}-pattern-changed",
            name,
            before,
            after,
            f"{name} has a different pattern; values accepted before may be rejected{note}",
        )
    )


def _bare_pattern(pattern: str | None) -> str | None:
    """Perl stringifies ``qr/x/`` as ``(?^:x)``; the same regex may be written with or without it."""
    if pattern is None:
        return None
    if pattern.startswith("(?^:") and pattern.endswith(")"):
        return pattern[4:-1]
    return pattern


def _describe_bounds(before: dict[str, Any], after: dict[str, Any]) -> str:
    parts = []
    for key in sorted(set(before) | set(after)):
        parts.append(f"{key} {_show(before.get(key))} -> {_show(after.get(key))}")
    return ", ".join(parts)


def _show(value: Any) -> str:
    if value is None:
        return "none"
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _normal_default(schema: Schema, value: Any) -> Any:
    """Proxmox writes boolean defaults as 0/1/"0"/true and numbers sometimes as strings."""
    kind = effective_type(schema)
    if kind == "boolean":
        if isinstance(value, str):
            return value.strip() not in ("", "0", "false")
        return bool(value)
    if kind in ("integer", "number") and not isinstance(value, bool):
        try:
            return float(value)
        except (TypeError, ValueError):
            return str(value)
    return value if isinstance(value, str) else str(value)


def _default(old: Schema, new: Schema, name: str, place: str, emit: Emit) -> None:
    if not old.has_default and not new.has_default:
        return
    if old.has_default and not new.has_default:
        emit(
            Finding(
                f"{place}-default-removed",
                name,
                old.default,
                None,
                f"{name} no longer documents a default (was {_show(old.default)}): omitting it may behave "
                "differently",
            )
        )
        return
    if not old.has_default:
        emit(Finding(f"{place}-default-added", name, None, new.default, f"{name} now defaults to {_show(new.default)}"))
        return
    if _normal_default(old, old.default) != _normal_default(new, new.default):
        emit(
            Finding(
                f"{place}-default-changed",
                name,
                old.default,
                new.default,
                f"{name} default changed: {_show(old.default)} -> {_show(new.default)}",
            )
        )


def _clip(text: str | None, limit: int = 120) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
