"""Perl patterns of Proxmox schemas as ECMA-262 patterns, only where the translation is exact.

PVE checks a parameter with ``$value =~ m/^$pattern$/`` on a decoded (Unicode) string. So:

- the anchors are pasted around the text, not around a group: ``a|b`` means ``^a`` or ``b$``;
- Perl's ``$`` also matches before a final newline, ECMA's does not: we write ``\\n?$``;
- ``\\d``, ``\\w``, ``\\b`` follow Unicode in Perl and ASCII in ECMA: no exact ECMA form, refused;
- ``\\s`` is Unicode White_Space in Perl (a fixed set): written out as that set;
- ``.`` is "anything but a newline" in Perl and "anything but a line terminator" in ECMA: ``[^\\n]``;
- ``(?i)`` folds ``s`` to ``ſ`` (U+017F) and ``k`` to ``K`` (U+212A) in Perl: classes get those too;
- ``x{,3}`` is a quantifier since Perl 5.34 and a literal before: which one depends on the release, refused.

A pattern is parsed into a small tree and written back from a whitelist of constructs whose meaning
is the same in Perl and ECMA-262 (and Python, Go, Rust, Java read them alike); anything else raises
``Untranslatable`` with the reason, and the exporter keeps the pattern only as ``x-pve-pattern``.
The output is exact under code-point semantics (the ``u`` flag, how JSON Schema validators read
strings) and valid with and without the ``u`` flag.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

__all__ = ["Untranslatable", "ecma_literal", "ecma_pattern", "perl_to_ecma"]


class Untranslatable(ValueError):
    """The pattern has no exact ECMA-262 form; the message says which construct and why."""


# Perl's \s on Unicode strings: the White_Space property (fixed since Unicode 6.3, Perl 5.18).
_PERL_SPACE: tuple[tuple[int, int], ...] = (
    *((0x09, 0x0D), (0x20, 0x20), (0x85, 0x85), (0xA0, 0xA0), (0x1680, 0x1680), (0x2000, 0x200A)),
    *((0x2028, 0x2029), (0x202F, 0x202F), (0x205F, 0x205F), (0x3000, 0x3000)),
)
# Under /a (ASCII-restricted) the shorthand classes are ASCII.
_ASCII_DIGIT = ((0x30, 0x39),)
_ASCII_WORD = ((0x30, 0x39), (0x41, 0x5A), (0x5F, 0x5F), (0x61, 0x7A))
_ASCII_SPACE = ((0x09, 0x0D), (0x20, 0x20))
# Non-ASCII characters whose case fold is an ASCII letter (Unicode CaseFolding.txt, status C/S).
_FOLDS_TO_ASCII = {0x017F: 0x73, 0x212A: 0x6B}  # LATIN SMALL LETTER LONG S -> s, KELVIN SIGN -> k
_SYNTAX = frozenset("^$\\.*+?()[]{}|")
_CLASS_SPECIAL = frozenset("\\]^-[")
_HEX = frozenset("0123456789abcdefABCDEF")
_KNOWN_FLAGS = frozenset("imsxnpadlu")
_LOOSE_BRACES = re.compile(r"\{[\s\d,]*\}")

Ranges = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class _Flags:
    i: bool = False
    s: bool = False
    m: bool = False
    ascii: bool = False


# -- the tree -----------------------------------------------------------------------------------
@dataclass
class _Chars:
    """One character out of a set (a literal, a class, an escape, ``.``)."""

    ranges: Ranges
    negated: bool = False


@dataclass
class _Anchor:
    kind: str  # "start" (^ \A), "end" (Perl $ \Z), "eos" (\z)
    multiline: bool = False


@dataclass
class _Group:
    body: _Alt


@dataclass
class _Repeat:
    node: _Node
    low: int
    high: int | None
    lazy: bool


@dataclass
class _Alt:
    branches: list[list[_Node]]


_Node = _Chars | _Anchor | _Group | _Repeat


# -- parsing ------------------------------------------------------------------------------------
class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, why: str) -> Untranslatable:
        return Untranslatable(f"{why} (at offset {self.pos})")

    def peek(self, offset: int = 0) -> str:
        index = self.pos + offset
        return self.text[index] if index < len(self.text) else ""

    def parse(self) -> _Alt:
        tree = self.alternation(_Flags())
        if self.pos != len(self.text):
            raise self.fail("unbalanced ')'")
        return tree

    def alternation(self, flags: _Flags) -> _Alt:
        branches = [self.sequence(flags)]
        while self.peek() == "|":
            self.pos += 1
            branches.append(self.sequence(flags))
        return _Alt(branches)

    def sequence(self, flags: _Flags) -> list[_Node]:
        items: list[_Node] = []
        while self.pos < len(self.text) and self.peek() not in "|)":
            atom = self.atom(flags)
            if atom is None:
                continue
            items.append(self.quantified(atom))
        return items

    def quantified(self, atom: _Node) -> _Node:
        bounds = self.quantifier()
        if bounds is None:
            return atom
        if isinstance(atom, _Anchor):
            raise self.fail("a quantifier on an anchor")
        low, high = bounds
        lazy = False
        if self.peek() == "?":
            lazy, self.pos = True, self.pos + 1
        elif self.peek() == "+":
            raise self.fail("a possessive quantifier (no ECMA-262 form)")
        if self.quantifier_ahead():
            raise self.fail("a quantifier after a quantifier")
        return _Repeat(atom, low, high, lazy)

    def quantifier_ahead(self) -> bool:
        return self.peek() in ("*", "+", "?") or (self.peek() == "{" and self._brace_quantifier() is not None)

    def quantifier(self) -> tuple[int, int | None] | None:
        ch = self.peek()
        if ch and ch in "*+?":
            self.pos += 1
            return {"*": (0, None), "+": (1, None), "?": (0, 1)}[ch]
        if ch == "{":
            found = self._brace_quantifier()
            if found is None:
                if _LOOSE_BRACES.match(self.text, self.pos):
                    raise self.fail("'{,n}' or blanks in braces: a literal before Perl 5.34, a quantifier after")
                return None  # a literal brace; atom() reads it
            (low, high), length = found
            self.pos += length
            if high is not None and high < low:
                raise self.fail("a quantifier with max < min")
            return low, high
        return None

    def _brace_quantifier(self) -> tuple[tuple[int, int | None], int] | None:
        end = self.text.find("}", self.pos)
        if end == -1:
            return None
        inner = self.text[self.pos + 1 : end]
        low, comma, high = inner.partition(",")
        if not low.isdigit() or not low.isascii():
            return None
        if not comma:
            return (int(low), int(low)), end - self.pos + 1
        if high == "":
            return (int(low), None), end - self.pos + 1
        if not high.isdigit() or not high.isascii():
            return None
        return (int(low), int(high)), end - self.pos + 1

    def atom(self, flags: _Flags) -> _Node | None:
        ch = self.peek()
        if ch == "(":
            return self.group(flags)
        if ch == "[":
            return self.char_class(flags)
        if ch in "*+?":
            raise self.fail("a quantifier with nothing to repeat")
        self.pos += 1
        if ch == ".":
            return _Chars(((0, 0x10FFFF),)) if flags.s else _Chars(((0x0A, 0x0A),), negated=True)
        if ch == "^":
            return _Anchor("start", flags.m)
        if ch == "$":
            return _Anchor("end", flags.m)
        if ch == "\\":
            return self.escape(flags, in_class=False)
        return _literal(ord(ch), flags, self)

    def group(self, flags: _Flags) -> _Node | None:
        self.pos += 1  # (
        inner: _Flags | None = flags
        if self.peek() == "?":
            self.pos += 1
            inner = self.group_kind(flags)
            if inner is None:  # a comment
                return None
        body = self.alternation(inner or flags)
        if self.peek() != ")":
            raise self.fail("an unterminated group")
        self.pos += 1
        return _Group(body)

    def group_kind(self, flags: _Flags) -> _Flags | None:
        ch = self.peek()
        if ch == "#":
            end = self.text.find(")", self.pos)
            if end == -1:
                raise self.fail("an unterminated comment")
            self.pos = end + 1
            return None
        if ch == ":":
            self.pos += 1
            return flags
        if ch in ("<", "P", "'") and not self.text.startswith(("<=", "<!"), self.pos):
            return self.named_group(flags)
        if ch == "^" or ch.isalpha() or ch == "-":
            return self.flag_group(flags)
        raise self.fail(f"the group '(?{ch}' (lookaround, atomic, conditional or recursion)")

    def named_group(self, flags: _Flags) -> _Flags:
        # The name does not change what matches; backreferences to it are refused elsewhere.
        if self.text.startswith("P<", self.pos):
            self.pos += 1
        elif self.peek() == "P":
            raise self.fail("a named backreference or recursion")
        close = ">" if self.peek() == "<" else "'"
        end = self.text.find(close, self.pos + 1)
        if end == -1:
            raise self.fail("an unterminated group name")
        self.pos = end + 1
        return flags

    def flag_group(self, flags: _Flags) -> _Flags:
        start = self.pos
        while self.peek() and self.peek() not in ":)":
            self.pos += 1
        spec = self.text[start : self.pos]
        if self.peek() != ":":
            raise self.fail(f"the inline modifier '(?{spec})' that changes the rest of its group")
        self.pos += 1
        caret = spec.startswith("^")
        on, _, off = spec.removeprefix("^").partition("-")
        if caret and off:
            raise self.fail("'(?^...-...)' is not valid Perl")
        for flag in on + off:
            if flag not in _KNOWN_FLAGS:
                raise self.fail(f"the unknown modifier '{flag}'")
            if flag == "x":
                raise self.fail("the /x modifier (whitespace and comments in the pattern)")
            if flag == "l":
                raise self.fail("the /l modifier (the server's locale decides)")
        base = _Flags() if caret else flags
        return _Flags(
            i=("i" in on) or (base.i and "i" not in off),
            s=("s" in on) or (base.s and "s" not in off),
            m=("m" in on) or (base.m and "m" not in off),
            ascii=("a" in on) or (base.ascii and "a" not in off and "u" not in on and "d" not in on),
        )

    # -- escapes ------------------------------------------------------------------------------
    def escape(self, flags: _Flags, *, in_class: bool) -> _Node:
        ch = self.peek()
        if ch == "":
            raise self.fail("a lone backslash at the end")
        self.pos += 1
        shorthand = self.shorthand(ch, flags)
        if shorthand is not None:
            return shorthand
        if not in_class:
            if ch == "A":
                return _Anchor("start")
            if ch == "z":
                return _Anchor("eos")
            if ch == "Z":
                return _Anchor("end")
            if ch in "bBG":
                raise self.fail(f"'\\{ch}' (word boundaries follow Unicode in Perl and ASCII in ECMA-262)")
        code = self.escaped_char(ch)
        return _literal(code, flags, self)

    def shorthand(self, ch: str, flags: _Flags) -> _Chars | None:
        if ch in "sS":
            return _Chars(_ASCII_SPACE if flags.ascii else _PERL_SPACE, negated=ch == "S")
        if ch in "dDwW":
            if not flags.ascii:
                raise self.fail(f"'\\{ch}' (Perl matches Unicode {'digits' if ch in 'dD' else 'letters'} here)")
            return _Chars(_ASCII_DIGIT if ch in "dD" else _ASCII_WORD, negated=ch.isupper())
        if ch == "N" and self.peek() != "{":
            return _Chars(((0x0A, 0x0A),), negated=True)
        if ch in "hHvVRXCpPKgk":
            raise self.fail(f"'\\{ch}' (no exact ECMA-262 form)")
        return None

    def escaped_char(self, ch: str) -> int:
        simple = {"t": 0x09, "n": 0x0A, "r": 0x0D, "f": 0x0C, "e": 0x1B, "a": 0x07}
        if ch in simple:
            return simple[ch]
        if ch == "x":
            return self.hex_escape()
        if ch == "0":
            digits = ""
            while len(digits) < 2 and self.peek() in "01234567" and self.peek():
                digits += self.peek()
                self.pos += 1
            return int(digits or "0", 8)
        if ch == "N":  # \N{U+XXXX}
            end = self.text.find("}", self.pos)
            name = self.text[self.pos + 1 : end] if end != -1 else ""
            if not name.startswith("U+") or not name[2:] or not set(name[2:]) <= _HEX:
                raise self.fail("'\\N{NAME}' with a character name")
            self.pos = end + 1
            return int(name[2:], 16)
        if ch.isdigit():
            raise self.fail(f"'\\{ch}' (a backreference or an octal escape)")
        if ch == "_":
            return ord(ch)  # Perl passes an unknown escaped word character through; PVE writes '\_'
        if ch.isalnum() or not ch.isascii():
            raise self.fail(f"the escape '\\{ch}'")
        return ord(ch)  # an escaped punctuation character is itself

    def hex_escape(self) -> int:
        if self.peek() == "{":
            end = self.text.find("}", self.pos)
            digits = self.text[self.pos + 1 : end].strip() if end != -1 else ""
            if not digits or not set(digits) <= _HEX:
                raise self.fail("a malformed '\\x{...}'")
            self.pos = end + 1
            return int(digits, 16)
        digits = ""
        while len(digits) < 2 and self.peek() in _HEX and self.peek():
            digits += self.peek()
            self.pos += 1
        return int(digits or "0", 16)  # Perl reads '\x' with no digits as NUL

    # -- classes -------------------------------------------------------------------------------
    def char_class(self, flags: _Flags) -> _Chars:
        self.pos += 1  # [
        negated = self.peek() == "^"
        if negated:
            self.pos += 1
        ranges: list[tuple[int, int]] = []
        negated_parts = False
        first = True
        while True:
            ch = self.peek()
            if ch == "":
                raise self.fail("an unterminated character class")
            if ch == "]" and not first:
                self.pos += 1
                break
            first = False
            low = self.class_item(flags)
            if isinstance(low, _Chars):
                if low.negated:
                    negated_parts = True
                ranges.extend(low.ranges)
                continue
            if self.peek() == "-" and self.peek(1) not in ("]", ""):
                save = self.pos
                self.pos += 1
                high = self.class_item(flags)
                if isinstance(high, _Chars):  # [a-\s]: the '-' is a literal in Perl
                    if high.negated:
                        negated_parts = True
                    ranges.extend(((low, low), (0x2D, 0x2D), *high.ranges))
                    continue
                if high < low:
                    self.pos = save
                    raise self.fail("a class range out of order")
                ranges.append((low, high))
            else:
                ranges.append((low, low))
        if negated_parts:
            raise self.fail("a negated shorthand ('\\S') inside a class")
        merged = _merge(ranges)
        if flags.i:
            merged = _case_closure(merged, self)
        return _Chars(merged, negated)

    def class_item(self, flags: _Flags) -> int | _Chars:
        ch = self.peek()
        if ch == "[" and self.peek(1) in (":", ".", "="):
            raise self.fail("a POSIX class (Unicode-dependent in Perl)")
        self.pos += 1
        if ch != "\\":
            return ord(ch)
        esc = self.peek()
        if esc == "":
            raise self.fail("a lone backslash at the end")
        self.pos += 1
        if esc == "b":
            return 0x08  # backspace inside a class
        shorthand = self.shorthand(esc, flags)
        if shorthand is not None:
            return shorthand
        return self.escaped_char(esc)


def _literal(code: int, flags: _Flags, parser: _Parser) -> _Chars:
    if flags.i and _has_case(code):
        # Perl folds whole sequences ("ss" matches "ß"): letters outside a class are refused.
        raise parser.fail("a letter under /i (Perl's full case folding has no ECMA-262 form)")
    return _Chars(((code, code),))


def _has_case(code: int) -> bool:
    char = chr(code)
    return char.lower() != char.upper() or code in _FOLDS_TO_ASCII


def _merge(ranges: list[tuple[int, int]] | Ranges) -> Ranges:
    out: list[tuple[int, int]] = []
    for low, high in sorted(ranges):
        if out and low <= out[-1][1] + 1:
            out[-1] = (out[-1][0], max(out[-1][1], high))
        else:
            out.append((low, high))
    return tuple(out)


def _case_closure(ranges: Ranges, parser: _Parser) -> Ranges:
    """The class under /i: ASCII letters with both cases, plus the two non-ASCII folds to ASCII."""
    extra: list[tuple[int, int]] = []
    for low, high in ranges:
        for base in (0x41, 0x61):  # A-Z, a-z
            lo, hi = max(low, base), min(high, base + 25)
            if lo <= hi:
                other = 0x20 if base == 0x41 else -0x20
                extra.append((lo + other, hi + other))
        if high > 0x7F and any(_has_case(c) for c in range(max(low, 0x80), min(high, 0x2FFFF) + 1)):
            raise parser.fail("a non-ASCII letter in a class under /i")
    closed = _merge([*ranges, *extra])
    for special, target in _FOLDS_TO_ASCII.items():
        if any(low <= target <= high for low, high in closed):
            extra.append((special, special))
    return _merge([*closed, *extra])


# -- writing ------------------------------------------------------------------------------------
def _char(code: int, *, in_class: bool) -> str:
    if code > 0xFFFF:
        raise Untranslatable("a character beyond U+FFFF (needs the u flag)")
    char = chr(code)
    special = _CLASS_SPECIAL if in_class else _SYNTAX
    if char in special:
        return "\\" + char
    if 0x20 <= code <= 0x7E:
        return char
    named = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r", 0x0C: "\\f"}
    if code in named:
        return named[code]
    return f"\\x{code:02X}" if code <= 0xFF else f"\\u{code:04X}"


def ecma_literal(text: str) -> str:
    """``text`` as an ECMA-262 pattern that matches exactly it (valid with and without the u flag)."""
    return "".join(_char(ord(char), in_class=False) for char in text)


def _write_chars(node: _Chars) -> str:
    if not node.negated and len(node.ranges) == 1 and node.ranges[0][0] == node.ranges[0][1]:
        return _char(node.ranges[0][0], in_class=False)
    if node.ranges == ((0, 0x10FFFF),):
        if node.negated:
            raise Untranslatable("a class that matches nothing")
        return "[\\s\\S]"
    if node.ranges and node.ranges[-1][1] > 0xFFFF:
        # only reachable through a negation of everything or '.' under /s, handled above
        raise Untranslatable("a class reaching beyond U+FFFF (needs the u flag)")
    parts = []
    for low, high in node.ranges:
        if low == high:
            parts.append(_char(low, in_class=True))
        elif high == low + 1:
            parts.append(_char(low, in_class=True) + _char(high, in_class=True))
        else:
            parts.append(f"{_char(low, in_class=True)}-{_char(high, in_class=True)}")
    return ("[^" if node.negated else "[") + "".join(parts) + "]"


def _write(node: _Node | _Alt, at_start: bool, at_end: bool) -> str:
    """ECMA text of a node; ``at_start``/``at_end`` when nothing can come before/after it in the pattern."""
    if isinstance(node, _Alt):
        return "|".join(_write_sequence(branch, at_start, at_end) for branch in node.branches)
    if isinstance(node, _Chars):
        return _write_chars(node)
    if isinstance(node, _Anchor):
        if node.multiline:
            raise Untranslatable("an anchor under /m")
        if node.kind == "start":
            return "" if at_start else "^"  # first in the pattern, the leading ^ says it
        if node.kind == "eos":
            return "$"
        # Perl's $: the end, or before a final newline. Last in the pattern, the final \n?$ says it.
        return "" if at_end else "(?=\\n?$)"
    if isinstance(node, _Group):
        return "(?:" + _write(node.body, at_start, at_end) + ")"
    inner = _write(node.node, False, False)
    if isinstance(node.node, _Repeat):
        inner = f"(?:{inner})"
    if node.high is None:
        suffix = {0: "*", 1: "+"}.get(node.low, f"{{{node.low},}}")
    elif node.low == node.high:
        suffix = f"{{{node.low}}}"
    else:
        suffix = "?" if (node.low, node.high) == (0, 1) else f"{{{node.low},{node.high}}}"
    return inner + suffix + ("?" if node.lazy else "")


def _write_sequence(items: list[_Node], at_start: bool, at_end: bool) -> str:
    last = len(items) - 1
    return "".join(_write(item, at_start and i == 0, at_end and i == last) for i, item in enumerate(items))


def _unwrap(tree: _Alt) -> _Alt:
    """``(?^:X)`` around the whole pattern says nothing once it is anchored (unless X alternates)."""
    while len(tree.branches) == 1 and len(tree.branches[0]) == 1:
        only = tree.branches[0][0]
        if not isinstance(only, _Group) or len(only.body.branches) != 1:
            break
        tree = only.body
    return tree


@functools.cache
def perl_to_ecma(pattern: str) -> str:
    """The ECMA-262 pattern accepting exactly what PVE's ``m/^PATTERN$/`` accepts.

    Raises ``Untranslatable`` (a ValueError) naming the construct when there is no exact form.
    """
    tree = _unwrap(_Parser(pattern).parse())
    # At the top, PVE's pasted ^ binds to the first alternative only and its $ to the last only.
    last = len(tree.branches) - 1
    body = "|".join(_write_sequence(branch, i == 0, i == last) for i, branch in enumerate(tree.branches))
    return "^" + body + "\\n?$"


def ecma_pattern(pattern: str) -> str | None:
    """``perl_to_ecma`` or None when the pattern has no exact ECMA-262 form."""
    try:
        return perl_to_ecma(pattern)
    except (Untranslatable, RecursionError):
        return None
