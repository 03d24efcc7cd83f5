"""What the scanner finds: one ``Call`` per place that talks to the API, as the code writes it.

A call keeps the path as segments in the code's own terms (a literal, a value the code computes,
an attribute name of a client chain); only a spec turns them into a path template
(``usage.resolve``). What the scan cannot see is said, never guessed: ``method`` None (the code
does not show it), ``segments`` None (the path is built where the scan cannot follow),
``params_complete`` False (``**kwargs`` from elsewhere).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["UNKNOWN", "Call", "ScanWarning", "Segment", "hole", "literal"]


class _Unknown:
    """A value the code computes: present, but not readable without running the code."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __reduce__(self) -> str:
        return "UNKNOWN"  # one instance, also across processes


UNKNOWN: Any = _Unknown()


@dataclass(frozen=True, slots=True)
class Segment:
    """One path segment. ``parts`` are its literal pieces, with a computed value between each two:
    ``("qemu",)`` is the literal ``qemu``, ``("", "")`` a whole computed value, ``("snap-", "")``
    ``snap-`` followed by one. ``attr``: written as a Python attribute (``.get_fsinfo``), so a
    generated client's name rules apply (``get-fsinfo``)."""

    parts: tuple[str, ...]
    attr: bool = False

    @property
    def is_literal(self) -> bool:
        return len(self.parts) == 1

    @property
    def text(self) -> str:
        """The literal text; for a computed segment, ``{}`` where the value goes."""
        return "{}".join(self.parts)


def literal(text: str, *, attr: bool = False) -> Segment:
    return Segment((text,), attr)


def hole() -> Segment:
    return _HOLE


_HOLE = Segment(("", ""))


@dataclass(frozen=True, slots=True)
class Call:
    """One API call site (or one recorded request).

    ``file`` is the path as shown to the user (the SRC argument joined with the path inside it);
    ``line``/``column`` are 1-based. ``params`` maps the names the code passes (wire names, or a
    generated client's Python names) to their literal values or ``UNKNOWN``."""

    file: str
    line: int
    column: int
    text: str
    method: str | None
    segments: tuple[Segment, ...] | None
    params: dict[str, Any] = field(default_factory=dict)
    params_complete: bool = True
    style: str = "python"  # python | recording

    @property
    def shape(self) -> str:
        """The path as the code shows it, computed values as ``{}``: ``/nodes/{}/qemu/{}/config``."""
        if self.segments is None:
            return "?"
        return "/" + "/".join(segment.text for segment in self.segments)


@dataclass(frozen=True, slots=True)
class ScanWarning:
    """Input the scan skipped (a file that does not parse, undecodable bytes, a loop ...)."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}" + (f":{self.column}" if self.column is not None else "")
        return f"{where}: warning: {self.message}"
