"""Resource /nodes/{node}/lxc/{vmid}/status/start"""

from __future__ import annotations

from typing import ClassVar

from .._runtime.resource import Op, Resource
from .._runtime.validate import P


class NodesNodeLxcVmidStatusStart(Resource):
    """Resource /nodes/{node}/lxc/{vmid}/status/start"""

    __slots__ = ()

    _op_post: ClassVar[Op[str]] = Op(
        "POST",
        "/nodes/{node}/lxc/{vmid}/status/start",
        params={"skiplock": P("skiplock", "boolean"), "debug": P("debug", "boolean")},
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
        debug: bool | None = None,
    ) -> str:
        """Start a container.

        POST /nodes/{node}/lxc/{vmid}/status/start
        Proxmox name: vm_start

        Args:
            skiplock (boolean): Ignore the configuration lock (root@pam only).
            debug (boolean; default 0): Write a verbose start-up log to the task log.

        Permissions: check: ["perm", "/vms/{vmid}", ["VM.PowerMgmt"]]

        Returns: string (Task id (UPID) of the background job; follow it with the task status and log calls.)
        """
        return self._call(
            self._op_post,
            {
                "skiplock": skiplock,
                "debug": debug,
            },
        )
