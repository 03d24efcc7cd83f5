"""Named PVE formats that the project can also say as a JSON Schema ``pattern`` or ``enum``.

The knowledge lives in ``pvegen.runtime.pveformats`` (the checkers the client and the mock use):
formats checked by one regular expression there become an exact ECMA-262 pattern here (through
the same Perl translation as schema patterns: PVE's own check is a Perl ``m/^...$/``), formats
checked against a fixed word list become an ``enum``. Everything else (IP addresses, lists,
predicates) stays ``x-pve-format`` only.
"""

from __future__ import annotations

import functools
import re

from ..runtime import pveformats
from .patterns import ecma_pattern

__all__ = ["format_constraint"]

# Python flags as Perl inline modifiers (the translation reads Perl syntax).
_FLAG_LETTERS = ((re.IGNORECASE, "i"), (re.DOTALL, "s"), (re.MULTILINE, "m"), (re.VERBOSE, "x"))


def _as_perl(regex: re.Pattern[str]) -> str:
    letters = "".join(letter for flag, letter in _FLAG_LETTERS if regex.flags & flag)
    return f"(?^{letters}:{regex.pattern})"


@functools.cache
def format_constraint(name: str) -> tuple[str | None, tuple[str, ...] | None]:
    """(ECMA pattern, enum) for a named format; (None, None) when the project cannot say it exactly."""
    words = pveformats.format_words(name)
    if words is not None:
        return None, words
    regex = pveformats.format_regex(name)
    if regex is None:
        return None, None
    return ecma_pattern(_as_perl(regex)), None
