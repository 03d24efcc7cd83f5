"""The property-string class QemuNet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from .._runtime.propstring import Key, PropertyString
from .._runtime.validate import P

__all__ = ["QemuNet"]


class QemuNet(PropertyString):
    """Property string ``key=value,...`` (Network card number n (net0, net1, ...).)

    Short form NAME=VALUE sets macaddr=VALUE and model=NAME; NAME is one of: e1000, e1000-82540em, e1000-82544gc, e1000-82545em, e1000e, i82551, i82557b, i82559er, ne2k_isa, ne2k_pci, pcnet, rtl8139, virtio, vmxnet3.

    Keys:
        bridge (string; format pve-bridge-id): Host bridge the NIC is plugged into, such as 'vmbr0'. Without one QEMU's user-mode NAT network is used.
        firewall (boolean): Apply the Proxmox firewall to this interface.
        link_down (boolean): Start with the link disconnected, as if the cable were unplugged.
        macaddr (string; format mac-addr): MAC address; one is generated when left out.
        model (string; default key; required): Emulated NIC model; 'virtio' is fastest when the guest has drivers. Usually written as MODEL=MAC, e.g. 'virtio=BC:24:11:00:00:01', or as a bare model name.
        mtu (integer): MTU for virtio NICs; 1 means take the bridge's MTU.
        queues (integer): Number of packet queues (multiqueue).
        rate (number): Bandwidth limit in MB/s (may be fractional).
        tag (integer): VLAN id for the interface's traffic.
        trunks (string): VLAN ids passed through, separated by ';' (ranges with '-').
    """

    __slots__ = (
        "bridge",
        "firewall",
        "link_down",
        "macaddr",
        "model",
        "mtu",
        "queues",
        "rate",
        "tag",
        "trunks",
    )
    _keys = (
        Key("bridge", "bridge", P("bridge", "string", format="pve-bridge-id")),
        Key("firewall", "firewall", P("firewall", "boolean")),
        Key("link_down", "link_down", P("link_down", "boolean")),
        Key("macaddr", "macaddr", P("macaddr", "string", format="mac-addr")),
        Key(
            "model",
            "model",
            P(
                "model",
                "string",
                enum=(
                    "e1000",
                    "e1000-82540em",
                    "e1000-82544gc",
                    "e1000-82545em",
                    "e1000e",
                    "i82551",
                    "i82557b",
                    "i82559er",
                    "ne2k_isa",
                    "ne2k_pci",
                    "pcnet",
                    "rtl8139",
                    "virtio",
                    "vmxnet3",
                ),
            ),
            default_key=True,
            required=True,
        ),
        Key("mtu", "mtu", P("mtu", "integer", minimum=1, maximum=65520)),
        Key("queues", "queues", P("queues", "integer", minimum=0, maximum=64)),
        Key("rate", "rate", P("rate", "number", minimum=0)),
        Key("tag", "tag", P("tag", "integer", minimum=1, maximum=4094)),
        Key(
            "trunks",
            "trunks",
            P("trunks", "string", pattern="(?^:\\d+(?:-\\d+)?(?:;\\d+(?:-\\d+)?)*)"),
        ),
    )
    _aliases = {
        "e1000": ("macaddr", "model"),
        "e1000-82540em": ("macaddr", "model"),
        "e1000-82544gc": ("macaddr", "model"),
        "e1000-82545em": ("macaddr", "model"),
        "e1000e": ("macaddr", "model"),
        "i82551": ("macaddr", "model"),
        "i82557b": ("macaddr", "model"),
        "i82559er": ("macaddr", "model"),
        "ne2k_isa": ("macaddr", "model"),
        "ne2k_pci": ("macaddr", "model"),
        "pcnet": ("macaddr", "model"),
        "rtl8139": ("macaddr", "model"),
        "virtio": ("macaddr", "model"),
        "vmxnet3": ("macaddr", "model"),
    }

    bridge: str | None
    firewall: bool | None
    link_down: bool | None
    macaddr: str | None
    model: (
        Literal[
            "e1000",
            "e1000-82540em",
            "e1000-82544gc",
            "e1000-82545em",
            "e1000e",
            "i82551",
            "i82557b",
            "i82559er",
            "ne2k_isa",
            "ne2k_pci",
            "pcnet",
            "rtl8139",
            "virtio",
            "vmxnet3",
        ]
        | None
    )
    mtu: int | None
    queues: int | None
    rate: float | None
    tag: int | None
    trunks: str | None

    def __init__(
        self,
        *,
        model: Literal[
            "e1000",
            "e1000-82540em",
            "e1000-82544gc",
            "e1000-82545em",
            "e1000e",
            "i82551",
            "i82557b",
            "i82559er",
            "ne2k_isa",
            "ne2k_pci",
            "pcnet",
            "rtl8139",
            "virtio",
            "vmxnet3",
        ],
        bridge: str | None = None,
        firewall: bool | None = None,
        link_down: bool | None = None,
        macaddr: str | None = None,
        mtu: int | None = None,
        queues: int | None = None,
        rate: float | None = None,
        tag: int | None = None,
        trunks: str | None = None,
        extra: Mapping[str, str] | None = None,
    ) -> None:
        self._init(
            {
                "bridge": bridge,
                "firewall": firewall,
                "link_down": link_down,
                "macaddr": macaddr,
                "model": model,
                "mtu": mtu,
                "queues": queues,
                "rate": rate,
                "tag": tag,
                "trunks": trunks,
            },
            extra,
        )
