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

# The single-regex checkers of pveformats, by format name (read from the module, never copied).
_REGEX_FORMATS: dict[str, re.Pattern[str]] = {
    "pve-vmid": pveformats._RE_VMID,
    "pve-node": pveformats._RE_NODE,
    "pve-configid": pveformats._RE_CONFIGID,
    "pve-storage-id": pveformats._RE_STORAGE_ID,
    "pve-volume-id": pveformats._RE_VOLUME_ID,
    "pve-realm": pveformats._RE_REALM,
    "pve-groupid": pveformats._RE_GROUPID,
    "pve-roleid": pveformats._RE_GROUPID,
    "pve-poolid": pveformats._RE_POOLID,
    "pve-iface": pveformats._RE_IFACE,
    "pve-bridge-id": pveformats._RE_BRIDGE,
    "pve-storage-vgname": pveformats._RE_VGNAME,
    "pve-replication-job-id": pveformats._RE_REPLICATION_JOB,
    "pve-ha-resource-or-vm-id": pveformats._RE_HA_RESOURCE,
    "pve-tag": pveformats._RE_TAG,
    "mac-addr": pveformats._RE_MAC,
    "mac-prefix": pveformats._RE_MAC_PREFIX,
    "email": pveformats._RE_EMAIL,
    "dns-name": pveformats._RE_DNS_NAME,
    "disk-size": pveformats._RE_DISK_SIZE,
    "urlencoded": pveformats._RE_URLENCODED,
}
_WORD_FORMATS: dict[str, tuple[str, ...]] = {
    "pve-day-of-week": tuple(sorted(pveformats._DAYS, key=("mon", "tue", "wed", "thu", "fri", "sat", "sun").index)),
}
# Python flags as Perl inline modifiers (the translation reads Perl syntax).
_FLAG_LETTERS = ((re.IGNORECASE, "i"), (re.DOTALL, "s"), (re.MULTILINE, "m"), (re.VERBOSE, "x"))


def _as_perl(regex: re.Pattern[str]) -> str:
    letters = "".join(letter for flag, letter in _FLAG_LETTERS if regex.flags & flag)
    return f"(?^{letters}:{regex.pattern})"


@functools.cache
def format_constraint(name: str) -> tuple[str | None, tuple[str, ...] | None]:
    """(ECMA pattern, enum) for a named format; (None, None) when the project cannot say it exactly."""
    words = _WORD_FORMATS.get(name)
    if words is not None:
        return None, words
    regex = _REGEX_FORMATS.get(name)
    if regex is None:
        return None, None
    return ecma_pattern(_as_perl(regex)), None
