"""Pair up the operations of two releases.

Besides the obvious (same method and path), three things must not read as removed + added:
- a renamed path placeholder (``{pciid}`` -> ``{pci-id-or-mapping}``): the URL is the same;
- a renamed subtree (``snapshot`` -> ``snapshots``): every operation below it moves together, linked
  as a whole when at least two operations follow the same segment rename;
- a moved endpoint: the same operation, named by the old deprecation notice or recognised by its
  Proxmox name, summary and parameters, now at another path. Ties go to the more similar path.
  When the replacement already existed in the old release, the removal is reported as such but names
  the replacement.

Never from one family to its sibling: when the branches two paths part at hold several of the same
operations (``/nodes/{node}/qemu`` and ``/nodes/{node}/lxc``), a same-named operation in the other
branch is another resource, not a replacement (unless a deprecation notice names it). A subtree
rename needs the old branch gone from the new release and all of its operations accounted for.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field

from ..model import Operation, Spec, path_shape
from .deprecation import named_replacement

__all__ = ["Matching", "match_operations", "path_shape", "resolve_hint"]

_PARALLEL = 3  # shared operations that make two branches a family of siblings


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

    fresh_left = [op for op in fresh if op.key not in taken]
    living = _branches(new)
    families = _Families(old)
    subtree = _subtree_moves(still_gone, fresh_left, living)
    fresh_keys = {op.key for op in fresh_left} - {target.key for target in subtree.values()}
    for op in still_gone:
        target = subtree.get(op.key)
        if target is not None:
            result.moved.append((op, target))
            continue
        target = _replacement(op, old, new, families)
        if target is not None and target.key in fresh_keys:
            fresh_keys.discard(target.key)
            result.moved.append((op, target))
        else:
            result.removed.append((op, target))
    result.added = [op for op in fresh_left if op.key in fresh_keys]
    return result


def _segments(path: str) -> tuple[str, ...]:
    return tuple(s for s in path_shape(path).split("/") if s)


def _branches(spec: Spec) -> set[tuple[str, ...]]:
    """Every path prefix (as erased segments) that still has an operation below or at it."""
    found: set[tuple[str, ...]] = set()
    for op in spec.operations:
        parts = _segments(op.path)
        found.update(parts[: i + 1] for i in range(len(parts)))
    return found


class _Families:
    """Parallel families of a release: branches that hold the same operations below them
    (``/nodes/{node}/qemu`` and ``/nodes/{node}/lxc`` both have ``{vmid}/status/reboot``, ...)."""

    def __init__(self, spec: Spec) -> None:
        self._paths = [_segments(op.path) for op in spec.operations]
        self._cache: dict[tuple[str, ...], frozenset[tuple[str, ...]]] = {}

    def _below(self, prefix: tuple[str, ...]) -> frozenset[tuple[str, ...]]:
        if prefix not in self._cache:
            size = len(prefix)
            self._cache[prefix] = frozenset(p[size:] for p in self._paths if p[:size] == prefix)
        return self._cache[prefix]

    def parallel(self, a: str, b: str) -> bool:
        """Whether the branches the two paths part at share several operations: siblings, not a move."""
        mine, theirs = _segments(a), _segments(b)
        common = 0
        while common < min(len(mine), len(theirs)) and mine[common] == theirs[common]:
            common += 1
        if common in (len(mine), len(theirs)):
            return False  # one lies below the other
        shared = self._below(mine[: common + 1]) & self._below(theirs[: common + 1])
        return len(shared) >= _PARALLEL


def _subtree_moves(
    gone: list[Operation], fresh: list[Operation], living: set[tuple[str, ...]]
) -> dict[tuple[str, str], Operation]:
    """Operations that follow one segment rename together (``snapshot`` -> ``snapshots``), as a whole."""
    rules: dict[tuple[int, tuple[str, ...], str, str], list[tuple[Operation, Operation]]] = defaultdict(list)
    by_method: dict[str, list[Operation]] = defaultdict(list)
    for op in fresh:
        by_method[op.method].append(op)
    for op in gone:
        mine = _segments(op.path)
        for candidate in by_method[op.method]:
            theirs = _segments(candidate.path)
            if len(theirs) != len(mine):
                continue
            differ = [i for i, (a, b) in enumerate(zip(mine, theirs, strict=True)) if a != b]
            if len(differ) == 1:
                at = differ[0]
                rules[(at, mine[:at], mine[at], theirs[at])].append((op, candidate))
    moves: dict[tuple[str, str], Operation] = {}
    for (at, prefix, before, after), members in sorted(rules.items(), key=lambda item: -len(item[1])):
        if len(members) < 2 or (*prefix, before) in living:
            continue  # one operation is no subtree; a branch still alive was not renamed
        below_old = {op.key for op in gone if _segments(op.path)[: at + 1] == (*prefix, before)}
        below_new = {op.key for op in fresh if _segments(op.path)[: at + 1] == (*prefix, after)}
        linked_old, linked_new = {op.key for op, _ in members}, {target.key for _, target in members}
        if linked_old != below_old and linked_new != below_new:
            continue  # neither subtree is accounted for as a whole: paths that happen to line up
        if sum(_same_identity(op, target) for op, target in members) * 2 < len(members):
            continue  # paths that happen to line up, operations that do not
        for op, target in members:
            if op.key not in moves and target.key not in {t.key for t in moves.values()}:
                moves[op.key] = target
    return moves


def _same_identity(a: Operation, b: Operation) -> bool:
    return (a.name is not None and a.name == b.name) or (bool(a.summary) and _words(a.summary) == _words(b.summary))


def _replacement(op: Operation, old: Spec, new: Spec, families: _Families) -> Operation | None:
    """Where a removed operation went: named in its deprecation notice, else the best match by identity."""
    hinted = _hinted(op, new)
    if hinted is not None:
        return hinted
    if op.name is None:
        return None
    if sum(1 for o in old.operations if o.name == op.name and o.summary == op.summary) > 2:
        return None  # a generic identity ("index", "Directory index.") recognises nothing
    scored: list[tuple[tuple[float, ...], Operation]] = []
    for candidate in new.operations:
        if candidate.method != op.method or candidate.name != op.name or candidate.path == op.path:
            continue
        if families.parallel(op.path, candidate.path):
            continue  # qemu's reboot is not lxc's
        overlap = _overlap(op, candidate)
        if overlap < 0.5:
            continue
        same_summary = float(bool(op.summary) and _words(op.summary) == _words(candidate.summary))
        scored.append(((same_summary, overlap, _path_similarity(op.path, candidate.path)), candidate))
    if not scored:
        return None
    scored.sort(key=lambda item: item[0], reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None  # a true tie: say nothing rather than point at the wrong call
    return scored[0][1]


def _hinted(op: Operation, new: Spec) -> Operation | None:
    """The operation a deprecation notice names ("please use `/nodes/{node}/ceph/pool`")."""
    return resolve_hint(named_replacement(op.summary), op.method, new)


def resolve_hint(hint: str | None, default_method: str, new: Spec) -> Operation | None:
    """The one operation of ``new`` a hint (``/path``, ``METHOD /path``, with a query) points at."""
    if hint is None:
        return None
    method, _, path = hint.rpartition(" ")
    if not path.startswith("/"):
        return None
    shape = path_shape(path.split("?", 1)[0].rstrip("/") or "/")
    wanted = method or default_method
    hinted = [c for c in new.operations if c.method == wanted and path_shape(c.path) == shape]
    return hinted[0] if len(hinted) == 1 else None


def _words(text: str | None) -> str:
    return " ".join((text or "").split()).lower()


def _overlap(a: Operation, b: Operation) -> float:
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


def _path_similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, path_shape(a), path_shape(b)).ratio()
