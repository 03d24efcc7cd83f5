"""Resource /nodes/{node}/qemu/{vmid}/status/stop"""

from __future__ import annotations

from typing import ClassVar

from .._runtime.resource import Op, Resource
from .._runtime.validate import P


class NodesNodeQemuVmidStatusStop(Resource):
    """Resource /nodes/{node}/qemu/{vmid}/status/stop"""

    __slots__ = ()

    _op_post: ClassVar[Op[str]] = Op(
        "POST",
        "/nodes/{node}/qemu/{vmid}/status/stop",
        params={
            "skiplock": P("skiplock", "boolean"),
            "timeout": P("timeout", "integer", minimum=0),
            "keepActive": P("keepActive", "boolean"),
            "overrule_shutdown": P("overrule-shutdown", "boolean"),
            "migratedfrom": P("migratedfrom", "string", format="pve-node"),
        },
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
        timeout: int | None = None,
        keepActive: bool | None = None,
        overrule_shutdown: bool | None = None,
        migratedfrom: str | None = None,
    ) -> str:
        """Stop a VM at once, like pulling the power plug (see shutdown for a clean stop).

        POST /nodes/{node}/qemu/{vmid}/status/stop
        Proxmox name: vm_stop

        Args:
            skiplock (boolean): Ignore the configuration lock (root@pam only).
            timeout (integer; range 0..): Seconds to wait before giving up.
            keepActive (boolean; default 0): Leave the storage volumes active.
            overrule-shutdown (boolean; default 0): Cancel shutdown tasks still running for this VM first.
            migratedfrom (string; format pve-node): Node a migration came from (used by the cluster itself).

        Permissions: check: ["perm", "/vms/{vmid}", ["VM.PowerMgmt"]]

        Returns: string (Task id (UPID) of the background job; follow it with the task status and log calls.)
        """
        return self._call(
            self._op_post,
            {
                "skiplock": skiplock,
                "timeout": timeout,
                "keepActive": keepActive,
                "overrule_shutdown": overrule_shutdown,
                "migratedfrom": migratedfrom,
            },
        )
