"""Resource /nodes/{node}/qemu/{vmid}/status/current"""

from __future__ import annotations

from typing import Any, ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

NodesNodeQemuVmidStatusCurrent_GetResult = TypedDict(
    "NodesNodeQemuVmidStatusCurrent_GetResult",
    {
        "vmid": int,
        "name": str,
        "status": str,
        "qmpstatus": str,
        "cpu": float,
        "cpus": float,
        "mem": int,
        "maxmem": int,
        "maxdisk": int,
        "diskread": int,
        "diskwrite": int,
        "netin": int,
        "netout": int,
        "uptime": int,
        "pid": int,
        "lock": str,
        "tags": str,
        "template": bool,
        "agent": bool,
        "running-machine": str,
        "running-qemu": str,
        "ha": dict[str, Any],
    },
    total=False,
)


class NodesNodeQemuVmidStatusCurrent(Resource):
    """Resource /nodes/{node}/qemu/{vmid}/status/current"""

    __slots__ = ()

    _op_get: ClassVar[Op[NodesNodeQemuVmidStatusCurrent_GetResult]] = Op(
        "GET",
        "/nodes/{node}/qemu/{vmid}/status/current",
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
                "maxdisk": "integer",
                "diskread": "integer",
                "diskwrite": "integer",
                "netin": "integer",
                "netout": "integer",
                "uptime": "integer",
                "pid": "integer",
                "template": "boolean",
                "agent": "boolean",
            },
        ),
    )

    def get(
        self,
    ) -> NodesNodeQemuVmidStatusCurrent_GetResult:
        """Read a VM's run state and resource use.

        GET /nodes/{node}/qemu/{vmid}/status/current
        Proxmox name: vm_status

        Permissions: check: ["perm", "/vms/{vmid}", ["VM.Audit"]]

        Returns: object (The VM's current state.)
        """
        return self._call(
            self._op_get,
            {},
        )
