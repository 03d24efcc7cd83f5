"""Resource /nodes/{node}/qemu/{vmid}"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

if TYPE_CHECKING:
    from .r_nodes_node_qemu_vmid_status import NodesNodeQemuVmidStatus


class NodesNodeQemuVmid(Resource):
    """Resource /nodes/{node}/qemu/{vmid}"""

    __slots__ = ()

    _op_delete: ClassVar[Op[str]] = Op(
        "DELETE",
        "/nodes/{node}/qemu/{vmid}",
        params={
            "purge": P("purge", "boolean"),
            "skiplock": P("skiplock", "boolean"),
            "destroy_unreferenced_disks": P("destroy-unreferenced-disks", "boolean"),
        },
        path_params=(
            P("node", "string", required=True, format="pve-node"),
            P("vmid", "integer", required=True, minimum=100, maximum=999999999, format="pve-vmid"),
        ),
        open=False,
        returns=None,
    )

    @property
    def status(self) -> NodesNodeQemuVmidStatus:
        from .r_nodes_node_qemu_vmid_status import NodesNodeQemuVmidStatus as _cls

        return _cls(self._client, self._values)

    def delete(
        self,
        *,
        purge: bool | None = None,
        skiplock: bool | None = None,
        destroy_unreferenced_disks: bool | None = None,
    ) -> str:
        """Destroy a VM together with its disks (runs as a background task).

        DELETE /nodes/{node}/qemu/{vmid}
        Proxmox name: destroy_vm

        Args:
            purge (boolean): Also drop the VM from backup jobs, replication jobs and HA resources.
            skiplock (boolean): Ignore the configuration lock (root@pam only).
            destroy-unreferenced-disks (boolean; default 0): Also remove disks on enabled storages that carry this VM's id but are not in its configuration.

        Permissions: check: ["perm", "/vms/{vmid}", ["VM.Allocate"]]

        Returns: string (Task id (UPID) of the background job; follow it with the task status and log calls.)
        """
        return self._call(
            self._op_delete,
            {
                "purge": purge,
                "skiplock": skiplock,
                "destroy_unreferenced_disks": destroy_unreferenced_disks,
            },
        )
