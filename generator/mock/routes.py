"""Match request paths against the spec's path templates (``/nodes/{node}/qemu/{vmid}``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Operation, Spec


@dataclass
class _Node:
    literal: dict[str, _Node] = field(default_factory=dict)
    placeholder: _Node | None = None
    placeholder_name: str = ""
    operations: dict[str, Operation] = field(default_factory=dict)
    template: str = ""


class Router:
    """A segment trie: literal segments win over placeholders, as in PVE's own dispatcher."""

    def __init__(self, spec: Spec) -> None:
        self._root = _Node(template="/")
        for op in spec.operations:
            node = self._root
            for segment in _segments(op.path):
                if segment.startswith("{") and segment.endswith("}"):
                    if node.placeholder is None:
                        node.placeholder = _Node()
                        node.placeholder_name = segment[1:-1]
                    node = node.placeholder
                else:
                    node = node.literal.setdefault(segment, _Node())
            node.operations[op.method] = op
            node.template = op.path

    def match(self, segments: list[str]) -> tuple[dict[str, Operation], dict[str, str]] | None:
        """The operations at a path given as decoded segments (a volume id may hold ``/``), by method,
        and its placeholder values; None when no node matches."""
        found = self._walk(self._root, segments, 0, {})
        if found is None:
            return None
        node, values = found
        return node.operations, values

    def _walk(
        self, node: _Node, segments: list[str], index: int, values: dict[str, str]
    ) -> tuple[_Node, dict[str, str]] | None:
        if index == len(segments):
            return (node, values) if node.operations else None
        segment = segments[index]
        child = node.literal.get(segment)
        if child is not None:
            found = self._walk(child, segments, index + 1, values)
            if found is not None:
                return found
        if node.placeholder is not None and segment != "":
            found = self._walk(node.placeholder, segments, index + 1, {**values, node.placeholder_name: segment})
            if found is not None:
                return found
        return None


def split_path(path: str) -> list[str]:
    """``/nodes/pve1`` -> ["nodes", "pve1"] (no decoding: do that per segment)."""
    return _segments(path)


def _segments(path: str) -> list[str]:
    stripped = path.strip("/")
    return stripped.split("/") if stripped else []
