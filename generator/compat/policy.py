"""When the gate fails. Proxmox promises compatibility within a major release only, so:
within a major (or when a version is unknown) breaking changes fail by default; across majors
the report is the migration list and nothing fails unless ``--fail-on`` says so."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .change import SEVERITIES, Change, severity_rank

__all__ = ["FAIL_ON_CHOICES", "crosses_major", "default_fail_on", "fails", "major"]

FAIL_ON_CHOICES = ("breaking", "warning", "non-breaking", "never")
_MAJOR = re.compile(r"^\s*v?(\d+)")


def major(version: str | None) -> int | None:
    match = _MAJOR.match(version or "")
    return int(match.group(1)) if match else None


def crosses_major(old_version: str | None, new_version: str | None) -> bool:
    old_major, new_major = major(old_version), major(new_version)
    return old_major is not None and new_major is not None and old_major != new_major


def default_fail_on(old_version: str | None, new_version: str | None) -> str:
    return "never" if crosses_major(old_version, new_version) else "breaking"


def fails(changes: Iterable[Change], fail_on: str) -> bool:
    """Whether any change is at or above the ``fail_on`` severity."""
    if fail_on == "never":
        return False
    limit = SEVERITIES.index(fail_on)
    return any(severity_rank(change.severity) <= limit for change in changes)
