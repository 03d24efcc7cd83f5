"""Resource /nodes/{node}/network"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

if TYPE_CHECKING:
    from .. import types as _t
    from .r_nodes_node_network_iface import NodesNodeNetworkIface


NodesNodeNetwork_GetResultItem = TypedDict(
    "NodesNodeNetwork_GetResultItem",
    {
        "iface": str,
        "type": str,
        "active": bool,
        "autostart": bool,
        "method": str,
        "method6": str,
        "address": str,
        "netmask": str,
        "cidr": str,
        "gateway": str,
        "address6": str,
        "netmask6": int,
        "cidr6": str,
        "gateway6": str,
        "bridge_ports": str,
        "bridge_vlan_aware": bool,
        "slaves": str,
        "bond_mode": str,
        "mtu": int,
        "comments": str,
    },
    total=False,
)


class NodesNodeNetwork(Resource):
    """Resource /nodes/{node}/network"""

    __slots__ = ()

    _op_get: ClassVar[Op[list[NodesNodeNetwork_GetResultItem]]] = Op(
        "GET",
        "/nodes/{node}/network",
        params={
            "type": P(
                "type",
                "string",
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
                    "any_bridge",
                    "any_local_bridge",
                    "include_sdn",
                ),
            )
        },
        path_params=(P("node", "string", required=True, format="pve-node"),),
        open=False,
        returns=(
            "array",
            (
                "object",
                {
                    "active": "boolean",
                    "autostart": "boolean",
                    "netmask6": "integer",
                    "bridge_vlan_aware": "boolean",
                    "mtu": "integer",
                },
            ),
        ),
    )

    def __call__(self, iface: str) -> NodesNodeNetworkIface:
        from .r_nodes_node_network_iface import NodesNodeNetworkIface as _cls

        return _cls(self._client, (*self._values, iface))

    def get(
        self,
        *,
        type: _t.NodesNodeNetworkType | None = None,
    ) -> list[NodesNodeNetwork_GetResultItem]:
        """List a node's network interfaces (with changes waiting to be applied).

        GET /nodes/{node}/network
        Proxmox name: index

        Args:
            type (string; one of "bridge", "bond", "eth", "alias", "vlan", "fabric", "OVSBridge", "OVSBond", "OVSPort", "OVSIntPort", "vnet", "any_bridge", "any_local_bridge", "include_sdn"): Only interfaces of this kind; any_bridge covers Linux and OVS bridges.

        Permissions: user: all.

        Returns: array (One entry per interface.)
        """
        return self._call(
            self._op_get,
            {
                "type": type,
            },
        )
