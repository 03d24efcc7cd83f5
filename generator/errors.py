"""Errors that name what is wrong and where: the file, then a line:col or a JSON path."""

from __future__ import annotations

import re

from .printable import printable

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class PvegenError(Exception):
    """Base of every error pvegen reports to a user (the CLI prints it as one line, exit 2)."""


class SpecError(PvegenError):
    """A spec file is unreadable or malformed.

    ``location`` is ``line:col`` for syntax errors or a JSON path such as
    ``$[3].children[0].info.POST`` for structural ones.
    """

    def __init__(self, message: str, *, file: str | None = None, location: str | None = None) -> None:
        self.message = message
        self.file = file
        self.location = location
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ":".join(part for part in (self.file, self.location) if part)
        return f"{where}: {self.message}" if where else self.message

    def located(self, file: str) -> SpecError:
        return SpecError(self.message, file=file, location=self.location)


class StructureError(Exception):
    """Raised deep in a loader; collects path segments while unwinding, so the happy path
    builds no path strings at all."""

    def __init__(self, message: str, segments: list[str | int] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.segments: list[str | int] = segments or []

    def at(self, segment: str | int) -> StructureError:
        self.segments.append(segment)
        return self

    def json_path(self) -> str:
        return json_path(reversed(self.segments))

    def to_spec_error(self, file: str | None) -> SpecError:
        return SpecError(self.message, file=file, location=self.json_path())


def json_path(segments: object) -> str:
    """Render segments as ``$[3].children[0].info.POST.parameters.properties['net[n]']``."""
    out = ["$"]
    for seg in segments:  # type: ignore[attr-defined]
        if isinstance(seg, int):
            out.append(f"[{seg}]")
        elif _IDENTIFIER.match(seg):
            out.append(f".{seg}")
        else:
            escaped = seg.replace("\\", "\\\\").replace("'", "\\'")
            escaped = printable(escaped)  # a location is always one line
            out.append(f"['{escaped}']")
    return "".join(out)
