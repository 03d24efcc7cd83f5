"""Resource /cluster/status"""

from __future__ import annotations

from typing import ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

ClusterStatus_GetResultItem = TypedDict(
    "ClusterStatus_GetResultItem",
    {
        "type": str,
        "id": str,
        "name": str,
        "quorate": bool,
        "nodes": int,
        "version": int,
        "nodeid": int,
        "ip": str,
        "online": bool,
        "local": bool,
        "level": str,
    },
    total=False,
)


class ClusterStatus(Resource):
    """Resource /cluster/status"""

    __slots__ = ()

    _op_get: ClassVar[Op[list[ClusterStatus_GetResultItem]]] = Op(
        "GET",
        "/cluster/status",
        params={},
        path_params=(),
        open=False,
        returns=(
            "array",
            (
                "object",
                {
                    "quorate": "boolean",
                    "nodes": "integer",
                    "version": "integer",
                    "nodeid": "integer",
                    "online": "boolean",
                    "local": "boolean",
                },
            ),
        ),
    )

    def get(
        self,
    ) -> list[ClusterStatus_GetResultItem]:
        """Read the cluster's quorum and membership.

        GET /cluster/status
        Proxmox name: get_status

        Permissions: check: ["perm", "/", ["Sys.Audit"]]

        Returns: array (One entry for the cluster and one per node.)
        """
        return self._call(
            self._op_get,
            {},
        )
