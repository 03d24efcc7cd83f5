"""Parameter rules from the spec: check arguments before sending, then encode them for PVE.

Every broken rule raises ``ValidationError`` naming the parameter and the rule, so nothing
leaves the machine. Encoding follows PVE: booleans as 1/0, arrays as repeated keys, indexed
parameters (``net[n]``) as ``net0``, ``net1``, ..., objects as JSON text. A property-string
parameter (``P(..., propstring="QemuNet")``) takes an instance of its class, its text (checked
against the class) or, where the format's default key holds a number or boolean, that value.
"""

from __future__ import annotations

import importlib
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from .errors import ValidationError
from .perlre import compile_perl
from .pveformats import check_format

__all__ = ["P", "UnknownParameterError", "check_value", "did_you_mean", "encode_arguments", "encode_path_value"]


class UnknownParameterError(ValidationError, TypeError):
    """A keyword the operation does not take: a ``ValidationError`` (nothing was sent) and, as
    Python calls an unexpected keyword argument, a ``TypeError``."""


class P:
    """The rule of one parameter, as the spec states it."""

    __slots__ = (
        "_class",
        "enum",
        "format",
        "indexed",
        "items",
        "kind",
        "max_length",
        "maximum",
        "min_length",
        "minimum",
        "pattern",
        "propstring",
        "required",
        "wire",
    )

    def __init__(
        self,
        wire: str,
        kind: str,
        *,
        required: bool = False,
        indexed: bool = False,
        enum: tuple[Any, ...] | None = None,
        minimum: float | None = None,
        maximum: float | None = None,
        min_length: int | None = None,
        max_length: int | None = None,
        pattern: str | None = None,
        format: str | None = None,
        items: P | None = None,
        propstring: str | None = None,
    ) -> None:
        self.wire = wire
        self.kind = kind
        self.required = required
        self.indexed = indexed
        self.enum = enum
        self.minimum = minimum
        self.maximum = maximum
        self.min_length = min_length
        self.max_length = max_length
        self.pattern = pattern
        self.format = format
        self.items = items
        self.propstring = propstring  # the class in the package's ``propstrings`` (resolved on first use)
        self._class: Any = None

    def __repr__(self) -> str:
        return f"P({self.wire!r}, {self.kind!r})"


def _fail(name: str, rule: str, message: str) -> ValidationError:
    return ValidationError(name, rule, message)


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'bridge'?)`` for a close match among ``choices``, else ``""``."""
    import difflib  # only on the error path: importing it costs a client's import time

    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.7)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _propstring_class(rule: P) -> Any:
    """The property-string class of a rule: ``<package>.propstrings.<name>``, this runtime being
    ``<package>._runtime`` (imported on first use, as everything in ``propstrings``)."""
    found = rule._class
    if found is None:
        package = (__package__ or "").rpartition(".")[0]
        found = getattr(importlib.import_module(f"{package}.propstrings"), str(rule.propstring))
        rule._class = found
    return found


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _check_string(name: str, rule: P, value: str) -> None:
    if rule.min_length is not None and len(value) < rule.min_length:
        raise _fail(name, "minLength", f"{_describe(value)} is shorter than {rule.min_length} characters")
    if rule.max_length is not None and len(value) > rule.max_length:
        raise _fail(name, "maxLength", f"{_describe(value)} is longer than {rule.max_length} characters")
    if rule.pattern is not None:
        compiled = compile_perl(rule.pattern)  # None: untranslatable, the server judges
        if compiled is not None and compiled.match(value) is None:
            raise _fail(name, "pattern", f"{_describe(value)} does not match {rule.pattern}")
    if rule.format is not None:
        problem = check_format(rule.format, value)
        if problem is not None:
            raise _fail(name, "format", problem)


def _check_bounds(name: str, rule: P, value: float) -> None:
    if rule.minimum is not None and value < rule.minimum:
        raise _fail(name, "minimum", f"{_describe(value)} is below the minimum {rule.minimum}")
    if rule.maximum is not None and value > rule.maximum:
        raise _fail(name, "maximum", f"{_describe(value)} is above the maximum {rule.maximum}")


def _check_enum(name: str, rule: P, value: Any) -> None:
    if rule.enum is not None and value not in rule.enum:
        allowed = ", ".join(repr(v) for v in rule.enum)
        raise _fail(name, "enum", f"{_describe(value)} is not one of {allowed}")


def _scalar(name: str, rule: P, value: Any) -> list[str]:
    """Check one value and return its wire form(s)."""
    kind = rule.kind
    if kind == "string":
        if isinstance(value, str):
            if rule.propstring is not None:
                value = _propstring_class(rule)._check_text(name, value)
        else:
            encode = getattr(value, "_pvegen_encode", None)
            if encode is not None:
                value = encode(name)  # a typed property string (runtime/propstring.py) writes itself
            elif rule.propstring is not None:
                value = _propstring_class(rule)._bare(name, value)  # memory=2048: the default key's value
            else:
                raise _fail(name, "type", f"expected a string, got {type(value).__name__}")
        _check_enum(name, rule, value)
        _check_string(name, rule, value)
        return [value]
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise _fail(name, "type", f"expected an integer, got {type(value).__name__}")
        _check_enum(name, rule, value)
        _check_bounds(name, rule, value)
        return [str(value)]
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise _fail(name, "type", f"expected a finite number, got {_describe(value)}")
        _check_bounds(name, rule, value)
        return [repr(value) if isinstance(value, float) else str(value)]
    if kind == "boolean":
        if not isinstance(value, bool) and value not in (0, 1):
            raise _fail(name, "type", f"expected a boolean, got {_describe(value)}")
        return ["1" if value else "0"]
    if kind == "array":
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, Sequence):
            raise _fail(name, "type", f"expected a list, got {type(value).__name__}")
        item = rule.items if rule.items is not None else P(rule.wire, "string")
        out: list[str] = []
        for element in values:
            out.extend(_scalar(name, item, element))
        return out
    if kind == "object":
        if not isinstance(value, Mapping):
            raise _fail(name, "type", f"expected a mapping, got {type(value).__name__}")
        return [json.dumps(value, sort_keys=True)]
    # "any", "null" or a type this runtime does not know: send the text, the server judges.
    return ["1" if value is True else "0" if value is False else str(value)]


def check_value(name: str, rule: P, value: Any) -> str:
    """Check one value against ``rule`` and return its wire text (ValidationError otherwise)."""
    return _scalar(name, rule, value)[0]


def encode_arguments(params: Mapping[str, P], values: Mapping[str, Any], *, open_params: bool) -> list[tuple[str, str]]:
    """Check ``values`` (keyed by Python name or wire name) and return the (wire, text) pairs.

    Unknown names are refused unless the operation accepts extra parameters (``open``).
    """
    by_wire = {rule.wire: key for key, rule in params.items()}
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for key, value in values.items():
        name = key if key in params else by_wire.get(key)
        if name is None:
            indexed = _indexed_spelling(key, params)
            if indexed is not None:
                raise UnknownParameterError(key, "unknown", indexed)
            if not open_params:
                hint = did_you_mean(key, params)
                raise UnknownParameterError(key, "unknown", "not a parameter of this operation" + hint)
            if value is not None:
                out.extend((key, text) for text in _scalar(key, P(key, "any"), value))
            continue
        seen.add(name)
        rule = params[name]
        if value is None:
            continue
        if rule.indexed:
            if not isinstance(value, Mapping):
                raise _fail(f"{rule.wire}[n]", "type", "expected a mapping of index to value, e.g. {0: ...}")
            for index in sorted(value, key=_index_key):
                if isinstance(index, bool) or not isinstance(index, int) or index < 0:
                    raise _fail(
                        f"{rule.wire}[n]",
                        "type",
                        f"index {_describe(index)} is not an integer >= 0",
                    )
                if value[index] is None:
                    continue
                wire = f"{rule.wire}{index}"
                out.extend((wire, text) for text in _scalar(wire, rule, value[index]))
            continue
        out.extend((rule.wire, text) for text in _scalar(rule.wire, rule, value))
    for name, rule in params.items():
        if rule.required and (name not in seen or values.get(name, values.get(rule.wire)) is None):
            raise _fail(rule.wire, "required", "missing a required parameter")
    return out


_INDEXED_NAME = re.compile(r"(?P<base>.+?)(?P<index>[0-9]+)")


def _indexed_spelling(key: str, params: Mapping[str, P]) -> str | None:
    """``net0=...`` for an indexed parameter: the message that shows the mapping form."""
    match = _INDEXED_NAME.fullmatch(key)
    if match is None:
        return None
    base, index = match["base"], int(match["index"])
    for name, rule in params.items():
        if rule.indexed and rule.wire == base:
            return f"{base}[n] is an indexed parameter: pass {name}={{{index}: ...}} (sent as {key})"
    return None


def _index_key(index: Any) -> tuple[int, str]:
    return (index, "") if isinstance(index, int) and not isinstance(index, bool) else (-1, repr(index))


_PATH_INTEGER = re.compile(r"-?[0-9]+")


def encode_path_value(rule: P, value: Any) -> str:
    """A path parameter as text (checked like a string; integers also accepted as text)."""
    name = rule.wire
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _fail(name, "type", f"expected {'an integer' if rule.kind == 'integer' else 'a string'}")
    text = str(value)
    if rule.kind == "integer":
        # ASCII digits only, sent canonically: int() would also take " 1", "1_0" or Arabic digits.
        if _PATH_INTEGER.fullmatch(text) is None:
            raise _fail(name, "type", f"expected an integer, got {_describe(value)}")
        number = int(text)
        text = str(number)
        _check_bounds(name, rule, number)
        if rule.enum is not None and number not in rule.enum and text not in rule.enum:
            _check_enum(name, rule, number)
    elif rule.enum is not None:
        _check_enum(name, rule, text)
    if not text:
        raise _fail(name, "required", "a path parameter cannot be empty")
    if text in (".", ".."):
        # URL normalisers (requests, proxies, servers) would climb the tree: another operation.
        raise _fail(name, "format", "'.' and '..' cannot be path values")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise _fail(name, "type", "not encodable as UTF-8 (a lone surrogate?)") from None
    _check_string(name, rule, text)
    return text
