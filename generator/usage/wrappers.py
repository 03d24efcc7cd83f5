"""The code's own request wrappers: ``def get(self, path, **params): return self.http.get(self.base + path, ...)``.

A function whose request takes its whole API path from one of its parameters is a wrapper; its own request
has no path of its own to report. Its callers do: ``session.get("/nodes/pve1/status")`` is
``GET /nodes/pve1/status`` when ``get`` wraps a GET. Wrappers are matched by name over the whole tree, and
only calls handing them an API-shaped path (``/nodes/...``, ``cluster/...``) count, so ``d.get("name")``
never does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..model import METHODS
from .calls import Call
from .params import add_body
from .urls import split_template
from .values import Params, Text, literal_value

__all__ = ["API_PATH", "Wrapper", "WrapperUse", "calls_through_wrappers"]

# A path of the API as code writes it for a wrapper: its first segment is one of the API's, and it looks
# like a path (a leading "/" or a second segment): a bare "nodes" is as likely a dict key.
API_PATH = re.compile(
    r"^(?:/(?:access|cluster|nodes|pools|storage|version)(?:[/?]|$)|(?:access|cluster|nodes|pools|storage)/)"
)


@dataclass(frozen=True, slots=True)
class Wrapper:
    """``path_index``: the positional parameter holding the path (``self`` not counted); ``method``
    the wrapped request's, else ``method_index`` the parameter giving it; ``kwargs``: the wrapper's
    ``**kwargs`` become the request's parameters; ``body``: parameters passed on as the request's body."""

    path_index: int
    method: str | None
    method_index: int | None
    kwargs: bool
    body: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class WrapperUse:
    callee: str
    line: int
    column: int
    text: str
    positional: tuple[Any, ...]
    keywords: tuple[tuple[str | None, Any], ...]


def calls_through_wrappers(file: str, uses: list[WrapperUse], wrappers: dict[str, Wrapper]) -> list[tuple[Call, str]]:
    """The calls made through wrappers, each with the wrapper's name."""
    calls = []
    for use in uses:
        wrapper = wrappers.get(use.callee)
        if wrapper is None or wrapper.path_index >= len(use.positional):
            continue
        path = use.positional[wrapper.path_index]
        if not isinstance(path, Text) or not isinstance(path.pieces[0], str) or not API_PATH.match(path.pieces[0]):
            continue
        segments, params, complete = split_template(path.pieces, after_marker=False)
        method = wrapper.method
        if method is None and wrapper.method_index is not None and wrapper.method_index < len(use.positional):
            verb = literal_value(use.positional[wrapper.method_index])
            method = verb.upper() if isinstance(verb, str) and verb.upper() in METHODS else None
        for index in wrapper.body:
            if index < len(use.positional):
                complete = add_body(params, use.positional[index]) and complete
        for name, value in use.keywords:
            if name is None:
                complete = False
            elif wrapper.kwargs:
                params[name] = _literal(value)
        calls.append((Call(file, use.line, use.column, use.text, method, segments, params, complete), use.callee))
    return calls


def _literal(value: Any) -> Any:
    return value if isinstance(value, Params) else literal_value(value)
