"""Resource /nodes/{node}/qemu/{vmid}/status/reset"""

from __future__ import annotations

from typing import ClassVar

from .._runtime.resource import Op, Resource
from .._runtime.validate import P


class NodesNodeQemuVmidStatusReset(Resource):
    """Resource /nodes/{node}/qemu/{vmid}/status/reset"""

    __slots__ = ()

    _op_post: ClassVar[Op[str]] = Op(
        "POST",
        "/nodes/{node}/qemu/{vmid}/status/reset",
        params={"skiplock": P("skiplock", "boolean")},
        path_params=(
            P("node", "string", required=True, format="pve-node"),
            P("vmid", "integer", required=True, minimum=100, maximum=999999999, format="pve-vmid"),
        ),
        open=False,
        returns=None,
    )

    def post(
        self,
        *,
        skiplock: bool | None = None,
    ) -> str:
        """Reset a VM, like pressing its reset button.

        POST /nodes/{node}/qemu/{vmid}/status/reset
        Proxmox name: vm_reset

        Args:
            skiplock (boolean): Ignore the configuration lock (root@pam only).

        Permissions: check: ["perm", "/vms/{vmid}", ["VM.PowerMgmt"]]

        Returns: string (Task id (UPID) of the background job; follow it with the task status and log calls.)
        """
        return self._call(
            self._op_post,
            {
                "skiplock": skiplock,
            },
        )
