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


@dataclass(slots=True)
class Params:
    """Mutable on purpose: ``d["k"] = v`` later in the same function adds to the same dict."""

    items: dict[Any, Any] = field(default_factory=dict)
    complete: bool = True

    def copy(self) -> Params:
        return Params(dict(self.items), self.complete)


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
