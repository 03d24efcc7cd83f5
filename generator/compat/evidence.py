"""Evidence that a value valid before is rejected now.

A limit written where there was none (a ``maxLength`` on a comment, an enum replacing a named format)
usually documents what the server always did: a gate that failed on each of them would be switched
off. It is a break only with evidence: a value the old schema itself offered or documented (its
default, enum, typetext, an example or a range in its description) that the old schema accepts and
the new one rejects. Values are judged the way the server judges them (``pvegen.mock.validate``, with
the runtime's format checkers), never by a second copy of those rules here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..mock.validate import check_value
from ..model import Schema
from . import formats

__all__ = ["Evidence", "documented_values", "first_rejected", "valid"]

_RANGE = re.compile(
    r"(?:\bbetween\s+(-?\d+(?:\.\d+)?)\s+and\s+(-?\d+(?:\.\d+)?))"
    r"|(?:\bfrom\s+(-?\d+(?:\.\d+)?)\s+to\s+(-?\d+(?:\.\d+)?))"
    r"|(?:(?<![\w.])(-?\d+(?:\.\d+)?)\s*(?:-|\.\.|to)\s*(-?\d+(?:\.\d+)?)(?![\w.]))"
)
# Quoted after any of these words; bare only after "e.g." / "for example" / "example:".
_EXAMPLE = re.compile(
    r"\b(?:e\.g\.|for example|for instance|example:?|such as|like)\s*[:,]?\s*['\"`]([^'\"`\n]{1,200})['\"`]"
    r"|\b(?:e\.g\.|for example|example:)\s*[:,]?\s*([^\s,;()'\"`]*[^\s,;()'\"`.])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Evidence:
    value: str
    source: str  # "default", "enum value", "typetext", "example in the description", "documented range"

    def describe(self) -> str:
        return f"the old {self.source} '{self.value}'"


def documented_values(schema: Schema) -> Iterator[Evidence]:
    """Values the schema itself offers or documents, in order of strength."""
    if schema.has_default and schema.default is not None:
        yield Evidence(_text(schema.default), "default")
    for value in schema.enum or ():
        yield Evidence(_text(value), "enum value")
    for low, high in _ranges(schema.typetext or ""):
        yield from (Evidence(v, "typetext range") for v in (low, high))
    text = " ".join(filter(None, (schema.description, schema.verbose_description)))
    for low, high in _ranges(text):
        yield from (Evidence(v, "documented range") for v in (low, high))
    for match in _EXAMPLE.finditer(text):
        yield Evidence(match.group(1) or match.group(2), "example in the description")


def _ranges(text: str) -> Iterator[tuple[str, str]]:
    for match in _RANGE.finditer(text):
        found = [g for g in match.groups() if g is not None]
        if len(found) == 2:
            yield found[0], found[1]


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def valid(schema: Schema, value: str) -> bool:
    """Whether the server accepts ``value`` for ``schema`` (formats this tool cannot check pass)."""
    _, error = check_value("value", schema, value)
    if error is not None:
        return False
    # The mock checks named formats on strings only; PVE checks pve-vmid on integers too.
    name = schema.format
    return name is None or formats.accepts(name, value) is not False


def first_rejected(old: Schema, new: Schema, candidates: Iterable[Evidence]) -> Evidence | None:
    """The first candidate the old schema accepts and the new one rejects."""
    seen: set[str] = set()
    for candidate in candidates:
        if candidate.value in seen:
            continue
        seen.add(candidate.value)
        if valid(old, candidate.value) and not valid(new, candidate.value):
            return candidate
    return None
