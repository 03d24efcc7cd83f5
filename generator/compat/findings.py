"""A finding before it is tied to an operation: what the value comparisons produce."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Emit", "Finding"]


@dataclass(frozen=True)
class Finding:
    rule: str
    parameter: str | None
    old: Any
    new: Any
    message: str
    related: str | None = None
    severity: str | None = None  # None: the rule's default


Emit = Callable[[Finding], None]
