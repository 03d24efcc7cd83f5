"""Resource /nodes/{node}/qemu/{vmid}/status/shutdown"""

from __future__ import annotations

from typing import ClassVar

from .._runtime.resource import Op, Resource
from .._runtime.validate import P


class NodesNodeQemuVmidStatusShutdown(Resource):
    """Resource /nodes/{node}/qemu/{vmid}/status/shutdown"""

    __slots__ = ()

    _op_post: ClassVar[Op[str]] = Op(
        "POST",
        "/nodes/{node}/qemu/{vmid}/status/shutdown",
        params={
            "skiplock": P("skiplock", "boolean"),
            "timeout": P("timeout", "integer", minimum=0),
            "forceStop": P("forceStop", "boolean"),
            "keepActive": P("keepActive", "boolean"),
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
        forceStop: bool | None = None,
        keepActive: bool | None = None,
    ) -> str:
        """Ask a VM's operating system to shut down cleanly.

        POST /nodes/{node}/qemu/{vmid}/status/shutdown
        Proxmox name: vm_shutdown

        Args:
            skiplock (boolean): Ignore the configuration lock (root@pam only).
            timeout (integer; range 0..): Seconds to wait for the guest to power off.
            forceStop (boolean; default 0): Stop the VM hard if it is still running after the timeout.
            keepActive (boolean; default 0): Leave the storage volumes active.

        Permissions: check: ["perm", "/vms/{vmid}", ["VM.PowerMgmt"]]

        Returns: string (Task id (UPID) of the background job; follow it with the task status and log calls.)
        """
        return self._call(
            self._op_post,
            {
                "skiplock": skiplock,
                "timeout": timeout,
                "forceStop": forceStop,
                "keepActive": keepActive,
            },
        )
