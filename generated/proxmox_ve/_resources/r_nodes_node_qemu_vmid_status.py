"""Resource /nodes/{node}/qemu/{vmid}/status"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

if TYPE_CHECKING:
    from .r_nodes_node_qemu_vmid_status_current import NodesNodeQemuVmidStatusCurrent
    from .r_nodes_node_qemu_vmid_status_reset import NodesNodeQemuVmidStatusReset
    from .r_nodes_node_qemu_vmid_status_shutdown import NodesNodeQemuVmidStatusShutdown
    from .r_nodes_node_qemu_vmid_status_start import NodesNodeQemuVmidStatusStart
    from .r_nodes_node_qemu_vmid_status_stop import NodesNodeQemuVmidStatusStop


class NodesNodeQemuVmidStatus(Resource):
    """Resource /nodes/{node}/qemu/{vmid}/status"""

    __slots__ = ()

    @property
    def current(self) -> NodesNodeQemuVmidStatusCurrent:
        from .r_nodes_node_qemu_vmid_status_current import NodesNodeQemuVmidStatusCurrent as _cls

        return _cls(self._client, self._values)

    @property
    def start(self) -> NodesNodeQemuVmidStatusStart:
        from .r_nodes_node_qemu_vmid_status_start import NodesNodeQemuVmidStatusStart as _cls

        return _cls(self._client, self._values)

    @property
    def stop(self) -> NodesNodeQemuVmidStatusStop:
        from .r_nodes_node_qemu_vmid_status_stop import NodesNodeQemuVmidStatusStop as _cls

        return _cls(self._client, self._values)

    @property
    def reset(self) -> NodesNodeQemuVmidStatusReset:
        from .r_nodes_node_qemu_vmid_status_reset import NodesNodeQemuVmidStatusReset as _cls

        return _cls(self._client, self._values)

    @property
    def shutdown(self) -> NodesNodeQemuVmidStatusShutdown:
        from .r_nodes_node_qemu_vmid_status_shutdown import NodesNodeQemuVmidStatusShutdown as _cls

        return _cls(self._client, self._values)
