"""Property strings: PVE's ``key=value,...`` values, read and written as PVE does, and typed.

The grammar comes first, without any schema (the mock reads request values with it too):
``split_parts`` / ``unquote`` / ``parse_pairs`` follow PVE's parser: a bare value belongs to the
default key, an alias key stores its value under its target (and, with keyAlias, its own name
under that key), a duplicate key is an error. ``print_pairs`` follows PVE's printer: the default
key's value first without its name, a keyAlias pair in its short form (``model=virtio`` plus
``macaddr=AA:..`` -> ``virtio=AA:..``), the other keys in name order.

Generated classes (``<package>.propstrings``) list their sub-keys as ``Key`` rules. An instance
checks its values when built (and when a key is assigned): a bad one raises ``ValidationError``
naming ``Class.key``. Booleans are written 1/0 and read from 1/0/yes/no/on/off/true/false. Keys
a class does not know (a newer server) are kept in ``extra`` and written back, so reading and
writing a config value never loses anything. A parameter that takes a property string also
takes its plain text (checked against the class before sending: ``_check_text``) and, where the
default key holds a number or a boolean, that value alone (``memory=2048``: ``_bare``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, TypeVar

from .booleans import parse_bool
from .errors import ValidationError
from .redact import is_secret_name
from .validate import P, check_value, did_you_mean

__all__ = ["Aliases", "Key", "PropertyString", "parse_pairs", "print_pairs", "split_parts", "unquote"]

S = TypeVar("S", bound="PropertyString")
Aliases = Mapping[str, tuple[str, str | None]]  # alias -> (target key, keyAlias)
_NO_ALIASES: Aliases = {}


# -- PVE's grammar ------------------------------------------------------------------------------------


def split_parts(text: str) -> list[str]:
    """Split at commas, except inside a value written in double quotes (newer PVE releases)."""
    parts: list[str] = []
    start = i = 0
    while i < len(text):
        ch = text[i]
        if ch == ",":
            parts.append(text[start:i])
            start = i + 1
        elif ch == '"' and (i == start or text[i - 1] == "="):
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        i += 1
    parts.append(text[start:])
    return parts


def unquote(value: str) -> str:
    """A value as written (``"a,b"`` with ``\\`` escapes in quotes, else as is) -> its text."""
    if len(value) >= 2 and value.startswith('"') and value.endswith('"'):
        inner = value[1:-1]
        out, i = [], 0
        while i < len(inner):
            if inner[i] == "\\" and i + 1 < len(inner):
                i += 1
            out.append(inner[i])
            i += 1
        return "".join(out)
    return value


def parse_pairs(text: str, *, default_key: str | None, aliases: Aliases = _NO_ALIASES) -> dict[str, str]:
    """``key=value,...`` -> {wire key: text}, as PVE's parser reads it; ValueError for what PVE
    refuses (a bare value without a default key, a duplicate key). Unknown keys are returned
    as they are: whether to accept them is the caller's call."""
    raw: dict[str, str] = {}
    for number, part in enumerate(split_parts(text), 1):
        if not part.strip():
            continue
        wire, sep, value = part.partition("=")
        if not sep:
            if default_key is None:  # (the value is not shown: it may be a secret)
                raise ValueError(f"part {number} is a value without a key, and the format has no default key")
            wire, value = default_key, part
        elif wire in aliases:
            target, key_alias = aliases[wire]
            if key_alias is not None:
                _put(raw, key_alias, wire)
            wire = target
        _put(raw, wire, unquote(value))
    return raw


def print_pairs(texts: Mapping[str, str], *, default_key: str | None, aliases: Aliases = _NO_ALIASES) -> str:
    """{wire key: text} -> ``key=value,...`` as PVE's printer writes it. The default key's value
    is written bare only when it reads back as itself (no ``=``, not blank); else ``key=value``."""
    rest = dict(texts)
    parts: list[str] = []
    for alias, (target, key_alias) in aliases.items():
        # PVE's short form: "virtio=AA:BB:.." stands for model=virtio,macaddr=AA:BB:..
        if key_alias is not None and rest.get(key_alias) == alias and target in rest:
            parts.append(f"{alias}={rest.pop(target)}")
            del rest[key_alias]
            break
    if not parts and default_key is not None and default_key in rest:
        bare = rest[default_key]
        if "=" not in bare and bare.strip():
            parts.append(bare)
            del rest[default_key]
    parts += [f"{wire}={rest[wire]}" for wire in sorted(rest)]
    return ",".join(parts)


def _put(raw: dict[str, str], wire: str, value: str) -> None:
    if wire in raw:
        raise ValueError(f"duplicate key {wire!r}")
    raw[wire] = value


# -- typed classes -------------------------------------------------------------------------------------


class Key:
    """One sub-key: its attribute, wire name, value rule and role."""

    __slots__ = ("attr", "default_key", "required", "rule", "wire")

    def __init__(self, attr: str, wire: str, rule: P, *, default_key: bool = False, required: bool = False) -> None:
        self.attr = attr
        self.wire = wire
        self.rule = rule
        self.default_key = default_key
        self.required = required

    def __repr__(self) -> str:
        return f"Key({self.wire!r})"


class PropertyString:
    """Base of the generated property-string classes; ``str(obj)`` is the wire form."""

    __slots__ = ("extra",)
    _keys: ClassVar[tuple[Key, ...]] = ()
    _aliases: ClassVar[Aliases] = {}

    extra: dict[str, str]

    def _init(self, values: Mapping[str, Any], extra: Mapping[str, str] | None, *, check: bool = True) -> None:
        for key in self._keys:
            value = values.get(key.attr)
            if check:
                self._check_key(key, value)
            object.__setattr__(self, key.attr, value)
        extra = dict(extra or {})
        if check:
            known = {key.wire for key in self._keys} | set(self._aliases)
            for wire, text in extra.items():
                where = f"{type(self).__name__}.{wire}"
                if wire in known:
                    raise ValidationError(where, "unknown", "a key of this class: set it as an attribute, not in extra")
                if not isinstance(text, str):
                    raise ValidationError(where, "type", f"extra values are text, got {type(text).__name__}")
                _safe(where, text)
        object.__setattr__(self, "extra", extra)

    def _check_key(self, key: Key, value: Any) -> None:
        where = f"{type(self).__name__}.{key.wire}"
        if value is None:
            if key.required:
                raise ValidationError(where, "required", "missing a required key")
            return
        _safe(where, check_value(where, key.rule, value))

    def __setattr__(self, name: str, value: Any) -> None:
        key = next((key for key in self._keys if key.attr == name), None)
        if key is not None:
            self._check_key(key, value)
        object.__setattr__(self, name, value)

    @classmethod
    def _default_key(cls) -> Key | None:
        return next((key for key in cls._keys if key.default_key), None)

    # -- writing ------------------------------------------------------------------------
    def encode(self, name: str = "value") -> str:
        """The ``key=value,...`` text, every sub-key checked; ValidationError names ``name.key``."""
        texts: dict[str, str] = {}
        for key in self._keys:
            value = getattr(self, key.attr)
            where = f"{name}.{key.wire}"
            if value is None:
                if key.required:
                    raise ValidationError(where, "required", "missing a required key")
                continue
            texts[key.wire] = _safe(where, check_value(where, key.rule, value))
        for wire, value in self.extra.items():
            texts[wire] = _safe(f"{name}.{wire}", str(value))
        default = self._default_key()
        return print_pairs(texts, default_key=None if default is None else default.wire, aliases=self._aliases)

    def __str__(self) -> str:
        return self.encode()

    def _pvegen_encode(self, name: str) -> str:  # how validate.py recognises a property string
        return self.encode(name)

    def to_dict(self) -> dict[str, Any]:
        """The set sub-keys by wire name (plus ``extra``), as Python values."""
        out = {key.wire: getattr(self, key.attr) for key in self._keys}
        out = {wire: value for wire, value in out.items() if value is not None}
        out.update(self.extra)
        return out

    # -- a parameter's other forms ------------------------------------------------------
    @classmethod
    def _check_text(cls, name: str, text: str) -> str:
        """Check a plain ``key=value,...`` text of parameter ``name`` as PVE would read it, before
        it is sent: unknown keys (with a "did you mean"), values, required keys. Returns it as is."""
        default = cls._default_key()
        try:
            raw = parse_pairs(text, default_key=None if default is None else default.wire, aliases=cls._aliases)
        except ValueError as err:
            raise ValidationError(name, "format", str(err)) from None
        by_wire = {key.wire: key for key in cls._keys}
        for wire, value in raw.items():
            where = f"{name}.{wire}"
            key = by_wire.get(wire)
            if key is None:
                hint = did_you_mean(wire, [*by_wire, *cls._aliases])
                raise ValidationError(where, "unknown", f"{cls.__name__} has no key {wire!r}{hint}")
            if value == "":
                raise ValidationError(where, "minLength", "a value inside a property string cannot be empty")
            check_value(where, key.rule, _typed_strict(where, key.rule.kind, value))
        for key in cls._keys:
            if key.required and key.wire not in raw:
                raise ValidationError(f"{name}.{key.wire}", "required", "missing a required key")
        return text

    @classmethod
    def _bare(cls, name: str, value: Any) -> str:
        """A non-text value of parameter ``name``: the default key's value alone (``memory=2048``)."""
        key = cls._default_key()
        if key is None or key.rule.kind not in ("integer", "number", "boolean"):
            raise ValidationError(name, "type", f"expected a string or {cls.__name__}, got {type(value).__name__}")
        text = check_value(f"{name}.{key.wire}", key.rule, value)
        return print_pairs({key.wire: text}, default_key=key.wire)

    # -- reading ------------------------------------------------------------------------
    @classmethod
    def parse(cls: type[S], text: str) -> S:
        """Read a value as PVE writes it (a config response); ValueError when it is not one.

        Values are not judged (a newer server may send what this class does not know yet)."""
        if not isinstance(text, str):
            raise ValueError(f"{cls.__name__}: expected a property string, got {type(text).__name__}")
        default = cls._default_key()
        try:
            raw = parse_pairs(text, default_key=None if default is None else default.wire, aliases=cls._aliases)
        except ValueError as err:
            raise ValueError(f"{cls.__name__}: {err}") from None
        by_wire = {key.wire: key for key in cls._keys}
        obj = cls.__new__(cls)
        values = {by_wire[w].attr: _typed(by_wire[w].rule.kind, v) for w, v in raw.items() if w in by_wire}
        obj._init(values, {w: v for w, v in raw.items() if w not in by_wire}, check=False)
        return obj

    # -- comparison and display ---------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, PropertyString)
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]  # mutable, like a dataclass

    def __repr__(self) -> str:
        shown = ", ".join(f"{key.attr}={_shown(key.wire, getattr(self, key.attr))}" for key in self._set_keys())
        if self.extra:
            extra = {w: _shown(w, v) for w, v in self.extra.items()}
            shown = f"{shown}, extra={extra}" if shown else f"extra={extra}"
        return f"{type(self).__name__}({shown})"

    def _set_keys(self) -> Iterator[Key]:
        return (key for key in self._keys if getattr(self, key.attr) is not None)


def _safe(where: str, text: str) -> str:
    # PVE's printer refuses commas in values ("illegal value with commas"); its parser would
    # split them. A leading quote would start a quoted value in newer parsers.
    if "," in text:
        raise ValidationError(where, "format", "a value inside a property string cannot contain ','")
    if text.startswith('"'):
        raise ValidationError(where, "format", "a value inside a property string cannot start with '\"'")
    if text == "":
        raise ValidationError(where, "minLength", "a value inside a property string cannot be empty")
    return text


_INTEGER = re.compile(r"[+-]?[0-9]+")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _typed_strict(where: str, kind: str, text: str) -> Any:
    """Text as PVE's type check reads it; ValidationError when it would refuse it."""
    if kind == "boolean":
        word = parse_bool(text)
        if word is None:
            raise ValidationError(where, "type", f"expected a boolean (1/0, yes/no, on/off, true/false), got {text!r}")
        return word
    if kind == "integer":
        if _INTEGER.fullmatch(text) is None:
            raise ValidationError(where, "type", f"expected an integer, got {text!r}")
        return int(text)
    if kind == "number":
        if _NUMBER.fullmatch(text) is None:
            raise ValidationError(where, "type", f"expected a number, got {text!r}")
        return float(text)
    return text


def _typed(kind: str, text: str) -> Any:
    """PVE's text as the Python value (left as text when it does not convert cleanly)."""
    if kind == "boolean":
        word = parse_bool(text)
        return text if word is None else word
    if kind == "integer":
        try:
            return int(text)
        except ValueError:
            return text
    if kind == "number":
        try:
            number = float(text)
        except ValueError:
            return text
        return int(text) if number.is_integer() and text.strip().lstrip("+-").isdigit() else number
    return text


def _shown(wire: str, value: Any) -> str:
    if is_secret_name(wire) and value is not None:
        return "<hidden>"
    return repr(value)
