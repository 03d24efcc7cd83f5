"""Resource /nodes/{node}"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

if TYPE_CHECKING:
    from .r_nodes_node_lxc import NodesNodeLxc
    from .r_nodes_node_netstat import NodesNodeNetstat
    from .r_nodes_node_network import NodesNodeNetwork
    from .r_nodes_node_qemu import NodesNodeQemu
    from .r_nodes_node_status import NodesNodeStatus
    from .r_nodes_node_storage import NodesNodeStorage
    from .r_nodes_node_tasks import NodesNodeTasks


NodesNode_GetResultItem = TypedDict(
    "NodesNode_GetResultItem",
    {
        "name": str,
    },
    total=False,
)


class NodesNode(Resource):
    """Resource /nodes/{node}"""

    __slots__ = ()

    _op_get: ClassVar[Op[list[NodesNode_GetResultItem]]] = Op(
        "GET",
        "/nodes/{node}",
        params={},
        path_params=(P("node", "string", required=True, format="pve-node"),),
        open=False,
        returns=None,
    )

    @property
    def status(self) -> NodesNodeStatus:
        from .r_nodes_node_status import NodesNodeStatus as _cls

        return _cls(self._client, self._values)

    @property
    def netstat(self) -> NodesNodeNetstat:
        from .r_nodes_node_netstat import NodesNodeNetstat as _cls

        return _cls(self._client, self._values)

    @property
    def tasks(self) -> NodesNodeTasks:
        from .r_nodes_node_tasks import NodesNodeTasks as _cls

        return _cls(self._client, self._values)

    @property
    def qemu(self) -> NodesNodeQemu:
        from .r_nodes_node_qemu import NodesNodeQemu as _cls

        return _cls(self._client, self._values)

    @property
    def lxc(self) -> NodesNodeLxc:
        from .r_nodes_node_lxc import NodesNodeLxc as _cls

        return _cls(self._client, self._values)

    @property
    def storage(self) -> NodesNodeStorage:
        from .r_nodes_node_storage import NodesNodeStorage as _cls

        return _cls(self._client, self._values)

    @property
    def network(self) -> NodesNodeNetwork:
        from .r_nodes_node_network import NodesNodeNetwork as _cls

        return _cls(self._client, self._values)

    def get(
        self,
    ) -> list[NodesNode_GetResultItem]:
        """List the sub-resources of a node (qemu, lxc, storage, ...).

        GET /nodes/{node}
        Proxmox name: index

        Permissions: user: all.

        Returns: array (One entry per sub-resource.)
        """
        return self._call(
            self._op_get,
            {},
        )
