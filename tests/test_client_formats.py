"""generator/runtime/pveformats.py: the PVE format checks the client (and the mock) apply."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pvegen import Spec
from pvegen.model import Schema
from pvegen.runtime.pveformats import check_format, known_formats

VALID = [
    ("pve-vmid", "100"), ("pve-vmid", "999999999"), ("pve-node", "pve1"), ("pve-node", "node-a"),
    ("pve-storage-id", "local-lvm"), ("pve-storage-id", "nfs.backup"), ("pve-configid", "net0"),
    ("ip", "192.168.0.1"), ("ip", "fe80::1"), ("ipv4", "10.0.0.1"), ("ipv6", "2001:db8::1"),
    ("CIDR", "10.0.0.0/8"), ("cidr", "2001:db8::/64"), ("CIDRv4", "192.168.1.0/24"), ("CIDRv6", "fd00::/8"),
    ("IPorCIDR", "10.1.1.1"), ("IPorCIDRorAlias", "dc/myalias"), ("ipv4mask", "255.255.255.0"),
    ("mac-addr", "BC:24:11:AA:BB:CC"), ("email", "root@pve.example"), ("email-opt", ""),
    ("dns-name", "pve.example"), ("address", "pve.example"), ("pve-userid", "root@pam"),
    ("pve-userid", "alice@ldap-corp"), ("pve-realm", "pve"), ("pve-volume-id", "local:iso/debian.iso"),
    ("pve-volume-id-or-qm-path", "/dev/sdb"), ("pve-volume-id-or-qm-path", "none"), ("disk-size", "32G"),
    ("pve-vmid-list", "100,101 102;103"), ("pve-node-list", "pve1,pve2"), ("pve-tag-list", "web;prod"),
    ("pve-day-of-week-list", "mon,fri"), ("urlencoded", "a%20b"), ("pve-storage-server", "[2001:db8::1]"),
    ("pve-replication-job-id", "100-0"), ("pve-ha-resource-or-vm-id", "vm:100"), ("pve-poolid", "team/dev"),
]  # fmt: skip

INVALID = [
    ("pve-vmid", "99"), ("pve-vmid", "1000000000"), ("pve-vmid", "0100"), ("pve-vmid", "100\n\n"),
    ("pve-vmid", "abc"), ("pve-node", "a.b"), ("pve-node", "-a"), ("pve-storage-id", "1local"),
    ("pve-storage-id", "local-"), ("pve-configid", "0net"), ("ip", "1.2.3.400"), ("ip", "fe80::1%eth0"),
    ("ipv4", "::1"), ("ipv6", "10.0.0.1"), ("CIDR", "10.0.0.0/4"), ("CIDR", "10.0.0.0"), ("CIDRv4", "fd00::/8"),
    ("ipv4mask", "255.0.255.0"), ("mac-addr", "01:00:00:00:00:00"), ("mac-addr", "BC:24:11:AA:BB"),
    ("email", "root"), ("dns-name", "bad_name.example"), ("pve-userid", "root"), ("pve-userid", "a b@pam"),
    ("pve-userid", "x" * 70 + "@pam"), ("pve-realm", "1pam"), ("pve-volume-id", "no-colon"),
    ("pve-volume-id-or-qm-path", "relative/path"), ("disk-size", "32X"), ("pve-vmid-list", "100,5"),
    ("urlencoded", "a b"), ("pve-day-of-week-list", "mon,funday"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "value"), VALID)
def test_valid_values_pass(name: str, value: str) -> None:
    assert check_format(name, value) is None


@pytest.mark.parametrize(("name", "value"), INVALID)
def test_invalid_values_are_named(name: str, value: str) -> None:
    message = check_format(name, value)
    shown = value.rsplit(",", maxsplit=1)[-1] if name.endswith("-list") else value
    assert message is not None and repr(shown)[:20] in message


def test_unknown_and_property_string_formats_are_not_judged() -> None:
    assert check_format("pve-qm-ide", "anything at all") is None
    assert check_format("no-such-format", "") is None
    assert {"pve-vmid", "pve-node", "ip", "cidr", "mac-addr", "email", "dns-name", "pve-userid"} <= known_formats()


def _formats(schema: Schema | None, found: set[str]) -> None:
    if schema is None:
        return
    if schema.format:
        found.add(schema.format)
    for sub in (schema.format_properties or {}).values():
        _formats(sub, found)
    _formats(schema.items, found)


def spec_formats(spec: Spec) -> set[str]:
    """Every format name a spec's parameters use (property-string keys and array items too)."""
    found: set[str] = set()
    for op in spec.operations:
        for schema in op.parameters.values():
            _formats(schema, found)
    return found


def judge_odd_values(formats: set[str]) -> None:
    """Each format judges values of every shape (empty, numeric, path-like, long) without raising."""
    for name in formats:
        for value in ("", "100", "pve1", "a:b/c", "x" * 300):
            result = check_format(name, value)
            assert result is None or isinstance(result, str)


def test_every_format_of_the_embedded_spec_is_handled(embedded: Spec) -> None:
    """Known formats judge without crashing; the ones we check cover the ones the embedded spec uses most."""
    found = spec_formats(embedded)
    judge_odd_values(found)
    assert {"pve-vmid", "pve-node", "pve-storage-id", "pve-userid", "pve-realm"} <= found & known_formats()


@given(st.sampled_from(sorted(known_formats())), st.text())
def test_never_raises(name: str, value: str) -> None:
    result = check_format(name, value)
    assert result is None or isinstance(result, str)
