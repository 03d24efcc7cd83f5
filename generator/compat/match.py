"""Pair up the operations of two releases.

Besides the obvious (same method and path), two things must not read as removed + added:
- a renamed path placeholder (``{pciid}`` -> ``{pci-id-or-mapping}``): the URL is the same;
- a moved endpoint: the same operation (by its Proxmox name and parameters, or named by the old
  deprecation notice) now at another path. When the replacement already existed in the old
  release, the removal is reported as such but names the replacement.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Operation, Spec, path_shape
from .deprecation import named_replacement

__all__ = ["Matching", "match_operations", "path_shape"]


@dataclass
class Matching:
    # (old, new, {old placeholder name: new name}) for the same endpoint in both releases.
    pairs: list[tuple[Operation, Operation, dict[str, str]]] = field(default_factory=list)
    moved: list[tuple[Operation, Operation]] = field(default_factory=list)
    # (old operation, the already-existing operation to call instead, or None).
    removed: list[tuple[Operation, Operation | None]] = field(default_factory=list)
    added: list[Operation] = field(default_factory=list)


def match_operations(old: Spec, new: Spec) -> Matching:
    result = Matching()
    gone: list[Operation] = []
    for op in old.operations:
        twin = new.operation(op.method, op.path)
        if twin is not None:
            result.pairs.append((op, twin, {}))
        else:
            gone.append(op)
    fresh = [op for op in new.operations if old.operation(op.method, op.path) is None]

    # Renamed placeholders: same method and URL shape, one candidate each way.
    by_shape: dict[tuple[str, str], list[Operation]] = {}
    for op in fresh:
        by_shape.setdefault((op.method, path_shape(op.path)), []).append(op)
    still_gone: list[Operation] = []
    taken: set[tuple[str, str]] = set()
    for op in gone:
        candidates = by_shape.get((op.method, path_shape(op.path)), [])
        if len(candidates) == 1 and candidates[0].key not in taken:
            twin = candidates[0]
            taken.add(twin.key)
            names = dict(zip(op.path_parameters, twin.path_parameters, strict=True))
            result.pairs.append((op, twin, {a: b for a, b in names.items() if a != b}))
        else:
            still_gone.append(op)

    fresh_keys = {op.key for op in fresh} - taken
    for op in still_gone:
        target = _replacement(op, new, old)
        if target is not None and target.key in fresh_keys:
            fresh_keys.discard(target.key)
            result.moved.append((op, target))
        else:
            result.removed.append((op, target))
    result.added = [op for op in fresh if op.key in fresh_keys]
    return result


def _replacement(op: Operation, new: Spec, old: Spec) -> Operation | None:
    """Where a removed operation went: named in its deprecation notice, else the best match by name."""
    hint = named_replacement(op.summary)
    if hint is not None and hint.startswith("/"):
        shape = path_shape(hint)
        hinted = [c for c in new.operations if c.method == op.method and path_shape(c.path) == shape]
        if len(hinted) == 1:
            return hinted[0]
    if op.name is None:
        return None
    scored: list[tuple[float, Operation]] = []
    for candidate in new.operations:
        if candidate.method != op.method or candidate.name != op.name or candidate.path == op.path:
            continue
        score = _similarity(op, candidate)
        if score >= 0.5:
            scored.append((score, candidate))
    if not scored:
        return None
    scored.sort(key=lambda item: (-item[0], item[1].path))
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None  # ambiguous: say nothing rather than point at the wrong call
    return scored[0][1]


def _similarity(a: Operation, b: Operation) -> float:
    """Overlap of the non-path parameters, gated on sharing the first path segment."""
    if a.path.split("/")[1:2] != b.path.split("/")[1:2]:
        return 0.0
    if len(a.path_parameters) != len(b.path_parameters):
        return 0.0
    names_a = set(a.parameters) - set(a.path_parameters)
    names_b = set(b.parameters) - set(b.path_parameters)
    if not names_a and not names_b:
        return 1.0
    return len(names_a & names_b) / len(names_a | names_b)
