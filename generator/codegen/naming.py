"""Every Python name the generator emits is made here, from untrusted spec text, in one place.

Rules (documented in docs/client.md): characters outside ``[A-Za-z0-9_]`` become ``_`` (so
``get-fsinfo`` -> ``get_fsinfo``); a leading digit gets a ``_`` prefix; Python keywords and
names reserved by the client get a ``_`` suffix (``in`` -> ``in_``, ``self`` -> ``self_``);
names that still collide inside one scope get ``_2``, ``_3``, ... in source order. The
outcome depends only on the names and their order, so output is deterministic.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable

__all__ = [
    "RESERVED_MEMBERS",
    "RESERVED_PARAMETERS",
    "Namespace",
    "camel",
    "identifier",
    "snake",
]

_NOT_IDENT = re.compile(r"[^A-Za-z0-9_]")
_WORDS = re.compile(r"[A-Za-z0-9]+")

# Members every resource class has: a path segment with one of these names must not hide them.
RESERVED_MEMBERS = frozenset({"get", "post", "put", "delete", "request", "close", "base_url"})
# Keyword-argument names the verb methods cannot take as-is.
RESERVED_PARAMETERS = frozenset({"self"})


def identifier(text: str, reserved: Iterable[str] = ()) -> str:
    """A valid, ASCII, non-keyword Python identifier made from ``text``."""
    name = _NOT_IDENT.sub("_", text) or "_"
    if name[0].isdigit():
        name = f"_{name}"
    if keyword.iskeyword(name) or name in reserved:
        name = f"{name}_"
    return name


def snake(text: str) -> str:
    """A lower-case module-name fragment (``Get-FSInfo`` -> ``get_fsinfo``)."""
    return identifier(text.lower())


def camel(parts: Iterable[str]) -> str:
    """``("nodes", "{node}", "qemu")`` -> ``NodesNodeQemu``; words are the ASCII alphanumerics."""
    words: list[str] = []
    for part in parts:
        for word in _WORDS.findall(part):
            words.append(word[0].upper() + word[1:])
    name = "".join(words) or "X"
    if name[0].isdigit():
        name = f"X{name}"
    return f"{name}_" if keyword.iskeyword(name) else name  # False, None, True


class Namespace:
    """Hands out unique names in one scope; asking again for the same key returns the same name."""

    def __init__(self, taken: Iterable[str] = ()) -> None:
        self._used: set[str] = set(taken)
        self._given: dict[object, str] = {}

    def taken(self, name: str) -> bool:
        return name in self._used

    def name(self, key: object, wanted: str) -> str:
        if key in self._given:
            return self._given[key]
        candidate = wanted
        counter = 2
        while candidate in self._used:
            candidate = f"{wanted}_{counter}"
            counter += 1
        self._used.add(candidate)
        self._given[key] = candidate
        return candidate
