"""What a named format (``format: "pve-vmid"``) already enforced before a release wrote limits out.

The runtime's format checkers (``pvegen.runtime.pveformats``, the one home of PVE's wire grammar)
are asked, never copied: ``accepts`` runs them, and a new bound is judged by whether the old format
already rejected the values the bound rejects (``pve-vmid`` gaining 100..999999999 adds nothing).

``WRITTEN_OUT`` holds formats the runtime does not check yet but whose checks Proxmox itself later
wrote out as schema keys: 9.1 replaced the SDN id formats by the pattern and lengths their verify
functions in pve-network enforce. They belong in pveformats; a test fails as soon as pveformats
knows one of them, so that this copy is then deleted.
"""

from __future__ import annotations

from typing import Any

from ..runtime.perlre import perl_match
from ..runtime.pveformats import check_format, known_formats

__all__ = ["WRITTEN_OUT", "accepts", "implied", "knows"]

_SDN_ID = "[a-zA-Z][a-zA-Z0-9]*[a-zA-Z0-9]"
WRITTEN_OUT: dict[str, dict[str, Any]] = {
    "pve-sdn-zone-id": {"pattern": _SDN_ID, "minLength": 2, "maxLength": 8},
    "pve-sdn-vnet-id": {"pattern": _SDN_ID, "minLength": 2, "maxLength": 8},
    "pve-sdn-dns-id": {"pattern": _SDN_ID, "minLength": 2},
    "pve-sdn-ipam-id": {"pattern": _SDN_ID, "minLength": 2},
    "pve-sdn-controller-id": {"pattern": "[a-zA-Z][a-zA-Z0-9_-]*[a-zA-Z0-9]", "minLength": 2, "maxLength": 64},
}
_KNOWN = known_formats()


def knows(name: str | None) -> bool:
    """Whether what ``name`` accepts can be asked here."""
    return name is not None and (name in _KNOWN or name in WRITTEN_OUT)


def implied(name: str | None) -> dict[str, Any]:
    """Schema keys (pattern, minLength, maxLength) a format stands for, when Proxmox wrote them out."""
    return WRITTEN_OUT.get(name or "", {})


def accepts(name: str, value: str) -> bool | None:
    """True/False as the server's format check judges ``value``; None when the format is unknown."""
    if name in WRITTEN_OUT:
        rules = WRITTEN_OUT[name]
        if len(value) < rules.get("minLength", 0) or len(value) > rules.get("maxLength", len(value)):
            return False
        return perl_match(rules["pattern"], value)
    if name not in _KNOWN:
        return None
    return check_format(name, value) is None
