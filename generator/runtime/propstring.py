"""Property strings: PVE's ``key=value,...`` values, read and written as PVE does, and typed.

The grammar comes first, without any schema (the mock reads and writes request and config values
with it too): ``split_property_string`` and ``parse_pairs`` follow PVE's parser (a bare value
belongs to the default key, an alias key stores its value under its target and, with keyAlias,
its own name under that key; a duplicate key is an error); ``print_property_string`` follows PVE's
printer (the default key's value first without its name, then the required keys, then the rest,
in name order; a keyAlias pair in its short form: ``model=virtio`` plus ``macaddr=AA:..`` ->
``virtio=AA:..``).

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
from collections.abc import Collection, Iterator, Mapping
from typing import Any, ClassVar, TypeVar

from .booleans import parse_bool
from .errors import ValidationError
from .redact import is_secret_name
from .validate import P, check_value, did_you_mean

__all__ = ["Aliases", "Key", "PropertyString", "parse_pairs", "print_property_string", "split_property_string"]

S = TypeVar("S", bound="PropertyString")
Aliases = Mapping[str, tuple[str, str | None]]  # alias -> (target key, keyAlias)
_NO_ALIASES: Aliases = {}


# -- PVE's grammar, for any format (the classes below and the mock's server side) ----------------------


def split_property_string(text: str) -> list[tuple[str | None, str]]:
    """The ``key=value`` parts of a property string in order, as PVE's parser reads them: split at
    commas, blank parts skipped, the key ends at the first ``=`` (the value may hold more), a part
    without ``=`` is a bare value (key None) for the default key. A value written in double quotes
    (``key="a,b"``, backslash escapes; newer releases) is one value, returned unquoted."""
    pairs: list[tuple[str | None, str]] = []
    for part in _parts(text):
        if not part.strip():
            continue
        key, sep, value = part.partition("=")
        pairs.append((key, _unquote(value)) if sep else (None, _unquote(part)))
    return pairs


def print_property_string(
    values: Mapping[str, str],
    *,
    default_key: str | None = None,
    required: Collection[str] = (),
    aliases: Mapping[str, tuple[str, str | None]] | None = None,
) -> str:
    """Sub-key texts written as PVE's printer (``print_property_string``) writes them: the default key
    first and bare, then the required keys in name order, then the rest in name order. A keyAlias pair
    takes its short form where its key stands (``model=virtio`` + ``macaddr=X`` -> ``virtio=X``;
    ``aliases`` maps alias -> (target, keyAlias)). Where PVE's printer would write something its parser
    reads back differently, this writes what reads back: a bare default value holding ``=`` goes as
    ``key=value``; a value holding a comma or starting with a quote is written in double quotes."""
    aliases = aliases or {}
    order = [default_key] if default_key is not None and default_key in values else []
    order += sorted(k for k in values if k in required and k != default_key)
    order += sorted(k for k in values if k not in required and k != default_key)
    parts: list[str] = []
    done: set[str] = set()
    for key in order:
        if key in done:
            continue
        done.add(key)
        value = values[key]
        target = aliases.get(value, ("", None))[0]
        if aliases.get(value) == (target, key) and target in values and target not in done:
            parts.append(f"{value}={_quoted(values[target])}")  # the keyAlias short form
            done.add(target)
        elif key == default_key and "=" not in value and value.strip():
            parts.append(_quoted(value))
        else:
            parts.append(f"{key}={_quoted(value)}")
    return ",".join(parts)


def _quoted(value: str) -> str:
    if "," not in value and not value.startswith('"'):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_pairs(text: str, *, default_key: str | None, aliases: Aliases = _NO_ALIASES) -> dict[str, str]:
    """``key=value,...`` -> {wire key: text}, as PVE's parser reads it: a bare value is the default
    key's, an alias stores its value under its target (and, with keyAlias, its own name under that
    key). ValueError for what PVE refuses (a bare value without a default key, a duplicate key);
    unknown keys are returned as they are: whether to accept them is the caller's call."""
    raw: dict[str, str] = {}
    for number, (wire, value) in enumerate(split_property_string(text), 1):
        if wire is None:
            if default_key is None:  # (the value is not shown: it may be a secret)
                raise ValueError(f"part {number} is a value without a key, and the format has no default key")
            wire = default_key
        elif wire in aliases:
            target, key_alias = aliases[wire]
            if key_alias is not None:
                _put(raw, key_alias, wire)
            wire = target
        _put(raw, wire, value)
    return raw


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
        required = {key.wire for key in self._keys if key.required}
        return print_property_string(
            texts, default_key=None if default is None else default.wire, required=required, aliases=self._aliases
        )

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
        return print_property_string({key.wire: text}, default_key=key.wire)

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


def _parts(text: str) -> Iterator[str]:
    """Split at commas, except inside a value written in double quotes (newer PVE releases)."""
    start = i = 0
    while i < len(text):
        ch = text[i]
        if ch == ",":
            yield text[start:i]
            start = i + 1
        elif ch == '"' and (i == start or text[i - 1] == "="):
            i += 1
            while i < len(text) and text[i] != '"':
                i += 2 if text[i] == "\\" else 1
        i += 1
    yield text[start:]


def _unquote(value: str) -> str:
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
