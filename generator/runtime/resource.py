"""Resources: one node of the API path tree, with the path values bound so far.

Generated classes subclass ``Resource``; their verb methods hand an ``Op`` and the keyword
arguments to ``_call``. The type parameter of ``Op`` is the operation's return type, so the
generated code needs no casts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, Protocol, TypeVar

from .validate import P

__all__ = ["Op", "Resource"]

T = TypeVar("T")


class Op(Generic[T]):
    """One operation: its method, path template, parameter rules and response shape."""

    __slots__ = ("method", "open", "params", "path", "path_params", "returns")

    def __init__(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, P],
        path_params: tuple[P, ...] = (),
        open: bool = False,
        returns: Any = None,
    ) -> None:
        self.method = method
        self.path = path
        self.params = params
        self.path_params = path_params
        self.open = open
        self.returns = returns

    def __repr__(self) -> str:
        return f"Op({self.method} {self.path})"


class Performer(Protocol):
    """What a resource needs of its client (``BaseClient``, which imports this module)."""

    def _perform(self, op: Op[T], values: tuple[Any, ...], arguments: Mapping[str, Any]) -> T: ...


class Resource:
    """A path in the API tree; calling an item resource binds its path parameter."""

    __slots__ = ("_client", "_values")

    def __init__(self, client: Performer, values: tuple[Any, ...] = ()) -> None:
        self._client = client
        self._values = values

    def _call(self, op: Op[T], arguments: Mapping[str, Any]) -> T:
        result: T = self._client._perform(op, self._values, arguments)
        return result

    def __repr__(self) -> str:
        return f"<{type(self).__name__} values={self._values!r}>"
