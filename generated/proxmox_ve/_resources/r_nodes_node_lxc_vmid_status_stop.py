"""Resource /nodes/{node}/lxc/{vmid}/status/stop"""

from __future__ import annotations

from typing import ClassVar

from .._runtime.resource import Op, Resource
from .._runtime.validate import P


class NodesNodeLxcVmidStatusStop(Resource):
    """Resource /nodes/{node}/lxc/{vmid}/status/stop"""

    __slots__ = ()

    _op_post: ClassVar[Op[str]] = Op(
        "POST",
        "/nodes/{node}/lxc/{vmid}/status/stop",
        params={
            "skiplock": P("skiplock", "boolean"),
            "overrule_shutdown": P("overrule-shutdown", "boolean"),
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
        overrule_shutdown: bool | None = None,
    ) -> str:
        """Stop a container at once (see shutdown for a clean stop).

        POST /nodes/{node}/lxc/{vmid}/status/stop
        Proxmox name: vm_stop

        Args:
            skiplock (boolean): Ignore the configuration lock (root@pam only).
            overrule-shutdown (boolean; default 0): Cancel shutdown tasks still running for this container first.

        Permissions: check: ["perm", "/vms/{vmid}", ["VM.PowerMgmt"]]

        Returns: string (Task id (UPID) of the background job; follow it with the task status and log calls.)
        """
        return self._call(
            self._op_post,
            {
                "skiplock": skiplock,
                "overrule_shutdown": overrule_shutdown,
            },
        )
