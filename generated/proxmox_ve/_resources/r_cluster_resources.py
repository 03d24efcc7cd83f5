"""Resource /cluster/resources"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

if TYPE_CHECKING:
    from .. import types as _t


ClusterResources_GetResultItem = TypedDict(
    "ClusterResources_GetResultItem",
    {
        "id": str,
        "type": str,
        "node": str,
        "status": str,
        "name": str,
        "vmid": int,
        "storage": str,
        "pool": str,
        "cpu": float,
        "maxcpu": float,
        "mem": int,
        "maxmem": int,
        "disk": int,
        "maxdisk": int,
        "uptime": int,
        "tags": str,
        "template": bool,
        "hastate": str,
        "content": str,
        "shared": bool,
    },
    total=False,
)


class ClusterResources(Resource):
    """Resource /cluster/resources"""

    __slots__ = ()

    _op_get: ClassVar[Op[list[ClusterResources_GetResultItem]]] = Op(
        "GET",
        "/cluster/resources",
        params={"type": P("type", "string", enum=("vm", "storage", "node", "sdn"))},
        path_params=(),
        open=False,
        returns=(
            "array",
            (
                "object",
                {
                    "vmid": "integer",
                    "cpu": "number",
                    "maxcpu": "number",
                    "mem": "integer",
                    "maxmem": "integer",
                    "disk": "integer",
                    "maxdisk": "integer",
                    "uptime": "integer",
                    "template": "boolean",
                    "shared": "boolean",
                },
            ),
        ),
    )

    def get(
        self,
        *,
        type: _t.ClusterResourcesType | None = None,
    ) -> list[ClusterResources_GetResultItem]:
        """List every guest, node, storage and SDN zone in the cluster in one call.

        GET /cluster/resources
        Proxmox name: resources

        Args:
            type (string; one of "vm", "storage", "node", "sdn"): Only resources of this kind ('vm' covers VMs and containers).

        Permissions: user: all.

        Returns: array (One entry per resource; which fields appear depends on its type.)
        """
        return self._call(
            self._op_get,
            {
                "type": type,
            },
        )
