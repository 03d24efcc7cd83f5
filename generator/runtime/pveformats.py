"""Check values against the named string formats of Proxmox schemas (``format: "pve-vmid"``).

Mirrors the format checkers PVE registers (PVE::JSONSchema and friends) for the formats that
occur in the published schemas. Where a format is unknown here, or is really a property string
registered under a name (``pve-qm-ide``), nothing is checked: we never reject what a server
might accept. Lists (``pve-vmid-list``) are split the way PVE's ``split_list`` does. Regexes are written as
PVE writes them, ``^...$``, and used with ``.match()``: Python's ``$``, like Perl's, accepts one final newline.

This module has no imports from pvegen: generated clients ship a copy of it, and the mock
server uses it to judge requests.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable

__all__ = ["check_format", "format_regex", "format_words", "known_formats"]

Checker = Callable[[str], "str | None"]

_LABEL = r"[a-zA-Z0-9](?:[a-zA-Z0-9\-]*[a-zA-Z0-9])?"
_IPV4 = r"(?:(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)\.){3}(?:25[0-5]|2[0-4][0-9]|[01]?[0-9][0-9]?)"
_RE_IPV4 = re.compile(f"^{_IPV4}$")
_RE_DNS_NAME = re.compile(rf"^(?:{_LABEL}\.)*{_LABEL}$")
_RE_VMID = re.compile(r"^[1-9][0-9]{2,8}$")  # 100 ... 999999999, as PVE writes it
_RE_NODE = re.compile(rf"^{_LABEL}$")
_RE_CONFIGID = re.compile(r"^[a-z][a-z0-9_-]+$", re.IGNORECASE)
_RE_STORAGE_ID = re.compile(r"^[a-z][a-z0-9\-_.]*[a-z0-9]$", re.IGNORECASE)
_RE_VOLUME_ID = re.compile(r"^[a-z][a-z0-9\-_.]*[a-z0-9]:.+$", re.IGNORECASE | re.DOTALL)
_RE_MAC = re.compile(r"^[a-f0-9][02468ace](?::[a-f0-9]{2}){5}$", re.IGNORECASE)
_RE_MAC_PREFIX = re.compile(r"^[a-f0-9][02468ace](?::[a-f0-9]{2}){0,2}:?$", re.IGNORECASE)
_RE_EMAIL = re.compile(r"^[\w+\-~]+(?:\.[\w+\-~]+)*@[a-zA-Z0-9\-]+(?:\.[a-zA-Z0-9\-]+)*$")
_RE_REALM = re.compile(r"^[A-Za-z][A-Za-z0-9.\-_]+$")
_RE_USERID = re.compile(r"^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+$")
_RE_GROUPID = re.compile(r"^[A-Za-z0-9.\-_]+$")
_RE_POOLID = re.compile(r"^[A-Za-z0-9_\-][A-Za-z0-9_\-/]*$")
_RE_IFACE = re.compile(r"^[a-z][a-z0-9_]{1,20}(?:[:.]\d+)?$", re.IGNORECASE)
_RE_BRIDGE = re.compile(r"^[-_.\w]+$")
_RE_VGNAME = re.compile(r"^[a-zA-Z0-9.+_][a-zA-Z0-9.+_\-]*$")
_RE_URLENCODED = re.compile(r"^[-%a-zA-Z0-9_.!~*'()]*$")
_RE_DISK_SIZE = re.compile(r"^\d+(?:\.\d+)?[KMGT]?$")
_RE_REPLICATION_JOB = re.compile(r"^\d+-\d{1,9}$")
_RE_HA_RESOURCE = re.compile(r"^(?:[a-z]+:)?\d+$")
_RE_ALIAS = re.compile(r"^(?:(?:dc|guest)/)?[A-Za-z][A-Za-z0-9\-_]+$")
_RE_TAG = re.compile(r"^[a-z0-9_][a-z0-9_\-+.]*$", re.IGNORECASE)
_SPLIT_LIST = re.compile(r"[\0\s,;]+")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _pattern(regex: re.Pattern[str], what: str) -> Checker:
    def check(value: str) -> str | None:
        return None if regex.match(value) else f"{value!r} is not a valid {what}"

    return check


def _is_ipv4(value: str) -> bool:
    return _RE_IPV4.match(value) is not None


def _is_ipv6(value: str) -> bool:
    if "%" in value or not value or value.strip() != value:
        return False  # PVE's IPV6RE knows no zone ids
    try:
        ipaddress.IPv6Address(value)
    except ValueError:
        return False
    return True


def _cidr_parts(value: str) -> tuple[str, int] | None:
    address, slash, bits = value.partition("/")
    if not slash or not bits.isdigit() or not bits.isascii():
        return None
    return address, int(bits)


def _is_cidr4(value: str, low: int = 8) -> bool:
    parts = _cidr_parts(value)
    return parts is not None and _is_ipv4(parts[0]) and low <= parts[1] <= 32


def _is_cidr6(value: str, low: int = 8) -> bool:
    parts = _cidr_parts(value)
    return parts is not None and _is_ipv6(parts[0]) and low <= parts[1] <= 128


def _predicate(test: Callable[[str], bool], what: str) -> Checker:
    def check(value: str) -> str | None:
        return None if test(value) else f"{value!r} is not a valid {what}"

    return check


def _is_ip(value: str) -> bool:
    return _is_ipv4(value) or _is_ipv6(value)


def _is_cidr(value: str) -> bool:
    return _is_cidr4(value) or _is_cidr6(value)


def _is_ipv4_mask(value: str) -> bool:
    if not _is_ipv4(value):
        return False
    bits = "".join(f"{int(octet):08b}" for octet in value.split("."))
    return "01" not in bits  # contiguous ones, then zeros


def _is_address(value: str) -> bool:
    return _is_ip(value) or _RE_DNS_NAME.match(value) is not None


def _is_storage_server(value: str) -> bool:
    if value.startswith("[") and value.endswith("]"):
        return _is_ipv6(value[1:-1])
    return _is_address(value)


def _is_email_or_username(value: str) -> bool:
    return _RE_EMAIL.match(value) is not None or re.match(r"^[^\s:/]+$", value) is not None


def _is_volume_or_path(value: str) -> bool:
    return _RE_VOLUME_ID.match(value) is not None or value.startswith("/")


def _is_volume_or_qm_path(value: str) -> bool:
    return value in ("none", "cdrom") or _is_volume_or_path(value)


# Formats PVE checks with one regular expression (and nothing else): what each accepts is exactly that regex.
_REGEX_FORMATS: dict[str, tuple[re.Pattern[str], str]] = {
    "pve-vmid": (_RE_VMID, "VM id (an integer from 100 to 999999999)"),
    "pve-node": (_RE_NODE, "node name"),
    "pve-configid": (_RE_CONFIGID, "configuration id"),
    "pve-storage-id": (_RE_STORAGE_ID, "storage id"),
    "pve-volume-id": (_RE_VOLUME_ID, "volume id (STORAGE:VOLUME)"),
    "pve-realm": (_RE_REALM, "authentication realm"),
    "pve-groupid": (_RE_GROUPID, "group id"),
    "pve-roleid": (_RE_GROUPID, "role id"),
    "pve-poolid": (_RE_POOLID, "pool id"),
    "pve-iface": (_RE_IFACE, "network interface name"),
    "pve-bridge-id": (_RE_BRIDGE, "bridge id"),
    "pve-storage-vgname": (_RE_VGNAME, "volume group name"),
    "pve-replication-job-id": (_RE_REPLICATION_JOB, "replication job id (VMID-NUMBER)"),
    "pve-ha-resource-or-vm-id": (_RE_HA_RESOURCE, "HA resource id (TYPE:ID or a VM id)"),
    "pve-tag": (_RE_TAG, "tag"),
    "mac-addr": (_RE_MAC, "unicast MAC address"),
    "mac-prefix": (_RE_MAC_PREFIX, "unicast MAC address prefix"),
    "email": (_RE_EMAIL, "email address"),
    "dns-name": (_RE_DNS_NAME, "DNS name"),
    "disk-size": (_RE_DISK_SIZE, "disk size (a number with an optional K, M, G or T)"),
    "urlencoded": (_RE_URLENCODED, "URL-encoded string"),
}
# Formats PVE checks against a fixed list of words.
_WORD_FORMATS: dict[str, tuple[tuple[str, ...], str]] = {
    "pve-day-of-week": (_DAYS, "day of the week (mon ... sun)"),
}

_CHECKERS: dict[str, Checker] = {
    **{name: _pattern(regex, what) for name, (regex, what) in _REGEX_FORMATS.items()},
    **{name: _predicate(words.__contains__, what) for name, (words, what) in _WORD_FORMATS.items()},
    "pve-volume-id-or-absolute-path": _predicate(_is_volume_or_path, "volume id or absolute path"),
    "pve-volume-id-or-qm-path": _predicate(_is_volume_or_qm_path, "volume id, absolute path, 'none' or 'cdrom'"),
    "pve-userid": _predicate(
        lambda v: len(v) < 64 and _RE_USERID.match(v) is not None, "user id (USER@REALM, under 64 characters)"
    ),
    "pve-storage-server": _predicate(_is_storage_server, "server address"),
    "ip": _predicate(_is_ip, "IP address"),
    "ipv4": _predicate(_is_ipv4, "IPv4 address"),
    "ipv6": _predicate(_is_ipv6, "IPv6 address"),
    "ipv4mask": _predicate(_is_ipv4_mask, "IPv4 netmask"),
    "CIDR": _predicate(_is_cidr, "CIDR network"),
    "cidr": _predicate(_is_cidr, "CIDR network"),
    "CIDRv4": _predicate(_is_cidr4, "IPv4 CIDR network"),
    "CIDRv6": _predicate(_is_cidr6, "IPv6 CIDR network"),
    "FullRangeCIDR": _predicate(lambda v: _is_cidr4(v, 0) or _is_cidr6(v, 0), "CIDR network"),
    "IPorCIDR": _predicate(lambda v: _is_ip(v) or _is_cidr(v), "IP address or CIDR network"),
    "IPorCIDRorAlias": _predicate(
        lambda v: _is_ip(v) or _is_cidr(v) or _RE_ALIAS.match(v) is not None, "IP address, CIDR network or alias"
    ),
    "address": _predicate(_is_address, "address (IP or DNS name)"),
    "email-opt": _predicate(lambda v: v == "" or _RE_EMAIL.match(v) is not None, "email address"),
    "email-or-username": _predicate(_is_email_or_username, "email address or user name"),
}

# Lists whose items share a base format; PVE names them BASE-list (and once storagepair-list).
_LIST_ITEMS = {
    "pve-tag-list": "pve-tag",
    "pve-day-of-week-list": "pve-day-of-week",
}


def _list_base(name: str) -> str | None:
    base = _LIST_ITEMS.get(name)
    if base is None and name.endswith("-list"):
        base = name[: -len("-list")]
    return base if base in _CHECKERS else None


def check_format(name: str, value: str) -> str | None:
    """An error message when ``value`` breaks the PVE format ``name``; None when valid or unknown."""
    checker = _CHECKERS.get(name)
    if checker is not None:
        return checker(value)
    base = _list_base(name)
    if base is None:
        return None
    items = [item for item in _SPLIT_LIST.split(value) if item]
    for item in items:
        problem = _CHECKERS[base](item)
        if problem is not None:
            return f"list item {problem}"
    return None


def format_regex(name: str) -> re.Pattern[str] | None:
    """The one regex a format is checked with (used with ``.match()``, PVE's ``^...$``); None for other formats."""
    entry = _REGEX_FORMATS.get(name)
    return entry[0] if entry is not None else None


def format_words(name: str) -> tuple[str, ...] | None:
    """The fixed words a format accepts, in PVE's order; None for other formats."""
    entry = _WORD_FORMATS.get(name)
    return entry[0] if entry is not None else None


def known_formats() -> frozenset[str]:
    """The format names this module checks (list formats included)."""
    lists = {f"{name}-list" for name in _CHECKERS}
    return frozenset(_CHECKERS) | frozenset(_LIST_ITEMS) | frozenset(lists)
