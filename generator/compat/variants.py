"""``oneOf`` with a ``type-property``: a value's schema depends on another parameter (9.1's SDN fabrics:
``delete`` takes other keys when ``protocol`` is ``ospf`` than when it is ``wireguard``).

PVE picks the variant whose ``instance-types`` hold the value of the type-property and validates
against it, ``optional`` included; the outer schema says only what all variants share. So a value is
required exactly where its variant is, and two releases are compared variant by variant, matched by
the types they serve.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..load_schema import schema_from_raw
from ..model import Schema

__all__ = ["VariantPair", "is_required", "pair_variants", "required_where", "variants"]

_OUTER_ONLY = ("oneOf", "type-property", "instance-types", "typetext")


@dataclass(frozen=True)
class VariantPair:
    label: str  # "protocol=ospf", "protocol=openfabric|ospf"
    old: Schema | None  # None: the variant is new
    new: Schema | None  # None: the variant is gone


def variants(schema: Schema) -> list[tuple[frozenset[str], Schema]] | None:
    """(instance types, the complete schema for them) per variant; None for a plain schema."""
    if not schema.one_of:
        return None
    outer = {k: v for k, v in schema.to_raw().items() if k not in _OUTER_ONLY}
    found = []
    for variant in schema.one_of:
        merged = schema_from_raw({**outer, **{k: v for k, v in variant.to_raw().items() if k != "instance-types"}})
        found.append((frozenset(variant.instance_types or ()), merged))
    return found


def is_required(schema: Schema) -> bool:
    """Required at all: the outer schema says so and (with variants) at least one variant does."""
    if schema.optional:
        return False
    found = variants(schema)
    return found is None or any(v.required for _, v in found)


def required_where(schema: Schema) -> str | None:
    """For a oneOf schema required by some variants only: the types that require it, else None."""
    found = variants(schema)
    if found is None or schema.optional:
        return None
    types = sorted(t for kinds, v in found if v.required for t in kinds)
    if not types or all(v.required for _, v in found):
        return None
    return f"{schema.type_property or 'type'}={'|'.join(types)}"


def pair_variants(old: Schema, new: Schema) -> list[VariantPair]:
    """Variants matched by the types they serve; a plain side stands for every type."""
    before, after = variants(old), variants(new)
    if before is None and after is None:
        return []
    prop = new.type_property or old.type_property or "type"
    if before is None:
        assert after is not None
        return [VariantPair(_label(prop, kinds), old, schema) for kinds, schema in after]
    if after is None:
        return [VariantPair(_label(prop, kinds), schema, new) for kinds, schema in before]
    pairs = []
    for kinds, schema in before:
        twins = [(k, s) for k, s in after if k & kinds]
        if not twins:
            pairs.append(VariantPair(_label(prop, kinds), schema, None))
        for twin_kinds, twin in twins:
            pairs.append(VariantPair(_label(prop, kinds & twin_kinds), schema, twin))
    served = frozenset().union(*(kinds for kinds, _ in before))
    pairs += [VariantPair(_label(prop, kinds), None, schema) for kinds, schema in after if not kinds & served]
    return pairs


def _label(prop: str, kinds: frozenset[str]) -> str:
    return f"{prop}={'|'.join(sorted(kinds)) or '*'}"
