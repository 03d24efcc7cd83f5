"""What the scanner knows about a Python value without running the code (an abstract value).

``None`` stands for "anything": the scan follows only what these classes describe.
- ``Chain``: a client object or a resource reached from one (``api.nodes(n).qemu``): its root and path so far.
- ``Text``: a string, with ``None`` pieces where the code computes part of it.
- ``Params``: a dict built in sight (literals, ``d["k"] = v``), possibly with more keys the scan cannot see.
- ``Const``: any other literal (numbers, booleans, None); ``Seq``: a tuple or list literal.
- ``ClientClass``: ``ProxmoxAPI`` / ``ProxmoxVE`` (calling one makes a client); ``Instance``: ``self``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .calls import UNKNOWN, Segment

__all__ = ["Chain", "ClassInfo", "ClientClass", "Const", "FuncInfo", "Instance", "Params", "Root", "Seq", "Text"]


@dataclass(frozen=True, slots=True)
class Root:
    """Where a chain starts. ``kind`` "client": made by a client constructor in sight (certain);
    "name"/"attr"/"call": a name, attribute or function result the scan could not see being made:
    decided when the whole tree is scanned (a client if it is made one anywhere in it)."""

    kind: str
    name: str = ""


CLIENT_ROOT = Root("client")


@dataclass(frozen=True, slots=True)
class Chain:
    """``segments`` None: the path went where the scan cannot follow (``api(path)`` with a computed path)."""

    root: Root
    segments: tuple[Segment, ...] | None


@dataclass(frozen=True, slots=True)
class Text:
    pieces: tuple[str | None, ...]

    @property
    def literal(self) -> str | None:
        return self.pieces[0] if len(self.pieces) == 1 else None


_ABSENT: Any = object()
# Every change to a dict, so the changes one branch of an ``if`` made can be set aside while the other
# branch runs (``if vm: p["vmstate"] = 1 else: lxc(**p)`` must not see vmstate): (dict, key or None for
# "complete", value before, complete before).
_JOURNAL: list[tuple[Params, Any, Any, bool]] = []


@dataclass(slots=True)
class Params:
    """Mutable on purpose: ``d["k"] = v`` later in the same function adds to the same dict.
    Change it through its methods only (they keep the journal)."""

    items: dict[Any, Any] = field(default_factory=dict)
    complete: bool = True

    def copy(self) -> Params:
        return Params(dict(self.items), self.complete)

    def put(self, key: Any, value: Any) -> None:
        _JOURNAL.append((self, key, self.items.get(key, _ABSENT), self.complete))
        self.items[key] = value

    def remove(self, key: Any) -> None:
        _JOURNAL.append((self, key, self.items.get(key, _ABSENT), self.complete))
        self.items.pop(key, None)

    def incomplete(self) -> None:
        _JOURNAL.append((self, None, _ABSENT, self.complete))
        self.complete = False

    def merge(self, other: Params) -> None:
        for key, value in other.items.items():
            self.put(key, value)
        if not other.complete:
            self.incomplete()


def journal_mark() -> int:
    return len(_JOURNAL)


def journal_reset() -> None:
    _JOURNAL.clear()


def set_aside(mark: int) -> list[tuple[Params, Any, Any, bool]]:
    """Undo the dict changes since ``mark``; returns their end state to ``bring_back`` later."""
    entries = _JOURNAL[mark:]
    final = {(id(p), key): (p, key, p.items.get(key, _ABSENT), p.complete) for p, key, _, _ in entries}
    for params, key, before, complete in reversed(entries):
        if key is not None:
            if before is _ABSENT:
                params.items.pop(key, None)
            else:
                params.items[key] = before
        params.complete = complete
    del _JOURNAL[mark:]
    return list(final.values())


def bring_back(changes: list[tuple[Params, Any, Any, bool]]) -> None:
    """After both branches: a key either branch set may be passed (what one branch removed stays)."""
    for params, key, value, complete in changes:
        if key is not None and value is not _ABSENT:
            params.put(key, value)
        if not complete and params.complete:
            params.incomplete()


@dataclass(frozen=True, slots=True)
class Const:
    value: Any


@dataclass(frozen=True, slots=True)
class Seq:
    items: tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class ClientClass:
    name: str


@dataclass(slots=True)
class ClassInfo:
    """What ``self.x`` holds in a class, collected over its methods."""

    name: str
    attrs: dict[str, Any] = field(default_factory=dict)
    missed: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class Instance:
    cls: ClassInfo


@dataclass(slots=True)
class FuncInfo:
    """A function defined in the file; ``returns`` is filled once its body was scanned."""

    name: str
    returns: list[Any] = field(default_factory=list)
    scanned: bool = False


def literal_value(value: Any) -> Any:
    """The Python value a parameter would carry, or UNKNOWN when the code computes it."""
    if isinstance(value, Const):
        return value.value
    if isinstance(value, Text):
        text = value.literal
        return UNKNOWN if text is None else text
    if isinstance(value, Seq):
        items = [literal_value(item) for item in value.items]
        return UNKNOWN if any(item is UNKNOWN for item in items) else items
    return UNKNOWN
