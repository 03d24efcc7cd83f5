"""How Proxmox reads booleans on the wire. Two rules, both PVE::JSONSchema's:

- a request parameter of type boolean (``check_type``) is ``1`` or ``0`` and nothing else (JSON bodies may also
  carry true/false); the words below were commented out of that check long ago;
- a key inside a property string (``parse_property_string`` -> ``parse_boolean``) is one of
  ``1|on|yes|true`` / ``0|off|no|false``, in any case. ``from_env`` reads ``PVE_VERIFY`` by the same words.
"""

from __future__ import annotations

__all__ = ["FALSE_WORDS", "TRUE_WORDS", "parse_bool", "parse_parameter_bool"]

TRUE_WORDS = frozenset({"1", "on", "yes", "true"})
FALSE_WORDS = frozenset({"0", "off", "no", "false"})


def parse_bool(text: str) -> bool | None:
    """True or False for a word PVE accepts as a boolean inside a property string (blanks ignored), else None."""
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def parse_parameter_bool(value: object) -> bool | None:
    """True or False for what PVE accepts as a boolean request parameter (``1``/``0``; JSON true/false), else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value in ("0", "1"):
        return value == "1"
    return None
