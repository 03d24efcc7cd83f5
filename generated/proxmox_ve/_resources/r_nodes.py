"""Resource /nodes"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

if TYPE_CHECKING:
    from .r_nodes_node import NodesNode


Nodes_GetResultItem = TypedDict(
    "Nodes_GetResultItem",
    {
        "node": str,
        "status": str,
        "cpu": float,
        "maxcpu": int,
        "mem": int,
        "maxmem": int,
        "uptime": int,
        "level": str,
        "ssl_fingerprint": str,
    },
    total=False,
)


class Nodes(Resource):
    """Resource /nodes"""

    __slots__ = ()

    _op_get: ClassVar[Op[list[Nodes_GetResultItem]]] = Op(
        "GET",
        "/nodes",
        params={},
        path_params=(),
        open=False,
        returns=(
            "array",
            (
                "object",
                {
                    "cpu": "number",
                    "maxcpu": "integer",
                    "mem": "integer",
                    "maxmem": "integer",
                    "uptime": "integer",
                },
            ),
        ),
    )

    def __call__(self, node: str) -> NodesNode:
        from .r_nodes_node import NodesNode as _cls

        return _cls(self._client, (*self._values, node))

    def get(
        self,
    ) -> list[Nodes_GetResultItem]:
        """List the cluster's nodes with their state and load.

        GET /nodes
        Proxmox name: index

        Permissions: user: all.

        Returns: array (One entry per node.)
        """
        return self._call(
            self._op_get,
            {},
        )
