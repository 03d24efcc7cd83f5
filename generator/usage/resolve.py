"""Match calls to a spec's operations: concrete paths to templates, names the code uses to wire names.

Segments match like PVE's own dispatcher: a literal segment prefers a literal path segment and falls
back to a placeholder (``/nodes/pve1`` is ``/nodes/{node}``). A segment the code computes matches every
path it can (``/nodes/{}/{}/{}/status/current`` is both the qemu and the lxc path): one use of each. An
attribute of a generated client names its segment the generator's way (``get_fsinfo`` is ``get-fsinfo``).
A call whose method the code does not show hits every method the path has, each marked "may hit".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any

from ..codegen.naming import RESERVED_MEMBERS, RESERVED_PARAMETERS, Namespace, identifier
from ..model import Operation, Spec, split_indexed
from .calls import Call, Segment

__all__ = ["Hit", "PathIndex", "Resolution", "passed_parameters"]

_INDEX_SUFFIX = re.compile(r"^(?P<base>.*?)(?P<index>\d+)$")


@dataclass(frozen=True, slots=True)
class Hit:
    """One operation a call reaches. ``may_hit``: the code does not show the method.
    ``path_values``: placeholders the code fills with literal text (``{"vmid": "100"}``)."""

    op: Operation
    may_hit: bool
    path_values: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Resolution:
    """``hits`` the operations reached; ``path_known``: some path of the spec matches (else the
    endpoint is unknown); ``methods``: the methods the matched paths have."""

    hits: tuple[Hit, ...]
    path_known: bool
    methods: tuple[str, ...]


@dataclass(slots=True)
class _Node:
    literal: dict[str, _Node] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # generated-client attribute -> segment
    placeholder: _Node | None = None
    operations: dict[str, Operation] = field(default_factory=dict)


class PathIndex:
    """A spec's paths as a segment tree, built once per spec."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self._root = _Node()
        names: dict[int, Namespace] = {}
        for op in spec.operations:
            node = self._root
            for segment in op.path.strip("/").split("/") if op.path.strip("/") else []:
                if segment.startswith("{") and segment.endswith("}"):
                    node.placeholder = node.placeholder or _Node()
                    node = node.placeholder
                    continue
                if segment not in node.literal:
                    node.literal[segment] = _Node()
                    space = names.setdefault(id(node), Namespace(RESERVED_MEMBERS))
                    node.aliases[space.name(segment, _member(segment))] = segment
                node = node.literal[segment]
            node.operations.setdefault(op.method, op)
        self._params: dict[tuple[str, str], dict[str, str]] = {}
        self._resolved: dict[tuple[str | None, tuple[Segment, ...]], Resolution] = {}
        self._wire: dict[tuple[str, str, str], str | None] = {}

    # -- paths -----------------------------------------------------------------------------
    def resolve(self, call: Call) -> Resolution:
        if call.segments is None:
            return Resolution((), False, ())
        key = (call.method, call.segments)
        found = self._resolved.get(key)
        if found is None:  # code calls the same few paths over and over
            found = self._resolved[key] = self._resolve(call.method, call.segments)
        return found

    def _resolve(self, method: str | None, segments: tuple[Segment, ...]) -> Resolution:
        ends: list[tuple[_Node, tuple[tuple[int, str], ...]]] = []
        self._walk(self._root, segments, 0, (), ends)
        hits: list[Hit] = []
        methods: set[str] = set()
        for node, filled in ends:
            methods.update(node.operations)
            if method is not None:
                op = node.operations.get(method)
                chosen = [] if op is None else [(op, False)]
            else:
                chosen = [(op, True) for op in node.operations.values()]
            for op, may_hit in chosen:
                hits.append(Hit(op, may_hit, _path_values(op, filled)))
        return Resolution(tuple(hits), bool(ends), tuple(sorted(methods)))

    def _walk(
        self,
        node: _Node,
        segments: tuple[Segment, ...],
        index: int,
        filled: tuple[tuple[int, str], ...],
        ends: list[tuple[_Node, tuple[tuple[int, str], ...]]],
    ) -> None:
        if index == len(segments):
            if node.operations:
                ends.append((node, filled))
            return
        segment = segments[index]
        if segment.is_literal:
            text = segment.parts[0]
            child = node.literal.get(text)
            if child is None and segment.attr:
                name = node.aliases.get(text)
                child = node.literal.get(name) if name is not None else None
            if child is not None:
                before = len(ends)
                self._walk(child, segments, index + 1, filled, ends)
                if len(ends) > before:
                    return  # a literal match wins, as in PVE's dispatcher
            if node.placeholder is not None:
                self._walk(node.placeholder, segments, index + 1, (*filled, (index, text)), ends)
            return
        pattern = _pattern(segment)
        for text, child in node.literal.items():
            if pattern.fullmatch(text):
                self._walk(child, segments, index + 1, filled, ends)
        if node.placeholder is not None:
            self._walk(node.placeholder, segments, index + 1, filled, ends)

    def shapes(self) -> list[str]:
        """Every path template (for "did you mean")."""
        return sorted({op.path for op in self.spec.operations})

    # -- parameters ------------------------------------------------------------------------
    def wire_name(self, op: Operation, name: str) -> str | None:
        """The spec's name (``net[n]`` for net0) of a parameter as the code passes it, or None."""
        key = (op.method, op.path, name)
        if key not in self._wire:
            self._wire[key] = self._wire_name(op, name)
        return self._wire[key]

    def _wire_name(self, op: Operation, name: str) -> str | None:
        names = self._params.get(op.key)
        if names is None:
            names = _parameter_names(op)
            self._params[op.key] = names
        found = names.get(name)
        if found is not None:
            return found
        match = _INDEX_SUFFIX.match(name)
        if match is not None:
            return names.get(match.group("base") + "[n]")
        return None

    def families(self, op: Operation, params: dict[str, Any]) -> set[str]:
        """The spec's names of the parameters a call passes (``net[n]`` for net0; None values are not sent)."""
        found = set()
        for name, value in params.items():
            if value is not None:
                wire = self.wire_name(op, name)
                if wire is not None:
                    found.add(wire)
        return found


def _member(segment: str) -> str:
    # The generator's rule for a segment's attribute (codegen.plan): safe identifier, never "_"-led.
    name = identifier(segment, RESERVED_MEMBERS)
    return f"x{name}" if name.startswith("_") else name


def _parameter_names(op: Operation) -> dict[str, str]:
    """name as code may pass it -> wire name: the wire name itself, and the generated client's keyword."""
    names: dict[str, str] = {}
    space = Namespace(RESERVED_PARAMETERS | ({"extra"} if op.open else set()))
    path_names = set(op.path_parameters)
    for wire in op.parameters:
        base, indexed = split_indexed(wire)
        names[wire] = wire
        if indexed:
            names[base + "[n]"] = wire
        if wire not in path_names:
            names.setdefault(space.name(wire, identifier(base, RESERVED_PARAMETERS)), wire)
    return names


@functools.lru_cache(maxsize=4096)
def _pattern(segment: Segment) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in segment.parts), re.DOTALL)


def _path_values(op: Operation, filled: tuple[tuple[int, str], ...]) -> tuple[tuple[str, str], ...]:
    if not filled:
        return ()
    parts = op.path.strip("/").split("/")
    values = []
    for index, text in filled:
        if index < len(parts) and parts[index].startswith("{"):
            values.append((parts[index][1:-1], text))
    return tuple(values)


def passed_parameters(index: PathIndex, op: Operation, params: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The call's parameters by wire name (indexed ones as given: ``net0``), and the names the op lacks.
    A None value is not sent (proxmoxer and the generated client drop it)."""
    known: dict[str, Any] = {}
    unknown: list[str] = []
    for name, value in params.items():
        if value is None:
            continue
        wire = index.wire_name(op, name)
        if wire is None:
            unknown.append(name)
            continue
        base, indexed = split_indexed(wire)
        if indexed and not _INDEX_SUFFIX.match(name):
            known[wire] = value  # the client's mapping form, index not known here
        elif indexed:
            known[base + _INDEX_SUFFIX.match(name).group("index")] = value  # type: ignore[union-attr]
        else:
            known[wire] = value
    return known, unknown
