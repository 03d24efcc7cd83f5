"""Resource /nodes/{node}/lxc/{vmid}/status/current"""

from __future__ import annotations

from typing import Any, ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

NodesNodeLxcVmidStatusCurrent_GetResult = TypedDict(
    "NodesNodeLxcVmidStatusCurrent_GetResult",
    {
        "vmid": int,
        "name": str,
        "status": str,
        "cpu": float,
        "cpus": float,
        "mem": int,
        "maxmem": int,
        "maxswap": int,
        "disk": int,
        "maxdisk": int,
        "diskread": int,
        "diskwrite": int,
        "netin": int,
        "netout": int,
        "uptime": int,
        "lock": str,
        "tags": str,
        "template": bool,
        "ha": dict[str, Any],
    },
    total=False,
)


class NodesNodeLxcVmidStatusCurrent(Resource):
    """Resource /nodes/{node}/lxc/{vmid}/status/current"""

    __slots__ = ()

    _op_get: ClassVar[Op[NodesNodeLxcVmidStatusCurrent_GetResult]] = Op(
        "GET",
        "/nodes/{node}/lxc/{vmid}/status/current",
        params={},
        path_params=(
            P("node", "string", required=True, format="pve-node"),
            P("vmid", "integer", required=True, minimum=100, maximum=999999999, format="pve-vmid"),
        ),
        open=False,
        returns=(
            "object",
            {
                "vmid": "integer",
                "cpu": "number",
                "cpus": "number",
                "mem": "integer",
                "maxmem": "integer",
                "maxswap": "integer",
                "disk": "integer",
                "maxdisk": "integer",
                "diskread": "integer",
                "diskwrite": "integer",
                "netin": "integer",
                "netout": "integer",
                "uptime": "integer",
                "template": "boolean",
            },
        ),
    )

    def get(
        self,
    ) -> NodesNodeLxcVmidStatusCurrent_GetResult:
        """Read a container's run state and resource use.

        GET /nodes/{node}/lxc/{vmid}/status/current
        Proxmox name: vm_status

        Permissions: check: ["perm", "/vms/{vmid}", ["VM.Audit"]]

        Returns: object (The container's current state.)
        """
        return self._call(
            self._op_get,
            {},
        )
