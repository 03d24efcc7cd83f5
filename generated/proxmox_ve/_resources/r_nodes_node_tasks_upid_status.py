"""Resource /nodes/{node}/tasks/{upid}/status"""

from __future__ import annotations

from typing import ClassVar, TypedDict

from .._runtime.resource import Op, Resource
from .._runtime.validate import P

NodesNodeTasksUpidStatus_GetResult = TypedDict(
    "NodesNodeTasksUpidStatus_GetResult",
    {
        "status": str,
        "exitstatus": str,
        "upid": str,
        "node": str,
        "pid": int,
        "pstart": int,
        "starttime": int,
        "type": str,
        "id": str,
        "user": str,
    },
    total=False,
)


class NodesNodeTasksUpidStatus(Resource):
    """Resource /nodes/{node}/tasks/{upid}/status"""

    __slots__ = ()

    _op_get: ClassVar[Op[NodesNodeTasksUpidStatus_GetResult]] = Op(
        "GET",
        "/nodes/{node}/tasks/{upid}/status",
        params={},
        path_params=(
            P("node", "string", required=True, format="pve-node"),
            P("upid", "string", required=True),
        ),
        open=False,
        returns=("object", {"pid": "integer", "pstart": "integer", "starttime": "integer"}),
    )

    def get(
        self,
    ) -> NodesNodeTasksUpidStatus_GetResult:
        """Read whether a task is still running and how it ended.

        GET /nodes/{node}/tasks/{upid}/status
        Proxmox name: read_task_status

        Permissions: user: all. The task's owner may read it; others need Sys.Audit on /nodes/{node}.

        Returns: object (The task's state.)
        """
        return self._call(
            self._op_get,
            {},
        )
