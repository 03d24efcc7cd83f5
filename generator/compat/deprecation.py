"""Deprecations Proxmox writes only in prose ("Deprecated: use 'prune-backups' instead", "The values
'2023' and '2023w' are deprecated")."""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["deprecated_values", "deprecation_notice", "is_deprecated", "named_replacement", "scope"]

_DEPRECATED = re.compile(r"\bdeprecated\b|\bdepreacted\b|\bobsolete\b|\bin favou?r of\b", re.IGNORECASE)
# "please use `/nodes/{node}/ceph/pool`", "use 'prune-backups' instead", "use the 'cmd' property",
# "use 'GET /pools/?poolid={poolid}'", "please use /cluster/acme/meta" (closing quote sometimes missing).
_USE = re.compile(
    r"\buse\s+(?:the\s+|an?\s+)?(?:[`'\"]([^`'\"\n]+)[`'\"]?|(/[^\s,;`'\"]+))",
    re.IGNORECASE,
)
_METHOD_PATH = re.compile(r"^(GET|POST|PUT|DELETE)\s+(/\S*)$")
_SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?](?=\s|$)|\n|$)")
_QUOTED = re.compile(r"[`'\"]([^`'\"\s]+)[`'\"]")


def is_deprecated(text: str | None) -> bool:
    return bool(text) and _DEPRECATED.search(text or "") is not None


def named_replacement(text: str | None) -> str | None:
    """What a deprecation notice tells callers to use instead: a name, a path or ``METHOD /path``."""
    if not text or not is_deprecated(text):
        return None
    match = _USE.search(text)
    if match is None:
        return None
    found = (match.group(1) or match.group(2)).strip()
    method_path = _METHOD_PATH.match(found)
    if method_path is not None:
        return f"{method_path.group(1)} {method_path.group(2)}"
    return found.split()[0].rstrip(".")


def deprecation_notice(text: str | None) -> str | None:
    """The sentence that says what is deprecated (to quote it), or None."""
    if not text:
        return None
    for sentence in _SENTENCE.findall(text):
        if _DEPRECATED.search(sentence):
            notice = " ".join(sentence.split())
            return notice if len(notice) <= 160 else notice[:157] + "..."
    return None


def deprecated_values(text: str | None, allowed: Iterable[object] | None) -> list[str]:
    """Values a notice deprecates when it covers only some of them (quoted in its sentence)."""
    if not text or allowed is None:
        return []
    names = {str(v) for v in allowed}
    found: list[str] = []
    for sentence in _SENTENCE.findall(text):
        if _DEPRECATED.search(sentence):
            found += [v for v in _QUOTED.findall(sentence) if v in names and v not in found]
    return found


def scope(text: str | None, allowed: Iterable[object] | None) -> frozenset[str] | None:
    """What a description deprecates: None nothing, an empty set the whole value, else those values."""
    if not is_deprecated(text):
        return None
    return frozenset(deprecated_values(text, allowed))
