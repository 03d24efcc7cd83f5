"""Resource /nodes/{node}/lxc/{vmid}/status/shutdown"""

from __future__ import annotations

from typing import ClassVar

from .._runtime.resource import Op, Resource
from .._runtime.validate import P


class NodesNodeLxcVmidStatusShutdown(Resource):
    """Resource /nodes/{node}/lxc/{vmid}/status/shutdown"""

    __slots__ = ()

    _op_post: ClassVar[Op[str]] = Op(
        "POST",
        "/nodes/{node}/lxc/{vmid}/status/shutdown",
        params={
            "timeout": P("timeout", "integer", minimum=0),
            "forceStop": P("forceStop", "boolean"),
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
        timeout: int | None = None,
        forceStop: bool | None = None,
    ) -> str:
        """Ask a container to shut down cleanly.

        POST /nodes/{node}/lxc/{vmid}/status/shutdown
        Proxmox name: vm_shutdown

        Args:
            timeout (integer; range 0..; default 60): Seconds to wait for the container to stop.
            forceStop (boolean; default 0): Stop the container hard if it is still running after the timeout.

        Permissions: check: ["perm", "/vms/{vmid}", ["VM.PowerMgmt"]]

        Returns: string (Task id (UPID) of the background job; follow it with the task status and log calls.)
        """
        return self._call(
            self._op_post,
            {
                "timeout": timeout,
                "forceStop": forceStop,
            },
        )
