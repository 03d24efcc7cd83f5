"""Render spec values as Python literals that can never break out into code.

Spec text is untrusted: it reaches generated code only through ``literal()``, which builds
the source of a constant from ``repr()`` of strings and numbers (quotes, backslashes, NUL,
newlines, ``{{ }}``, lone surrogates all end up escaped inside one string literal).
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["docstring", "literal"]


def literal(value: Any) -> str:
    """Python source for a JSON-like value (dict, list/tuple, str, int, float, bool, None)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, int):
        return repr(int(value))
    if isinstance(value, float):
        if math.isnan(value):
            return 'float("nan")'
        if math.isinf(value):
            return 'float("inf")' if value > 0 else 'float("-inf")'
        return repr(float(value))
    if isinstance(value, dict):
        items = ", ".join(f"{literal(str(k))}: {literal(v)}" for k, v in value.items())
        return "{" + items + "}"
    if isinstance(value, list | tuple):
        inner = ", ".join(literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    raise TypeError(f"cannot render {type(value).__name__} as a literal")


def _string(text: str) -> str:
    # repr() escapes quotes, backslashes, control and non-printable characters (NUL, U+2028,
    # lone surrogates); black may later swap the quote style, never the content.
    rendered = repr(str(text))
    return rendered


def docstring(text: str, indent: str) -> str:
    """Source of a docstring for ``text`` at ``indent``: readable triple quotes when black would
    keep the text exactly as it is, else the escaped one-line literal.

    ``inspect.getdoc()`` of the result gives ``text`` back (without its trailing newline).
    """
    lines = text.rstrip("\n").split("\n")
    rest = [line for line in lines[1:] if line]
    readable = (
        text.strip() == text.rstrip("\n")
        and all(line.isprintable() and line == line.rstrip() for line in lines)
        and '"""' not in text
        and not text.startswith(("'", '"'))
        and not text.rstrip("\n").endswith(("'", '"'))
        and (not rest or min(len(line) - len(line.lstrip(" ")) for line in rest) == 0)
    )
    if not readable:
        return literal(text)
    lines = [line.replace("\\", "\\\\") for line in lines]  # the only escape needed inside
    if len(lines) == 1:
        return f'"""{lines[0]}"""'
    body = "\n".join([lines[0], *((indent + line) if line else "" for line in lines[1:])])
    return f'"""{body}\n{indent}"""'
