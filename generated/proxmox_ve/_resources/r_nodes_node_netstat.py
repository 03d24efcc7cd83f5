"""Resource /nodes/{node}/netstat"""

from __future__ import annotations

from typing import ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

NodesNodeNetstat_GetResultItem = TypedDict(
    "NodesNodeNetstat_GetResultItem",
    {
        "vmid": int,
        "dev": str,
        "in": int,
        "out": int,
    },
    total=False,
)


class NodesNodeNetstat(Resource):
    """Resource /nodes/{node}/netstat"""

    __slots__ = ()

    _op_get: ClassVar[Op[list[NodesNodeNetstat_GetResultItem]]] = Op(
        "GET",
        "/nodes/{node}/netstat",
        params={},
        path_params=(P("node", "string", required=True, format="pve-node"),),
        open=False,
        returns=("array", ("object", {"vmid": "integer", "in": "integer", "out": "integer"})),
    )

    def get(
        self,
    ) -> list[NodesNodeNetstat_GetResultItem]:
        """Read per-guest network traffic counters on a node.

        GET /nodes/{node}/netstat
        Proxmox name: netstat

        Permissions: check: ["perm", "/nodes/{node}", ["Sys.Audit"]]

        Returns: array (One entry per guest network device.)
        """
        return self._call(
            self._op_get,
            {},
        )
