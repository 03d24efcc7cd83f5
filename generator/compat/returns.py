"""Compare what an operation returns. Proxmox documents two rules (non-null return types must not
change; null may become data) and allows new properties; the rest is our refinement: a property
removed, retyped or made optional breaks a typed client reading the response, even where the
matching request parameter still accepts the old form. For readers, limits work the other way round
than for callers: a returned value that may take new enum values, another named format or a
different pattern can surprise a parser (warning); fewer values cannot.
"""

from __future__ import annotations

from ..model import Schema
from . import formats
from .constraints import bare_pattern, show, shown
from .findings import Emit, Finding
from .patterns import compare_patterns
from .values import describe_type, effective_type
from .variants import pair_variants

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
    _value(old, new, ROOT, emit)
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
    _value(old, new, where, emit)
    _nested(old, new, where, emit)


def _value(old: Schema, new: Schema, where: str, emit: Emit) -> None:
    """The returned value itself: variants, enum, named format, pattern, extra keys."""
    if old == new:
        return
    for pair in pair_variants(old, new):
        if pair.old is not None and pair.new is not None:
            _property(pair.old, pair.new, f"{where}{{{pair.label}}}", emit)
    _enum(old, new, where, emit)
    _format(old, new, where, emit)
    _pattern(old, new, where, emit)
    _extra(old, new, where, emit)


def _enum(old: Schema, new: Schema, where: str, emit: Emit) -> None:
    before = None if old.enum is None else {str(v) for v in old.enum}
    after = None if new.enum is None else {str(v) for v in new.enum}
    if before == after:
        return
    if after is None:
        message = f"'{where}' is no longer limited to {', '.join(sorted(before or ()))}: readers may get other values"
        emit(Finding("return-enum-widened", where, sorted(before or ()), None, message))
    elif before is None:
        message = f"'{where}' is now documented to be one of {', '.join(sorted(after))}"
        emit(Finding("return-enum-narrowed", where, None, sorted(after), message))
    else:
        if after - before:
            fresh = ", ".join(sorted(after - before))
            message = f"'{where}' may now also be {fresh}: readers that handle only the old values may fail"
            emit(Finding("return-enum-widened", where, sorted(before), sorted(after), message))
        if before - after:
            message = f"'{where}' is no longer {', '.join(sorted(before - after))}"
            emit(Finding("return-enum-narrowed", where, sorted(before), sorted(after), message))


def _format(old: Schema, new: Schema, where: str, emit: Emit) -> None:
    if old.format == new.format or old.is_property_string or new.is_property_string:
        return
    if old.format is None and old.pattern is None:
        return  # a named format where nothing was promised: more said, nothing taken away
    implied = formats.implied(old.format).get("pattern")
    if new.format is None and implied is not None and bare_pattern(new.pattern) == bare_pattern(implied):
        return  # the format's checks written out
    shown_old, shown_new = old.format or f"pattern {old.pattern}", new.format or "none"
    message = f"'{where}' is now returned in format {shown_new} (was {shown_old}): parsers of the old form may fail"
    emit(Finding("return-format-changed", where, old.format, new.format, message))


def _pattern(old: Schema, new: Schema, where: str, emit: Emit) -> None:
    before, after = bare_pattern(old.pattern), bare_pattern(new.pattern)
    if before == after or before is None or old.format != new.format:
        return  # a first pattern promises more; format changes are reported as such
    if after is None:
        message = f"'{where}' no longer promises to match {show(old.pattern)}"
        emit(Finding("return-pattern-changed", where, old.pattern, None, message))
        return
    verdict = compare_patterns(old.pattern or "", new.pattern or "")
    if verdict.equal or (verdict.narrower_proven and not verdict.new_only):
        return  # returned values match a subset of what they matched: readers cope
    example = f" (e.g. '{shown(verdict.new_only[0])}')" if verdict.new_only else ""
    message = f"'{where}' may now take values its old pattern did not allow{example}"
    emit(Finding("return-pattern-changed", where, old.pattern, new.pattern, message))


def _extra(old: Schema, new: Schema, where: str, emit: Emit) -> None:
    before, after = old.additional_properties, new.additional_properties
    if bool(before) == bool(after) or old.type != "object":
        return
    state = "may now carry keys beyond those listed" if after else "no longer carries keys beyond those listed"
    emit(Finding("return-extra-changed", where, bool(before), bool(after), f"'{where}' {state}"))
