"""Resource /nodes/{node}/status"""

from __future__ import annotations

from typing import ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

NodesNodeStatus_GetResultMemory = TypedDict(
    "NodesNodeStatus_GetResultMemory",
    {
        "total": int,
        "used": int,
        "free": int,
        "available": int,
    },
    total=False,
)

NodesNodeStatus_GetResultRootfs = TypedDict(
    "NodesNodeStatus_GetResultRootfs",
    {
        "total": int,
        "used": int,
        "free": int,
        "avail": int,
    },
    total=False,
)

NodesNodeStatus_GetResultCpuinfo = TypedDict(
    "NodesNodeStatus_GetResultCpuinfo",
    {
        "model": str,
        "sockets": int,
        "cores": int,
        "cpus": int,
    },
    total=False,
)

NodesNodeStatus_GetResultCurrentKernel = TypedDict(
    "NodesNodeStatus_GetResultCurrentKernel",
    {
        "sysname": str,
        "release": str,
        "version": str,
        "machine": str,
    },
    total=False,
)

NodesNodeStatus_GetResultBootInfo = TypedDict(
    "NodesNodeStatus_GetResultBootInfo",
    {
        "mode": str,
        "secureboot": bool,
    },
    total=False,
)

NodesNodeStatus_GetResult = TypedDict(
    "NodesNodeStatus_GetResult",
    {
        "cpu": float,
        "loadavg": list[str],
        "memory": NodesNodeStatus_GetResultMemory,
        "rootfs": NodesNodeStatus_GetResultRootfs,
        "cpuinfo": NodesNodeStatus_GetResultCpuinfo,
        "current-kernel": NodesNodeStatus_GetResultCurrentKernel,
        "boot-info": NodesNodeStatus_GetResultBootInfo,
        "pveversion": str,
        "uptime": int,
    },
    total=False,
)


class NodesNodeStatus(Resource):
    """Resource /nodes/{node}/status"""

    __slots__ = ()

    _op_get: ClassVar[Op[NodesNodeStatus_GetResult]] = Op(
        "GET",
        "/nodes/{node}/status",
        params={},
        path_params=(P("node", "string", required=True, format="pve-node"),),
        open=False,
        returns=(
            "object",
            {
                "cpu": "number",
                "memory": (
                    "object",
                    {
                        "total": "integer",
                        "used": "integer",
                        "free": "integer",
                        "available": "integer",
                    },
                ),
                "rootfs": (
                    "object",
                    {"total": "integer", "used": "integer", "free": "integer", "avail": "integer"},
                ),
                "cpuinfo": (
                    "object",
                    {"sockets": "integer", "cores": "integer", "cpus": "integer"},
                ),
                "boot-info": ("object", {"secureboot": "boolean"}),
                "uptime": "integer",
            },
        ),
    )

    def get(
        self,
    ) -> NodesNodeStatus_GetResult:
        """Read a node's load, memory, disk and version.

        GET /nodes/{node}/status
        Proxmox name: status

        Permissions: check: ["perm", "/nodes/{node}", ["Sys.Audit"]]

        Returns: object (The node's current state.)
        """
        return self._call(
            self._op_get,
            {},
        )
