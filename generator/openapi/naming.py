"""operationIds and tags: from Proxmox's own names, unique, and the same for the same spec.

An operationId is Proxmox's operation name with non-identifier characters made ``_``
(``get-fsinfo`` -> ``get_fsinfo``, as the generated client spells it). A release repeats names
(``index`` 72 times in 9.1), so every operation whose name is repeated gets its path's fixed
segments in front (``/nodes/{node}/qemu/{vmid}/firewall/rules`` + ``create_rule`` ->
``nodes_qemu_firewall_rules_create_rule``): the id then depends on the operation itself, not on
which other operations share its name. Should two still meet, the placeholders join in, and
last a ``_2``, ``_3``... in source order.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from ..model import Operation

__all__ = ["operation_ids", "tag_of"]

_NOT_IDENT = re.compile(r"[^A-Za-z0-9_]+")


def _ident(text: str) -> str:
    return _NOT_IDENT.sub("_", text).strip("_")


def _segments(path: str, *, placeholders: bool) -> list[str]:
    out = []
    for segment in path.split("/"):
        if not segment:
            continue
        if segment.startswith("{") and segment.endswith("}"):
            if placeholders:
                out.append(_ident(segment[1:-1]))
            continue
        out.append(_ident(segment))
    return [part for part in out if part]


def _base(op: Operation) -> str:
    name = _ident(op.name or "")
    if name:
        return name
    return "_".join([op.method.lower(), *_segments(op.path, placeholders=False)])


def operation_ids(operations: Sequence[Operation]) -> dict[tuple[str, str], str]:
    """``(method, path)`` -> a unique operationId, deterministic for the same operations in the same order."""
    bases = [_base(op) for op in operations]
    repeated = Counter(bases)
    wanted = []
    for op, base in zip(operations, bases, strict=True):
        if repeated[base] > 1:
            base = "_".join([*_segments(op.path, placeholders=False), base])
        wanted.append(base)
    clashes = Counter(wanted)
    for index, (op, name) in enumerate(zip(operations, list(wanted), strict=True)):
        if clashes[name] > 1:
            wanted[index] = "_".join([*_segments(op.path, placeholders=True), bases[index]])
    given: dict[tuple[str, str], str] = {}
    used: set[str] = set()
    for op, name in zip(operations, wanted, strict=True):
        candidate, counter = name, 2
        while candidate in used:
            candidate, counter = f"{name}_{counter}", counter + 1
        used.add(candidate)
        given[op.key] = candidate
    return given


def tag_of(path: str) -> str:
    """The top-level area of a path (``nodes``, ``cluster``, ``access``...); ``root`` for ``/``."""
    for segment in path.split("/"):
        if segment:
            return segment
    return "root"
