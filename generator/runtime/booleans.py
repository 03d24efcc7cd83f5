"""How Proxmox spells booleans on the wire (PVE::JSONSchema): ``1|on|yes|true`` and ``0|off|no|false``,
in any case. The client, the mock and ``from_env`` all read booleans through this one rule."""

from __future__ import annotations

__all__ = ["FALSE_WORDS", "TRUE_WORDS", "parse_bool"]

TRUE_WORDS = frozenset({"1", "on", "yes", "true"})
FALSE_WORDS = frozenset({"0", "off", "no", "false"})


def parse_bool(text: str) -> bool | None:
    """True or False for a word PVE accepts as a boolean (surrounding blanks ignored), else None."""
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None
