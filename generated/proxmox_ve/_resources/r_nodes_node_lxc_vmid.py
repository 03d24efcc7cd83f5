"""Resource /nodes/{node}/lxc/{vmid}"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

if TYPE_CHECKING:
    from .r_nodes_node_lxc_vmid_status import NodesNodeLxcVmidStatus


class NodesNodeLxcVmid(Resource):
    """Resource /nodes/{node}/lxc/{vmid}"""

    __slots__ = ()

    _op_delete: ClassVar[Op[str]] = Op(
        "DELETE",
        "/nodes/{node}/lxc/{vmid}",
        params={
            "force": P("force", "boolean"),
            "purge": P("purge", "boolean"),
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
    def status(self) -> NodesNodeLxcVmidStatus:
        from .r_nodes_node_lxc_vmid_status import NodesNodeLxcVmidStatus as _cls

        return _cls(self._client, self._values)

    def delete(
        self,
        *,
        force: bool | None = None,
        purge: bool | None = None,
        destroy_unreferenced_disks: bool | None = None,
    ) -> str:
        """Destroy a container together with its volumes (runs as a background task).

        DELETE /nodes/{node}/lxc/{vmid}
        Proxmox name: destroy_vm

        Args:
            force (boolean; default 0): Stop the container first if it is running.
            purge (boolean; default 0): Also drop the container from backup jobs, replication jobs and HA resources.
            destroy-unreferenced-disks (boolean): Also remove volumes on enabled storages that carry this container's id but are not in its configuration.

        Permissions: check: ["perm", "/vms/{vmid}", ["VM.Allocate"]]

        Returns: string (Task id (UPID) of the background job; follow it with the task status and log calls.)
        """
        return self._call(
            self._op_delete,
            {
                "force": force,
                "purge": purge,
                "destroy_unreferenced_disks": destroy_unreferenced_disks,
            },
        )
