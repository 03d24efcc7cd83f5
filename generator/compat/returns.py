"""Compare what an operation returns. Proxmox documents two rules (non-null return types must not
change; null may become data) and allows new properties; the rest is our refinement: a property
removed, retyped or made optional breaks a typed client reading the response, even where the
matching request parameter still accepts the old form.
"""

from __future__ import annotations

from ..model import Schema
from .findings import Emit, Finding
from .values import describe_type, effective_type

__all__ = ["compare_returns"]

ROOT = "returns"


def compare_returns(old: Schema, new: Schema, emit: Emit) -> None:
    old_type, new_type = effective_type(old), effective_type(new)
    if old_type != new_type:
        if old_type is None or "any" in (old_type, new_type) or new_type is None:
            return  # unspecified on one side: nothing a client could rely on
        old_text, new_text = describe_type(old), describe_type(new)
        if old_type == "null":
            emit(
                Finding(
                    "return-type-changed-from-null", None, old_text, new_text, f"now returns {new_text} instead of null"
                )
            )
        else:
            emit(
                Finding(
                    "return-type-changed", None, old_text, new_text, f"return type changed: {old_text} -> {new_text}"
                )
            )
        return
    _nested(old, new, ROOT, emit)


def _nested(old: Schema, new: Schema, where: str, emit: Emit) -> None:
    """Properties of objects and items of arrays, at any depth."""
    old_props, new_props = old.properties, new.properties
    if old_props is not None and new_props is not None:
        for key in old_props:
            child = f"{where}.{key}"
            if key not in new_props:
                emit(
                    Finding(
                        "return-property-removed",
                        child,
                        describe_type(old_props[key]),
                        None,
                        f"the response no longer has '{child}'",
                    )
                )
                continue
            _property(old_props[key], new_props[key], child, emit)
        for key in new_props:
            if key not in old_props:
                child = f"{where}.{key}"
                emit(
                    Finding(
                        "return-property-added",
                        child,
                        None,
                        describe_type(new_props[key]),
                        f"the response has a new property '{child}'",
                    )
                )
    if old.items is not None and new.items is not None:
        _property(old.items, new.items, f"{where}[]", emit, items=True)


def _property(old: Schema, new: Schema, where: str, emit: Emit, *, items: bool = False) -> None:
    old_type, new_type = effective_type(old), effective_type(new)
    if old_type is not None and new_type is not None and old_type != new_type and "any" not in (old_type, new_type):
        if old_type == "null":
            return
        old_text, new_text = describe_type(old), describe_type(new)
        if (old_type, new_type) == ("number", "integer"):
            # Every integer is a valid number: a client expecting a number reads it fine.
            emit(
                Finding(
                    "return-property-type-changed",
                    where,
                    old_text,
                    new_text,
                    f"'{where}' is now returned as integer (was number); still a valid number",
                    severity="info",
                )
            )
            return
        emit(
            Finding(
                "return-property-type-changed",
                where,
                old_text,
                new_text,
                f"'{where}' is now returned as {new_text} (was {old_text}): typed clients expecting "
                f"{old_type} break",
            )
        )
        return
    if not items and old.required and new.optional:
        emit(
            Finding(
                "return-property-became-optional", where, True, False, f"'{where}' may now be missing from the response"
            )
        )
    _nested(old, new, where, emit)
