"""Deprecations Proxmox writes only in prose ("Deprecated: use 'prune-backups' instead")."""

from __future__ import annotations

import re

__all__ = ["is_deprecated", "named_replacement"]

_DEPRECATED = re.compile(r"\bdeprecated\b|\bobsolete\b|\bin favou?r of\b", re.IGNORECASE)
# "please use `/nodes/{node}/ceph/pool`", "use 'prune-backups' instead" (closing quote sometimes missing).
_USE = re.compile(r"\buse\s+[`'\"]([^`'\"\s]+)", re.IGNORECASE)


def is_deprecated(text: str | None) -> bool:
    return bool(text) and _DEPRECATED.search(text or "") is not None


def named_replacement(text: str | None) -> str | None:
    """The path or name a deprecation notice tells callers to use instead, if it names one."""
    if not text or not is_deprecated(text):
        return None
    match = _USE.search(text)
    return match.group(1).rstrip(".") if match else None
