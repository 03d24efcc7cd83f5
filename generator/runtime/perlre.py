"""Translate the Perl regular expressions in Proxmox schemas into Python ``re`` syntax.

Proxmox writes patterns as Perl stringifies ``qr//`` objects, e.g. ``(?^:...)`` and
``(?^i:...)``, and checks values by pasting them between anchors: ``$value =~ m/^$pattern$/``
(PVE::JSONSchema). Pasted, not grouped: ``a|b`` means "starts with a, or ends with b", and Perl's ``$``
also accepts one final newline. ``compile_perl`` keeps both, for use with ``.match()``.
This module has no imports from pvegen: generated clients ship a copy of it.
"""

from __future__ import annotations

import re

__all__ = ["anchored", "compile_perl", "perl_match", "translate"]

_FLAGS = "imsx"
_POSIX_CLASSES = {
    "alpha": r"a-zA-Z",
    "digit": r"0-9",
    "alnum": r"a-zA-Z0-9",
    "upper": r"A-Z",
    "lower": r"a-z",
    "space": r"\s",
    "xdigit": r"0-9A-Fa-f",
    "word": r"\w",
    "punct": r"!-/:-@\[-`{-~",
    "blank": r" \t",
    "cntrl": r"\x00-\x1f\x7f",
    "print": r"\x20-\x7e",
    "graph": r"\x21-\x7e",
}


def translate(pattern: str) -> str:
    """Rewrite Perl-only syntax into the Python equivalent (ValueError if it cannot)."""
    out: list[str] = []
    i = 0
    n = len(pattern)
    in_class = False
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            if i + 1 >= n:
                raise ValueError("pattern ends with a lone backslash")
            nxt = pattern[i + 1]
            if nxt == "z":
                out.append(r"\Z")
            elif nxt == "Z":
                out.append(r"(?=\n?\Z)")
            elif nxt == "h":
                out.append(r" \t" if in_class else r"[ \t]")
            elif nxt == "H":
                out.append(r"[^ \t]")
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            if ch == "[" and pattern.startswith("[:", i):
                end = pattern.find(":]", i + 2)
                name = pattern[i + 2 : end] if end != -1 else ""
                if name in _POSIX_CLASSES:
                    out.append(_POSIX_CLASSES[name])
                    i = end + 2
                    continue
                out.append(r"\[")
                i += 1
                continue
            if ch == "]" and not _class_just_opened(out):
                in_class = False
            out.append(ch)
            i += 1
            continue
        if ch == "[":
            in_class = True
            out.append("[")
            i += 1
            if i < n and pattern[i] == "^":
                out.append("^")
                i += 1
            if i < n and pattern[i] == "]":  # a leading ] is a literal in Perl and Python
                out.append(r"\]")
                i += 1
            continue
        if ch == "(" and pattern.startswith("(?^", i):
            j = i + 3
            while j < n and pattern[j].isalpha():
                j += 1
            flags = pattern[i + 3 : j]
            if j >= n or pattern[j] != ":" or any(f not in _FLAGS for f in flags):
                raise ValueError(f"unsupported group (?^{flags}")
            off = "".join(f for f in _FLAGS if f not in flags)
            out.append(f"(?{flags}-{off}:")
            i = j + 1
            continue
        if ch == "(" and pattern.startswith("(?<", i) and not pattern.startswith(("(?<=", "(?<!"), i):
            out.append("(?P<")
            i += 3
            continue
        out.append(ch)
        i += 1
    if in_class:
        raise ValueError("unterminated character class")
    return "".join(out)


def _class_just_opened(out: list[str]) -> bool:
    return bool(out) and (out[-1] == "[" or (out[-1] == "^" and len(out) > 1 and out[-2] == "["))


_CACHE: dict[str, re.Pattern[str] | None] = {}


def _top_level_branches(translated: str) -> list[str]:
    """``a|(b|c)|[|]`` -> ``["a", "(b|c)", "[|]"]``: the alternatives outside any group or class."""
    branches: list[str] = []
    depth, start, i, in_class = 0, 0, 0, False
    while i < len(translated):
        ch = translated[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]" or translated[i - 1] == "[" or translated[i - 2 : i] == "[^"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            branches.append(translated[start:i])
            start = i + 1
        i += 1
    branches.append(translated[start:])
    return branches


def anchored(translated: str) -> str:
    """PVE's ``^P$`` as a Python regex for ``.match()``: the first branch of a top-level alternation is tied
    to the start only, the last to the end only, the middle ones to neither (``$`` allows a final newline,
    in Python as in Perl)."""
    branches = _top_level_branches(translated)
    if len(branches) == 1:
        return f"(?:{translated})$"
    anywhere = "(?s:.*?)"
    middle = "".join(f"|{anywhere}(?:{branch})" for branch in branches[1:-1])
    return f"(?:{branches[0]}){middle}|{anywhere}(?:{branches[-1]})$"


def compile_perl(pattern: str) -> re.Pattern[str] | None:
    """The Python regex that ``.match()``es a value exactly when PVE's ``m/^PATTERN$/`` does; None when the
    pattern cannot be translated.

    None means "cannot check here": callers skip the check rather than crash or reject.
    """
    if pattern in _CACHE:
        return _CACHE[pattern]
    try:
        compiled: re.Pattern[str] | None = re.compile(anchored(translate(pattern)))
    except (ValueError, re.error, RecursionError, OverflowError):
        compiled = None
    _CACHE[pattern] = compiled
    return compiled


def perl_match(pattern: str, value: str) -> bool | None:
    """True/False as Proxmox would judge ``value``; None when the pattern is untranslatable."""
    compiled = compile_perl(pattern)
    if compiled is None:
        return None
    return compiled.match(value) is not None
