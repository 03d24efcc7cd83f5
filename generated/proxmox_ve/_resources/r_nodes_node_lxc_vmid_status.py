"""Resource /nodes/{node}/lxc/{vmid}/status"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

if TYPE_CHECKING:
    from .r_nodes_node_lxc_vmid_status_current import NodesNodeLxcVmidStatusCurrent
    from .r_nodes_node_lxc_vmid_status_shutdown import NodesNodeLxcVmidStatusShutdown
    from .r_nodes_node_lxc_vmid_status_start import NodesNodeLxcVmidStatusStart
    from .r_nodes_node_lxc_vmid_status_stop import NodesNodeLxcVmidStatusStop


class NodesNodeLxcVmidStatus(Resource):
    """Resource /nodes/{node}/lxc/{vmid}/status"""

    __slots__ = ()

    @property
    def current(self) -> NodesNodeLxcVmidStatusCurrent:
        from .r_nodes_node_lxc_vmid_status_current import NodesNodeLxcVmidStatusCurrent as _cls

        return _cls(self._client, self._values)

    @property
    def start(self) -> NodesNodeLxcVmidStatusStart:
        from .r_nodes_node_lxc_vmid_status_start import NodesNodeLxcVmidStatusStart as _cls

        return _cls(self._client, self._values)

    @property
    def stop(self) -> NodesNodeLxcVmidStatusStop:
        from .r_nodes_node_lxc_vmid_status_stop import NodesNodeLxcVmidStatusStop as _cls

        return _cls(self._client, self._values)

    @property
    def shutdown(self) -> NodesNodeLxcVmidStatusShutdown:
        from .r_nodes_node_lxc_vmid_status_shutdown import NodesNodeLxcVmidStatusShutdown as _cls

        return _cls(self._client, self._values)
