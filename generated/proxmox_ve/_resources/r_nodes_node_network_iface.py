"""Resource /nodes/{node}/network/{iface}"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

if TYPE_CHECKING:
    from .. import types as _t


NodesNodeNetworkIface_GetResult = TypedDict(
    "NodesNodeNetworkIface_GetResult",
    {
        "type": str,
        "method": str,
        "iface": str,
        "address": str,
        "netmask": str,
        "cidr": str,
        "gateway": str,
        "autostart": bool,
        "bridge_ports": str,
        "comments": str,
    },
    total=False,
)


class NodesNodeNetworkIface(Resource):
    """Resource /nodes/{node}/network/{iface}"""

    __slots__ = ()

    _op_get: ClassVar[Op[NodesNodeNetworkIface_GetResult]] = Op(
        "GET",
        "/nodes/{node}/network/{iface}",
        params={},
        path_params=(
            P("node", "string", required=True, format="pve-node"),
            P("iface", "string", required=True, min_length=2, max_length=20, format="pve-iface"),
        ),
        open=False,
        returns=("object", {"autostart": "boolean"}),
    )

    _op_put: ClassVar[Op[None]] = Op(
        "PUT",
        "/nodes/{node}/network/{iface}",
        params={
            "type": P(
                "type",
                "string",
                required=True,
                enum=(
                    "bridge",
                    "bond",
                    "eth",
                    "alias",
                    "vlan",
                    "fabric",
                    "OVSBridge",
                    "OVSBond",
                    "OVSPort",
                    "OVSIntPort",
                    "vnet",
                    "unknown",
                ),
            ),
            "autostart": P("autostart", "boolean"),
            "address": P("address", "string", format="ipv4"),
            "netmask": P("netmask", "string", format="ipv4mask"),
            "cidr": P("cidr", "string", format="CIDRv4"),
            "gateway": P("gateway", "string", format="ipv4"),
            "address6": P("address6", "string", format="ipv6"),
            "netmask6": P("netmask6", "integer", minimum=0, maximum=128),
            "cidr6": P("cidr6", "string", format="CIDRv6"),
            "gateway6": P("gateway6", "string", format="ipv6"),
            "bridge_ports": P("bridge_ports", "string", format="pve-iface-list"),
            "bridge_vlan_aware": P("bridge_vlan_aware", "boolean"),
            "bridge_vids": P("bridge_vids", "string", format="pve-vlan-id-or-range-list"),
            "slaves": P("slaves", "string", format="pve-iface-list"),
            "bond_mode": P(
                "bond_mode",
                "string",
                enum=(
                    "balance-rr",
                    "active-backup",
                    "balance-xor",
                    "broadcast",
                    "802.3ad",
                    "balance-tlb",
                    "balance-alb",
                    "balance-slb",
                    "lacp-balance-slb",
                    "lacp-balance-tcp",
                ),
            ),
            "vlan_id": P("vlan-id", "integer", minimum=1, maximum=4094),
            "vlan_raw_device": P("vlan-raw-device", "string", format="pve-iface"),
            "mtu": P("mtu", "integer", minimum=1280, maximum=65520),
            "comments": P("comments", "string"),
            "delete": P("delete", "string", format="pve-configid-list"),
        },
        path_params=(
            P("node", "string", required=True, format="pve-node"),
            P("iface", "string", required=True, min_length=2, max_length=20, format="pve-iface"),
        ),
        open=True,
        returns=None,
    )

    def get(
        self,
    ) -> NodesNodeNetworkIface_GetResult:
        """Read one network interface's configuration.

        GET /nodes/{node}/network/{iface}
        Proxmox name: network_config

        Permissions: check: ["perm", "/nodes/{node}", ["Sys.Audit"]]

        Returns: object (The interface's settings.)
        """
        return self._call(
            self._op_get,
            {},
        )

    def put(
        self,
        *,
        type: _t.NodesNodeNetworkIfaceType,
        autostart: bool | None = None,
        address: str | None = None,
        netmask: str | None = None,
        cidr: str | None = None,
        gateway: str | None = None,
        address6: str | None = None,
        netmask6: int | None = None,
        cidr6: str | None = None,
        gateway6: str | None = None,
        bridge_ports: str | None = None,
        bridge_vlan_aware: bool | None = None,
        bridge_vids: str | None = None,
        slaves: str | None = None,
        bond_mode: _t.BondMode | None = None,
        vlan_id: int | None = None,
        vlan_raw_device: str | None = None,
        mtu: int | None = None,
        comments: str | None = None,
        delete: str | None = None,
        **extra: Any,
    ) -> None:
        """Change a network interface; the change waits until the network configuration is applied.

        PUT /nodes/{node}/network/{iface}
        Proxmox name: update_network

        Args:
            type (string; required; one of "bridge", "bond", "eth", "alias", "vlan", "fabric", "OVSBridge", "OVSBond", "OVSPort", "OVSIntPort", "vnet", "unknown"): Interface kind.
            autostart (boolean): Bring the interface up at boot.
            address (string; format ipv4): IPv4 address.
            netmask (string; format ipv4mask): IPv4 netmask.
            cidr (string; format CIDRv4): IPv4 address with prefix length, e.g. '192.0.2.10/24'.
            gateway (string; format ipv4): IPv4 default gateway.
            address6 (string; format ipv6): IPv6 address.
            netmask6 (integer; range 0..128): IPv6 prefix length.
            cidr6 (string; format CIDRv6): IPv6 address with prefix length.
            gateway6 (string; format ipv6): IPv6 default gateway.
            bridge_ports (string; format pve-iface-list): Ports of a bridge, separated by spaces.
            bridge_vlan_aware (boolean): Make a bridge VLAN aware.
            bridge_vids (string; format pve-vlan-id-or-range-list): VLAN ids a VLAN-aware bridge carries, e.g. '2 4 100-200'.
            slaves (string; format pve-iface-list): Members of a bond, separated by spaces.
            bond_mode (string; one of "balance-rr", "active-backup", "balance-xor", "broadcast", "802.3ad", "balance-tlb", "balance-alb", "balance-slb", "lacp-balance-slb", "lacp-balance-tcp"): How the bond spreads traffic over its members.
            vlan-id (integer; range 1..4094): VLAN id of a VLAN interface.
            vlan-raw-device (string; format pve-iface): Interface a VLAN interface sits on.
            mtu (integer; range 1280..65520): Largest packet size (MTU) in bytes.
            comments (string): Notes on the interface.
            delete (string; format pve-configid-list): Settings to remove, comma separated.

        Permissions: check: ["perm", "/nodes/{node}", ["Sys.Modify"]]

        Returns: null (Nothing.)
        """
        return self._call(
            self._op_put,
            {
                "type": type,
                "autostart": autostart,
                "address": address,
                "netmask": netmask,
                "cidr": cidr,
                "gateway": gateway,
                "address6": address6,
                "netmask6": netmask6,
                "cidr6": cidr6,
                "gateway6": gateway6,
                "bridge_ports": bridge_ports,
                "bridge_vlan_aware": bridge_vlan_aware,
                "bridge_vids": bridge_vids,
                "slaves": slaves,
                "bond_mode": bond_mode,
                "vlan_id": vlan_id,
                "vlan_raw_device": vlan_raw_device,
                "mtu": mtu,
                "comments": comments,
                "delete": delete,
                **extra,
            },
        )
