"""Resource /cluster/tasks"""

from __future__ import annotations

from typing import ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

ClusterTasks_GetResultItem = TypedDict(
    "ClusterTasks_GetResultItem",
    {
        "upid": str,
        "node": str,
        "type": str,
        "id": str,
        "user": str,
        "starttime": int,
        "endtime": int,
        "status": str,
    },
    total=False,
)


class ClusterTasks(Resource):
    """Resource /cluster/tasks"""

    __slots__ = ()

    _op_get: ClassVar[Op[list[ClusterTasks_GetResultItem]]] = Op(
        "GET",
        "/cluster/tasks",
        params={},
        path_params=(),
        open=False,
        returns=("array", ("object", {"starttime": "integer", "endtime": "integer"})),
    )

    def get(
        self,
    ) -> list[ClusterTasks_GetResultItem]:
        """List recent tasks from every node of the cluster.

        GET /cluster/tasks
        Proxmox name: tasks

        Permissions: user: all.

        Returns: array (One entry per task.)
        """
        return self._call(
            self._op_get,
            {},
        )
