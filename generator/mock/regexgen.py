"""Make a string that matches a regular expression (for sample data of patterned strings).

Walks the parsed form of a Python pattern (``re._parser``). Repeats are kept short; lookarounds
and backreferences are not supported and give None, so callers fall back to something else.
"""

from __future__ import annotations

import importlib
import random
from typing import Any


def _load_parser() -> Any:
    # the regex parser is internal: re._parser since 3.11, sre_parse before (deprecated since)
    try:
        return importlib.import_module("re._parser")
    except ImportError:  # pragma: no cover - Python 3.10
        return importlib.import_module("sre_parse")


_parser = _load_parser()
_c = _parser  # the parser module re-exports the opcode constants

_CATEGORY_CHARS = {
    _c.CATEGORY_DIGIT: "0123456789",
    _c.CATEGORY_WORD: "abcxyz019_",
    _c.CATEGORY_SPACE: " ",
    _c.CATEGORY_NOT_DIGIT: "abc",
    _c.CATEGORY_NOT_WORD: "-",
    _c.CATEGORY_NOT_SPACE: "abc",
}
_MAX_REPEAT = 3


class _Unsupported(Exception):
    pass


def generate(pattern: str, rng: random.Random) -> str | None:
    """A string matching ``pattern`` (Python syntax), or None when the pattern is out of reach."""
    try:
        parsed = _parser.parse(pattern)
        return _emit(list(parsed), rng)
    except (_Unsupported, RecursionError, ValueError, TypeError, IndexError):
        return None
    except Exception:  # re.error and friends: the caller falls back
        return None


def _emit(items: list[tuple[Any, Any]], rng: random.Random) -> str:
    out: list[str] = []
    for op, arg in items:
        out.append(_one(op, arg, rng))
    return "".join(out)


def _one(op: Any, arg: Any, rng: random.Random) -> str:
    if op == _c.LITERAL:
        return chr(arg)
    if op == _c.NOT_LITERAL:
        return "a" if chr(arg) != "a" else "b"
    if op == _c.ANY:
        return "a"
    if op == _c.AT:
        return ""
    if op == _c.IN:
        return _class(arg, rng)
    if op == _c.CATEGORY:
        chars = _CATEGORY_CHARS.get(arg)
        if chars is None:
            raise _Unsupported
        return rng.choice(chars)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, high, body = arg
        top = low + _MAX_REPEAT if high == _c.MAXREPEAT else min(high, low + _MAX_REPEAT)
        count = rng.randint(low, max(low, top)) if low == 0 else low + rng.randint(0, min(1, top - low))
        return "".join(_emit(list(body), rng) for _ in range(count))
    if op == _c.SUBPATTERN:
        body = arg[-1]
        return _emit(list(body), rng)
    if op == _c.BRANCH:
        options = arg[1]
        return _emit(list(options[rng.randrange(len(options))]), rng)
    raise _Unsupported


def _class(items: list[tuple[Any, Any]], rng: random.Random) -> str:
    if items and items[0][0] == _c.NEGATE:
        excluded = {chr(a) for op, a in items[1:] if op == _c.LITERAL}
        for candidate in "abcxyz019":
            if candidate not in excluded:
                return candidate
        raise _Unsupported
    op, arg = items[rng.randrange(len(items))]
    if op == _c.LITERAL:
        return chr(arg)
    if op == _c.RANGE:
        return chr(rng.randint(arg[0], arg[1]))
    if op == _c.CATEGORY:
        chars = _CATEGORY_CHARS.get(arg)
        if chars is None:
            raise _Unsupported
        return rng.choice(chars)
    raise _Unsupported
