"""String values as the scanner sees them: literal pieces with ``None`` where the code computes a part.

f-strings, ``+``, ``%`` and ``str.format`` keep what they can read of a URL (``"%s/api2/json/nodes/%s" % (u, n)``
is ``(None, "/api2/json/nodes/", None)``), so the path survives however the code builds it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .values import Const, Params, Seq, Text

__all__ = ["concat", "percent_format", "pieces_of", "str_format", "text_method", "tidy"]

_FORMAT_FIELD = re.compile(r"\{([^{}!:]*)(?:![rsa])?(?::[^{}]*)?\}|\{\{|\}\}")
_PERCENT_FIELD = re.compile(r"%(?:\(([^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?([diouxXeEfFgGcrsa%])")


def pieces_of(value: Any) -> list[str | None]:
    if isinstance(value, Text):
        return list(value.pieces)
    if isinstance(value, Const) and value.value is not None:
        return [str(value.value)]
    return [None]


def tidy(pieces: Iterable[str | None]) -> tuple[str | None, ...]:
    """Join neighbouring literal pieces; keep one None between them where values are computed."""
    out: list[str | None] = []
    for piece in pieces:
        if piece is None:
            out.append(None)
        elif out and out[-1] is not None:
            out[-1] = out[-1] + piece
        else:
            out.append(piece)
    return tuple(out) if out else ("",)


def concat(left: Any, right: Any) -> Any:
    if isinstance(left, Params) and isinstance(right, Params):
        return None
    if isinstance(left, Text) or isinstance(right, Text):
        return Text(tidy([*pieces_of(left), *pieces_of(right)]))
    return None


def percent_format(template: Text, values: Any) -> Text:
    """``"%s/api2/json/nodes/%s" % (url, node)``: each field takes the next value (or a named one)."""
    positional = list(values.items) if isinstance(values, Seq) else [values]
    named = values.items if isinstance(values, Params) else {}
    out: list[str | None] = []
    index = 0
    for piece in template.pieces:
        if piece is None:
            out.append(None)
            continue
        last = 0
        for match in _PERCENT_FIELD.finditer(piece):
            out.append(piece[last : match.start()])
            last = match.end()
            name, kind = match.group(1), match.group(2)
            if kind == "%":
                out.append("%")
            elif name is not None:
                out.extend(pieces_of(named.get(name)) if kind in "sdi" else [None])
            else:
                value = positional[index] if index < len(positional) else None
                index += 1
                out.extend(pieces_of(value) if kind in "sdi" else [None])
        out.append(piece[last:])
    return Text(tidy(out))


def str_format(template: Text, args: list[Any], keywords: list[tuple[str | None, Any]]) -> Text:
    """``"{}/api2/json/nodes/{node}".format(url, node=n)``."""
    named = {name: value for name, value in keywords if name is not None}
    out: list[str | None] = []
    auto = 0
    for piece in template.pieces:
        if piece is None:
            out.append(None)
            continue
        last = 0
        for match in _FORMAT_FIELD.finditer(piece):
            out.append(piece[last : match.start()])
            last = match.end()
            field_name = match.group(1)
            if field_name is None:  # {{ or }}
                out.append(match.group()[0])
                continue
            head = re.split(r"[.\[]", field_name, maxsplit=1)[0]
            plain = head == field_name
            if head == "":
                value = args[auto] if auto < len(args) else None
                auto += 1
            elif head.isdigit():
                value = args[int(head)] if int(head) < len(args) else None
            else:
                value = named.get(head)
            out.extend(pieces_of(value) if plain else [None])
        out.append(piece[last:])
    return Text(tidy(out))


def text_method(text: Text, callee: str, args: list[Any], keywords: list[tuple[str | None, Any]]) -> Any:
    if callee == "format":
        return str_format(text, args, keywords)
    if callee == "join" and args and isinstance(args[0], Seq) and text.literal is not None:
        joined: list[str | None] = []
        for index, item in enumerate(args[0].items):
            if index:
                joined.append(text.literal)
            joined.extend(pieces_of(item))
        return Text(tidy(joined))
    if callee in ("rstrip", "lstrip", "strip") and not args:
        return text
    if callee == "rstrip" and args and isinstance(args[0], Text) and text.pieces[-1] is not None:
        return Text((*text.pieces[:-1], text.pieces[-1].rstrip(args[0].literal or "")))
    return None
