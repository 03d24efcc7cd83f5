"""Limits on one value: bounds, lengths, pattern, named format and a first enum.

Three kinds of narrowing, told apart because a gate must not fail on harmless releases:
- tightened (``*-constraint-tightened``, breaking): an existing limit now rejects values it accepted
  (password ``minLength`` 5 -> 8; a pattern with an example value the old one took and the new one
  refuses);
- added (``*-constraint-added``): a limit where there was none. Usually the server always enforced
  it, so a warning; breaking only with evidence (``evidence.py``) that a value valid before is now
  rejected;
- a limit the old named format already enforced, now written out (``pve-vmid`` gaining
  100..999999999, the SDN ids of 9.1): nothing at all.
Loosened limits are ``*-constraint-loosened`` (non-breaking). Patterns that cannot be told apart
either way are ``*-pattern-changed`` (warning).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import Schema
from ..runtime.perlre import compile_perl
from . import formats
from .evidence import Evidence, documented_values, first_rejected, valid
from .findings import Emit, Finding
from .patterns import compare_patterns, shrink

__all__ = ["bare_pattern", "compare_constraints", "show", "shown"]


@dataclass
class _Bucket:
    old: dict[str, Any] = field(default_factory=dict)
    new: dict[str, Any] = field(default_factory=dict)
    examples: list[str] = field(default_factory=list)

    def put(self, key: str, before: Any, after: Any) -> None:
        self.old[key], self.new[key] = before, after

    def drop(self, key: str) -> None:
        self.old.pop(key, None)
        self.new.pop(key, None)

    def __bool__(self) -> bool:
        return bool(self.old or self.new)


@dataclass
class _Buckets:
    tightened: _Bucket = field(default_factory=_Bucket)
    added: _Bucket = field(default_factory=_Bucket)
    loosened: _Bucket = field(default_factory=_Bucket)


def compare_constraints(old: Schema, new: Schema, name: str, place: str, emit: Emit) -> None:
    """At most one tightened, one added and one loosened finding, plus a pattern/format notice."""
    found = _Buckets()
    _lower(found, "minimum", old.minimum, new.minimum)
    _upper(found, "maximum", old.maximum, new.maximum)
    _lower(found, "minLength", _length(old, "minLength"), _length(new, "minLength"))
    _upper(found, "maxLength", _length(old, "maxLength"), _length(new, "maxLength"))
    _written_out_bounds(old, new, found)
    _enum_added(old, new, found)
    _format(old, new, name, place, found, emit)
    _pattern(old, new, name, place, found, emit)
    if "format" in found.loosened.old and found.added:
        # A named format replaced by a pattern or an enum is one change, judged as the new limit.
        found.loosened.drop("format")
    if found.tightened:
        emit(
            Finding(
                f"{place}-constraint-tightened",
                name,
                found.tightened.old,
                found.tightened.new,
                f"{name} accepts less: {describe_bounds(found.tightened)}{_example(found.tightened)}",
            )
        )
    if found.added:
        _emit_added(old, new, name, place, found.added, emit)
    if found.loosened:
        emit(
            Finding(
                f"{place}-constraint-loosened",
                name,
                found.loosened.old,
                found.loosened.new,
                f"{name} accepts more: {describe_bounds(found.loosened)}{_example(found.loosened)}",
            )
        )


def _lower(found: _Buckets, key: str, before: int | float | None, after: int | float | None) -> None:
    """A lower limit (minimum, minLength): higher is tighter."""
    if before == after:
        return
    if after is None:
        found.loosened.put(key, before, None)
    elif before is None:
        found.added.put(key, None, after)
    elif after > before:
        found.tightened.put(key, before, after)
    else:
        found.loosened.put(key, before, after)


def _upper(found: _Buckets, key: str, before: int | float | None, after: int | float | None) -> None:
    """An upper limit (maximum, maxLength): lower is tighter."""
    if before == after:
        return
    if after is None:
        found.loosened.put(key, before, None)
    elif before is None:
        found.added.put(key, None, after)
    elif after < before:
        found.tightened.put(key, before, after)
    else:
        found.loosened.put(key, before, after)


def _length(schema: Schema, key: str) -> int | None:
    explicit = schema.min_length if key == "minLength" else schema.max_length
    implied: int | None = formats.implied(schema.format).get(key)
    if explicit is None or implied is None:
        return explicit if explicit is not None else implied
    return max(explicit, implied) if key == "minLength" else min(explicit, implied)


def _written_out_bounds(old: Schema, new: Schema, found: _Buckets) -> None:
    """New bounds the old named format already enforced add nothing: ask its checker at the edges."""
    if not formats.knows(old.format):
        return
    for bucket in (found.tightened, found.added):
        for key in ("minimum", "maximum"):
            if key in bucket.new and not _probe_witness(old, new, key):
                bucket.drop(key)


def _probe_witness(old: Schema, new: Schema, key: str) -> bool:
    """A value just outside the new bound that the old schema (its format included) accepts."""
    bound = new.minimum if key == "minimum" else new.maximum
    if bound is None:
        return False
    step = -1 if key == "minimum" else 1
    span = max(abs(int(bound)), 1)
    probes = [bound + step, bound + 2 * step, bound + 10 * step, bound + step * span, bound + step * 10 * span]
    probes += [0, -1, 1] if key == "minimum" else [2**31, 2**53]
    outside = [p for p in probes if (p < bound if key == "minimum" else p > bound)]
    return any(valid(old, _number(p)) and not valid(new, _number(p)) for p in outside)


def _number(value: int | float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _enum_added(old: Schema, new: Schema, found: _Buckets) -> None:
    """A first enum is a limit where there was none (``enum: null`` means no limit)."""
    if old.enum is None and new.enum is not None:
        found.added.put("enum", None, sorted({str(v) for v in new.enum}))


def _format(old: Schema, new: Schema, name: str, place: str, found: _Buckets, emit: Emit) -> None:
    if old.format == new.format or old.is_property_string or new.is_property_string or _made_explicit(old, new):
        return
    if old.format is None:
        found.added.put("format", None, new.format)
    elif new.format is None:
        found.loosened.put("format", old.format, None)
    else:
        proof = first_rejected(old, new, documented_values(old))
        if proof is not None:
            found.tightened.put("format", old.format, new.format)
            found.tightened.examples.append(f"{proof.describe()} is now rejected")
            return
        emit(
            Finding(
                f"{place}-format-changed",
                name,
                old.format,
                new.format,
                f"{name} changed format: {old.format} -> {new.format}",
            )
        )


def _made_explicit(old: Schema, new: Schema) -> bool:
    """The old named format's checks now stand written out in the new schema (and nothing more)."""
    implied = formats.implied(old.format)
    if not implied or new.format is not None:
        return False
    return new.pattern is None or bare_pattern(new.pattern) == bare_pattern(implied.get("pattern"))


def _pattern(old: Schema, new: Schema, name: str, place: str, found: _Buckets, emit: Emit) -> None:
    before = old.pattern if old.pattern is not None else formats.implied(old.format).get("pattern")
    after = new.pattern if new.pattern is not None else formats.implied(new.format).get("pattern")
    if bare_pattern(before) == bare_pattern(after):
        return
    if before is None:
        found.added.put("pattern", None, after)
        return
    if after is None:
        found.loosened.put("pattern", before, None)
        return
    verdict = compare_patterns(before, after)
    if verdict.equal:
        return
    proof = first_rejected(old, new, documented_values(old))

    def refused(value: str) -> bool:
        return valid(old, value) and not valid(new, value)

    witness = next((s for s in verdict.old_only if refused(s)), None)
    if proof is not None or witness is not None:
        found.tightened.put("pattern", before, after)
        found.tightened.examples.append(
            f"{proof.describe()} is now rejected"
            if proof is not None
            else f"'{shown(shrink(witness or '', refused))}' is now rejected"
        )
        return
    if verdict.wider_proven:
        found.loosened.put("pattern", before, after)
        found.loosened.examples.extend(f"'{shown(s)}' is now accepted" for s in verdict.new_only[:1])
        return
    fresh = [s for s in verdict.new_only if valid(new, s)]
    if fresh and not verdict.old_only:
        message = (
            f"{name} has a different pattern that looks wider: every example of the old one still matches and "
            f"e.g. '{shown(fresh[0])}' is new (not proven)"
        )
        emit(Finding(f"{place}-pattern-changed", name, before, after, message, severity="non-breaking"))
        return
    untranslatable = [p for p in (before, after) if compile_perl(p) is None]
    note = " (a pattern has no Python translation; compared as text)" if untranslatable else ""
    emit(
        Finding(
            f"{place}-pattern-changed",
            name,
            before,
            after,
            f"{name} has a different pattern; no example shows a value it now rejects, none proves it wider{note}",
        )
    )


def _emit_added(old: Schema, new: Schema, name: str, place: str, added: _Bucket, emit: Emit) -> None:
    proof: Evidence | None = first_rejected(old, new, documented_values(old))
    what = describe_bounds(added)
    if proof is not None:
        message = f"{name} has a new limit: {what}; {proof.describe()} is now rejected"
        emit(Finding(f"{place}-constraint-added", name, added.old, added.new, message, severity="breaking"))
        return
    note = ""
    if old.format is not None and not old.is_property_string:
        kept = "replaces" if new.format != old.format else "comes on top of"
        known = "" if formats.knows(old.format) else ", whose checks are not known here"
        note = f" (it {kept} the named format {old.format}{known})"
    message = (
        f"{name} has a new limit where there was none: {what}{note}; nothing the old schema documented is "
        "rejected: it breaks only callers that send values outside it"
    )
    emit(Finding(f"{place}-constraint-added", name, added.old, added.new, message))


def _example(bucket: _Bucket) -> str:
    return f" ({bucket.examples[0]})" if bucket.examples else ""


def bare_pattern(pattern: str | None) -> str | None:
    """Perl stringifies ``qr/x/`` as ``(?^:x)``; the same regex may be written with or without it."""
    if pattern is None:
        return None
    if pattern.startswith("(?^:") and pattern.endswith(")"):
        return pattern[4:-1]
    return pattern


def describe_bounds(bucket: _Bucket) -> str:
    parts = []
    for key in sorted(set(bucket.old) | set(bucket.new)):
        parts.append(f"{key} {show(bucket.old.get(key))} -> {show(bucket.new.get(key))}")
    return ", ".join(parts)


def show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def shown(text: str) -> str:
    """An example value for a message: control characters escaped, long ones clipped."""
    visible = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
    return visible if len(visible) <= 40 else visible[:37] + "..."
