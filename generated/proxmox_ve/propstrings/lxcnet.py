"""The property-string class LxcNet."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from .._runtime.propstring import Key, PropertyString
from .._runtime.validate import P

__all__ = ["LxcNet"]


class LxcNet(PropertyString):
    """Property string ``key=value,...`` (Network interface number n (net0, ...), e.g. 'name=eth0,bridge=vmbr0,ip=dhcp'.)

    Keys:
        bridge (string): Host bridge to plug the interface into, such as 'vmbr0'.
        firewall (boolean): Apply the Proxmox firewall to this interface.
        gw (string; format ipv4): IPv4 default gateway.
        gw6 (string; format ipv6): IPv6 default gateway.
        host-managed (boolean): Let the host, not the container, configure the interface's addresses.
        hwaddr (string; format mac-addr): MAC address; one is generated when left out.
        ip (string; format pve-ipv4-config): IPv4 address in CIDR form, or 'dhcp' / 'manual'.
        ip6 (string; format pve-ipv6-config): IPv6 address in CIDR form, or 'auto' / 'dhcp' / 'manual'.
        link_down (boolean): Start with the link disconnected.
        mtu (integer): Interface MTU.
        name (string; required): Interface name inside the container, e.g. 'eth0'.
        rate (number): Bandwidth limit in MB/s.
        tag (integer): VLAN id.
        trunks (string): VLAN ids passed through, joined by ';'.
        type (string): Interface type (only 'veth').
    """

    __slots__ = (
        "bridge",
        "firewall",
        "gw",
        "gw6",
        "host_managed",
        "hwaddr",
        "ip",
        "ip6",
        "link_down",
        "mtu",
        "name",
        "rate",
        "tag",
        "trunks",
        "type",
    )
    _keys = (
        Key("bridge", "bridge", P("bridge", "string", pattern="[-_.\\w\\d]+")),
        Key("firewall", "firewall", P("firewall", "boolean")),
        Key("gw", "gw", P("gw", "string", format="ipv4")),
        Key("gw6", "gw6", P("gw6", "string", format="ipv6")),
        Key("host_managed", "host-managed", P("host-managed", "boolean")),
        Key("hwaddr", "hwaddr", P("hwaddr", "string", format="mac-addr")),
        Key("ip", "ip", P("ip", "string", format="pve-ipv4-config")),
        Key("ip6", "ip6", P("ip6", "string", format="pve-ipv6-config")),
        Key("link_down", "link_down", P("link_down", "boolean")),
        Key("mtu", "mtu", P("mtu", "integer", minimum=64, maximum=65535)),
        Key("name", "name", P("name", "string", pattern="[-_.\\w\\d]+"), required=True),
        Key("rate", "rate", P("rate", "number")),
        Key("tag", "tag", P("tag", "integer", minimum=1, maximum=4094)),
        Key("trunks", "trunks", P("trunks", "string", pattern="(?^:\\d+(?:;\\d+)*)")),
        Key("type", "type", P("type", "string", enum=("veth",))),
    )
    _aliases = {}

    bridge: str | None
    firewall: bool | None
    gw: str | None
    gw6: str | None
    host_managed: bool | None
    hwaddr: str | None
    ip: str | None
    ip6: str | None
    link_down: bool | None
    mtu: int | None
    name: str | None
    rate: float | None
    tag: int | None
    trunks: str | None
    type: Literal["veth"] | None

    def __init__(
        self,
        *,
        name: str,
        bridge: str | None = None,
        firewall: bool | None = None,
        gw: str | None = None,
        gw6: str | None = None,
        host_managed: bool | None = None,
        hwaddr: str | None = None,
        ip: str | None = None,
        ip6: str | None = None,
        link_down: bool | None = None,
        mtu: int | None = None,
        rate: float | None = None,
        tag: int | None = None,
        trunks: str | None = None,
        type: Literal["veth"] | None = None,
        extra: Mapping[str, str] | None = None,
    ) -> None:
        self._init(
            {
                "bridge": bridge,
                "firewall": firewall,
                "gw": gw,
                "gw6": gw6,
                "host_managed": host_managed,
                "hwaddr": hwaddr,
                "ip": ip,
                "ip6": ip6,
                "link_down": link_down,
                "mtu": mtu,
                "name": name,
                "rate": rate,
                "tag": tag,
                "trunks": trunks,
                "type": type,
            },
            extra,
        )
