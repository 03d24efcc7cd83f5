"""Resource /nodes/{node}/qemu/{vmid}/status/start"""

from __future__ import annotations

from typing import Any, ClassVar

from .._runtime.resource import Op, Resource
from .._runtime.validate import P


class NodesNodeQemuVmidStatusStart(Resource):
    """Resource /nodes/{node}/qemu/{vmid}/status/start"""

    __slots__ = ()

    _op_post: ClassVar[Op[str]] = Op(
        "POST",
        "/nodes/{node}/qemu/{vmid}/status/start",
        params={
            "skiplock": P("skiplock", "boolean"),
            "timeout": P("timeout", "integer", minimum=0),
        },
        path_params=(
            P("node", "string", required=True, format="pve-node"),
            P("vmid", "integer", required=True, minimum=100, maximum=999999999, format="pve-vmid"),
        ),
        open=True,
        returns=None,
    )

    def post(
        self,
        *,
        skiplock: bool | None = None,
        timeout: int | None = None,
        **extra: Any,
    ) -> str:
        """Start a VM.

        POST /nodes/{node}/qemu/{vmid}/status/start
        Proxmox name: vm_start

        Args:
            skiplock (boolean): Ignore the configuration lock (root@pam only).
            timeout (integer; range 0..): Seconds to wait for the start to finish.

        Permissions: check: ["perm", "/vms/{vmid}", ["VM.PowerMgmt"]]

        Returns: string (Task id (UPID) of the background job; follow it with the task status and log calls.)
        """
        return self._call(
            self._op_post,
            {
                "skiplock": skiplock,
                "timeout": timeout,
                **extra,
            },
        )
