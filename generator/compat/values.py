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
from .constraints import compare_constraints, show
from .deprecation import deprecation_notice, named_replacement, scope
from .findings import Emit, Finding
from .variants import VariantPair, pair_variants

__all__ = [
    "compare_request_value",
    "compare_subkeys",
    "effective_type",
    "resolve_alias",
]


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
    if old == new:
        return  # most values do not change between releases
    pairs = pair_variants(old, new)
    if pairs:
        _variants(pairs, name, place, emit)
        return
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
    compare_constraints(old, new, name, place, emit)
    _default(old, new, name, place, emit)
    _deprecation(old, new, name, place, emit)
    _requires(old, new, name, place, emit)
    _extra(old, new, name, place, emit)
    if old_type == "array" == new_type and old.items is not None and new.items is not None:
        compare_request_value(old.items, new.items, f"{name}.items", place, emit)


def _variants(pairs: list[VariantPair], name: str, place: str, emit: Emit) -> None:
    """oneOf: each variant against its counterpart, named ``name{protocol=ospf}``."""
    for pair in pairs:
        where = f"{name}{{{pair.label}}}"
        if pair.new is None:
            assert pair.old is not None
            message = f"{name} has no variant for {pair.label} any more: such values no longer validate"
            emit(Finding(f"{place}-variant-removed", where, describe_type(pair.old), None, message))
        elif pair.old is None:
            emit(
                Finding(
                    f"{place}-variant-added",
                    where,
                    None,
                    describe_type(pair.new),
                    f"{name} has a new variant for {pair.label}",
                )
            )
        else:
            compare_request_value(pair.old, pair.new, where, place, emit)


def _deprecation(old: Schema, new: Schema, name: str, place: str, emit: Emit) -> None:
    before, after = scope(old.description, old.enum), scope(new.description, new.enum)
    if after is None or before == frozenset() or (before is not None and after <= before and after):
        return  # not deprecated, or nothing beyond what was deprecated already
    notice = deprecation_notice(new.description) or _clip(new.description)
    if after:
        values = sorted(after - (before or frozenset()))
        message = f"{name}: the values {', '.join(values)} are now documented as deprecated: {notice}"
        emit(Finding(f"{place}-deprecated", name, None, values, message))
        return
    replacement = named_replacement(new.description)
    emit(
        Finding(
            f"{place}-deprecated",
            name,
            None,
            notice,
            f"{name} is now documented as deprecated: {notice}",
            related=(
                replacement
                if replacement and not replacement.startswith(("/", "GET ", "POST ", "PUT ", "DELETE "))
                else None
            ),
        )
    )


def _requires(old: Schema, new: Schema, name: str, place: str, emit: Emit) -> None:
    if old.requires == new.requires:
        return
    if new.requires is None:
        emit(Finding(f"{place}-requires-removed", name, old.requires, None, f"{name} no longer needs '{old.requires}'"))
        return
    instead = f" (instead of '{old.requires}')" if old.requires else ""
    message = f"passing {name} now also needs '{new.requires}'{instead}: calls that send it alone are rejected"
    emit(Finding(f"{place}-requires-added", name, old.requires, new.requires, message))


def _extra(old: Schema, new: Schema, name: str, place: str, emit: Emit) -> None:
    """additionalProperties of an object value: keys beyond those listed."""
    before, after = old.additional_properties, new.additional_properties
    if before is None or after is None or bool(before) == bool(after):
        return
    if before:
        message = f"{name} no longer accepts keys beyond those listed"
        emit(Finding(f"{place}-extra-rejected", name, True, False, message))
    else:
        emit(Finding(f"{place}-extra-accepted", name, False, True, f"{name} now accepts keys beyond those listed"))


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
    if old_keys == new_keys:
        return
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
        before = old_keys[key]
        if before.alias is None and before == new_keys[key]:
            continue  # most keys do not change
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
        return  # a first enum is a limit where there was none: constraints.py judges it
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
                f"{name} no longer documents a default (was {show(old.default)}): omitting it may behave "
                "differently",
            )
        )
        return
    if not old.has_default:
        emit(Finding(f"{place}-default-added", name, None, new.default, f"{name} now defaults to {show(new.default)}"))
        return
    if _normal_default(old, old.default) != _normal_default(new, new.default):
        emit(
            Finding(
                f"{place}-default-changed",
                name,
                old.default,
                new.default,
                f"{name} default changed: {show(old.default)} -> {show(new.default)}",
            )
        )


def _clip(text: str | None, limit: int = 120) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 3] + "..."
